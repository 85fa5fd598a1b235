import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { Context } from "zmtp";
import { Authenticator, type AuthDecision } from "zmtp/auth";
import { curvePublicKey, z85Decode } from "zmtp/z85";

/** The service side of CURVE: one key pair for every replica, and the nodes allowed in. */
export interface ServiceCurve {
  /** The service's secret key (Z85), shared by its replicas; clients know its public key. */
  secretKey: string;
  /** Public keys (Z85) allowed to connect: a list, or an allow-list file (see `readAllowList`). */
  allow: readonly string[] | string;
}

/** A client's CURVE: the service's public key and the client's own key pair (Z85). */
export interface ClientCurve {
  serverKey: string;
  publicKey: string;
  secretKey: string;
}

/** Socket options for a client of the service: CURVE when `curve` is given, NULL otherwise. */
export function clientSecurity(curve?: ClientCurve): Record<string, unknown> {
  if (curve === undefined) return {};
  return { curveServerKey: curve.serverKey, curvePublicKey: curve.publicKey, curveSecretKey: curve.secretKey };
}

/**
 * An allow-list file: the first word of each line is a Z85 public key; blank lines and lines that
 * start with "#" and are not keys (Z85's alphabet has "#") are skipped. Throws on the first bad line.
 */
export function readAllowList(file: string): Set<string> {
  const keys = new Set<string>();
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((raw, i) => {
      const word = raw.trim().split(/\s+/, 1)[0]!;
      let valid = word.length === 40;
      try {
        valid &&= z85Decode(word).length === 32;
      } catch {
        valid = false;
      }
      if (valid) keys.add(word);
      else if (word !== "" && !word.startsWith("#"))
        throw new TypeError(`${file}:${i + 1}: not a Z85 CURVE key: "${word}"`);
    });
  return keys;
}

const ZAP_DOMAIN = "zmtp-names";

/**
 * CURVE for a replica: a Context of its own (ZAP handlers are per Context) where zmtp/auth's
 * Authenticator admits the allow-listed keys and the service's own (replicas catch up from each
 * other with it). `reload()` re-reads the allow-list file: keys removed are refused on their next
 * connection. Events: "refused" (AuthDecision).
 */
export class CurveGate extends EventEmitter {
  readonly context = new Context();
  readonly publicKey: string;
  private readonly authenticator: Authenticator;
  private allowed: Set<string>;

  constructor(readonly curve: ServiceCurve) {
    super();
    this.publicKey = curvePublicKey(curve.secretKey);
    this.allowed = this.read();
    this.authenticator = new Authenticator({
      context: this.context,
      domain: ZAP_DOMAIN,
      curve: this.allowed,
      onDecision: (d: AuthDecision) => {
        if (!d.allowed) this.emit("refused", d);
      },
    });
  }

  start(): Promise<void> {
    return this.authenticator.start();
  }

  get allowedKeys(): number {
    return this.allowed.size;
  }

  reload(): void {
    const next = this.read();
    for (const key of this.allowed) if (!next.has(key)) this.authenticator.revokeCurveKey(key);
    for (const key of next) if (!this.allowed.has(key)) this.authenticator.allowCurveKey(key);
    this.allowed = next;
  }

  /** Options for the replica's sockets. */
  serverOptions(): Record<string, unknown> {
    return { curveServer: true, curveSecretKey: this.curve.secretKey, zapDomain: ZAP_DOMAIN };
  }

  /** The client side replicas use between themselves. */
  peerCurve(): ClientCurve {
    return { serverKey: this.publicKey, publicKey: this.publicKey, secretKey: this.curve.secretKey };
  }

  close(): void {
    this.authenticator.close();
  }

  private read(): Set<string> {
    const allow = this.curve.allow;
    const keys = typeof allow === "string" ? readAllowList(allow) : new Set(allow);
    keys.add(this.publicKey);
    return keys;
  }
}
