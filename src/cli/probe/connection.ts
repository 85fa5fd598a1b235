import { systemClock } from "../../clock.js";
import type { ByteStream } from "../../transports/stream.js";
import { encodePing, encodeSubscribe, type Command } from "../../zmtp/command.js";
import { Connection } from "../../zmtp/connection.js";
import type { Greeting } from "../../zmtp/greeting.js";
import type { Mechanism } from "../../zmtp/mechanisms/mechanism.js";
import { getProperty, type Metadata } from "../../zmtp/metadata.js";
import { IncompatiblePeerError, ProtocolError } from "../../errors.js";
import { sendsIdentity, type SocketTypeName } from "../../zmtp/socket-types.js";
import type { ZapReply, ZapRequest } from "../../zmtp/zap.js";
import { ProbeFailure, authHint, classify, closedHint, describeBytes } from "./failure.js";

/**
 * The single connection of `zmtp probe`, on the library's connection core. Unlike the engine it
 * keeps everything a diagnosis needs — the peer's raw greeting, its properties even when they
 * are refused, the ERROR reason, PONGs — and classifies every failure.
 */

export interface PeerGreeting extends Greeting {
  /** The 64 bytes as received (libzmq's signature padding carries its routing-id length + 1). */
  raw: Buffer;
  /** Version bytes as announced, before 4.x is read as 3.1. */
  announced: { major: number; minor: number };
}

export interface ProbeConnectionOptions {
  socketType: SocketTypeName;
  /** Identity to announce (REQ, DEALER, ROUTER only); empty by default, as libzmq sends. */
  identity: Buffer;
  mechanism: Mechanism;
  /** Our greeting's last 53 bytes wait this long for the peer's greeting (see ConnectionOptions). */
  greetingStageMs: number;
  /** Largest frame accepted, in bytes. */
  maxFrameSize: number;
}

/** A traffic command the peer sent after the handshake (PING, SUBSCRIBE, ...). */
export interface ReceivedCommand {
  name: string;
  data: Buffer;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

export class ProbeConnection extends Connection {
  private readonly started = systemClock.now();
  greeting: PeerGreeting | null = null;
  /** The peer's READY / INITIATE properties, recorded before they are checked. */
  peerProperties: Metadata | null = null;
  /** Milliseconds from the start of the connection. */
  greetingMs: number | null = null;
  handshakeMs: number | null = null;
  /** Credentials a client presented when we play a PLAIN or CURVE server. */
  readonly zapRequests: ZapRequest[] = [];
  readonly commands: ReceivedCommand[] = [];
  failure: ProbeFailure | null = null;

  private handshakeWaiter: Waiter<Metadata> | null = null;
  private readonly inbox: Buffer[][] = [];
  private messageWaiter: Waiter<Buffer[]> | null = null;
  private readonly pongWaiters = new Map<string, Waiter<Buffer>>();

  constructor(stream: ByteStream, options: ProbeConnectionOptions) {
    super(stream, {
      socketType: options.socketType,
      identity: sendsIdentity(options.socketType) ? options.identity : null,
      mechanism: options.mechanism,
      maxMessageSize: options.maxFrameSize,
      // The probe's own deadlines (handshake(), ping(), receive()) say what timed out.
      handshakeInterval: 0,
      heartbeatInterval: 0,
      heartbeatTimeout: -1,
      heartbeatTimeToLive: 0,
      counters: { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 },
      clock: systemClock,
      greetingStageMs: options.greetingStageMs,
    });
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onError);
  }

  /** The first bytes the peer sent (up to 64), for reports about non-ZMTP peers. */
  get firstBytes(): Buffer {
    return this.greetingReader.received;
  }

  /** Resolves with the peer's properties once the handshake completed; rejects with a ProbeFailure. */
  handshake(timeoutMs: number): Promise<Metadata> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.state === "traffic") return Promise.resolve(this.peerProperties ?? new Map());
    return this.withTimeout(
      new Promise<Metadata>((resolve, reject) => (this.handshakeWaiter = { resolve, reject })),
      timeoutMs,
      () => this.handshakeTimeoutMessage(timeoutMs),
    );
  }

  /** Sends PING with `context` and resolves with the PONG's context (RFC 37 §2.5.3). */
  ping(context: Buffer, timeoutMs: number): Promise<Buffer> {
    const key = context.toString("hex");
    const pong = new Promise<Buffer>((resolve, reject) => this.pongWaiters.set(key, { resolve, reject }));
    // TTL 0: a TTL would make the peer close the connection when we go quiet (docs/protocol.md §6.2).
    this.sendCommand(encodePing(0, context));
    return this.withTimeout(pong, timeoutMs, () => `no PONG within ${timeoutMs} ms`).finally(() =>
      this.pongWaiters.delete(key),
    );
  }

  /** Subscribes as a SUB: a SUBSCRIBE command to 3.1 peers, the 0x01 message to 3.0 peers (RFC 37 §2.5.4). */
  subscribe(topic: Buffer): void {
    if (this.greeting !== null && this.greeting.minor >= 1) this.sendCommand(encodeSubscribe(topic));
    else this.send([Buffer.concat([Buffer.of(1), topic])]);
  }

  send(frames: readonly Buffer[]): void {
    if (this.failure !== null) throw this.failure;
    if (this.state !== "traffic") throw new Error("the handshake has not completed");
    this.writer.appendMessage(frames);
    this.writer.flush();
  }

  receive(timeoutMs: number): Promise<Buffer[]> {
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure !== null) return Promise.reject(this.failure);
    const message = new Promise<Buffer[]>((resolve, reject) => (this.messageWaiter = { resolve, reject }));
    return this.withTimeout(message, timeoutMs, () => `no message within ${timeoutMs} ms`).finally(() => {
      this.messageWaiter = null;
    });
  }

  close(): void {
    if (this.state === "closed") return;
    this.stop();
    this.stream.end();
    setTimeout(() => this.stream.destroy(), 200).unref();
  }

  // ---- Connection hooks ----

  protected override onGreeting(greeting: Greeting): void {
    const raw = Buffer.from(this.greetingReader.received);
    this.greeting = { ...greeting, raw, announced: { major: raw[10]!, minor: raw[11]! } };
    this.greetingMs = systemClock.now() - this.started;
  }

  override checkPeerProperties(props: Metadata): void {
    this.peerProperties = props;
    try {
      super.checkPeerProperties(props);
    } catch (err) {
      const type = getProperty(props, "Socket-Type");
      if (type === undefined) throw new ProbeFailure("socket-type", "the peer did not announce its Socket-Type");
      if (!(err instanceof IncompatiblePeerError)) throw err;
      throw new ProbeFailure(
        "socket-type",
        `incompatible socket types: the peer is ${type.toString("latin1")}, a ${this.options.socketType} cannot talk to it (choose one with --type)`,
      );
    }
  }

  protected onReady(props: Metadata): void {
    this.peerProperties = props;
    this.handshakeMs = systemClock.now() - this.started;
    this.handshakeWaiter?.resolve(props);
    this.handshakeWaiter = null;
  }

  protected onMessage(msg: Buffer[]): boolean {
    // Copy: the decoder hands out views into chunks it may reuse.
    const message = msg.map((frame) => Buffer.from(frame));
    if (this.messageWaiter !== null) this.messageWaiter.resolve(message);
    else this.inbox.push(message);
    return true;
  }

  protected onCommand(cmd: Command): boolean {
    if (cmd.name === "PONG") {
      const waiter = this.pongWaiters.get(cmd.data.toString("hex"));
      if (waiter !== undefined) {
        waiter.resolve(Buffer.from(cmd.data));
        return true;
      }
    }
    // PINGs were answered by the core: a peer with a heartbeat timeout keeps us.
    this.commands.push({ name: cmd.name, data: Buffer.from(cmd.data) });
    return true;
  }

  protected outputReady(): void {
    this.writePendingPong();
    this.writer.flush();
  }

  protected timedOut(message: string): void {
    this.fail(new ProbeFailure("timeout", message));
  }

  peerRejected(reason: string): void {
    this.fail(new ProbeFailure("auth", `the peer rejected the handshake: ERROR "${reason}"${authHint(reason)}`));
  }

  authFailed(status: number, reason: string): void {
    this.fail(new ProbeFailure("auth", `${status} ${reason}`));
  }

  stall(error: Error): void {
    this.fail(error);
  }

  /** As a PLAIN / CURVE server the probe accepts every client and records what it presented. */
  zap(request: Omit<ZapRequest, "address" | "identity">): Promise<ZapReply> | null {
    this.zapRequests.push({ ...request, address: this.stream.remoteAddress ?? "", identity: Buffer.alloc(0) });
    return Promise.resolve({ statusCode: "200", statusText: "OK", userId: "", metadata: Buffer.alloc(0) });
  }

  fail(err: unknown): void {
    if (this.failure !== null) return;
    const failure = this.describe(err);
    this.failure = failure;
    const wasOpen = this.state !== "closed";
    this.stop();
    if (wasOpen) this.stream.destroy();
    this.handshakeWaiter?.reject(failure);
    this.handshakeWaiter = null;
    this.messageWaiter?.reject(failure);
    this.messageWaiter = null;
    for (const waiter of this.pongWaiters.values()) waiter.reject(failure);
  }

  /** What went wrong, in the probe's words; errors in the greeting say what the peer sent. */
  private describe(err: unknown): ProbeFailure {
    if (this.state === "greeting" && err instanceof ProtocolError) {
      if (err.code !== "ERR_ZMTP_MECHANISM_MISMATCH")
        return new ProbeFailure("not-zmtp", `${err.message}${describeBytes(this.firstBytes)}`);
      const theirs = this.greeting?.mechanism ?? "";
      return new ProbeFailure(
        "mechanism",
        `security mechanism mismatch: the peer uses ${theirs || "(none)"}, we offered ${this.options.mechanism.name} (use --mechanism ${theirs.toLowerCase() || "null"})`,
      );
    }
    return classify(err, this.state === "traffic");
  }

  // ---- stream ----

  private readonly onEnd = (): void => {
    if (this.state === "closed") return;
    this.fail(new ProbeFailure("closed", this.closedMessage()));
  };

  private readonly onError = (err: Error & { code?: string }): void => {
    if (this.state === "closed") return;
    const message = err.code === "ECONNRESET" ? this.closedMessage() + " (connection reset)" : err.message;
    this.fail(new ProbeFailure("closed", message));
  };

  private closedMessage(): string {
    const received = this.firstBytes.length;
    switch (this.state) {
      case "greeting":
        return received === 0
          ? "the peer closed the connection without sending a greeting (not a ZMTP peer, or it refused our greeting)"
          : `the peer closed the connection during the greeting after ${received} bytes${describeBytes(this.firstBytes)}`;
      case "handshake":
        return `the peer closed the connection during the ${this.options.mechanism.name} handshake without an ERROR (${closedHint(this.options.mechanism.name)})`;
      default:
        return "the peer closed the connection";
    }
  }

  private handshakeTimeoutMessage(timeoutMs: number): string {
    const received = this.firstBytes.length;
    if (received === 0) return `the peer sent nothing within ${timeoutMs} ms (is it a ZMTP peer?)`;
    if (this.greeting === null) {
      return `the peer sent only ${received} bytes of greeting within ${timeoutMs} ms${describeBytes(this.firstBytes)}`;
    }
    return `the ${this.options.mechanism.name} handshake did not complete within ${timeoutMs} ms`;
  }

  private withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ProbeFailure("timeout", message())), timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err as Error);
        },
      );
    });
  }
}
