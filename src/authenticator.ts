import { EventEmitter } from "#platform/events";
import { context as defaultContext, type Context } from "./api/context.js";
import { Router } from "./api/socket-classes.js";
import type { CurveKeyFile } from "./curve-key-file.js";
import { ZAP_ENDPOINT } from "./sockets/session/zap-client.js";
import { decodeCurveKey, z85Encode } from "./zmtp/z85.js";
import { decodeZapRequest, encodeZapReply, type ZapRequestFrames } from "./zmtp/zap.js";

/** One verdict of the Authenticator, as reported to `onDecision` and the "decision" event. */
export interface AuthDecision {
  mechanism: string;
  domain: string;
  /** Peer IP address (no port), "" over ipc. */
  address: string;
  /** PLAIN user name, CURVE public key (Z85), "" for NULL. */
  user: string;
  allowed: boolean;
  /** ZAP status code: "200" allowed, "400" denied, "500" malformed request. */
  statusCode: "200" | "400" | "500";
  reason: string;
}

export interface AuthenticatorOptions {
  /** The Context whose sockets are checked (ZAP handlers are per Context); default: the global one. */
  context?: Context;
  /** If not empty, only these IP addresses may connect ("allow list"). */
  allow?: Iterable<string>;
  /** These IP addresses may not connect (ignored when `allow` is not empty, as in czmq's zauth). */
  deny?: Iterable<string>;
  /** PLAIN: user name → password. Without entries every PLAIN client is denied. */
  passwords?: Record<string, string> | Map<string, string>;
  /** CURVE: client public keys (Z85) allowed in, or "any" to accept every key. Default: none. */
  curve?: Iterable<string> | "any";
  /** Only handshakes with this ZAP domain are accepted; default: every domain. */
  domain?: string;
  /** Called for every decision (a log hook). */
  onDecision?: (decision: AuthDecision) => void;
}

const NO_METADATA = Buffer.alloc(0);

/** What a decision is made on: the request without the server's identity frame. */
type ZapRequestFields = Omit<ZapRequestFrames, "identity">;

/**
 * A ready-made ZAP handler (RFC 27): binds a Router at inproc://zeromq.zap.01 in its Context and
 * answers every PLAIN, CURVE (and NULL with a zapDomain) handshake of that Context's sockets from
 * an IP allow/deny list, a PLAIN password table and a set of CURVE client keys.
 *
 *   const auth = new Authenticator({ curve: [client.publicKey], onDecision: console.log });
 *   await auth.start();
 *
 * Events: "decision" (AuthDecision), "curve-keys" (keys allowed after a followed file changed).
 */
export class Authenticator extends EventEmitter {
  readonly context: Context;
  private readonly allowed = new Set<string>();
  private readonly denied = new Set<string>();
  private readonly passwords = new Map<string, string>();
  private readonly curveKeys = new Set<string>();
  private anyCurveKey = false;
  private readonly domain: string | null;
  private readonly onDecision: ((decision: AuthDecision) => void) | null;
  private router: Router | null = null;

  constructor(options: AuthenticatorOptions = {}) {
    super();
    this.context = options.context ?? defaultContext;
    this.domain = options.domain ?? null;
    this.onDecision = options.onDecision ?? null;
    this.allow(...(options.allow ?? []));
    this.deny(...(options.deny ?? []));
    const passwords = options.passwords instanceof Map ? options.passwords : Object.entries(options.passwords ?? {});
    for (const [user, password] of passwords) this.addUser(user, password);
    if (options.curve === "any") this.allowAnyCurveKey();
    else this.allowCurveKey(...(options.curve ?? []));
  }

  /** Binds the handler. EADDRINUSE if another ZAP handler is bound in the Context. */
  async start(): Promise<void> {
    if (this.router !== null) return;
    const router = new Router({ context: this.context, linger: 0 });
    try {
      await router.bind(ZAP_ENDPOINT);
    } catch (err) {
      router.close();
      throw err;
    }
    this.router = router;
    void this.serve(router);
  }

  /** Unbinds the handler; handshakes then proceed as without ZAP. */
  close(): void {
    this.router?.close();
    this.router = null;
  }

  allow(...addresses: string[]): this {
    for (const address of addresses) this.allowed.add(address);
    return this;
  }

  deny(...addresses: string[]): this {
    for (const address of addresses) this.denied.add(address);
    return this;
  }

  addUser(username: string, password: string): this {
    this.passwords.set(username, password);
    return this;
  }

  removeUser(username: string): this {
    this.passwords.delete(username);
    return this;
  }

  /** Allows CURVE clients with these public keys (40-character Z85, or 32 bytes). */
  allowCurveKey(...keys: Array<string | Uint8Array>): this {
    for (const key of keys) this.curveKeys.add(z85Encode(decodeCurveKey(key, "CURVE client key")));
    return this;
  }

  /** Allows exactly these CURVE client keys from now on (a key file's reload, say). */
  setCurveKeys(keys: Iterable<string | Uint8Array>): this {
    const next = [...keys].map((key) => z85Encode(decodeCurveKey(key, "CURVE client key")));
    this.curveKeys.clear();
    for (const key of next) this.curveKeys.add(key);
    return this;
  }

  /**
   * Allows the keys of `file` and `alsoAllow` (a service's own key, say), and follows the file:
   * each "change" replaces the allowed keys and emits "curve-keys" (how many are allowed now).
   * Returns a function that stops following.
   */
  followCurveKeyFile(file: CurveKeyFile, alsoAllow: Iterable<string> = []): () => void {
    const always = [...alsoAllow];
    const apply = (keys: Map<string, string>): void => {
      this.setCurveKeys([...keys.keys(), ...always]);
      this.emit("curve-keys", this.curveKeys.size);
    };
    this.setCurveKeys([...file.keys.keys(), ...always]);
    file.on("change", apply);
    return () => void file.off("change", apply);
  }

  /** How many CURVE client keys are allowed now. */
  get curveKeyCount(): number {
    return this.curveKeys.size;
  }

  revokeCurveKey(...keys: Array<string | Uint8Array>): this {
    for (const key of keys) this.curveKeys.delete(z85Encode(decodeCurveKey(key, "CURVE client key")));
    return this;
  }

  /** Every CURVE client key is accepted: connections are encrypted but not authenticated. */
  allowAnyCurveKey(any = true): this {
    this.anyCurveKey = any;
    return this;
  }

  /** The verdict for one request (what the handler replies). Pure: no I/O. */
  decide(request: ZapRequestFields): AuthDecision {
    const base = { mechanism: request.mechanism, domain: request.domain, address: request.address, user: "" };
    const verdict = (allowed: boolean, reason: string, user = ""): AuthDecision => ({
      ...base,
      user,
      allowed,
      statusCode: allowed ? "200" : "400",
      reason,
    });
    if (request.version !== "1.0")
      return { ...base, allowed: false, statusCode: "500", reason: "unsupported ZAP version" };
    if (this.allowed.size > 0) {
      if (!this.allowed.has(request.address)) return verdict(false, "address not in the allow list");
    } else if (this.denied.has(request.address)) {
      return verdict(false, "address is denied");
    }
    if (this.domain !== null && request.domain !== this.domain)
      return verdict(false, `domain "${request.domain}" is not served`);
    switch (request.mechanism) {
      case "NULL":
        return verdict(true, "NULL allowed");
      case "PLAIN": {
        const [user, password] = request.credentials;
        if (user === undefined || password === undefined) return verdict(false, "PLAIN request without credentials");
        const name = user.toString();
        const expected = this.passwords.get(name);
        if (expected === undefined) return verdict(false, "unknown user", name);
        return expected === password.toString()
          ? verdict(true, "password accepted", name)
          : verdict(false, "wrong password", name);
      }
      case "CURVE": {
        const key = request.credentials[0];
        if (key === undefined || key.length !== 32) return verdict(false, "CURVE request without a 32-byte key");
        const text = z85Encode(key);
        if (this.anyCurveKey) return verdict(true, "any CURVE key allowed", text);
        return this.curveKeys.has(text)
          ? verdict(true, "CURVE key allowed", text)
          : verdict(false, "CURVE key not allowed", text);
      }
      default:
        return verdict(false, `mechanism ${request.mechanism} is not supported`);
    }
  }

  private async serve(router: Router): Promise<void> {
    for (;;) {
      let msg: Buffer[];
      try {
        msg = await router.receive();
      } catch {
        return; // closed
      }
      // [routing id, "", version, request id, domain, address, identity, mechanism, credentials...]
      const [id, ...frames] = msg as [Buffer, ...Buffer[]];
      const request = decodeZapRequest(frames);
      if (request === null) continue;
      const decision = this.decide(request);
      const userId = decision.allowed ? decision.user : "";
      const reply = encodeZapReply(request.requestId, {
        statusCode: decision.statusCode,
        statusText: decision.reason,
        userId,
        metadata: NO_METADATA,
      });
      try {
        await router.send([id, ...reply]);
      } catch {
        // the requester gave up (handshake timeout); nothing to answer
      }
      this.onDecision?.(decision);
      this.emit("decision", decision);
    }
  }
}
