/**
 * The v5 API's socket (the `zmq` package's, as `zeromq/v5-compat` offers it): an EventEmitter
 * over one v6 socket. Messages arrive as `message` events with one argument per frame, sends
 * queue and complete in order (`send(msg, flags, cb)`), `pause()` holds both directions, and
 * endpoint calls take callbacks. Built on zmtp's public classes only, with the binding's
 * outcomes: what it throws, what it passes to a callback, what it emits as `error`, and when.
 */
import { EventEmitter } from "node:events";
import {
  Dealer,
  Pair,
  Publisher,
  Pull,
  Push,
  Reply,
  Request,
  Router,
  Stream,
  Subscriber,
  XPublisher,
  XSubscriber,
  type Message,
  type MessageLike,
  type Readable,
  type Socket as V6Socket,
  type Writable,
} from "../index.js";
import { isZmqError } from "../entries/errors.js";
import { ZMQ_SNDMORE } from "./constants.js";
import { readEvents } from "./monitor.js";
import { getOption, options, setOption, type OptionName, type OptionTarget } from "./options.js";
import { SyncOrder } from "./sync-order.js";

/** The socket type names of the v5 API (`xreq` and `xrep` are DEALER and ROUTER). */
export type SocketType =
  | "pair"
  | "req"
  | "rep"
  | "pub"
  | "sub"
  | "dealer"
  | "xreq"
  | "router"
  | "xrep"
  | "pull"
  | "push"
  | "xpub"
  | "xsub"
  | "stream";

export type Callback = (err?: Error) => void;

const CLASSES = new Map<unknown, new () => V6Socket>([
  ["pair", Pair],
  ["req", Request],
  ["rep", Reply],
  ["pub", Publisher],
  ["sub", Subscriber],
  ["dealer", Dealer],
  ["xreq", Dealer],
  ["router", Router],
  ["xrep", Router],
  ["pull", Pull],
  ["push", Push],
  ["xpub", XPublisher],
  ["xsub", XSubscriber],
  ["stream", Stream],
]);

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class Socket extends EventEmitter {
  type: SocketType;
  readonly #socket: V6Socket;
  /** Frames given with ZMQ_SNDMORE, waiting for the last one. */
  #frames: MessageLike[] = [];
  /** Messages received while paused, emitted on resume. */
  readonly #held: Message[][] = [];
  readonly #outgoing: Array<[MessageLike[], Callback | undefined]> = [];
  #paused = false;
  /** Whether the receive (send) loop has stopped and the next flush starts it again. */
  #receiveIdle: boolean;
  #sendIdle = true;
  /** The binds begun by bindSync/unbindSync that have not completed, and the calls made since. */
  readonly #order = new SyncOrder((err) => process.nextTick(() => this.emit("error", err)));

  constructor(type: SocketType) {
    super();
    this.type = type;
    const V6 = CLASSES.get(type);
    if (V6 === undefined) throw new Error(`Invalid socket type: ${type}`);
    this.#socket = new V6();
    // As in the binding, every type but PUSH and PUB is read from the start.
    this.#receiveIdle = type !== "push" && type !== "pub";
    this.#flushReceive();
  }

  get closed(): boolean {
    return this.#order.closing || this.#socket.closed;
  }

  // ---- endpoints ----

  bind(address: string, cb?: Callback): this {
    this.#order.run(address, () => this.#settle(this.#socket.bind(address), "bind", address, cb));
    return this;
  }

  unbind(address: string, cb?: Callback): this {
    this.#order.run(address, () => this.#settle(this.#socket.unbind(address), "unbind", address, cb));
    return this;
  }

  /**
   * Binds "synchronously". The binding blocks the thread until libzmq has bound; JavaScript
   * cannot, so the bind starts now (a tcp or ipc listener is bound before any I/O callback runs,
   * an inproc name is reachable at once since inproc connects may precede the bind) and every
   * later call on this socket waits for it. A failure is emitted as `error` instead of thrown.
   */
  bindSync(address: string): void {
    this.#order.start(address, () => this.#socket.bind(address));
  }

  /** Unbinds, with bindSync's ordering. (The binding's unbindSync binds the address instead.) */
  unbindSync(address: string): void {
    this.#order.start(address, () => this.#socket.unbind(address));
  }

  connect(address: string): this {
    this.#order.run(address, () => this.#socket.connect(address));
    return this;
  }

  disconnect(address: string): this {
    this.#order.run(address, () => this.#socket.disconnect(address));
    return this;
  }

  close(): this {
    this.#order.close(() => this.#socket.close());
    return this;
  }

  /** The binding settles a bind or unbind on the next tick: the event first, then the callback. */
  #settle(operation: Promise<void>, event: "bind" | "unbind", address: string, cb: Callback | undefined): void {
    operation
      .then(() => {
        process.nextTick(() => {
          this.emit(event, address);
          if (cb) cb();
        });
      })
      .catch((err: Error) => {
        process.nextTick(() => {
          if (cb) cb(err);
          else this.emit("error", err);
        });
      });
  }

  // ---- send ----

  send(message: MessageLike | MessageLike[], flags: number | null | undefined = 0, cb?: Callback): this {
    this.#frames = this.#frames.concat(message);
    if ((((flags ?? 0) | 0) & ZMQ_SNDMORE) === 0) {
      this.#outgoing.push([this.#frames, cb]);
      this.#frames = [];
      if (!this.#paused) this.#flushSend();
    }
    return this;
  }

  #flushSend(): void {
    if (!this.#sendIdle) return;
    this.#sendIdle = false;
    // A send on a type that cannot send rejects this loop, and nothing is sent from then on: the
    // binding's outcome (an unhandled rejection, "Cannot send on this socket type.").
    void this.#sendLoop();
  }

  async #sendLoop(): Promise<void> {
    while (!this.#socket.closed && !this.#paused && this.#outgoing.length > 0) {
      await this.#sendOne();
    }
    if (!this.#socket.closed) this.#sendIdle = true;
  }

  async #sendOne(): Promise<void> {
    if (this.#socket instanceof Pull || this.#socket instanceof Subscriber) {
      throw new Error("Cannot send on this socket type.");
    }
    const pending = this.#order.pending;
    if (pending !== null) await pending;
    const next = this.#outgoing.shift();
    if (next === undefined) return;
    const [message, cb] = next;
    try {
      await (this.#socket as V6Socket & Writable).send(message);
      // A callback that throws is called again with what it threw, as the binding does.
      if (cb) cb();
    } catch (err) {
      if (cb) cb(err as Error);
      else this.emit("error", err);
    }
  }

  // ---- receive ----

  #flushReceive(): void {
    if (!this.#receiveIdle) return;
    this.#receiveIdle = false;
    void this.#receiveLoop();
  }

  async #receiveLoop(): Promise<void> {
    while (!this.#socket.closed && !this.#paused) await this.#receiveOne();
    if (!this.#socket.closed) this.#receiveIdle = true;
  }

  async #receiveOne(): Promise<void> {
    try {
      const held = this.#held.shift();
      if (held !== undefined) process.nextTick(() => this.emit("message", ...held));
      const message = await (this.#socket as V6Socket & Readable).receive();
      if (this.#paused) this.#held.push(message);
      else process.nextTick(() => this.emit("message", ...message));
    } catch (err) {
      if (isZmqError(err) && err.code === "EBUSY") {
        // The v6 socket is blocked by a bind or unbind: try again on the next turn (the binding
        // tries again at once, which never lets that bind complete).
        await nextTurn();
      } else if (!this.#socket.closed) {
        process.nextTick(() => this.emit("error", err));
      }
    }
  }

  // ---- flow ----

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#flushReceive();
    this.#flushSend();
  }

  read(): never {
    throw new Error("read() has been removed from compatibility mode; use on('message', ...) instead.");
  }

  // ---- monitoring ----

  /** Emits libzmq's monitor events under their v5 names (see monitor.ts); the arguments are ignored. */
  monitor(interval?: number, numEvents?: number): this {
    if (interval || numEvents) {
      process.emitWarning(
        "Arguments to monitor() are ignored in compatibility mode; all events are read automatically",
      );
    }
    void readEvents(this.#socket.events, {
      emit: (name, ...args) => this.emit(name, ...args),
      socketClosed: () => this.#socket.closed,
    });
    return this;
  }

  unmonitor(): this {
    this.#socket.events.close();
    return this;
  }

  // ---- options ----

  subscribe(filter: string | Buffer): this {
    if (!(this.#socket instanceof Subscriber)) throw new Error("Subscriber socket required");
    this.#socket.subscribe(filter);
    return this;
  }

  unsubscribe(filter: string | Buffer): this {
    if (!(this.#socket instanceof Subscriber)) throw new Error("Subscriber socket required");
    this.#socket.unsubscribe(filter);
    return this;
  }

  setsockopt(option: number | OptionName, value: unknown): this {
    setOption(this.#socket as unknown as OptionTarget, option, value);
    return this;
  }

  getsockopt(option: number | OptionName): unknown {
    return getOption(this.#socket as unknown as OptionTarget, option);
  }

  // The v5 property aliases of options (defined below): `socket.identity = "a"` sets
  // ZMQ_IDENTITY; a string value is set as its UTF-8 bytes.
  declare _fd: never;
  declare _ioevents: number;
  declare _receiveMore: never;
  declare _subscribe: string | Buffer;
  declare _unsubscribe: string | Buffer;
  declare affinity: number;
  declare backlog: number;
  declare identity: string | Buffer | null;
  declare linger: number;
  declare rate: number;
  declare rcvbuf: number;
  declare last_endpoint: string | null;
  declare reconnect_ivl: number;
  declare recovery_ivl: number;
  declare sndbuf: number;
  declare mechanism: number;
  declare plain_server: number | boolean;
  declare plain_username: string | Buffer | null;
  declare plain_password: string | Buffer | null;
  declare curve_server: number | boolean;
  declare curve_publickey: string | Buffer | null;
  declare curve_secretkey: string | Buffer | null;
  declare curve_serverkey: string | Buffer | null;
  declare zap_domain: string | Buffer | null;
  declare heartbeat_ivl: number;
  declare heartbeat_ttl: number;
  declare heartbeat_timeout: number;
  declare connect_timeout: number;
}

for (const name of Object.keys(options) as OptionName[]) {
  Object.defineProperty(Socket.prototype, name, {
    get(this: Socket) {
      return this.getsockopt(options[name]);
    },
    set(this: Socket, value: unknown) {
      this.setsockopt(options[name], typeof value === "string" ? Buffer.from(value, "utf8") : value);
    },
  });
}

/** A new socket; `options` are set as properties, so the v5 aliases (`identity`, `linger`, ...) apply. */
export function createSocket(type: SocketType, options: Record<string, unknown> = {}): Socket {
  const socket = new Socket(type);
  for (const key in options) {
    // The binding calls the object's own method: an options object without one fails there too.
    // eslint-disable-next-line no-prototype-builtins
    if (options.hasOwnProperty(key)) (socket as unknown as Record<string, unknown>)[key] = options[key];
  }
  return socket;
}
