import type { Metadata } from "../zmtp/metadata.js";
import { copySmallFrames } from "../zmtp/frame.js";
import { Fifo } from "./fifo.js";

/** A message is its frames; a multipart message travels and counts as one unit. */
export type Message = Buffer[];

/** A message as zmtp/batch passes it: a Buffer stands for a message of that one frame. */
export type OutgoingMessage = Buffer | Message;

/** The socket side of a pipe: told when a pipe gains its first message or regains room. */
export interface PipeOwner {
  pipeReadable(pipe: Pipe): void;
  pipeWritable(pipe: Pipe): void;
  /**
   * A pipe that outlived its connection got a new one (a connect()ed pipe across a reconnect,
   * libzmq's "hiccup"): SUB/XSUB resend their subscriptions, which the new peer never saw.
   */
  pipeHiccuped?(pipe: Pipe): void;
}

/** The connection side of a pipe (an engine, or the inproc peer). */
export interface PipeDriver {
  /** The socket queued a message while the outbound queue was empty. */
  outboundReady(): void;
  /**
   * The socket sends a message while the outbound queue is empty: a driver that can take it at
   * once (an engine copies it into its write batch) does and returns true; false queues it.
   */
  takeNow?(msg: Message): boolean;
  /** takeNow for messages `from` up to `to` of `msgs`, in order: returns how many it took. */
  takeMany?(msgs: ReadonlyArray<OutgoingMessage>, from: number, to: number): number;
  /** The socket read the inbound queue down to its low-water mark after it was full. */
  inboundSpace(): void;
  /** The socket ended the pipe (see Pipe.terminate): send what is queued, then close the connection. */
  pipeTerminated?(): void;
  /**
   * The socket took `count` more messages (told every low-water mark's worth, when the writer
   * would hear of it in libzmq): a driver whose peer counts credit passes it on.
   */
  inboundRead?(count: number): void;
}

/**
 * A bounded two-way queue between a socket and one peer (libzmq's pipe pair). High-water marks
 * count messages (0 = unlimited); a full queue is backpressure, never silent growth.
 *
 * Flow control is libzmq's, counter for counter: the writer counts what it wrote, the reader what
 * it read, and the reader reports its count to the writer only every low-water-mark messages
 * ((hwm + 1) / 2). So once a queue is full, the writer sees room again only after the reader has
 * taken a low-water mark's worth: wake-ups are batched, and a send retried right after a timeout
 * does not slip one message in. With `conflate`, each direction holds only its newest message.
 */
export class Pipe {
  private readonly outbound = new Fifo<Message>();
  private readonly inbound = new Fifo<Message>();
  private outWritten = 0;
  private outRead = 0;
  /** The reader's count as the writer last heard it (libzmq's _peers_msgs_read). */
  private outReadSeen = 0;
  private inWritten = 0;
  private inRead = 0;
  private inReadSeen = 0;
  private _driver: PipeDriver | null = null;
  private driven = false;
  /** Routing id as seen by a ROUTER (the peer's Identity or an auto id). */
  routingId: Buffer | null = null;
  /** The routing id was fixed at connect() (ZMQ_CONNECT_ROUTING_ID): the peer's Identity does not replace it. */
  fixedRoutingId = false;
  /** Properties the peer announced in its handshake. */
  metadata: Metadata = new Map();
  private live = false;

  /** Whether a FairQueue holds this pipe in its active list (fq.ts keeps it). */
  fairQueued = false;
  /** SUB pipes: subscription messages are sent as SUBSCRIBE / CANCEL to ZMTP 3.1 peers. */
  carriesSubscriptions = false;
  /**
   * The peer cannot say what it wants (libzmq's subscribe_to_all: a udp:// pipe), so a RADIO
   * sends it every message.
   */
  subscribesToAll = false;
  /** Set when the pipe has been detached from its socket; writes are then refused. */
  closed = false;
  /** The socket ended this pipe itself: its connection closes and is not made again. */
  terminated = false;

  constructor(
    readonly owner: PipeOwner,
    readonly endpoint: string,
    public sendHighWaterMark: number,
    public receiveHighWaterMark: number,
    /** Failover tier: lower is preferred; load-balancing sockets use worse tiers only as backups. */
    readonly priority = 0,
    /** ZMQ_CONFLATE: keep only the newest message each way, never block. */
    readonly conflate = false,
  ) {}

  /** Whether a connection (or inproc peer) currently serves this pipe. */
  get connected(): boolean {
    return this.live;
  }

  set connected(value: boolean) {
    if (this.live === value) return;
    this.live = value;
    // A peer that is back may take traffic again (failover tiers fail back to it).
    if (value && !this.closed && this.writable) this.owner.pipeWritable(this);
  }

  /** The connection side. A driver set after an earlier one is a new connection: see pipeHiccuped. */
  get driver(): PipeDriver | null {
    return this._driver;
  }

  set driver(driver: PipeDriver | null) {
    this._driver = driver;
    if (driver === null) return;
    if (this.driven && !this.closed) this.owner.pipeHiccuped?.(this);
    this.driven = true;
  }

  /** New high-water marks for a live pipe (libzmq applies ZMQ_SNDHWM / ZMQ_RCVHWM set after connect). */
  setHighWaterMarks(send: number, receive: number): void {
    const couldRead = this.acceptsInbound;
    this.sendHighWaterMark = send;
    this.receiveHighWaterMark = receive;
    if (!couldRead && this.acceptsInbound) this.driver?.inboundSpace();
  }

  // ---- socket side ----

  /** True when one more message fits in the outbound queue and the pipe is attached. */
  get writable(): boolean {
    return !this.closed && this.hasRoom;
  }

  /** One more message fits in the outbound queue (also while the pipe is being attached). */
  get hasRoom(): boolean {
    const hwm = this.sendHighWaterMark;
    return this.conflate || hwm <= 0 || this.outWritten - this.outReadSeen < hwm;
  }

  /**
   * Queues a message to the peer. Callers check `writable` first (lb, dist, router). A driver
   * that is idle takes it at once (an engine copies it into its batch); a message that stays
   * queued has its small frames copied, so the application may change its buffers as soon as
   * send() returns (see copySmallFrames). Returns whether the message stayed queued (its small
   * frames are then copies): a distributor passes `framesCopied` to the next pipes, so a message
   * fanned out to many queues is copied once, not once per pipe.
   */
  write(msg: Message, framesCopied = false): boolean {
    if (this.conflate) this.outbound.clear();
    this.outWritten++;
    if (this.outbound.length > 0) {
      this.outbound.push(msg);
      if (!framesCopied) copySmallFrames(msg);
      return true;
    }
    const driver = this._driver;
    // The common case of a connection keeping up: the message never waits in the queue.
    if (driver !== null && driver.takeNow !== undefined && driver.takeNow(msg)) {
      this.taken(false);
      return false;
    }
    this.outbound.push(msg);
    driver?.outboundReady();
    if (this.outbound.length === 0) return false;
    if (!framesCopied) copySmallFrames(msg);
    return true;
  }

  /**
   * write() for messages `from` up to `to` of `msgs` while one more fits, as many write() calls
   * would: an idle driver takes a whole run at once, the rest queue up to the high-water mark.
   * Returns how many were written. Callers check `writable` first.
   */
  writeMany(msgs: ReadonlyArray<OutgoingMessage>, from: number, to: number): number {
    let i = from;
    const driver = this._driver;
    if (!this.conflate && this.outbound.length === 0 && driver !== null && driver.takeMany !== undefined) {
      // Taken at once, as each write() would be: the queue stays empty, so there is room throughout.
      const n = driver.takeMany(msgs, from, to);
      if (n > 0) {
        this.outWritten += n;
        this.taken(false, n);
        i += n;
      }
    }
    while (i < to && this.writable) {
      const msg = msgs[i++]!;
      this.write(Array.isArray(msg) ? msg : [msg as Buffer]);
    }
    return i - from;
  }

  get readable(): boolean {
    return this.inbound.length > 0;
  }

  read(): Message | undefined {
    const msg = this.inbound.shift();
    if (msg === undefined) return undefined;
    const lwm = lowWater(this.receiveHighWaterMark);
    if (++this.inRead % lwm === 0) this.readLowWater(lwm);
    return msg;
  }

  /**
   * read() up to `max` times, appending to `into`; returns how many it read. A driver woken at a
   * low-water mark may deliver more at once: those are read too, in order, as read() would.
   */
  readMany(into: Message[], max: number): number {
    const inbound = this.inbound;
    const lwm = lowWater(this.receiveHighWaterMark);
    let n = 0;
    while (n < max) {
      const msg = inbound.shift();
      if (msg === undefined) break;
      into.push(msg);
      n++;
      if (++this.inRead % lwm === 0) this.readLowWater(lwm);
    }
    return n;
  }

  /** The reader took another low-water mark's worth: the writer hears of it (libzmq's activate_write). */
  private readLowWater(lwm: number): void {
    const wasFull = !this.acceptsInbound;
    this.inReadSeen = this.inRead;
    this._driver?.inboundRead?.(lwm);
    if (wasFull && this.acceptsInbound) this.driver?.inboundSpace();
  }

  get outboundLength(): number {
    return this.outbound.length;
  }

  get inboundLength(): number {
    return this.inbound.length;
  }

  // ---- connection side ----

  /**
   * Takes the next message to send to the peer. `passOn`: the message moves straight into the
   * peer's own queue (inproc), so the writer sees room at once and the peer's queue does the
   * flow control: together they hold SNDHWM + RCVHWM, libzmq's inproc pipe size.
   */
  takeOutbound(passOn = false): Message | undefined {
    const msg = this.outbound.shift();
    if (msg === undefined) return undefined;
    this.taken(passOn);
    return msg;
  }

  /**
   * The driver took `n` messages: the writer hears of it each time the count passes a low-water
   * mark (or at once).
   */
  private taken(passOn: boolean, n = 1): void {
    const lwm = lowWater(this.sendHighWaterMark);
    const passed = (this.outRead % lwm) + n >= lwm;
    this.outRead += n;
    if (passOn || passed) {
      const wasFull = !this.writable;
      this.outReadSeen = passOn ? this.outRead : this.outRead - (this.outRead % lwm);
      if (wasFull && !this.closed && this.writable) this.owner.pipeWritable(this);
    }
  }

  /** Whether messages wait to be sent (linger keeps the connection open while they do). */
  get hasOutbound(): boolean {
    return this.outbound.length > 0;
  }

  /**
   * Delivers a message from the peer. Returns false once the inbound queue is full: the driver
   * must stop reading until `inboundSpace()`.
   */
  deliver(msg: Message): boolean {
    if (this.conflate) this.inbound.clear();
    this.inbound.push(msg);
    this.inWritten++;
    if (this.inbound.length === 1 && !this.closed) this.owner.pipeReadable(this);
    return this.acceptsInbound;
  }

  /** Whether the driver should keep reading from the peer. */
  get acceptsInbound(): boolean {
    const hwm = this.receiveHighWaterMark;
    return this.conflate || hwm <= 0 || this.inWritten - this.inReadSeen < hwm;
  }

  /**
   * The socket ends this pipe (libzmq's pipe_t::terminate from the socket side; STREAM does it
   * for an empty frame): the connection delivers what was queued before, then closes for good.
   */
  terminate(): void {
    this.terminated = true;
    this.driver?.pipeTerminated?.();
  }

  /** Drops everything queued in both directions (socket closed). */
  discard(): void {
    this.discardOutbound();
    this.inbound.clear();
    this.inRead = this.inReadSeen = this.inWritten;
  }

  /** Drops what waits to be sent to a peer that is gone for good. */
  discardOutbound(): void {
    this.outbound.clear();
    this.outRead = this.outReadSeen = this.outWritten;
  }
}

/** libzmq's compute_lwm: half the high-water mark, rounded up; every message when unlimited. */
function lowWater(hwm: number): number {
  return hwm <= 0 ? 1 : Math.floor((hwm + 1) / 2);
}
