import { decodeProperties, type Metadata } from "../metadata.js";
import type { ZapRequest } from "../zap.js";
import type { MechanismHost } from "./mechanism.js";

/**
 * Asks the ZAP handler (RFC 27) about a peer, for the NULL, PLAIN and CURVE servers.
 * Returns false when no handler is bound: the caller goes on at once. Otherwise the handshake
 * waits: on 200 `accepted` gets the properties the peer's metadata gains (`User-Id` and the
 * reply's metadata, docs/protocol.md §9.3); 300 closes silently and 400/500 send ERROR first (host.authFailed);
 * a broken reply or a handler that went away ends the connection (host.fail).
 */
export function consultZap(
  host: MechanismHost,
  request: Omit<ZapRequest, "address" | "identity">,
  accepted: (extra: Metadata) => void,
): boolean {
  const pending = host.zap(request);
  if (pending === null) return false;
  pending
    .then((reply) => {
      if (host.closed) return;
      if (reply.statusCode !== "200") {
        const status = Number(reply.statusCode);
        host.authFailed(
          status,
          `ZAP handler refused the ${request.mechanism} peer: ${status} ${reply.statusText}`.trim(),
        );
        return;
      }
      const extra = decodeProperties(reply.metadata);
      if (reply.userId !== "") extra.set("User-Id", Buffer.from(reply.userId));
      accepted(extra);
    })
    .catch((err: unknown) => {
      if (!host.closed) host.fail(err);
    });
  return true;
}

/** The peer's properties with what ZAP added (ZAP's win on a clash). */
export function withZapProperties(peer: Metadata, extra: Metadata | null): Metadata {
  if (extra === null || extra.size === 0) return peer;
  const merged: Metadata = new Map(peer);
  for (const [name, value] of extra) merged.set(name, value);
  return merged;
}
