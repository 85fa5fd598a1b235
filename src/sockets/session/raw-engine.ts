import { nextTick } from "#platform/timers";
import { fromSystemError, zmqError } from "../../errors.js";
import { closeStream, type ByteStream } from "../../transports/stream.js";
import type { EngineClose, TrafficCounters } from "../../zmtp/engine.js";
import type { Message, PipeDriver } from "../pipe.js";
import type { OptionValues } from "../socket-options.js";

/** What a raw connection needs to know about its socket. */
export interface RawEngineOptions {
  /** ZMQ_STREAM_NOTIFY: an empty message when the connection opens and when the peer ends it. */
  notify: boolean;
  /** ZMQ_IN_BATCH_SIZE: the most bytes one message carries (libzmq reads at most this much at once). */
  inBatchSize: number;
  counters: TrafficCounters;
}

/** The pipe a raw engine fills and drains (the socket layer's Pipe is one). */
export interface RawPipe {
  takeOutbound(): Message | undefined;
  deliver(msg: Message): boolean;
  driver: PipeDriver | null;
}

/** A raw engine's options from its socket's. */
export function rawEngineOptions(socket: {
  readonly options: OptionValues;
  readonly counters: TrafficCounters;
}): RawEngineOptions {
  return { notify: socket.options.streamNotify, inBatchSize: socket.options.inBatchSize, counters: socket.counters };
}

export interface RawEngineHost {
  /** The connection is usable at once (there is no handshake): the host attaches a pipe, or not. */
  rawEngineReady(engine: RawEngine): void;
  engineClosed(engine: RawEngine, reason: EngineClose): void;
}

const EMPTY = Buffer.alloc(0);

type State = "starting" | "open" | "terminating" | "closed";

/**
 * One connection of a STREAM socket (libzmq's raw_engine_t): bytes, no greeting, no mechanism,
 * no framing. Each chunk read from the peer becomes a one-frame message (split at inBatchSize);
 * each message from the pipe goes to the stream as it is. A full pipe pauses the stream, a stream
 * that pushes back stops draining the pipe: neither direction buffers without bound.
 */
export class RawEngine implements PipeDriver {
  private state: State = "starting";
  private pipe: RawPipe | null = null;
  /** The rest of a chunk that did not fit in the pipe: delivered once the pipe has room again. */
  private held: Buffer | null = null;
  private pumpScheduled = false;

  constructor(
    readonly stream: ByteStream,
    private readonly options: RawEngineOptions,
    private readonly host: RawEngineHost,
    /** The endpoint as reported in events (what the user bound or connected to). */
    readonly address: string,
  ) {
    stream.on("drain", this.pump);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onError);
    // Ready on the next tick, when the session holds the engine. Until `data` has a listener the
    // stream keeps what arrives, so nothing is read before the pipe is there.
    nextTick(this.start);
  }

  /** Always true: the connection carries traffic from the start, and may be closed as one that did. */
  get handshaken(): boolean {
    return true;
  }

  /** Bytes written to the stream but not yet taken by the kernel. */
  get unsentBytes(): number {
    return this.stream.writableLength;
  }

  /** Connects the engine to its pipe; with `notify` the socket learns of the connection first. */
  attach(pipe: RawPipe): void {
    this.pipe = pipe;
    pipe.driver = this;
    if (this.options.notify && !pipe.deliver([EMPTY])) this.stream.pause();
    this.schedulePump();
  }

  private readonly start = (): void => {
    if (this.state !== "starting") return;
    this.state = "open";
    this.host.rawEngineReady(this);
    if (this.state === "open") this.stream.on("data", this.onData);
  };

  // ---- input ----

  private readonly onData = (chunk: Buffer): void => {
    this.options.counters.bytesIn += chunk.length;
    // After an empty frame from the socket the peer's bytes are read and dropped: closing with
    // unread bytes would reset the connection instead of ending it.
    if (this.state !== "open") return;
    if (this.held !== null) {
      // Only a stream that emits after pause() gets here; keep the order, the size stays one read.
      this.held = Buffer.concat([this.held, chunk]);
      return;
    }
    this.push(chunk);
  };

  /**
   * Delivers `bytes` as messages of at most inBatchSize bytes (views, no copies). Returns false
   * when the pipe filled up: the stream is paused and what did not fit is held.
   */
  private push(bytes: Buffer): boolean {
    const pipe = this.pipe;
    if (pipe === null) return true;
    const max = this.options.inBatchSize;
    let at = 0;
    while (at < bytes.length) {
      const piece = bytes.subarray(at, at + max);
      at += piece.length;
      this.options.counters.messagesIn += 1;
      if (!pipe.deliver([piece])) {
        if (at < bytes.length) this.held = bytes.subarray(at);
        this.stream.pause();
        return false;
      }
    }
    return true;
  }

  inboundSpace(): void {
    if (this.state !== "open") return;
    const held = this.held;
    this.held = null;
    if (held !== null && !this.push(held)) return;
    this.stream.resume();
  }

  // ---- output ----

  outboundReady(): void {
    this.schedulePump();
  }

  /**
   * Writes once the current JavaScript is done: a burst of sends still leaves as one writev, and
   * a loop of awaited sends hands each message to the kernel before the next, as libzmq's I/O
   * thread drains the pipe while the application fills it (so a small SNDHWM is not reached
   * only because nothing was written yet).
   */
  private schedulePump(): void {
    if (this.pumpScheduled || this.state === "closed") return;
    this.pumpScheduled = true;
    queueMicrotask(this.pump);
  }

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    if (this.state === "closed") return;
    this.flush();
    // Stopped without back pressure: the pipe is empty, so a terminated pipe's connection may end.
    if (this.state === "terminating" && !this.stream.writableNeedDrain) this.finishTerminating();
  };

  /** Moves queued messages from the pipe into the stream (one writev) until it pushes back. */
  private flush(): void {
    const pipe = this.pipe;
    if (pipe === null) return;
    const stream = this.stream;
    const counters = this.options.counters;
    stream.cork();
    while (!stream.writableNeedDrain) {
      const msg = pipe.takeOutbound();
      if (msg === undefined) break;
      for (const frame of msg) {
        stream.write(frame);
        counters.bytesOut += frame.length;
      }
      counters.messagesOut += 1;
    }
    stream.uncork();
  }

  /**
   * The socket ended the pipe (an empty frame): what it queued before still goes out, then the
   * connection ends, with no notification and no event (libzmq terminates the engine quietly).
   */
  pipeTerminated(): void {
    if (this.state === "closed") return;
    this.state = "terminating";
    this.held = null;
    this.stream.resume();
    this.schedulePump();
  }

  /** `fatal`: a connecter does not dial again (libzmq's session ends with its raw pipe). */
  private finishTerminating(): void {
    this.close({ kind: "local", error: null, handshaken: true, fatal: true, graceful: true });
  }

  // ---- the end ----

  private readonly onEnd = (): void => {
    // libzmq reads end of stream as EPIPE.
    this.peerEnded("eof", zmqError("EPIPE"));
  };

  private readonly onError = (err: Error): void => {
    this.peerEnded("io", fromSystemError(err));
  };

  /**
   * The peer closed or the connection failed. With `notify` the socket gets an empty message
   * after what was read. libzmq's raw engine has no mechanism, so it reports every such end as a
   * handshake that failed (with the errno) before the disconnect: `handshaken` is false for that.
   */
  private peerEnded(kind: "eof" | "io", error: Error): void {
    if (this.state === "closed") return;
    if (this.state === "terminating") {
      this.finishTerminating();
      return;
    }
    const pipe = this.pipe;
    if (pipe !== null && this.state === "open") {
      if (this.held !== null) pipe.deliver([this.held]);
      if (this.options.notify) pipe.deliver([EMPTY]);
    }
    this.held = null;
    this.close({ kind, error, handshaken: false, fatal: false });
  }

  /** Closes the connection (idempotent) and tells the host once. */
  close(reason: EngineClose = { kind: "local", error: null, handshaken: true, fatal: false, graceful: true }): void {
    if (this.state === "closed") return;
    if (reason.kind === "local" && reason.graceful === true) this.flush();
    this.state = "closed";
    if (this.pipe !== null && this.pipe.driver === this) this.pipe.driver = null;
    this.pipe = null;
    this.stream.off("data", this.onData);
    closeStream(this.stream, reason.graceful === true);
    this.host.engineClosed(this, reason);
  }
}
