import { EventEmitter } from "node:events";
import { Context } from "zmtp";
import { Authenticator, CurveKeyFile, type AuthDecision } from "zmtp/auth";
import { curvePublicKey } from "zmtp/z85";

/** The service side of CURVE: one key pair for every replica, and the nodes allowed in. */
export interface ServiceCurve {
  /** The service's secret key (Z85), shared by its replicas; clients know its public key. */
  secretKey: string;
  /** Public keys (Z85) allowed to connect: a list, or an allow-list file (zmtp/auth's `CurveKeyFile` format: a key per line, then an optional name). */
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

const ZAP_DOMAIN = "zmtp-names";

/**
 * CURVE for a replica: a Context of its own (ZAP handlers are per Context) where zmtp/auth's
 * Authenticator admits the allow-listed keys and the service's own (replicas catch up from each
 * other with it). The allow-list file is followed as it changes, and `reload()` re-reads it at once
 * (SIGHUP); keys removed are refused on their next connection; a file that turns bad leaves the
 * last good list in force. Events: "refused" (AuthDecision), "allow-list-error" (error).
 */
export class CurveGate extends EventEmitter {
  readonly context = new Context();
  readonly publicKey: string;
  private readonly authenticator: Authenticator;
  private readonly file: CurveKeyFile | null;

  constructor(readonly curve: ServiceCurve) {
    super();
    this.publicKey = curvePublicKey(curve.secretKey);
    const allow = curve.allow;
    this.file = typeof allow === "string" ? new CurveKeyFile(allow) : null;
    this.authenticator = new Authenticator({
      context: this.context,
      domain: ZAP_DOMAIN,
      curve: typeof allow === "string" ? [] : [...allow, this.publicKey],
      onDecision: (d: AuthDecision) => {
        if (!d.allowed) this.emit("refused", d);
      },
    });
    if (this.file !== null) this.authenticator.followCurveKeyFile(this.file, [this.publicKey]);
    this.file?.on("error", (err: Error) => this.emit("allow-list-error", err));
  }

  start(): Promise<void> {
    return this.authenticator.start();
  }

  get allowedKeys(): number {
    return this.authenticator.curveKeyCount;
  }

  reload(): void {
    this.file?.reload();
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
    this.file?.close();
    this.authenticator.close();
  }
}
