import { backgroundClock, type Clock } from "../clock.js";
import type { ContextCore } from "../context.js";
import { zmqError, type ZmqError } from "../errors.js";
import type { TransportOptions } from "../transports/transport.js";
import type { EngineOptions } from "../zmtp/engine.js";
import type { Metadata } from "../zmtp/metadata.js";
import { sendsIdentity, type SocketTypeName } from "../zmtp/socket-types.js";
import type { MonitorEvent, MonitorSink, OptionArgument, OptionKind, OptionResult, SocketCore } from "./core.js";
import { Endpoints, type EndpointsOwner } from "./endpoints.js";
import type { Event } from "./events.js";
import { Pipe, type Message, type PipeOwner } from "./pipe.js";
import type { Undelivered } from "./session/connecter.js";
import { engineOptionsFor, transportOptionsFor } from "./session/engine-options.js";
import { zapClient } from "./session/zap-client.js";
import {
  Opt,
  defaultOptions,
  getCommonOption,
  setCommonOption,
  setTypeOption,
  type OptionValues,
  type TypeOptionFamily,
} from "./socket-options.js";
import { newCounters, type PeerInfo, type SocketCounters, type SocketStatistics } from "./statistics.js";

/** libzmq's socket type numbers (zmq.h), as zeromq.js's `socket.type` reports them. */
export const SOCKET_TYPE_NUMBER: Record<SocketTypeName, number> = {
  PAIR: 0,
  PUB: 1,
  SUB: 2,
  REQ: 3,
  REP: 4,
  DEALER: 5,
  ROUTER: 6,
  PULL: 7,
  PUSH: 8,
  XPUB: 9,
  XSUB: 10,
  STREAM: 11,
  SERVER: 12,
  CLIENT: 13,
  RADIO: 14,
  DISH: 15,
  GATHER: 16,
  SCATTER: 17,
  DGRAM: 18,
};

/** This thread's sockets that are open, or closed and still delivering (linger). */
const liveSockets = new Set<SocketBase>();
export const threadSockets: ReadonlySet<SocketBase> = liveSockets;

/** How often a lingering close checks whether everything was delivered. */
const LINGER_POLL_MS = 10;
const POLLIN = 1;
const POLLOUT = 2;

/**
 * The socket core every type shares, with libzmq's non-blocking calls (SocketCore): options by
 * id, bind/connect, send/receive that never wait, readiness, linger and monitor events. A socket
 * type is a routing policy: it implements the `x*` hooks over the pipes it is given and says
 * nothing about bytes, connections or promises.
 */
export abstract class SocketBase implements SocketCore, PipeOwner, EndpointsOwner {
  readonly options: OptionValues = defaultOptions();
  readonly counters: SocketCounters = newCounters();
  /** Time for backoff, heartbeats, handshake deadlines and linger; tests set a fake one before bind/connect. */
  clock: Clock = backgroundClock;
  onReadiness: (() => void) | null = null;
  /** The failover tier (0..255, lower preferred) of endpoints bound or connected from now on. */
  private tier = 0;
  private _closed = false;
  /** When a lingering close gives up (clock time); Infinity for linger -1. */
  private lingerDeadline = Infinity;
  private sink: MonitorSink | null = null;
  private readonly endpoints = new Endpoints(this);
  /** Pipes currently attached to the routing policy. */
  protected readonly pipes = new Set<Pipe>();

  protected constructor(
    /** ZMTP Socket-Type */
    readonly zmtpType: SocketTypeName,
    readonly context: ContextCore,
  ) {
    context.openSocket();
    liveSockets.add(this);
    // libzmq: a context that is not blocky gives its sockets linger 0; ZMQ_IPV6 is inherited.
    this.options.linger = context.blocky ? -1 : 0;
    this.options.ipv6 = context.ipv6;
  }

  // ---- routing policy hooks ----

  /** A pipe joined (handshake done, or connect() with immediate = false). Return false to refuse it. */
  protected abstract xattach(pipe: Pipe): boolean;
  protected abstract xdetach(pipe: Pipe): void;
  /** Queue `msg` on some pipe; false means "would block" (EAGAIN). Throw for EFSM, EHOSTUNREACH, ENOTSUP. */
  protected abstract xsend(msg: Message): boolean;
  /** The next message for the application, or undefined if none is ready. Throw for EFSM, ENOTSUP. */
  protected abstract xrecv(): Message | undefined;
  /** A pipe got its first inbound message. */
  protected abstract xreadActivated(pipe: Pipe): void;
  /** ZMQ_POLLIN: a message can be received now (libzmq's xhas_in). */
  protected abstract xhasIn(): boolean;
  /** ZMQ_POLLOUT: a message can be sent now (libzmq's xhas_out). */
  protected abstract xhasOut(): boolean;
  /** Which type-specific options the type accepts (libzmq's xsetsockopt, by class). */
  protected get optionFamily(): TypeOptionFamily {
    return "none";
  }
  /** Options with an action (SUB's subscribe); true when handled. */
  protected xsetsockopt(_id: number, _value: OptionArgument): boolean {
    return false;
  }
  /** ZMQ_THREAD_SAFE: libzmq's draft types but DGRAM are thread safe (no classic type is). */
  protected get threadSafe(): boolean {
    return false;
  }
  /** Whether a connect() pipe may exist before the peer is known (ROUTER needs the peer's id first). */
  get attachesBeforeHandshake(): boolean {
    return true;
  }

  // ---- SocketCore ----

  get type(): number {
    return SOCKET_TYPE_NUMBER[this.zmtpType];
  }

  get closed(): boolean {
    return this._closed;
  }

  get hasIn(): boolean {
    return !this._closed && this.xhasIn();
  }

  get hasOut(): boolean {
    return !this._closed && this.xhasOut();
  }

  send(msg: Message): boolean {
    if (this._closed) throw zmqError("ENOTSOCK");
    // A message of no frames (send([])) sends nothing, as zeromq.js's loop over its parts.
    if (msg.length === 0) return true;
    return this.xsend(msg);
  }

  receive(): Message | undefined {
    if (this._closed) throw zmqError("ENOTSOCK");
    return this.xrecv();
  }

  async bind(address: string): Promise<void> {
    if (this._closed) throw zmqError("ENOTSOCK");
    await this.endpoints.bind(address, { priority: this.tier });
  }

  async unbind(address: string): Promise<void> {
    if (this._closed) throw zmqError("ENOTSOCK");
    this.endpoints.terminate(address);
  }

  connect(address: string): void {
    if (this._closed) throw zmqError("ENOTSOCK");
    const routingId = this.options.connectRoutingId;
    this.endpoints.connect(address, {
      priority: this.tier,
      routingId: routingId.length > 0 ? routingId : undefined,
    });
    // libzmq consumes ZMQ_CONNECT_ROUTING_ID with the connect it applied to.
    this.options.connectRoutingId = Buffer.alloc(0);
  }

  disconnect(address: string): void {
    if (this._closed) throw zmqError("ENOTSOCK");
    this.endpoints.terminate(address);
  }

  setOption(id: number, value: OptionArgument): void {
    if (this._closed) throw zmqError("ENOTSOCK");
    if (this.xsetsockopt(id, value)) return;
    if (!setTypeOption(this.options, this.optionFamily, id, value)) setCommonOption(this.options, id, value);
    // Since libzmq 4.2 new high-water marks apply to existing pipes too.
    if (id === Opt.SndHwm || id === Opt.RcvHwm) {
      for (const pipe of this.pipes)
        pipe.setHighWaterMarks(this.options.sendHighWaterMark, this.options.receiveHighWaterMark);
      this.readinessChanged();
    }
  }

  getOption(id: number, kind: OptionKind): OptionResult {
    if (this._closed) throw zmqError("ENOTSOCK");
    switch (id) {
      case Opt.Events:
        if (kind !== "int") throw zmqError("EINVAL");
        return (this.xhasIn() ? POLLIN : 0) | (this.xhasOut() ? POLLOUT : 0);
      case Opt.Type:
        if (kind !== "int") throw zmqError("EINVAL");
        return this.type;
      case Opt.RcvMore:
        // Messages are received whole.
        if (kind !== "int") throw zmqError("EINVAL");
        return 0;
      case Opt.ThreadSafe:
        if (kind !== "int") throw zmqError("EINVAL");
        return this.threadSafe ? 1 : 0;
      case Opt.LastEndpoint: {
        if (kind !== "bytes") throw zmqError("EINVAL");
        const last = this.endpoints.last;
        const out = Buffer.alloc(Buffer.byteLength(last) + 1);
        out.write(last);
        return out;
      }
      default:
        return getCommonOption(this.options, id, kind);
    }
  }

  monitor(sink: MonitorSink | null): void {
    if (this._closed) throw zmqError("ENOTSOCK");
    // libzmq stops the previous monitor, which receives its last event.
    this.sink?.event({ type: "end", address: "", value: 0 });
    this.sink = sink;
  }

  // ---- zmtp extensions ----

  get failoverTier(): number {
    return this.tier;
  }

  set failoverTier(value: number) {
    if (!Number.isInteger(value) || value < 0 || value > 255) throw zmqError("EINVAL");
    this.tier = value;
  }

  /** Traffic counters and current peers (not in zeromq.js; for monitoring). */
  get statistics(): SocketStatistics {
    return { ...this.counters, peers: this.pipes.size };
  }

  /**
   * Queue introspection (not in zeromq.js): one entry per peer pipe, with where it goes, its
   * failover tier, whether it is connected, and how full its queues are.
   */
  peers(): PeerInfo[] {
    const list: PeerInfo[] = [];
    for (const pipe of this.pipes) {
      list.push({
        endpoint: pipe.endpoint,
        priority: pipe.priority,
        connected: pipe.connected,
        routingId: pipe.routingId,
        queuedOut: pipe.outboundLength,
        queuedIn: pipe.inboundLength,
        sendHighWaterMark: pipe.sendHighWaterMark,
        receiveHighWaterMark: pipe.receiveHighWaterMark,
      });
    }
    return list;
  }

  // ---- PipeOwner ----

  pipeReadable(pipe: Pipe): void {
    this.xreadActivated(pipe);
    this.readinessChanged();
  }

  pipeWritable(_pipe: Pipe): void {
    this.readinessChanged();
  }

  /** Tells the API layer that a pending operation may complete now. */
  protected readinessChanged(): void {
    this.onReadiness?.();
  }

  // ---- EndpointsOwner: what sessions and inproc links need ----

  get transportOptions(): TransportOptions {
    return transportOptionsFor(this.zmtpType, this.options);
  }

  engineOptions(): EngineOptions {
    return engineOptionsFor(
      this.zmtpType,
      this.options,
      this.counters,
      this.clock,
      zapClient(this.context, this.options.handshakeInterval),
    );
  }

  createPipe(endpoint: string, priority = 0): Pipe {
    const o = this.options;
    return new Pipe(this, endpoint, o.sendHighWaterMark, o.receiveHighWaterMark, priority, this.conflates);
  }

  /** ZMQ_CONFLATE applies to DEALER, PULL, PUSH, PUB and SUB only (libzmq's get_effective_conflate_option). */
  private get conflates(): boolean {
    if (!this.options.conflate) return false;
    const type = this.zmtpType;
    return type === "DEALER" || type === "PULL" || type === "PUSH" || type === "PUB" || type === "SUB";
  }

  attachPipe(pipe: Pipe): boolean {
    if (this._closed || this.pipes.has(pipe)) return this.pipes.has(pipe);
    // Open before xattach: a type may write to the pipe as it joins (probe, welcome message).
    pipe.closed = false;
    if (!this.xattach(pipe)) {
      // Refused (PAIR already paired, ROUTER duplicate id): nothing it delivers may reach us.
      pipe.closed = true;
      return false;
    }
    this.pipes.add(pipe);
    if (pipe.readable) this.xreadActivated(pipe);
    this.readinessChanged();
    return true;
  }

  detachPipe(pipe: Pipe): void {
    if (!this.pipes.delete(pipe)) return;
    pipe.closed = true;
    this.xdetach(pipe);
  }

  inprocProperties(): Metadata {
    const props: Metadata = new Map([["Socket-Type", Buffer.from(this.zmtpType)]]);
    if (sendsIdentity(this.zmtpType) && this.options.routingId.length > 0)
      props.set("Identity", this.options.routingId);
    return props;
  }

  inprocLinked(pipe: Pipe, peer: Metadata): void {
    pipe.metadata = peer;
    // A routing id fixed at connect() (ZMQ_CONNECT_ROUTING_ID) wins over what the peer announces.
    if (!pipe.fixedRoutingId) {
      const identity = peer.get("Identity");
      pipe.routingId = identity !== undefined && identity.length > 0 ? identity : null;
    }
    pipe.connected = true;
    this.attachPipe(pipe);
  }

  inprocUnlinked(pipe: Pipe): void {
    pipe.connected = false;
    this.detachPipe(pipe);
  }

  /** A connection event from the sessions, to the monitor as libzmq's event with its one value. */
  emit(event: Event): void {
    const sink = this.sink;
    if (sink === null) return;
    sink.event(monitorEvent(event));
  }

  // ---- close ----

  /**
   * zmq_close: no new peers from now on; queued outbound messages are still delivered for up to
   * `linger` ms (-1: until done), then every connection ends and the monitor gets `end`.
   */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this.onReadiness = null;
    this.context.closeSocket();
    this.endpoints.stopListening();
    const linger = this.options.linger;
    if (linger === 0 || !this.hasPendingOutbound()) {
      this.terminate();
      return;
    }
    const clock = this.clock;
    const deadline = linger < 0 ? Infinity : clock.now() + linger;
    this.lingerDeadline = deadline;
    const poll = (): void => {
      if (this.hasPendingOutbound() && clock.now() < deadline) {
        clock.setTimeout(poll, LINGER_POLL_MS);
        return;
      }
      this.terminate();
    };
    clock.setTimeout(poll, LINGER_POLL_MS);
  }

  private hasPendingOutbound(): boolean {
    for (const pipe of this.pipes) if (pipe.hasOutbound) return true;
    return this.endpoints.pendingOutbound;
  }

  // ---- the process's exit (src/api/process-exit.ts) ----

  /** How long the socket may still deliver, in ms: its linger, or what is left of it once closed; -1 = no limit. */
  get lingerLeft(): number {
    if (!this._closed) return this.options.linger;
    if (this.lingerDeadline === Infinity) return -1;
    return Math.max(0, this.lingerDeadline - this.clock.now());
  }

  /** Messages queued for peers outside this thread (a thread's end would lose them). */
  get outboundPending(): boolean {
    return this.endpoints.pendingOutbound;
  }

  /** Takes what connect()ed endpoints still keep for peers that are away (the exit hands it on). */
  takeUndelivered(): Undelivered[] {
    return this.endpoints.takeUndelivered();
  }

  /** Ends the socket now, whatever linger says (the process is exiting). */
  abort(): void {
    if (!this._closed) {
      this.options.linger = 0;
      this.close();
    } else if (liveSockets.has(this)) {
      this.options.linger = 0;
      this.terminate();
    }
  }

  private terminate(): void {
    if (!liveSockets.delete(this)) return;
    this.endpoints.closeAll(this.options.linger !== 0);
    for (const pipe of [...this.pipes]) {
      this.detachPipe(pipe);
      pipe.discard();
    }
    const sink = this.sink;
    this.sink = null;
    sink?.event({ type: "end", address: "", value: 0 });
  }
}

/** A session event as libzmq's monitor carries it: the endpoint and one value. */
function monitorEvent(event: Event): MonitorEvent {
  switch (event.type) {
    case "connect:retry":
      return { type: event.type, address: event.address, value: event.interval };
    case "handshake:error:auth":
      return { type: event.type, address: event.address, value: (event.error as { status?: number }).status ?? 400 };
    case "handshake:error:protocol":
    case "bind:error":
    case "accept:error":
    case "close:error":
    case "handshake:error:other":
      return { type: event.type, address: event.address, value: (event.error as ZmqError).code ?? "EINVAL" };
    case "end":
    case "unknown":
      return { type: "end", address: "", value: 0 };
    default:
      return { type: event.type, address: event.address, value: 0 };
  }
}
