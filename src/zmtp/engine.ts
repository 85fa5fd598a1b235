import { afterPromiseJobs } from "#platform/timers";
import { closeStream, type ByteStream } from "../transports/stream.js";
import { encodeCancel, encodeError, encodeSubscribe, type Command } from "./command.js";
import { Connection, type ConnectionOptions } from "./connection.js";
import type { Metadata } from "./metadata.js";
import { authError, ProtocolError, zmqError } from "../errors.js";
import { isMarkedSubscription } from "./subscription.js";
import { groupCommand, groupCommandMessage, isGroupCommand, isGroupMessage } from "./group.js";
import type { ZapFunction, ZapReply, ZapRequest } from "./zap.js";

export type { TrafficCounters } from "./connection.js";

/** What the engine needs to know about its socket. Times are in milliseconds. */
export interface EngineOptions extends ConnectionOptions {
  /** Our routing id, sent as the ZAP request's identity frame. */
  zapIdentity: Buffer;
  /** The ZAP domain (empty string when unset). */
  zapDomain: string;
  /** Sends a ZAP request to the handler of the socket's Context, or null when none is bound. */
  zap: ZapFunction | null;
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
  /** The handshake's failure was reported already (a ZAP 300): the close is only a disconnect. */
  reported?: boolean;
}

/** A message source/sink the engine drains and fills once the handshake is done. */
export interface EnginePipe {
  /**
   * Set on SUB and DISH pipes: marked subscription messages go to ZMTP 3.1 peers as commands,
   * marked JOIN / LEAVE messages to any peer.
   */
  readonly carriesSubscriptions: boolean;
  takeOutbound(): Buffer[] | undefined;
  deliver(msg: Buffer[]): boolean;
  driver: { outboundReady(): void; inboundSpace(): void } | null;
}

export interface EngineHost {
  /** Handshake done: the host attaches a pipe (or not, then incoming messages are dropped). */
  engineReady(engine: Engine, peer: Metadata): void;
  /** The handshake stalled (ZAP said 300, or no ZAP handler where one is required): reported now, the connection stays. */
  engineRefused(engine: Engine, error: Error): void;
  engineClosed(engine: Engine, reason: EngineClose): void;
}

/**
 * One ZMTP connection of a socket: the connection core (greeting, handshake, heartbeats) between
 * a byte stream and a pipe. Messages from the pipe are batched into stream writes once per tick;
 * messages from the peer go into the pipe until it is full. Bytes that break the protocol close
 * this connection only; the engine never throws out of its stream handlers.
 */
export class Engine extends Connection<EngineOptions> {
  private pipe: EnginePipe | null = null;
  private pumpScheduled = false;
  /** Inside takeQueued (see there). */
  private taking = false;
  /** ZAP answered 300: the failure is reported, the handshake stays stuck until its deadline. */
  private refusedSilently = false;
  /** A RADIO takes its peers' JOIN / LEAVE commands (radio_session). */
  private readonly takesGroupCommands: boolean;
  /** A DISH takes only [group, body] messages (dish_session). */
  private readonly takesGroupMessages: boolean;

  constructor(
    stream: ByteStream,
    options: EngineOptions,
    private readonly host: EngineHost,
    /** The endpoint as reported in events (what the user bound or connected to). */
    readonly address: string,
  ) {
    super(stream, options);
    this.takesGroupCommands = options.socketType === "RADIO";
    this.takesGroupMessages = options.socketType === "DISH";
    stream.on("drain", this.pump);
    stream.on("end", this.onEnd);
    stream.on("error", this.onError);
    stream.on("close", this.onStreamClose);
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
    return this.stream.writableLength + this.writer.unflushedBytes;
  }

  // ---- PipeDriver ----

  /**
   * A message was queued on an empty pipe: take it into the batch now (the frames are copied
   * there, so the application may reuse its buffers) and write the batch on the next tick.
   */
  outboundReady(): void {
    if (this.state === "traffic") this.takeQueued();
    this.schedulePump();
  }

  /**
   * A message sent while the pipe was empty goes straight into the batch (its frames copied
   * there), unless the stream pushes back or the pipe is being drained already: then it queues.
   */
  takeNow(msg: Buffer[]): boolean {
    const pipe = this.pipe;
    if (this.state !== "traffic" || this.taking || pipe === null || pipe.carriesSubscriptions) return false;
    if (this.stream.writableNeedDrain) return false;
    const writer = this.writer;
    writer.appendMessage(msg);
    this.counters.messagesOut += 1;
    if (writer.batchFull) writer.flush();
    this.schedulePump();
    return true;
  }

  /**
   * takeNow for a run of messages (zmtp/batch's sendMany): appends them while the stream takes
   * more, flushing each full batch; returns how many it took. A subclass that gates takeNow
   * (cross-thread credit) takes none here, so each message goes through its takeNow.
   */
  takeMany(msgs: ReadonlyArray<Buffer | Buffer[]>, from: number, to: number): number {
    const pipe = this.pipe;
    if (this.state !== "traffic" || this.taking || pipe === null || pipe.carriesSubscriptions) return 0;
    if (this.takeNow !== Engine.prototype.takeNow) return 0;
    const writer = this.writer;
    let i = from;
    while (i < to && !this.stream.writableNeedDrain) {
      i = writer.appendMessages(msgs, i, to);
      if (writer.batchFull) writer.flush();
    }
    if (i === from) return 0;
    this.counters.messagesOut += i - from;
    this.schedulePump();
    return i - from;
  }

  inboundSpace(): void {
    this.resumeInput();
  }

  // ---- Connection hooks ----

  protected onReady(props: Metadata): void {
    this.host.engineReady(this, props);
  }

  protected onMessage(msg: Buffer[]): boolean {
    // libzmq's dish_session fails the connection (EFAULT) on anything but a group and a body.
    if (this.takesGroupMessages && !isGroupMessage(msg)) {
      throw new ProtocolError("ERR_ZMTP_UNSPECIFIED", "a RADIO message must be a group frame and a body");
    }
    return this.pipe === null || this.pipe.deliver(msg);
  }

  /**
   * SUBSCRIBE / CANCEL are delivered in the 3.0 form, so publishers handle one representation (as
   * libzmq's decoder does); JOIN / LEAVE reach a RADIO as marked messages (radio_session).
   */
  protected onCommand(cmd: Command): boolean {
    if (this.takesGroupCommands) {
      const command = groupCommand(cmd.name, cmd.data);
      if (command !== null) {
        this.counters.messagesIn += 1;
        return this.pipe === null || this.pipe.deliver(groupCommandMessage(command.join, command.group));
      }
    }
    if (cmd.name !== "SUBSCRIBE" && cmd.name !== "CANCEL") return true;
    const msg = Buffer.allocUnsafe(cmd.data.length + 1);
    msg[0] = cmd.name === "SUBSCRIBE" ? 1 : 0;
    cmd.data.copy(msg, 1);
    this.counters.messagesIn += 1;
    return this.pipe === null || this.pipe.deliver([msg]);
  }

  protected outputReady(): void {
    this.schedulePump();
  }

  protected timedOut(message: string): void {
    const error = zmqError("ETIMEDOUT", message);
    this.close({ kind: "timeout", error, handshaken: this.handshaken, fatal: false, reported: this.refusedSilently });
  }

  authFailed(status: number, reason: string): void {
    const error = authError(status, reason);
    // RFC 27: 300 is a temporary failure: libzmq sends nothing and leaves the handshake where it
    // is, so the peer hears nothing until the handshake deadline ends the connection.
    if (status === 300) {
      this.stall(error);
      return;
    }
    // 400/500 are sent as ERROR first.
    this.sendCommand(encodeError(String(status)));
    this.pump();
    this.close({ kind: "auth", error, handshaken: false, fatal: true, graceful: true });
  }

  stall(error: Error): void {
    this.refusedSilently = true;
    this.host.engineRefused(this, error);
  }

  peerRejected(reason: string): void {
    const error = new Error(`peer rejected the handshake: ${reason}`);
    // A ZAP status as reason ("300", "400", "500") is reported with it, as libzmq does (docs/protocol.md §3.4).
    if (/^[345]00$/.test(reason)) Object.assign(error, { status: Number(reason) });
    this.close({ kind: "auth", error, handshaken: false, fatal: true });
  }

  zap(request: Omit<ZapRequest, "address" | "identity">): Promise<ZapReply> | null {
    const zap = this.options.zap;
    if (zap === null) return null;
    const address = this.stream.remoteAddress ?? "";
    return zap({
      ...request,
      address: address.startsWith("::ffff:") ? address.slice(7) : address,
      identity: this.options.zapIdentity,
    });
  }

  /** Closes for an error; a ProtocolError is fatal. Mechanisms call it for errors found asynchronously (ZAP). */
  fail(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    const protocol = error instanceof ProtocolError;
    this.close({ kind: protocol ? "protocol" : "io", error, handshaken: this.handshaken, fatal: protocol });
  }

  // ---- stream events ----

  private readonly onEnd = (): void => {
    this.close({ kind: "eof", error: null, handshaken: this.handshaken, fatal: false });
  };

  /** A ProtocolError from the stream (a refused WebSocket upgrade, a text message) is fatal, as from the peer's bytes. */
  private readonly onError = (err: Error): void => {
    this.fail(err);
  };

  private readonly onStreamClose = (): void => {
    this.close({ kind: "eof", error: null, handshaken: this.handshaken, fatal: false });
  };

  // ---- output ----

  private schedulePump(): void {
    if (this.pumpScheduled || this.state === "closed") return;
    this.pumpScheduled = true;
    afterPromiseJobs(this.pump);
  }

  /** Moves queued messages from the pipe into batched stream writes until the stream pushes back. */
  private readonly pump = (): void => {
    this.pumpScheduled = false;
    if (this.state === "closed") return;
    this.writePendingPong();
    if (this.state === "traffic") this.takeQueued();
    this.writer.flush();
  };

  /**
   * Appends queued messages to the batch (flushing full batches) until the stream pushes back.
   * Taking a message can free room that lets a waiting send() write the next one at once, which
   * calls back here: that call leaves it to the loop below, so messages keep their order.
   */
  private takeQueued(): void {
    if (this.taking) return;
    this.taking = true;
    try {
      this.takeQueuedInOrder();
    } finally {
      this.taking = false;
    }
  }

  private takeQueuedInOrder(): void {
    const pipe = this.pipe;
    const writer = this.writer;
    if (pipe === null) return;
    while (!this.stream.writableNeedDrain) {
      const msg = pipe.takeOutbound();
      if (msg === undefined) break;
      if (pipe.carriesSubscriptions) {
        if (isMarkedSubscription(msg) && this.peerGreeting!.minor >= 1) {
          // RFC 37 §2.5.4: ZMTP 3.1 peers get SUBSCRIBE / CANCEL commands; 3.0 peers the 0x01/0x00 frame.
          const body = msg[0]!;
          writer.appendCommand(body[0] === 1 ? encodeSubscribe(body.subarray(1)) : encodeCancel(body.subarray(1)));
          continue;
        }
        // A DISH's JOIN / LEAVE: always a command, whatever the peer's version (dish_session).
        if (isGroupCommand(msg)) {
          writer.appendCommand(msg[0]!);
          continue;
        }
      }
      writer.appendMessage(msg);
      this.counters.messagesOut += 1;
      if (writer.batchFull) writer.flush();
    }
  }

  // ---- shutdown ----

  /** Closes the connection (idempotent) and tells the host once. */
  close(
    reason: EngineClose = { kind: "local", error: null, handshaken: this.handshaken, fatal: false, graceful: true },
  ): void {
    if (this.state === "closed") return;
    if (reason.kind === "local" && this.state === "traffic") this.pump();
    this.stop();
    this.detach();
    closeStream(this.stream, reason.graceful === true);
    this.host.engineClosed(this, reason);
  }
}
