import { EventEmitter } from "node:events";
import { Context } from "zmtp";
import { Authenticator, CurveKeyFile, type AuthDecision } from "zmtp/auth";
import { curvePublicKey } from "zmtp/z85";

export interface BrokerCurveOptions {
  /** The broker's CURVE secret key (Z85); its public key is derived from it. */
  secretKey: string;
  /**
   * The public keys (Z85) of the clients, workers and other brokers allowed in: a list, or an
   * allow-list file (see zmtp/auth's parseCurveKeyList) reloaded when it changes, without a restart.
   */
  allow: readonly string[] | string;
  /** How often the allow-list file is checked for changes, in ms. Default 1000. */
  pollInterval?: number;
}

export const ZAP_DOMAIN = "zmtp-broker";

/**
 * A broker's CURVE side: a Context of its own (ZAP handlers are per Context) with zmtp/auth's
 * Authenticator answering for the ROUTER from the allow-list, and the key pair its DEALERs to
 * other brokers present. Keys removed from the list are refused on new connections; a connection
 * already made stays until it drops.
 *
 * Events: "refused" (AuthDecision), "allow-list" (number of keys), "allow-list-error" (error).
 */
export class BrokerSecurity extends EventEmitter {
  readonly context = new Context();
  readonly publicKey: string;
  private readonly authenticator: Authenticator;
  private readonly file: CurveKeyFile | null;

  constructor(readonly options: BrokerCurveOptions) {
    super();
    this.publicKey = curvePublicKey(options.secretKey);
    const allow = options.allow;
    this.file = typeof allow === "string" ? new CurveKeyFile(allow, { pollInterval: options.pollInterval }) : null;
    this.authenticator = new Authenticator({
      context: this.context,
      domain: ZAP_DOMAIN,
      curve: typeof allow === "string" ? [] : allow,
      onDecision: (d: AuthDecision) => {
        if (!d.allowed) this.emit("refused", d);
      },
    });
    if (this.file !== null) this.authenticator.followCurveKeyFile(this.file);
    this.authenticator.on("curve-keys", (count: number) => this.emit("allow-list", count));
    this.file?.on("error", (err: Error) => this.emit("allow-list-error", err));
  }

  start(): Promise<void> {
    return this.authenticator.start();
  }

  get allowedKeys(): number {
    return this.authenticator.curveKeyCount;
  }

  /** Reads the allow-list file again now (no-op for a fixed list). */
  reload(): void {
    this.file?.reload();
  }

  /** Options for the broker's ROUTER. */
  server(): { context: Context; curveServer: true; curveSecretKey: string; zapDomain: string } {
    return { context: this.context, curveServer: true, curveSecretKey: this.options.secretKey, zapDomain: ZAP_DOMAIN };
  }

  /** The key pair the broker's DEALERs present to other brokers. */
  keyPair(): { publicKey: string; secretKey: string } {
    return { publicKey: this.publicKey, secretKey: this.options.secretKey };
  }

  close(): void {
    this.file?.close();
    this.authenticator.close();
  }
}
