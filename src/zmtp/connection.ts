import type { Clock, ClockTimer } from "../clock.js";
import type { ByteStream } from "../transports/stream.js";
import { decodeCommand, decodePing, encodePing, encodePong, type Command } from "./command.js";
import { FrameDecoder, type FrameSink } from "./decoder.js";
import { FrameWriter } from "./frame-writer.js";
import { GREETING_SIZE, encodeGreeting, sameMechanism, type Greeting } from "./greeting.js";
import { GreetingReader } from "./greeting-reader.js";
import { Heartbeats, type HeartbeatHost } from "./heartbeats.js";
import {
  INNER_COMMAND,
  INNER_MORE,
  type Mechanism,
  type MechanismHost,
  type TrafficCodec,
} from "./mechanisms/mechanism.js";
import { getProperty, type Metadata } from "./metadata.js";
import { IncompatiblePeerError, ProtocolError } from "../errors.js";
import { compatibleSocketTypes, type SocketTypeName } from "./socket-types.js";
import type { ZapReply, ZapRequest } from "./zap.js";

/** Traffic counters a connection adds to; one object is shared by all connections of a socket. */
export interface TrafficCounters {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
}

/** What a connection needs to know about its side. Times are in milliseconds. */
export interface ConnectionOptions {
  socketType: SocketTypeName;
  /** Identity property to announce, or null for types that send none (RFC 23 §2.5.1). */
  identity: Buffer | null;
  mechanism: Mechanism;
  /** Largest frame accepted from the peer in bytes; -1 = unlimited. */
  maxMessageSize: number;
  /** Greeting + handshake must complete within this; 0 = no limit. */
  handshakeInterval: number;
  /** Send a PING this often; 0 = never. */
  heartbeatInterval: number;
  /** Close when nothing arrives this long after a PING; -1 = heartbeatInterval, 0 = never. */
  heartbeatTimeout: number;
  /** TTL announced in our PINGs (the peer closes after this long without traffic); 0 = none. */
  heartbeatTimeToLive: number;
  /** Where traffic is counted. */
  counters: TrafficCounters;
  clock: Clock;
  /**
   * Send only the first 11 greeting bytes, and the rest once the peer's greeting is complete or
   * after this many ms (`zmtp probe`: a peer that refuses our mechanism then still shows its
   * own greeting, since libzmq sends its 64 bytes after our 11, docs/protocol.md §1.2). Unset: libzmq's
   * own staging (see Connection).
   */
  greetingStageMs?: number;
}

export type ConnectionState = "greeting" | "handshake" | "traffic" | "closed";

/** The greeting's signature and major version: what libzmq reads before it sends the rest. */
const GREETING_FIRST_STAGE = 11;
const SIGNATURE_SIZE = 10;

/**
 * RFC 23 §2.5.1 and RFC 37 §2.5: the peer must announce a Socket-Type ours can talk to; its
 * Identity is at most 255 bytes. Throws a ProtocolError (IncompatiblePeerError for the type).
 */
export function verifyPeerProperties(socketType: SocketTypeName, props: Metadata): void {
  const type = getProperty(props, "Socket-Type");
  if (type === undefined) {
    throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", "peer did not announce its Socket-Type");
  }
  if (!compatibleSocketTypes(socketType, type.toString("latin1"))) {
    throw new IncompatiblePeerError(`a ${socketType} socket cannot talk to a ${type.toString("latin1")} peer`);
  }
  const identity = getProperty(props, "Identity");
  if (identity !== undefined && identity.length > 255) {
    throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", "peer Identity is longer than 255 bytes");
  }
}

/**
 * One ZMTP connection's state machine over a byte stream: greeting → mechanism handshake →
 * traffic. It reads the greeting, drives the mechanism, opens CURVE boxes, assembles messages,
 * answers PINGs and keeps the heartbeat and handshake timers; what to do with messages, commands,
 * failures and the stream's end is left to the subclass (the engine, or `zmtp probe`). Errors
 * thrown while bytes are decoded go to `fail()`: nothing from the peer throws out of the stream.
 */
export abstract class Connection<O extends ConnectionOptions = ConnectionOptions>
  implements FrameSink, MechanismHost, HeartbeatHost
{
  protected state: ConnectionState = "greeting";
  protected readonly greetingReader = new GreetingReader();
  /** The peer's greeting, once complete. */
  peerGreeting: Greeting | null = null;
  /** The peer's properties, once the handshake completed. */
  peerMetadata: Metadata = new Map();
  protected readonly writer: FrameWriter;
  protected readonly counters: TrafficCounters;
  private readonly decoder: FrameDecoder;
  private readonly heartbeats: Heartbeats;
  /** Frames of a multipart message received so far. */
  private parts: Buffer[] = [];
  /** Set when the handshake completes with an encrypting mechanism. */
  private codec: TrafficCodec | null = null;
  /** The context of a PING answered once the stream drains (see answerPing). */
  private pendingPong: Buffer | null = null;
  private handshakeTimer: ClockTimer | null = null;
  /** The part of our greeting held back (greetingStageMs), and its timer. */
  private greetingRest: Buffer | null = null;
  private stageTimer: ClockTimer | null = null;
  /** libzmq's staging: our greeting, and how much of it has been sent. */
  private ownGreeting: Buffer | null = null;
  private ownGreetingSent = 0;

  constructor(
    readonly stream: ByteStream,
    readonly options: O,
  ) {
    this.counters = options.counters;
    this.decoder = new FrameDecoder(this, options.maxMessageSize);
    this.writer = new FrameWriter(stream, options.counters);
    this.heartbeats = new Heartbeats(
      options.clock,
      {
        interval: options.heartbeatInterval,
        timeout: options.heartbeatTimeout,
        timeToLive: options.heartbeatTimeToLive,
      },
      this,
    );
    stream.on("data", this.onData);
    if (options.handshakeInterval > 0) {
      this.handshakeTimer = options.clock.setTimeout(this.onHandshakeTimeout, options.handshakeInterval);
    }
    const greeting = encodeGreeting(options.mechanism.name, options.mechanism.asServer);
    if (options.greetingStageMs === undefined) {
      // libzmq's staging, on either side: the signature now, the major version once the peer's
      // signature is here, the rest once its major version is (or its greeting is complete).
      // Sending in stages never deadlocks: each side's next piece waits only for the other's previous.
      this.ownGreeting = greeting;
      this.sendOwnGreeting(SIGNATURE_SIZE);
      return;
    }
    stream.write(greeting.subarray(0, GREETING_FIRST_STAGE));
    this.counters.bytesOut += GREETING_FIRST_STAGE;
    this.greetingRest = greeting.subarray(GREETING_FIRST_STAGE);
    this.stageTimer = options.clock.setTimeout(() => this.sendGreetingRest(), options.greetingStageMs);
  }

  get handshaken(): boolean {
    return this.state === "traffic";
  }

  get closed(): boolean {
    return this.state === "closed";
  }

  // ---- hooks for the subclass ----

  /** The peer's greeting arrived, before its mechanism is checked. */
  protected onGreeting(_greeting: Greeting): void {}
  /** The handshake completed (state is "traffic"; peerMetadata is set). */
  protected abstract onReady(props: Metadata): void;
  /** A whole message from the peer; false stops reading until `resumeInput()`. */
  protected abstract onMessage(msg: Buffer[]): boolean;
  /** A traffic command (PING was answered already); false stops reading until `resumeInput()`. */
  protected abstract onCommand(command: Command): boolean;
  /** Frames were appended to the writer: flush now or soon. */
  protected abstract outputReady(): void;
  /** The handshake deadline or a heartbeat deadline passed. */
  protected abstract timedOut(message: string): void;
  abstract fail(error: unknown): void;
  abstract peerRejected(reason: string): void;
  abstract authFailed(status: number, reason: string): void;
  abstract stall(error: Error): void;
  abstract zap(request: Omit<ZapRequest, "address" | "identity">): Promise<ZapReply> | null;

  // ---- MechanismHost ----

  sendCommand(body: Buffer): void {
    if (this.state === "closed") return;
    this.writer.appendCommand(body);
    this.outputReady();
  }

  localProperties(): Array<[string, Buffer]> {
    const props: Array<[string, Buffer]> = [["Socket-Type", Buffer.from(this.options.socketType)]];
    if (this.options.identity !== null) props.push(["Identity", this.options.identity]);
    return props;
  }

  checkPeerProperties(props: Metadata): void {
    verifyPeerProperties(this.options.socketType, props);
  }

  handshakeComplete(props: Metadata): void {
    this.state = "traffic";
    this.codec = this.options.mechanism.codec ?? null;
    this.writer.codec = this.codec;
    this.peerMetadata = props;
    this.clearHandshakeTimer();
    this.heartbeats.start();
    this.onReady(props);
  }

  // ---- HeartbeatHost ----

  sendPing(ttlDeciseconds: number): void {
    this.sendCommand(encodePing(ttlDeciseconds));
  }

  heartbeatExpired(message: string): void {
    this.timedOut(message);
  }

  // ---- input ----

  private readonly onData = (chunk: Buffer): void => {
    this.heartbeats.onReceived();
    this.counters.bytesIn += chunk.length;
    try {
      if (this.state === "greeting") {
        const rest = this.readGreeting(chunk);
        if (rest === null || rest.length === 0) return;
        chunk = rest;
      }
      if (this.state !== "closed") this.decoder.push(chunk);
    } catch (err) {
      this.fail(err);
    }
  };

  private readGreeting(chunk: Buffer): Buffer | null {
    const rest = this.greetingReader.push(chunk);
    const received = this.greetingReader.received.length;
    if (rest === null) {
      if (this.ownGreeting !== null && received >= SIGNATURE_SIZE) {
        this.sendOwnGreeting(received > SIGNATURE_SIZE ? GREETING_SIZE : GREETING_FIRST_STAGE);
      }
      return null;
    }
    const greeting = this.greetingReader.greeting!;
    this.peerGreeting = greeting;
    this.sendGreetingRest();
    // A peer whose greeting is complete gets ours whole before we judge it, so a mismatched
    // mechanism is reported on both sides (with libzmq it is when the greetings' pieces crossed
    // one at a time; when they did not, its dialler sees only EPIPE).
    if (this.ownGreeting !== null) this.sendOwnGreeting(GREETING_SIZE);
    this.onGreeting(greeting);
    const mechanism = this.options.mechanism;
    if (!sameMechanism(this.greetingReader.received, mechanism.name)) {
      throw new ProtocolError(
        "ERR_ZMTP_MECHANISM_MISMATCH",
        `peer uses mechanism ${greeting.mechanism}, we use ${mechanism.name}`,
      );
    }
    this.state = "handshake";
    mechanism.start(this);
    return rest;
  }

  /** Sends our greeting up to byte `end` (libzmq's staging; see the constructor). */
  private sendOwnGreeting(end: number): void {
    const greeting = this.ownGreeting!;
    if (end <= this.ownGreetingSent) return;
    this.stream.write(greeting.subarray(this.ownGreetingSent, end));
    this.counters.bytesOut += end - this.ownGreetingSent;
    this.ownGreetingSent = end;
    if (end === GREETING_SIZE) this.ownGreeting = null;
  }

  private sendGreetingRest(): void {
    this.clearStageTimer();
    const rest = this.greetingRest;
    if (rest === null || this.state === "closed") return;
    this.greetingRest = null;
    this.stream.write(rest);
    this.counters.bytesOut += rest.length;
  }

  onFrame(body: Buffer, more: boolean, command: boolean): void {
    if (this.state === "traffic") {
      const codec = this.codec;
      if (codec === null) {
        this.onTrafficFrame(body, more, command);
        return;
      }
      // Under CURVE, MORE and COMMAND come from the inner flags only (docs/protocol.md §8.6).
      const frame = codec.decode(body);
      this.onTrafficFrame(frame.body, (frame.flags & INNER_MORE) !== 0, (frame.flags & INNER_COMMAND) !== 0);
      return;
    }
    if (this.state !== "handshake") return;
    if (!command) {
      throw new ProtocolError("ERR_ZMTP_UNEXPECTED_COMMAND", "data frame received before the handshake completed");
    }
    const mechanism = this.options.mechanism;
    const cmd = mechanism.decodeCommand !== undefined ? mechanism.decodeCommand(body) : decodeCommand(body);
    if (cmd === null) throw new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", "malformed command frame");
    mechanism.onCommand(cmd);
  }

  private onTrafficFrame(body: Buffer, more: boolean, command: boolean): void {
    if (!command) {
      let msg: Buffer[];
      if (this.parts.length === 0 && !more) {
        // Single-frame messages (most of them) get an exact-size array, not a grown one.
        msg = [body];
      } else {
        this.parts.push(body);
        if (more) return;
        msg = this.parts;
        this.parts = [];
      }
      this.counters.messagesIn += 1;
      if (!this.onMessage(msg)) this.pauseInput();
      return;
    }
    // Unknown and malformed commands are ignored, as libzmq does.
    const cmd = decodeCommand(body);
    if (cmd === null) return;
    if (cmd.name === "PING") this.answerPing(cmd.data);
    if (!this.onCommand(cmd)) this.pauseInput();
  }

  /** RFC 37 §2.5.3: PONG with the PING's context; its TTL arms the peer's deadline. */
  private answerPing(data: Buffer): void {
    const ping = decodePing(data);
    // A peer that pings but never reads must not make us queue a PONG per PING: keep one.
    if (this.stream.writableNeedDrain) this.pendingPong = ping.context;
    else this.sendCommand(encodePong(ping.context));
    this.heartbeats.onPing(ping.ttlDeciseconds);
  }

  private pauseInput(): void {
    this.decoder.pause();
    this.stream.pause();
  }

  /** The receiving side made room: decode what was held back, then read from the stream again. */
  protected resumeInput(): void {
    if (this.state === "closed") return;
    try {
      this.decoder.resume();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!this.decoder.isPaused) this.stream.resume();
  }

  // ---- output ----

  /** Appends the PONG held back while the stream was full, once it takes writes again. */
  protected writePendingPong(): void {
    if (this.pendingPong === null || this.stream.writableNeedDrain) return;
    this.writer.appendCommand(encodePong(this.pendingPong));
    this.pendingPong = null;
  }

  // ---- timers and shutdown ----

  private readonly onHandshakeTimeout = (): void => {
    this.handshakeTimer = null;
    this.timedOut("handshake did not complete within handshakeInterval");
  };

  /** Ends the machine: no more decoding, timers cleared, unsent frames dropped. The stream is the subclass's. */
  protected stop(): void {
    this.state = "closed";
    this.clearHandshakeTimer();
    this.clearStageTimer();
    this.heartbeats.stop();
    this.parts = [];
    this.writer.release();
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer !== null) this.options.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  private clearStageTimer(): void {
    if (this.stageTimer !== null) this.options.clock.clearTimeout(this.stageTimer);
    this.stageTimer = null;
  }
}
