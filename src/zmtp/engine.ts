import { decodeCommand, decodePing, encodeCancel, encodeError, encodePing, encodePong, encodeSubscribe } from "./command.js";
import { FrameDecoder, type FrameSink } from "./decoder.js";
import { FLAG_COMMAND, FLAG_MORE, MAX_HEADER_SIZE, writeFrameHeader } from "./frame.js";
import { GREETING_SIZE, checkGreetingPrefix, decodeGreeting, encodeGreeting, sameMechanism, type Greeting } from "./greeting.js";
import type { Mechanism, MechanismHost, TrafficCodec } from "./mechanisms/mechanism.js";
import { getProperty, type Metadata } from "./metadata.js";
import { IncompatiblePeerError, ProtocolError } from "./protocol-error.js";
import type { ZapReply, ZapRequest } from "./zap.js";
import { isMarkedSubscription } from "./subscription.js";
import { compatibleSocketTypes, type SocketTypeName } from "./socket-types.js";
import type { ByteStream } from "../transports/stream.js";

/** What the engine needs to know about its socket. Times are in milliseconds. */
export interface EngineOptions {
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
  /** Close when nothing arrives this long after a PING; -1 = heartbeatInterval. */
  heartbeatTimeout: number;
  /** TTL announced in our PINGs (the peer closes after this long without traffic); 0 = none. */
  heartbeatTimeToLive: number;
  /** Our routing id, sent as the ZAP request's identity frame. */
  zapIdentity: Buffer;
  /** The ZAP domain (empty string when unset). */
  zapDomain: string;
  /** Sends a ZAP request to the handler of the socket's Context, or null when none is bound. */
  zap: ((request: ZapRequest) => Promise<ZapReply> | null) | null;
  /** Where traffic is counted (the socket's statistics). */
  counters: TrafficCounters;
}

/** Why an engine stopped: the socket decides on events and on reconnecting from this. */
export interface EngineClose {
  kind: "eof" | "io" | "protocol" | "auth" | "timeout" | "local";
  error: Error | null;
  /** The handshake had completed (the connection carried traffic). */
  handshaken: boolean;
  /** libzmq gives up on an endpoint after these (bad peer type, rejected, malformed handshake). */
  fatal: boolean;
  /**
   * End the stream after flushing what was written (an ERROR we sent, or what linger kept)
   * instead of destroying it at once.
   */
  graceful?: boolean;
}

/** Traffic counters an engine adds to; one object is shared by all connections of a socket. */
export interface TrafficCounters {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
}

/** A message source/sink the engine drains and fills once the handshake is done. */
export interface EnginePipe {
  /** Set on SUB pipes: marked subscription messages go to ZMTP 3.1 peers as commands. */
  readonly carriesSubscriptions: boolean;
  takeOutbound(): Buffer[] | undefined;
  deliver(msg: Buffer[]): boolean;
  driver: { outboundReady(): void; inboundSpace(): void } | null;
}

export interface EngineHost {
  /** Handshake done: the host attaches a pipe (or not, then incoming messages are dropped). */
  engineReady(engine: Engine, peer: Metadata): void;
  engineClosed(engine: Engine, reason: EngineClose): void;
}

type State = "greeting" | "handshake" | "traffic" | "closed";

/** Bytes gathered into one write before handing them to the stream. */
const BATCH_BYTES = 64 * 1024;
/** Bodies this large are passed to the stream as they are instead of being copied into the batch. */
const ZERO_COPY_BYTES = 8 * 1024;
/** The smallest batch buffer; it grows towards BATCH_BYTES while batches fill it. */
const MIN_SCRATCH_BYTES = 2 * 1024;
const EMPTY = Buffer.alloc(0);
/** How long an ended connection may take to flush before it is destroyed. */
const CLOSE_GRACE_MS = 1000;
/** libzmq msg_t flags, used inside CURVE MESSAGE boxes. */
const INNER_MORE = 1;
const INNER_COMMAND = 2;

/**
 * One ZMTP connection: greeting, mechanism handshake, then traffic between a byte stream and a
 * pipe. Bytes from the peer that break the protocol close this connection only; the engine never
 * throws out of its stream handlers.
 */
export class Engine implements FrameSink, MechanismHost {
  private state: State = "greeting";
  private readonly greeting = Buffer.alloc(GREETING_SIZE);
  private greetingLength = 0;
  peerGreeting: Greeting | null = null;
  private readonly decoder: FrameDecoder;
  private parts: Buffer[] = [];
  private pipe: EnginePipe | null = null;
  peerMetadata: Metadata = new Map();
  /** Set when the handshake completes with an encrypting mechanism. */
  private codec: TrafficCodec | null = null;

  /** Batch buffer, allocated on first use and sized from recent batches (idle peers hold little). */
  private scratch = EMPTY;
  private nextScratchSize = MIN_SCRATCH_BYTES;
  private scratchStart = 0;
  private scratchEnd = 0;
  private readonly chunks: Buffer[] = [];
  private pendingBytes = 0;
  private pumpScheduled = false;
  /** The context of a PING answered once the stream drains (see onTrafficCommand). */
  private pendingPong: Buffer | null = null;

  private handshakeTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatDeadline: NodeJS.Timeout | null = null;
  private ttlTimer: NodeJS.Timeout | null = null;
  private lastReceived = 0;

  private readonly counters: TrafficCounters;

  constructor(
    readonly stream: ByteStream,
    readonly options: EngineOptions,
    private readonly host: EngineHost,
    /** The endpoint as reported in events (what the user bound or connected to). */
    readonly address: string,
  ) {
    this.decoder = new FrameDecoder(this, options.maxMessageSize);
    this.counters = options.counters;
    stream.on("data", this.onData);
    stream.on("drain", this.pump);
    stream.on("end", this.onEnd);
    stream.on("error", this.onError);
    stream.on("close", this.onStreamClose);
    if (options.handshakeInterval > 0) {
      this.handshakeTimer = setTimeout(this.onHandshakeTimeout, options.handshakeInterval);
    }
    // Send the whole greeting at once: waiting for the peer's first would deadlock libzmq (notes §1.2).
    stream.write(encodeGreeting(options.mechanism.name, options.mechanism.asServer));
    this.counters.bytesOut += GREETING_SIZE;
  }

  get handshaken(): boolean {
    return this.state === "traffic";
  }

  get closed(): boolean {
    return this.state === "closed";
  }

  /** Connects the engine to its pipe; queued messages start flowing. */
  attach(pipe: EnginePipe): void {
    this.pipe = pipe;
    pipe.driver = this;
    this.schedulePump();
  }

  detach(): void {
    if (this.pipe !== null && this.pipe.driver === this) this.pipe.driver = null;
    this.pipe = null;
  }

  /** Bytes written to the stream but not yet taken by the kernel, plus our unflushed batch. */
  get unsentBytes(): number {
    return this.stream.writableLength + this.pendingBytes + (this.scratchEnd - this.scratchStart);
  }

  // ---- PipeDriver ----

  outboundReady(): void {
    this.schedulePump();
  }

  inboundSpace(): void {
    if (this.state === "closed") return;
    try {
      this.decoder.resume();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!this.decoder.isPaused) this.stream.resume();
  }

  // ---- MechanismHost ----

  sendCommand(body: Buffer): void {
    this.appendTrafficFrame(FLAG_COMMAND, body);
    this.schedulePump();
  }

  authFailed(status: number, reason: string): void {
    // RFC 27: 300 is a temporary failure and closes silently; 400/500 are sent as ERROR first.
    if (status !== 300) {
      this.sendCommand(encodeError(String(status)));
      this.pump();
    }
    const error = Object.assign(new Error(reason), { status });
    this.close({ kind: "auth", error, handshaken: false, fatal: true, graceful: true });
  }

  zap(request: Omit<ZapRequest, "address" | "identity">): Promise<ZapReply> | null {
    const zap = this.options.zap;
    if (zap === null) return null;
    const address = this.stream.remoteAddress ?? "";
    return zap({ ...request, address: address.startsWith("::ffff:") ? address.slice(7) : address, identity: this.options.zapIdentity });
  }

  localProperties(): Array<[string, Buffer]> {
    const props: Array<[string, Buffer]> = [["Socket-Type", Buffer.from(this.options.socketType)]];
    if (this.options.identity !== null) props.push(["Identity", this.options.identity]);
    return props;
  }

  checkPeerProperties(props: Metadata): void {
    const type = getProperty(props, "Socket-Type");
    if (type === undefined) {
      throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", "peer did not announce its Socket-Type");
    }
    if (!compatibleSocketTypes(this.options.socketType, type.toString("latin1"))) {
      throw new IncompatiblePeerError(`a ${this.options.socketType} socket cannot talk to a ${type.toString("latin1")} peer`);
    }
    const identity = getProperty(props, "Identity");
    if (identity !== undefined && identity.length > 255) {
      throw new ProtocolError("ERR_ZMTP_INVALID_METADATA", "peer Identity is longer than 255 bytes");
    }
  }

  handshakeComplete(props: Metadata): void {
    this.state = "traffic";
    this.codec = this.options.mechanism.codec ?? null;
    this.peerMetadata = props;
    this.clearTimer("handshakeTimer");
    if (this.options.heartbeatInterval > 0) {
      this.heartbeatTimer = setInterval(this.sendPing, this.options.heartbeatInterval);
    }
    this.host.engineReady(this, props);
  }

  peerRejected(reason: string): void {
    const error = new Error(`peer rejected the handshake: ${reason}`);
    // A ZAP status as reason ("300", "400", "500") is reported with it, as libzmq does (notes §3).
    if (/^[345]00$/.test(reason)) Object.assign(error, { status: Number(reason) });
    this.close({ kind: "auth", error, handshaken: false, fatal: true });
  }

  // ---- FrameSink ----

  onFrame(body: Buffer, more: boolean, command: boolean): void {
    if (this.state === "traffic") {
      const codec = this.codec;
      if (codec === null) {
        this.onTrafficFrame(body, more, command);
        return;
      }
      // Under CURVE, MORE and COMMAND come from the inner flags only (notes §8.6).
      const frame = codec.decode(body);
      this.onTrafficFrame(frame.body, (frame.flags & INNER_MORE) !== 0, (frame.flags & INNER_COMMAND) !== 0);
      return;
    }
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
        if (this.pipe !== null && !this.pipe.deliver(msg)) {
          this.decoder.pause();
          this.stream.pause();
        }
        return;
      }
      this.onTrafficCommand(body);
  }

  /** RFC 37 §2.5.3 heartbeats; unknown, malformed and repeated handshake commands are ignored as libzmq does. */
  private onTrafficCommand(body: Buffer): void {
    const cmd = decodeCommand(body);
    if (cmd === null) return;
    if (cmd.name === "SUBSCRIBE" || cmd.name === "CANCEL") {
      // Delivered in the 3.0 form, so publishers handle one representation (as libzmq's decoder does).
      const msg = Buffer.allocUnsafe(cmd.data.length + 1);
      msg[0] = cmd.name === "SUBSCRIBE" ? 1 : 0;
      cmd.data.copy(msg, 1);
      this.counters.messagesIn += 1;
      if (this.pipe !== null && !this.pipe.deliver([msg])) {
        this.decoder.pause();
        this.stream.pause();
      }
      return;
    }
    if (cmd.name === "PING") {
      const ping = decodePing(cmd.data);
      // A peer that pings but never reads must not make us queue a PONG per PING: keep one.
      if (this.stream.writableNeedDrain) this.pendingPong = ping.context;
      else this.sendCommand(encodePong(ping.context));
      if (ping.ttlDeciseconds > 0 && this.ttlTimer === null) {
        const pingAt = this.lastReceived;
        this.ttlTimer = setTimeout(() => {
          this.ttlTimer = null;
          if (this.lastReceived === pingAt) this.timeout("peer's heartbeat TTL expired");
        }, ping.ttlDeciseconds * 100);
      }
    }
  }

  // ---- stream events ----

  private readonly onData = (chunk: Buffer): void => {
    this.lastReceived += 1;
    this.counters.bytesIn += chunk.length;
    try {
      if (this.state === "greeting") {
        chunk = this.readGreeting(chunk);
        if (chunk.length === 0) return;
      }
      if (this.state !== "closed") this.decoder.push(chunk);
    } catch (err) {
      this.fail(err);
    }
  };

  private readGreeting(chunk: Buffer): Buffer {
    const n = Math.min(GREETING_SIZE - this.greetingLength, chunk.length);
    chunk.copy(this.greeting, this.greetingLength, 0, n);
    this.greetingLength += n;
    checkGreetingPrefix(this.greeting, this.greetingLength);
    if (this.greetingLength < GREETING_SIZE) return EMPTY;
    this.peerGreeting = decodeGreeting(this.greeting);
    if (!sameMechanism(this.greeting, this.options.mechanism.name)) {
      throw new ProtocolError(
        "ERR_ZMTP_MECHANISM_MISMATCH",
        `peer uses mechanism ${this.peerGreeting.mechanism}, we use ${this.options.mechanism.name}`,
      );
    }
    this.state = "handshake";
    this.options.mechanism.start(this);
    return chunk.subarray(n);
  }

  private readonly onEnd = (): void => {
    this.close({ kind: "eof", error: null, handshaken: this.handshaken, fatal: false });
  };

  private readonly onError = (err: Error): void => {
    this.close({ kind: "io", error: err, handshaken: this.handshaken, fatal: false });
  };

  private readonly onStreamClose = (): void => {
    this.close({ kind: "eof", error: null, handshaken: this.handshaken, fatal: false });
  };

  private readonly onHandshakeTimeout = (): void => {
    this.handshakeTimer = null;
    this.timeout("handshake did not complete within handshakeInterval");
  };

  private timeout(message: string): void {
    this.close({ kind: "timeout", error: Object.assign(new Error(message), { code: "ETIMEDOUT" }), handshaken: this.handshaken, fatal: false });
  }

  /** Closes for an error; a ProtocolError is fatal. Mechanisms call it for errors found asynchronously (ZAP). */
  fail(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    const protocol = error instanceof ProtocolError;
    this.close({ kind: protocol ? "protocol" : "io", error, handshaken: this.handshaken, fatal: protocol });
  }

  // ---- heartbeats ----

  private readonly sendPing = (): void => {
    const ttl = Math.floor(this.options.heartbeatTimeToLive / 100);
    this.sendCommand(encodePing(ttl));
    if (this.heartbeatDeadline !== null) return;
    const timeout = this.options.heartbeatTimeout >= 0 ? this.options.heartbeatTimeout : this.options.heartbeatInterval;
    const sentAt = this.lastReceived;
    this.heartbeatDeadline = setTimeout(() => {
      this.heartbeatDeadline = null;
      if (this.lastReceived === sentAt) this.timeout("no traffic from the peer within heartbeatTimeout");
    }, timeout);
  };

  // ---- output ----

  private schedulePump(): void {
    if (this.pumpScheduled || this.state === "closed") return;
    this.pumpScheduled = true;
    process.nextTick(this.pump);
  }

  /** Moves queued messages from the pipe into batched stream writes until the stream pushes back. */
  private readonly pump = (): void => {
    this.pumpScheduled = false;
    if (this.state === "closed") return;
    if (this.pendingPong !== null && !this.stream.writableNeedDrain) {
      this.appendTrafficFrame(FLAG_COMMAND, encodePong(this.pendingPong));
      this.pendingPong = null;
    }
    const pipe = this.pipe;
    if (this.state === "traffic" && pipe !== null) {
      while (!this.stream.writableNeedDrain) {
        const msg = pipe.takeOutbound();
        if (msg === undefined) break;
        if (pipe.carriesSubscriptions && isMarkedSubscription(msg) && this.peerGreeting!.minor >= 1) {
          // RFC 37 §2.5.4: ZMTP 3.1 peers get SUBSCRIBE / CANCEL commands; 3.0 peers the 0x01/0x00 frame.
          const body = msg[0]!;
          this.appendTrafficFrame(FLAG_COMMAND, body[0] === 1 ? encodeSubscribe(body.subarray(1)) : encodeCancel(body.subarray(1)));
          continue;
        }
        const last = msg.length - 1;
        if (this.codec === null) {
          for (let i = 0; i < last; i++) this.appendFrame(FLAG_MORE, msg[i]!);
          this.appendFrame(0, last >= 0 ? msg[last]! : EMPTY);
        } else {
          for (let i = 0; i < last; i++) this.appendTrafficFrame(FLAG_MORE, msg[i]!);
          this.appendTrafficFrame(0, last >= 0 ? msg[last]! : EMPTY);
        }
        this.counters.messagesOut += 1;
        if (this.pendingBytes + this.scratchEnd - this.scratchStart >= BATCH_BYTES) this.flush();
      }
    }
    this.flush();
  };

  /** A frame after the handshake: wrapped in a MESSAGE when the mechanism encrypts (outer flags 0). */
  private appendTrafficFrame(flags: number, body: Buffer): void {
    const codec = this.codec;
    if (codec === null) {
      this.appendFrame(flags, body);
      return;
    }
    const inner = ((flags & FLAG_MORE) !== 0 ? INNER_MORE : 0) | ((flags & FLAG_COMMAND) !== 0 ? INNER_COMMAND : 0);
    this.appendFrame(0, codec.encode(inner, body));
  }

  private appendFrame(flags: number, body: Buffer): void {
    const size = body.length;
    if (size >= ZERO_COPY_BYTES) {
      this.reserve(MAX_HEADER_SIZE);
      this.scratchEnd = writeFrameHeader(this.scratch, this.scratchEnd, flags, size);
      this.seal();
      this.chunks.push(body);
      this.pendingBytes += size;
      return;
    }
    this.reserve(MAX_HEADER_SIZE + size);
    const at = writeFrameHeader(this.scratch, this.scratchEnd, flags, size);
    body.copy(this.scratch, at);
    this.scratchEnd = at + size;
  }

  /** Makes room for `n` bytes in the batch buffer; regions already handed out are never reused. */
  private reserve(n: number): void {
    if (this.scratch.length - this.scratchEnd >= n) return;
    this.seal();
    // A buffer that filled up asks for a bigger one next time, up to BATCH_BYTES.
    if (this.scratch.length > 0) this.nextScratchSize = Math.min(BATCH_BYTES, this.scratch.length * 2);
    this.scratch = Buffer.allocUnsafe(Math.max(this.nextScratchSize, n));
    this.scratchStart = 0;
    this.scratchEnd = 0;
  }

  private seal(): void {
    if (this.scratchEnd === this.scratchStart) return;
    const region = this.scratch.subarray(this.scratchStart, this.scratchEnd);
    this.chunks.push(region);
    this.pendingBytes += region.length;
    this.scratchStart = this.scratchEnd;
  }

  private flush(): void {
    this.seal();
    const chunks = this.chunks;
    if (chunks.length === 0) return;
    const stream = this.stream;
    if (chunks.length === 1) {
      stream.write(chunks[0]!);
    } else {
      // Corked writes leave the stream as one writev: one syscall for the whole batch.
      stream.cork();
      for (const chunk of chunks) stream.write(chunk);
      stream.uncork();
    }
    chunks.length = 0;
    this.counters.bytesOut += this.pendingBytes;
    this.pendingBytes = 0;
  }

  // ---- shutdown ----

  /** Closes the connection (idempotent) and tells the host once. */
  close(reason: EngineClose = { kind: "local", error: null, handshaken: this.handshaken, fatal: false, graceful: true }): void {
    if (this.state === "closed") return;
    if (reason.kind === "local" && this.state === "traffic") this.pump();
    this.state = "closed";
    this.clearTimer("handshakeTimer");
    this.clearTimer("heartbeatDeadline");
    this.clearTimer("ttlTimer");
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.detach();
    this.parts = [];
    this.scratch = EMPTY;
    this.scratchStart = this.scratchEnd = 0;
    if (reason.graceful === true) {
      // Flush what was written, then close; a peer that never reads must not hold the socket open.
      this.stream.end();
      setTimeout(() => this.stream.destroy(), CLOSE_GRACE_MS).unref();
    } else {
      this.stream.destroy();
    }
    this.host.engineClosed(this, reason);
  }

  private clearTimer(name: "handshakeTimer" | "heartbeatDeadline" | "ttlTimer"): void {
    const timer = this[name];
    if (timer !== null) clearTimeout(timer);
    this[name] = null;
  }
}
