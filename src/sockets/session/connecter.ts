import { startRawEngine } from "#platform/raw";
import type { ClockTimer } from "../../clock.js";
import { Engine, type EngineClose, type EngineHost } from "../../zmtp/engine.js";
import type { Metadata } from "../../zmtp/metadata.js";
import type { ByteStream } from "../../transports/stream.js";
import type { SocksOptions, Transport } from "../../transports/transport.js";
import type { Message, Pipe } from "../pipe.js";
import { applyPeer, emitEngineClose, emitRefused, type SessionOwner } from "./owner.js";
import type { RawEngine, RawEngineHost } from "./raw-engine.js";

/** Messages a connect()ed endpoint still had for its peer when its socket went away. */
export interface Undelivered {
  address: string;
  /** ZMQ_CONNECT_ROUTING_ID given at connect(), if any. */
  routingId: Buffer | null;
  priority: number;
  messages: Message[];
}

/**
 * One `connect()`ed endpoint: dials, runs an engine per connection and redials with libzmq's
 * backoff. With immediate = false its pipe lives from connect() to disconnect(), so messages
 * queued while the peer is away are delivered when it comes back (docs/protocol.md §5.9).
 */
export class Connecter implements EngineHost, RawEngineHost {
  private pipe: Pipe | null = null;
  private pipeAttached = false;
  private engine: Engine | RawEngine | null = null;
  private stream: ByteStream | null = null;
  private retryTimer: ClockTimer | null = null;
  private attempt = 0;
  /** ZMQ_SOCKS_* as at connect(): libzmq's session takes its copy of the options then. */
  private readonly socks: SocksOptions | null;
  /** What this endpoint's events (and its engines') name: the SOCKS proxy's address when there is one, as libzmq. */
  private readonly eventAddress: string;
  /** Set on disconnect() and after a fatal handshake failure (libzmq then gives up on the endpoint). */
  stopped = false;

  constructor(
    private readonly owner: SessionOwner,
    readonly address: string,
    private readonly transport: Transport,
    /** Router.connect(addr, { routingId }): the id this peer gets, whatever it announces. */
    private readonly fixedRoutingId: Buffer | null,
    /** Failover tier of this endpoint's pipe (lower is preferred). */
    private readonly priority: number,
  ) {
    const options = owner.transportOptions;
    this.socks = options.socks;
    this.eventAddress = transport.eventAddress?.(address, options) ?? address;
  }

  start(): void {
    if (this.owner.attachesBeforeHandshake || this.fixedRoutingId !== null) {
      if (!this.owner.options.immediate) {
        this.pipe = this.owner.createPipe(this.address, this.priority);
        this.pipe.routingId = this.fixedRoutingId;
        this.pipe.fixedRoutingId = this.fixedRoutingId !== null;
        this.pipeAttached = this.owner.attachPipe(this.pipe);
      }
    }
    this.dial();
  }

  /** Messages still queued towards this peer (linger waits for them). */
  get pendingOutbound(): boolean {
    return (this.pipe?.hasOutbound ?? false) || (this.engine !== null && this.engine.unsentBytes > 0);
  }

  get connected(): boolean {
    return this.engine?.handshaken ?? false;
  }

  /** Takes what is still queued for the peer (it is delivered elsewhere: the process is exiting). */
  takeUndelivered(): Undelivered | null {
    const pipe = this.pipe;
    if (pipe === null || !pipe.hasOutbound) return null;
    const messages: Message[] = [];
    for (let msg = pipe.takeOutbound(); msg !== undefined; msg = pipe.takeOutbound()) messages.push(msg);
    return { address: this.address, routingId: this.fixedRoutingId, priority: this.priority, messages };
  }

  /**
   * One connection attempt, with libzmq's events: tcp reports connect:delay once the host is
   * resolved and the connection is under way, ipc never (it connects or fails at once); a failure
   * after the OS socket exists is a `close`, a failed resolution only the retry.
   */
  private dial(): void {
    this.retryTimer = null;
    // A STREAM ended this peer's pipe while it was away: libzmq's session ends with the pipe.
    if (this.pipe?.terminated === true) this.stop();
    if (this.stopped) return;
    let stream: ByteStream;
    try {
      stream = this.transport.dial(this.address, { ...this.owner.transportOptions, socks: this.socks });
    } catch {
      // An address libzmq resolves only when dialling (a port that is 0 once a uint16).
      this.scheduleRetry();
      return;
    }
    stream.unref?.();
    this.stream = stream;
    let socketMade = !this.transport.connectDelayed;
    if (this.transport.connectDelayed) {
      stream.once("connecting", () => {
        socketMade = true;
        this.owner.emit({ type: "connect:delay", address: this.eventAddress });
      });
    }
    const onError = (): void => {
      stream.destroy();
      if (this.stream === stream) this.stream = null;
      if (socketMade) this.owner.emit({ type: "close", address: this.eventAddress });
      this.scheduleRetry();
    };
    stream.once("error", onError);
    stream.once("connect", () => {
      stream.off("error", onError);
      // libzmq recreates its connecter after every successful TCP connect: the backoff restarts.
      this.attempt = 0;
      this.owner.emit({ type: "connect", address: this.eventAddress });
      // libzmq reports a transport's own handshake (the WebSocket upgrade) as one, before the mechanism's.
      stream.once("handshake", () => this.owner.emit({ type: "handshake", address: this.eventAddress }));
      this.engine =
        this.owner.options.rawSocket && stream.zmtpOnly !== true
          ? startRawEngine(stream, this.owner, this, this.eventAddress)
          : new Engine(stream, this.owner.engineOptions(), this, this.eventAddress);
    });
  }

  /** Next wait: IVL + jitter, or IVL·2^k capped at the maximum (libzmq 4.3.5 semantics). */
  private nextInterval(): number {
    const ivl = this.owner.options.reconnectInterval;
    const max = this.owner.options.reconnectMaxInterval;
    const k = this.attempt;
    this.attempt += 1;
    if (max > ivl) return Math.min(max, ivl * 2 ** Math.min(k, 30));
    return ivl + Math.floor(Math.random() * ivl);
  }

  private scheduleRetry(): void {
    // libzmq 4.3.x: any interval <= 0 disables reconnection (the first attempt still happens).
    if (this.stopped || this.owner.options.reconnectInterval <= 0) return;
    const interval = this.nextInterval();
    this.owner.emit({ type: "connect:retry", address: this.eventAddress, interval });
    this.retryTimer = this.owner.clock.setTimeout(() => this.dial(), interval);
  }

  engineReady(engine: Engine, props: Metadata): void {
    this.owner.emit({ type: "handshake", address: this.eventAddress });
    if (this.pipe === null) this.pipe = this.owner.createPipe(this.address, this.priority);
    applyPeer(this.pipe, props, this.fixedRoutingId);
    this.pipe.connected = true;
    if (!this.pipeAttached) this.pipeAttached = this.owner.attachPipe(this.pipe);
    if (this.pipeAttached) engine.attach(this.pipe);
  }

  /** A raw connection (STREAM): no handshake to report, and a pipe kept across reconnects keeps its routing id. */
  rawEngineReady(engine: RawEngine): void {
    if (this.pipe?.terminated === true) {
      engine.close({ kind: "local", error: null, handshaken: true, fatal: true });
      return;
    }
    // With immediate the pipe is the session's, not connect()'s: libzmq then gives it a generated
    // id, not the connect routing id (identify_peer only uses that for locally initiated pipes).
    this.pipe ??= this.owner.createPipe(this.address, this.priority);
    this.pipe.connected = true;
    if (!this.pipeAttached) this.pipeAttached = this.owner.attachPipe(this.pipe);
    if (this.pipeAttached) engine.attach(this.pipe);
  }

  engineRefused(_engine: Engine, error: Error): void {
    emitRefused(this.owner, this.eventAddress, error);
  }

  engineClosed(engine: Engine | RawEngine, reason: EngineClose): void {
    if (this.engine === engine) this.engine = null;
    this.stream = null;
    emitEngineClose(this.owner, this.eventAddress, reason);
    if (this.pipe !== null) this.pipe.connected = false;
    const keepPipe =
      this.pipe !== null &&
      !this.owner.options.immediate &&
      !reason.fatal &&
      (this.owner.attachesBeforeHandshake || this.fixedRoutingId !== null);
    if (!keepPipe) this.dropPipe();
    if (this.stopped) return;
    // libzmq gives up on an endpoint after a protocol or auth failure (docs/protocol.md §11.2).
    if (reason.fatal) {
      this.stopped = true;
      return;
    }
    this.scheduleRetry();
  }

  private dropPipe(): void {
    const pipe = this.pipe;
    if (pipe === null) return;
    this.pipe = null;
    if (this.pipeAttached) this.owner.detachPipe(pipe);
    this.pipeAttached = false;
  }

  /**
   * Stops redialling and closes the connection: `graceful` flushes what was written first
   * (linger kept it), otherwise the connection is cut at once (linger 0).
   */
  stop(graceful = true): void {
    this.stopped = true;
    if (this.retryTimer !== null) this.owner.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    // A live engine ends gracefully (what linger left to send is flushed); a pending dial is cut.
    if (this.engine !== null)
      this.engine.close({ kind: "local", error: null, handshaken: this.engine.handshaken, fatal: false, graceful });
    else this.stream?.destroy();
    this.engine = null;
    this.stream = null;
    this.dropPipe();
  }
}
