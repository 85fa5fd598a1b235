import { systemClock, type Clock } from "../clock.js";
import { context as defaultContext, type Context } from "../context.js";
import { ZmqError, zmqError } from "../errors.js";
import type { TransportOptions } from "../transports/transport.js";
import type { EngineOptions } from "../zmtp/engine.js";
import type { Metadata } from "../zmtp/metadata.js";
import { sendsIdentity, type SocketTypeName } from "../zmtp/socket-types.js";
import { Endpoints, type EndpointOptions, type EndpointsOwner } from "./endpoints.js";
import { Observer, type Event } from "./events.js";
import { toFrames, type MessageLike } from "./message.js";
import { COMMON_OPTIONS, defaultOptions, defineOptions, type OptionName, type OptionValues } from "./options.js";
import { Pipe, type Message, type PipeOwner } from "./pipe.js";
import { zapClient } from "./session/zap-client.js";
import { createMechanism, defineSecurityOptions, securityMechanism } from "./session/security.js";
import { newCounters, type SocketCounters, type SocketStatistics } from "./statistics.js";

/** zeromq.js's numeric SocketType values (`socket.type`). */
export const SOCKET_TYPE_NUMBER: Record<SocketTypeName, number> = {
  PAIR: 0, PUB: 1, SUB: 2, REQ: 3, REP: 4, DEALER: 5, ROUTER: 6, PULL: 7, PUSH: 8, XPUB: 9, XSUB: 10,
};

export type { EndpointOptions };

/** One peer as `peers()` reports it. */
export interface PeerInfo {
  endpoint: string;
  priority: number;
  connected: boolean;
  /** The peer's routing id (its Identity, or the id a ROUTER gave it), when known. */
  routingId: Buffer | null;
  queuedOut: number;
  queuedIn: number;
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | null;
}

interface SendWaiter extends Waiter<void> {
  msg: Message;
}

const RESOLVED: Promise<void> = Promise.resolve();
/**
 * A send that completes at once resolves in a microtask, so `for (...) await socket.send(m)` never
 * lets the event loop run: no bytes leave (pumps run on the next tick), no drain or incoming data
 * is seen, and a PUB drops everything past its HWM. libzmq's I/O thread runs beside the sender;
 * here every this many immediate sends, the promise resolves after the event loop has had a turn.
 */
const YIELD_EVERY_SENDS = 512;
const yieldToEventLoop = (resolve: () => void): void => {
  setImmediate(resolve);
};
/** How often a lingering close checks whether everything was delivered. */
const LINGER_POLL_MS = 10;

/**
 * The socket core every type shares: options, bind/connect, the async send/receive machinery,
 * linger and events. A socket type is a routing policy: it implements the five `x*` hooks over
 * the pipes it is given, and says nothing about bytes or connections.
 */
export abstract class Socket implements PipeOwner, EndpointsOwner {
  /** @internal */
  readonly options: OptionValues = defaultOptions();
  /** @internal */
  readonly counters: SocketCounters = newCounters();
  /** @internal Time for backoff, heartbeats, handshake deadlines and linger; tests set a fake one before bind/connect. */
  clock: Clock = systemClock;
  readonly context: Context;
  private _closed = false;
  private _events: Observer | null = null;
  private _lastEndpoint: string | null = null;
  private readonly endpoints = new Endpoints(this);
  /** Pipes currently attached to the routing policy. */
  protected readonly pipes = new Set<Pipe>();
  private sendWaiter: SendWaiter | null = null;
  private immediateSends = 0;
  private recvWaiter: Waiter<Message> | null = null;

  protected constructor(
    /** @internal ZMTP Socket-Type */
    readonly zmtpType: SocketTypeName,
    options: object | undefined,
  ) {
    const { context, ...rest } = (options ?? {}) as { context?: Context } & Record<string, unknown>;
    this.context = context ?? defaultContext;
    if (!this.context.blocky) this.options.linger = 0;
    // libzmq's context-level ZMQ_IPV6 is the default for its new sockets.
    if (this.context.ipv6) this.options.ipv6 = true;
    for (const [key, value] of Object.entries(rest)) {
      if (!(key in this)) throw new TypeError(`Cannot add property ${key}, object is not extensible`);
      (this as unknown as Record<string, unknown>)[key] = value;
    }
  }

  // ---- routing policy hooks ----

  /** A pipe joined (handshake done, or connect() with immediate = false). Return false to refuse it. */
  protected abstract xattach(pipe: Pipe): boolean;
  protected abstract xdetach(pipe: Pipe): void;
  /** Queue `msg` on some pipe; false means "would block" (EAGAIN). Throw ZmqError for EFSM etc. */
  protected abstract xsend(msg: Message): boolean;
  /** The next message for the application, or undefined if none is ready. */
  protected abstract xrecv(): Message | undefined;
  /** A pipe got its first inbound message. */
  protected abstract xreadActivated(pipe: Pipe): void;
  /** Whether a connect() pipe may exist before the peer is known (ROUTER needs the peer's id first). */
  get attachesBeforeHandshake(): boolean {
    return true;
  }

  // ---- public read-only state ----

  get type(): number {
    return SOCKET_TYPE_NUMBER[this.zmtpType];
  }

  get closed(): boolean {
    return this._closed;
  }

  get lastEndpoint(): string | null {
    return this._lastEndpoint;
  }

  /** @internal Whether some bind() or connect() is in effect (a Proxy needs both ends set up). */
  get hasEndpoints(): boolean {
    return this.endpoints.any;
  }

  get securityMechanism(): null | "plain" | "curve" {
    return securityMechanism(this.options);
  }

  get threadSafe(): boolean {
    return false;
  }

  /** Whether a receive() would complete now. */
  get readable(): boolean {
    if (this._closed) return false;
    for (const pipe of this.pipes) if (pipe.readable) return true;
    return false;
  }

  /** Whether a send() would complete now. */
  get writable(): boolean {
    if (this._closed) return false;
    for (const pipe of this.pipes) if (pipe.writable) return true;
    return false;
  }

  /** Traffic counters and current peers (not in zeromq.js; for monitoring). */
  get statistics(): SocketStatistics {
    return { ...this.counters, peers: this.pipes.size };
  }

  /** Socket events (connect, handshake, disconnect, ...), as zeromq.js's `socket.events`. */
  get events(): Observer {
    if (this._events === null) this._events = new Observer();
    return this._events;
  }

  // ---- endpoints ----

  /**
   * Binds an endpoint. `priority` (not in zeromq.js) puts the peers accepted here in a failover
   * tier for PUSH / DEALER / REQ: lower is preferred, 0 is the default.
   */
  async bind(address: string, options: EndpointOptions = {}): Promise<void> {
    this.checkOpen();
    if (typeof address !== "string") throw new TypeError("Address must be a string");
    const endpoint = await this.endpoints.bind(address, options);
    this._lastEndpoint = endpoint;
    this.emit({ type: "bind", address: endpoint });
  }

  async unbind(address: string): Promise<void> {
    this.checkOpen();
    this.endpoints.unbind(address);
  }

  /**
   * Connects to an endpoint (synchronously; the connection is made in the background and
   * re-made after failures). `priority` as for bind(); `routingId` only for Router.
   */
  connect(address: string, options: EndpointOptions & { routingId?: string } = {}): void {
    this.checkOpen();
    if (typeof address !== "string") throw new TypeError("Address must be a string");
    this.endpoints.connect(address, options);
  }

  disconnect(address: string): void {
    this.checkOpen();
    this.endpoints.disconnect(address);
  }

  // ---- send / receive ----

  /** @internal The body of `send()` for socket types that can send. */
  protected sendMessage(message: MessageLike | MessageLike[]): Promise<void> {
    if (this._closed) return Promise.reject(zmqError("EBADF", "Socket is closed"));
    if (this.sendWaiter !== null) {
      return Promise.reject(zmqError("EBUSY", "Socket is busy writing; only one send operation may be in progress at any time"));
    }
    let msg: Message;
    try {
      msg = toFrames(message);
      if (this.xsend(msg)) {
        if (++this.immediateSends < YIELD_EVERY_SENDS) return RESOLVED;
        this.immediateSends = 0;
        return new Promise<void>(yieldToEventLoop);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    const timeout = this.options.sendTimeout;
    if (timeout === 0) return Promise.reject(zmqError("EAGAIN"));
    return new Promise<void>((resolve, reject) => {
      const waiter: SendWaiter = { msg, resolve, reject, timer: null };
      if (timeout > 0) waiter.timer = setTimeout(() => this.expireSend(waiter), timeout);
      this.sendWaiter = waiter;
    });
  }

  /** @internal The body of `receive()` for socket types that can receive. */
  protected receiveMessage(): Promise<Message> {
    if (this._closed) return Promise.reject(zmqError("EBADF", "Socket is closed"));
    if (this.recvWaiter !== null) {
      return Promise.reject(zmqError("EBUSY", "Socket is busy reading; only one receive operation may be in progress at any time"));
    }
    try {
      const msg = this.xrecv();
      if (msg !== undefined) return Promise.resolve(msg);
    } catch (err) {
      return Promise.reject(err);
    }
    const timeout = this.options.receiveTimeout;
    if (timeout === 0) return Promise.reject(zmqError("EAGAIN"));
    return new Promise<Message>((resolve, reject) => {
      const waiter: Waiter<Message> = { resolve, reject, timer: null };
      if (timeout > 0) {
        waiter.timer = setTimeout(() => {
          if (this.recvWaiter !== waiter) return;
          this.recvWaiter = null;
          reject(zmqError("EAGAIN"));
        }, timeout);
      }
      this.recvWaiter = waiter;
    });
  }

  /** @internal `for await (const msg of socket)`: ends when the socket is closed. */
  protected async *iterateMessages(): AsyncGenerator<Message, undefined> {
    while (!this._closed) {
      try {
        yield await this.receiveMessage();
      } catch (err) {
        if (this._closed) return undefined;
        throw err;
      }
    }
    return undefined;
  }

  private expireSend(waiter: SendWaiter): void {
    if (this.sendWaiter !== waiter) return;
    this.sendWaiter = null;
    waiter.reject(zmqError("EAGAIN"));
  }

  /** Retries a waiting send after a pipe gained room or joined. */
  protected retrySend(): void {
    const waiter = this.sendWaiter;
    if (waiter === null) return;
    try {
      if (!this.xsend(waiter.msg)) return;
    } catch (err) {
      this.sendWaiter = null;
      if (waiter.timer !== null) clearTimeout(waiter.timer);
      waiter.reject(err as Error);
      return;
    }
    this.sendWaiter = null;
    if (waiter.timer !== null) clearTimeout(waiter.timer);
    waiter.resolve();
  }

  /** Hands a ready message to a waiting receive. */
  protected retryReceive(): void {
    const waiter = this.recvWaiter;
    if (waiter === null) return;
    let msg: Message | undefined;
    try {
      msg = this.xrecv();
    } catch (err) {
      this.recvWaiter = null;
      if (waiter.timer !== null) clearTimeout(waiter.timer);
      waiter.reject(err as Error);
      return;
    }
    if (msg === undefined) return;
    this.recvWaiter = null;
    if (waiter.timer !== null) clearTimeout(waiter.timer);
    waiter.resolve(msg);
  }

  // ---- PipeOwner ----

  pipeReadable(pipe: Pipe): void {
    this.xreadActivated(pipe);
    if (this.recvWaiter !== null) this.retryReceive();
  }

  pipeWritable(_pipe: Pipe): void {
    if (this.sendWaiter !== null) this.retrySend();
  }

  // ---- EndpointsOwner: what sessions and inproc links need ----

  get transportOptions(): TransportOptions {
    const o = this.options;
    return {
      tcpKeepalive: o.tcpKeepalive,
      tcpKeepaliveIdle: o.tcpKeepaliveIdle,
      backlog: o.backlog,
      connectTimeout: o.connectTimeout,
      ipv6: o.ipv6,
    };
  }

  engineOptions(): EngineOptions {
    const o = this.options;
    return {
      socketType: this.zmtpType,
      identity: sendsIdentity(this.zmtpType) ? Buffer.from(o.routingId ?? "") : null,
      mechanism: createMechanism(o),
      maxMessageSize: o.maxMessageSize,
      handshakeInterval: o.handshakeInterval,
      heartbeatInterval: o.heartbeatInterval,
      heartbeatTimeout: o.heartbeatTimeout,
      heartbeatTimeToLive: o.heartbeatTimeToLive,
      zapIdentity: Buffer.from(o.routingId ?? ""),
      zapDomain: o.zapDomain ?? "",
      zap: zapClient(this.context, o.handshakeInterval),
      counters: this.counters,
      clock: this.clock,
    };
  }

  createPipe(endpoint: string, priority = 0): Pipe {
    return new Pipe(this, endpoint, this.options.sendHighWaterMark, this.options.receiveHighWaterMark, priority);
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
    if (pipe.readable) this.pipeReadable(pipe);
    if (this.sendWaiter !== null) this.retrySend();
    return true;
  }

  detachPipe(pipe: Pipe): void {
    if (!this.pipes.delete(pipe)) return;
    pipe.closed = true;
    this.xdetach(pipe);
  }

  inprocProperties(): Metadata {
    const props: Metadata = new Map([["Socket-Type", Buffer.from(this.zmtpType)]]);
    if (sendsIdentity(this.zmtpType) && this.options.routingId !== null) {
      props.set("Identity", Buffer.from(this.options.routingId));
    }
    return props;
  }

  inprocLinked(pipe: Pipe, peer: Metadata): void {
    pipe.metadata = peer;
    const identity = peer.get("Identity");
    pipe.routingId = identity !== undefined && identity.length > 0 ? identity : null;
    pipe.connected = true;
    this.attachPipe(pipe);
  }

  inprocUnlinked(pipe: Pipe): void {
    pipe.connected = false;
    this.detachPipe(pipe);
  }

  emit(event: Event): void {
    this._events?.emit(event);
  }

  // ---- close ----

  /**
   * Closes the socket. Pending operations reject with EAGAIN; queued outbound messages are still
   * delivered for up to `linger` ms (-1: until done) while the process stays alive, as libzmq does.
   */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    const closedError = (): ZmqError => zmqError("EAGAIN", "Socket was closed");
    const sendWaiter = this.sendWaiter;
    const recvWaiter = this.recvWaiter;
    this.sendWaiter = null;
    this.recvWaiter = null;
    for (const waiter of [sendWaiter, recvWaiter]) {
      if (waiter === null) continue;
      if (waiter.timer !== null) clearTimeout(waiter.timer);
      waiter.reject(closedError());
    }
    this.endpoints.stopListening();
    const linger = this.options.linger;
    if (linger === 0 || !this.hasPendingOutbound()) {
      this.terminate();
      return;
    }
    const clock = this.clock;
    const deadline = linger < 0 ? Infinity : clock.now() + linger;
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

  private terminate(): void {
    this.endpoints.closeAll(this.options.linger !== 0);
    for (const pipe of [...this.pipes]) {
      this.detachPipe(pipe);
      pipe.discard();
    }
    this._events?.close();
  }

  protected checkOpen(): void {
    if (this._closed) throw zmqError("EBADF", "Socket is closed");
  }
}

defineOptions(Socket.prototype, COMMON_OPTIONS);
defineSecurityOptions(Socket.prototype);

/** Options on every socket type; those of zeromq.js's Writable / Readable are declared there. */
type BaseOptionName = Exclude<
  OptionName,
  | keyof Writable
  | keyof Readable
  | "routingId" | "probeRouter" | "correlate" | "relaxed" | "mandatory" | "handover"
  | "conflate" | "noDrop" | "invertMatching" | "manual" | "welcomeMessage" | "verbosity"
>;

// The option properties, declared for TypeScript; the accessors above implement them.
export interface Socket extends Pick<OptionValues, BaseOptionName> {}

/** Options for the constructor: any writable option, plus the context. */
export type SocketOptions<S> = Partial<Pick<S, Extract<keyof S, OptionName>>> & { context?: Context };

/** zeromq.js's Writable members. */
export interface Writable {
  multicastHops: number;
  sendBufferSize: number;
  sendHighWaterMark: number;
  sendTimeout: number;
  send(message: MessageLike | MessageLike[]): Promise<void>;
}

/** zeromq.js's Readable members. */
export interface Readable {
  receiveBufferSize: number;
  receiveHighWaterMark: number;
  receiveTimeout: number;
  receive(): Promise<Message>;
  [Symbol.asyncIterator](): AsyncIterator<Message, undefined>;
}

/** Gives a socket class the public `send` and/or `receive` of zeromq.js's Writable / Readable. */
export function allowMethods(cls: { prototype: object }, methods: ReadonlyArray<"send" | "receive">): void {
  const proto = cls.prototype as Record<string | symbol, unknown>;
  if (methods.includes("send")) {
    proto.send = function send(this: Socket, message: MessageLike | MessageLike[]): Promise<void> {
      return this.sendMessage(message);
    };
  }
  if (methods.includes("receive")) {
    proto.receive = function receive(this: Socket): Promise<Message> {
      return this.receiveMessage();
    };
    proto[Symbol.asyncIterator] = function iterate(this: Socket) {
      return this.iterateMessages();
    };
  }
}
