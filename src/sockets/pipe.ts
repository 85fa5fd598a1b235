import type { Metadata } from "../zmtp/metadata.js";
import { Fifo } from "./fifo.js";

/** A message is its frames; a multipart message travels and counts as one unit. */
export type Message = Buffer[];

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
  /** The socket read the inbound queue down to its low-water mark after it was full. */
  inboundSpace(): void;
}

/**
 * A bounded two-way queue between a socket and one peer (libzmq's pipe pair). High-water marks
 * count messages (0 = unlimited); a full queue is backpressure, never silent growth. The writer is
 * woken at the low-water mark, (hwm + 1) / 2 as in libzmq, so wake-ups are batched.
 */
export class Pipe {
  private readonly outbound = new Fifo<Message>();
  private readonly inbound = new Fifo<Message>();
  private outboundBlocked = false;
  private inboundBlocked = false;
  private _driver: PipeDriver | null = null;
  private driven = false;
  /** Routing id as seen by a ROUTER (the peer's Identity or an auto id). */
  routingId: Buffer | null = null;
  /** Properties the peer announced in its handshake. */
  metadata: Metadata = new Map();
  private live = false;

  /** Whether a FairQueue holds this pipe in its active list (fq.ts keeps it). */
  fairQueued = false;
  /** SUB pipes: subscription messages are sent as SUBSCRIBE / CANCEL to ZMTP 3.1 peers. */
  carriesSubscriptions = false;
  /** Set when the pipe has been detached from its socket; writes are then refused. */
  closed = false;

  constructor(
    readonly owner: PipeOwner,
    readonly endpoint: string,
    public sendHighWaterMark: number,
    public receiveHighWaterMark: number,
    /** Failover tier: lower is preferred; load-balancing sockets use worse tiers only as backups. */
    readonly priority = 0,
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

  // ---- socket side ----

  /** True when one more message fits in the outbound queue. */
  get writable(): boolean {
    return !this.closed && (this.sendHighWaterMark <= 0 || this.outbound.length < this.sendHighWaterMark);
  }

  /** Queues a message to the peer. Callers check `writable` first (lb, dist, router). */
  write(msg: Message): void {
    this.outbound.push(msg);
    if (!this.writable) this.outboundBlocked = true;
    if (this.outbound.length === 1) this.driver?.outboundReady();
  }

  get readable(): boolean {
    return this.inbound.length > 0;
  }

  read(): Message | undefined {
    const msg = this.inbound.shift();
    if (this.inboundBlocked && msg !== undefined && this.inbound.length <= lowWater(this.receiveHighWaterMark)) {
      this.inboundBlocked = false;
      this.driver?.inboundSpace();
    }
    return msg;
  }

  get outboundLength(): number {
    return this.outbound.length;
  }

  get inboundLength(): number {
    return this.inbound.length;
  }

  // ---- connection side ----

  /** Takes the next message to send to the peer. */
  takeOutbound(): Message | undefined {
    const msg = this.outbound.shift();
    if (this.outboundBlocked && msg !== undefined && this.outbound.length <= lowWater(this.sendHighWaterMark)) {
      this.outboundBlocked = false;
      if (!this.closed) this.owner.pipeWritable(this);
    }
    return msg;
  }

  /** Whether messages wait to be sent (linger keeps the connection open while they do). */
  get hasOutbound(): boolean {
    return this.outbound.length > 0;
  }

  /**
   * Delivers a message from the peer. Returns false once the inbound queue is at its high-water
   * mark: the driver must stop reading until `inboundSpace()`.
   */
  deliver(msg: Message): boolean {
    this.inbound.push(msg);
    if (this.inbound.length === 1 && !this.closed) this.owner.pipeReadable(this);
    if (this.receiveHighWaterMark > 0 && this.inbound.length >= this.receiveHighWaterMark) {
      this.inboundBlocked = true;
      return false;
    }
    return true;
  }

  /** Whether the driver should keep reading from the peer. */
  get acceptsInbound(): boolean {
    return !this.inboundBlocked;
  }

  /** Drops everything queued in both directions (socket closed). */
  discard(): void {
    this.outbound.clear();
    this.inbound.clear();
  }

  /** Drops what waits to be sent to a peer that is gone for good. */
  discardOutbound(): void {
    this.outbound.clear();
  }
}

function lowWater(hwm: number): number {
  return hwm <= 0 ? Number.MAX_SAFE_INTEGER : Math.floor((hwm + 1) / 2);
}
