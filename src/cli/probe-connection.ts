import { performance } from "node:perf_hooks";
import { decodeCommand, decodePing, encodePing, encodePong, encodeSubscribe, type Command } from "../zmtp/command.js";
import { FrameDecoder, type FrameSink } from "../zmtp/decoder.js";
import { FLAG_COMMAND, FLAG_MORE, encodeFrame } from "../zmtp/frame.js";
import { GREETING_SIZE, checkGreetingPrefix, decodeGreeting, encodeGreeting, sameMechanism, type Greeting } from "../zmtp/greeting.js";
import type { Mechanism, MechanismHost, TrafficCodec } from "../zmtp/mechanisms/mechanism.js";
import { getProperty, type Metadata } from "../zmtp/metadata.js";
import { ProtocolError } from "../zmtp/protocol-error.js";
import { compatibleSocketTypes, sendsIdentity, type SocketTypeName } from "../zmtp/socket-types.js";
import type { ZapReply, ZapRequest } from "../zmtp/zap.js";
import type { ByteStream } from "../transports/stream.js";
import { ProbeFailure, authHint, classify, closedHint, describeBytes } from "./probe-failure.js";

/**
 * A raw, single-connection ZMTP driver for `zmtp probe`. Unlike the engine it keeps everything a
 * diagnosis needs — the peer's raw greeting, its properties even when they are refused, the
 * ERROR reason, PONGs — and classifies every failure. It reuses the codec and the mechanisms;
 * only the wiring is its own.
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
  /**
   * We send our greeting in two stages — 11 bytes, then the rest once the peer's whole greeting
   * is here — so a peer that refuses our mechanism still shows its own (libzmq sends its 64
   * bytes after our 11; notes §1.2). A peer that waits for all our 64 bytes first gets them
   * after this many ms.
   */
  greetingStageMs: number;
  /** Largest frame accepted, in bytes. */
  maxFrameSize: number;
}

/** A traffic command the peer sent after the handshake (PING, SUBSCRIBE, ...). */
export interface ReceivedCommand {
  name: string;
  data: Buffer;
}

const EMPTY = Buffer.alloc(0);
/** libzmq msg_t flags inside CURVE MESSAGE boxes (notes §8.6). */
const INNER_MORE = 1;
const INNER_COMMAND = 2;

type State = "greeting" | "handshake" | "traffic" | "closed";

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

export class ProbeConnection implements FrameSink, MechanismHost {
  private state: State = "greeting";
  private readonly greetingBuf = Buffer.alloc(GREETING_SIZE);
  private greetingLength = 0;
  private restSent = false;
  private stageTimer: NodeJS.Timeout | null = null;
  private readonly decoder: FrameDecoder;
  private codec: TrafficCodec | null = null;
  private parts: Buffer[] = [];
  private readonly started = performance.now();

  /** The first bytes the peer sent (up to 64), for reports about non-ZMTP peers. */
  firstBytes: Buffer = EMPTY;
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

  constructor(
    readonly stream: ByteStream,
    readonly options: ProbeConnectionOptions,
  ) {
    this.decoder = new FrameDecoder(this, options.maxFrameSize);
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onError);
    const greeting = encodeGreeting(options.mechanism.name, options.mechanism.asServer);
    stream.write(greeting.subarray(0, 11));
    this.stageTimer = setTimeout(() => this.sendGreetingRest(), options.greetingStageMs);
  }

  get closed(): boolean {
    return this.state === "closed";
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
    // TTL 0: a TTL would make the peer close the connection when we go quiet (notes §6).
    this.sendCommand(encodePing(0, context));
    return this.withTimeout(pong, timeoutMs, () => `no PONG within ${timeoutMs} ms`).finally(() => this.pongWaiters.delete(key));
  }

  /** Subscribes as a SUB: a SUBSCRIBE command to 3.1 peers, the 0x01 message to 3.0 peers (RFC 37 §2.5.4). */
  subscribe(topic: Buffer): void {
    if (this.greeting !== null && this.greeting.minor >= 1) this.sendCommand(encodeSubscribe(topic));
    else this.send([Buffer.concat([Buffer.of(1), topic])]);
  }

  send(frames: readonly Buffer[]): void {
    this.assertOpen();
    const last = frames.length - 1;
    if (last < 0) {
      this.writeFrame(0, EMPTY);
      return;
    }
    for (let i = 0; i <= last; i++) this.writeFrame(i < last ? FLAG_MORE : 0, frames[i]!);
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
    this.state = "closed";
    this.clearStage();
    this.stream.end();
    setTimeout(() => this.stream.destroy(), 200).unref();
  }

  // ---- MechanismHost ----

  sendCommand(body: Buffer): void {
    this.writeFrame(FLAG_COMMAND, body);
  }

  localProperties(): Array<[string, Buffer]> {
    const props: Array<[string, Buffer]> = [["Socket-Type", Buffer.from(this.options.socketType)]];
    if (sendsIdentity(this.options.socketType)) props.push(["Identity", this.options.identity]);
    return props;
  }

  checkPeerProperties(props: Metadata): void {
    this.peerProperties = props;
    const type = getProperty(props, "Socket-Type");
    if (type === undefined) throw new ProbeFailure("socket-type", "the peer did not announce its Socket-Type");
    const peerType = type.toString("latin1");
    if (!compatibleSocketTypes(this.options.socketType, peerType)) {
      throw new ProbeFailure(
        "socket-type",
        `incompatible socket types: the peer is ${peerType}, a ${this.options.socketType} cannot talk to it (choose one with --type)`,
      );
    }
  }

  handshakeComplete(props: Metadata): void {
    this.peerProperties = props;
    this.codec = this.options.mechanism.codec ?? null;
    this.state = "traffic";
    this.handshakeMs = performance.now() - this.started;
    this.handshakeWaiter?.resolve(props);
    this.handshakeWaiter = null;
  }

  peerRejected(reason: string): void {
    this.fail(new ProbeFailure("auth", `the peer rejected the handshake: ERROR "${reason}"${authHint(reason)}`));
  }

  authFailed(status: number, reason: string): void {
    this.fail(new ProbeFailure("auth", `${status} ${reason}`));
  }

  /** As a PLAIN / CURVE server the probe accepts every client and records what it presented. */
  zap(request: Omit<ZapRequest, "address" | "identity">): Promise<ZapReply> | null {
    this.zapRequests.push({ ...request, address: this.stream.remoteAddress ?? "", identity: EMPTY });
    return Promise.resolve({ statusCode: "200", statusText: "OK", userId: "", metadata: EMPTY });
  }

  fail(err: unknown): void {
    if (this.failure !== null) return;
    const failure = classify(err, this.state === "traffic");
    this.failure = failure;
    const wasOpen = this.state !== "closed";
    this.state = "closed";
    this.clearStage();
    if (wasOpen) this.stream.destroy();
    this.handshakeWaiter?.reject(failure);
    this.handshakeWaiter = null;
    this.messageWaiter?.reject(failure);
    this.messageWaiter = null;
    for (const waiter of this.pongWaiters.values()) waiter.reject(failure);
  }

  // ---- FrameSink ----

  onFrame(body: Buffer, more: boolean, command: boolean): void {
    if (this.state === "traffic") {
      const codec = this.codec;
      if (codec === null) {
        this.onTrafficFrame(body, more, command);
        return;
      }
      const inner = codec.decode(body);
      this.onTrafficFrame(inner.body, (inner.flags & INNER_MORE) !== 0, (inner.flags & INNER_COMMAND) !== 0);
      return;
    }
    if (this.state !== "handshake") return;
    if (!command) throw new ProtocolError("ERR_ZMTP_UNEXPECTED_COMMAND", "the peer sent a data frame before the handshake completed");
    const mechanism = this.options.mechanism;
    const cmd = mechanism.decodeCommand !== undefined ? mechanism.decodeCommand(body) : decodeCommand(body);
    if (cmd === null) throw new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", "the peer sent a malformed command frame");
    mechanism.onCommand(cmd);
  }

  private onTrafficFrame(body: Buffer, more: boolean, command: boolean): void {
    if (command) {
      const cmd = decodeCommand(body);
      if (cmd !== null) this.onTrafficCommand(cmd);
      return;
    }
    // Copy: the decoder hands out views into chunks it may reuse.
    this.parts.push(Buffer.from(body));
    if (more) return;
    const message = this.parts;
    this.parts = [];
    if (this.messageWaiter !== null) this.messageWaiter.resolve(message);
    else this.inbox.push(message);
  }

  private onTrafficCommand(cmd: Command): void {
    if (cmd.name === "PONG") {
      const waiter = this.pongWaiters.get(cmd.data.toString("hex"));
      if (waiter !== undefined) {
        waiter.resolve(Buffer.from(cmd.data));
        return;
      }
    }
    this.commands.push({ name: cmd.name, data: Buffer.from(cmd.data) });
    // Be a good peer: answer heartbeats so a peer with a heartbeat timeout keeps us.
    if (cmd.name === "PING") this.sendCommand(encodePong(decodePing(cmd.data).context));
  }

  // ---- stream ----

  private readonly onData = (chunk: Buffer): void => {
    try {
      if (this.state === "greeting") {
        chunk = this.readGreeting(chunk);
        if (chunk.length === 0) return;
      }
      if (this.state === "handshake" || this.state === "traffic") this.decoder.push(chunk);
    } catch (err) {
      this.fail(err);
    }
  };

  private readGreeting(chunk: Buffer): Buffer {
    const n = Math.min(GREETING_SIZE - this.greetingLength, chunk.length);
    chunk.copy(this.greetingBuf, this.greetingLength, 0, n);
    this.greetingLength += n;
    this.firstBytes = this.greetingBuf.subarray(0, this.greetingLength);
    try {
      checkGreetingPrefix(this.greetingBuf, this.greetingLength);
    } catch (err) {
      throw new ProbeFailure("not-zmtp", `${(err as Error).message}${describeBytes(this.firstBytes)}`);
    }
    if (this.greetingLength < GREETING_SIZE) return EMPTY;
    const raw = Buffer.from(this.greetingBuf);
    this.greeting = { ...decodeGreeting(raw), raw, announced: { major: raw[10]!, minor: raw[11]! } };
    this.greetingMs = performance.now() - this.started;
    this.sendGreetingRest();
    const ours = this.options.mechanism.name;
    if (!sameMechanism(raw, ours)) {
      throw new ProbeFailure(
        "mechanism",
        `security mechanism mismatch: the peer uses ${this.greeting.mechanism || "(none)"}, we offered ${ours} (use --mechanism ${this.greeting.mechanism.toLowerCase() || "null"})`,
      );
    }
    this.state = "handshake";
    this.options.mechanism.start(this);
    return chunk.subarray(n);
  }

  private sendGreetingRest(): void {
    this.clearStage();
    if (this.restSent || this.state === "closed") return;
    this.restSent = true;
    this.stream.write(encodeGreeting(this.options.mechanism.name, this.options.mechanism.asServer).subarray(11));
  }

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
    switch (this.state) {
      case "greeting":
        return this.greetingLength === 0
          ? "the peer closed the connection without sending a greeting (not a ZMTP peer, or it refused our greeting)"
          : `the peer closed the connection during the greeting after ${this.greetingLength} bytes${describeBytes(this.firstBytes)}`;
      case "handshake":
        return `the peer closed the connection during the ${this.options.mechanism.name} handshake without an ERROR (${closedHint(this.options.mechanism.name)})`;
      default:
        return "the peer closed the connection";
    }
  }

  private handshakeTimeoutMessage(timeoutMs: number): string {
    if (this.greetingLength === 0) return `the peer sent nothing within ${timeoutMs} ms (is it a ZMTP peer?)`;
    if (this.greetingLength < GREETING_SIZE) {
      return `the peer sent only ${this.greetingLength} bytes of greeting within ${timeoutMs} ms${describeBytes(this.firstBytes)}`;
    }
    return `the ${this.options.mechanism.name} handshake did not complete within ${timeoutMs} ms`;
  }

  private writeFrame(flags: number, body: Buffer): void {
    if (this.state === "closed") return;
    const codec = this.codec;
    if (codec === null) {
      this.stream.write(encodeFrame(body, flags));
      return;
    }
    // Under CURVE every frame travels in a MESSAGE with outer flags 0 (notes §8.6).
    const inner = ((flags & FLAG_MORE) !== 0 ? INNER_MORE : 0) | ((flags & FLAG_COMMAND) !== 0 ? INNER_COMMAND : 0);
    this.stream.write(encodeFrame(codec.encode(inner, body), 0));
  }

  private assertOpen(): void {
    if (this.failure !== null) throw this.failure;
    if (this.state !== "traffic") throw new Error("the handshake has not completed");
  }

  private clearStage(): void {
    if (this.stageTimer !== null) clearTimeout(this.stageTimer);
    this.stageTimer = null;
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
