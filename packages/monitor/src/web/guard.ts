import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { UserFile } from "./users.js";

/**
 * Who is asking, and whether a state change may go ahead.
 *
 * Authentication: with a users file, every request but the health check carries HTTP Basic
 * (NAME, password or token) or `Authorization: Bearer NAME.SECRET`. Without one the page is
 * open, and the server then listens on a loopback address only (server.ts).
 *
 * CSRF: a browser sends Basic credentials (and, open, nothing at all) with requests that other
 * sites make it send, so every state change must show it comes from the page itself:
 * - `Content-Type: application/json`: a form or a `text/plain` POST, the "simple" requests a page
 *   of another origin may send without asking, is refused (415);
 * - no `Origin` other than the page's own, no `Sec-Fetch-Site: cross-site`/`same-site` (403);
 * - an `X-CSRF-Token` header equal to the token the page was served with, an HMAC of the user
 *   name under a key of this process (403). Another origin cannot read the page to learn it.
 * A request with a bearer token is exempt: browsers never attach one by themselves.
 */
export class RequestGuard {
  private readonly key = randomBytes(32);

  constructor(readonly users: UserFile | null) {}

  /**
   * The user making the request: their name, "anonymous" when the page is open, null when
   * credentials are required and missing or wrong.
   */
  async user(req: IncomingMessage): Promise<string | null> {
    if (this.users === null) return "anonymous";
    const header = req.headers.authorization ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer !== null) return this.users.verifyToken(bearer[1]!);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (basic === null) return null;
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) return null;
    return this.users.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  /** The token the page of `user` sends back with each state change. */
  csrfToken(user: string): string {
    return createHmac("sha256", this.key).update(user).digest("base64url");
  }

  /**
   * What the page puts in its live channel's URL (`/live?user=NAME&token=T`): an HMAC of the user
   * under this process's key, distinct from the CSRF token. A WebSocket is not held to the
   * same-origin rule, so this is what keeps another site's page, or anyone without a page, off
   * the feed.
   */
  liveQuery(user: string): string {
    return `user=${encodeURIComponent(user)}&token=${this.liveToken(user)}`;
  }

  /**
   * The user a live-channel upgrade request speaks for, or null (refused): a valid token for a
   * user who is still in the users file, and no foreign Origin.
   */
  liveUser(req: IncomingMessage): string | null {
    const url = new URL(req.url ?? "/", "http://localhost");
    const user = url.searchParams.get("user");
    const token = url.searchParams.get("token");
    if (user === null || token === null) return null;
    const origin = req.headers.origin;
    if (origin !== undefined) {
      try {
        if (new URL(origin).host !== req.headers.host) return null;
      } catch {
        return null;
      }
    }
    const expected = Buffer.from(this.liveToken(user));
    if (token.length !== expected.length || !timingSafeEqual(Buffer.from(token), expected)) return null;
    if (this.users === null) return user === "anonymous" ? user : null;
    return this.users.has(user) ? user : null;
  }

  private liveToken(user: string): string {
    return createHmac("sha256", this.key).update(`live\0${user}`).digest("base64url");
  }

  /** Why a state change from `user` is refused (status and reason), or null if it may go ahead. */
  refusal(req: IncomingMessage, user: string): { status: number; reason: string } | null {
    // A bearer token is never sent by a browser on its own: another site cannot forge the request.
    if (this.users !== null && /^Bearer\s/i.test(req.headers.authorization ?? "")) return null;
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none")
      return { status: 403, reason: `cross-site request (Sec-Fetch-Site: ${site})` };
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== "null") {
      let host: string;
      try {
        host = new URL(origin).host;
      } catch {
        return { status: 403, reason: "malformed Origin" };
      }
      if (host !== req.headers.host) return { status: 403, reason: `cross-origin request from ${origin}` };
    } else if (origin === "null") {
      return { status: 403, reason: "opaque origin" };
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") return { status: 415, reason: "expected Content-Type: application/json" };
    const token = req.headers["x-csrf-token"];
    const expected = Buffer.from(this.csrfToken(user));
    if (typeof token !== "string" || token.length !== expected.length || !timingSafeEqual(Buffer.from(token), expected))
      return { status: 403, reason: "missing or wrong X-CSRF-Token" };
    return null;
  }
}
