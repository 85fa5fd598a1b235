import { holdProcess, releaseProcess, warn, watchProcessExit } from "#platform/process";
import { nextTurn } from "#platform/timers";
import { publicError, zmqError, type ZmqError } from "../errors.js";
import type { OptionArgument, SocketCore } from "../sockets/core.js";
import { createSocketCore } from "../sockets/factory.js";
import type { Message } from "../sockets/pipe.js";
import type { PeerInfo, SocketStatistics } from "../sockets/statistics.js";
import {
  isBoolean,
  isBuffer,
  isDefined,
  isNull,
  isNumber,
  isObject,
  isString,
  noArgumentCount,
  noArguments,
  optional,
  required,
  validateArguments,
  validateTwoArguments,
} from "./arguments.js";
import { context as defaultContext, contextCore, type Context } from "./context.js";
import { toInt32, toInt64, toUint32, toUint64 } from "./numbers.js";
import { Observer } from "./observer.js";
import { provideSocketAccess } from "./socket-access.js";
import { envelopeOf, type Envelope } from "./envelope.js";
import { toMessage } from "./outgoing.js";

/**
 * After this many send/receive calls that completed at once, the next one completes only after
 * the event loop has turned (zeromq.js's `max_sync_operations`): a loop of awaited operations
 * that never wait still lets timers and I/O run.
 */
const MAX_SYNC_OPERATIONS = 512;

/** libzmq option ids that take effect at once, so setting them after bind/connect is no warning. */
const IMMEDIATE_OPTIONS = new Set([
  6, // ZMQ_SUBSCRIBE
  7, // ZMQ_UNSUBSCRIBE
  17, // ZMQ_LINGER
  33, // ZMQ_ROUTER_MANDATORY
  51, // ZMQ_PROBE_ROUTER
  40, // ZMQ_XPUB_VERBOSE
  52, // ZMQ_REQ_CORRELATE
  53, // ZMQ_REQ_RELAXED
  56, // ZMQ_ROUTER_HANDOVER
  78, // ZMQ_XPUB_VERBOSER
  23, // ZMQ_SNDHWM
  24, // ZMQ_RCVHWM
  28, // ZMQ_SNDTIMEO
  27, // ZMQ_RCVTIMEO
]);
const SNDTIMEO = 28;
const RCVTIMEO = 27;
const ROUTING_ID = 5;
const CONNECT_ROUTING_ID = 61;
const NOT_EFFECTIVE = "Socket option will not take effect until next connect/bind.";

const identifierRule = required("Identifier must be a number", isNumber);
const messageRules = [required("Message must be present", isDefined)];
/** SERVER and RADIO: send(message, options), both required (zeromq.js). */
const messageAndOptionsRules = [...messageRules, required("Options must be an object", isObject)];

function method(value: (...args: never[]) => unknown): PropertyDescriptor {
  return { value, writable: true, configurable: true };
}
const addressRules = [required("Address must be a string", isString)];

type State = "open" | "blocked" | "closed";

interface Pending<T> {
  resolve(value: T): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | null;
  /**
   * Waiting for readiness (the binding's poll). False for an operation that could complete at
   * once but was put off to the next turn of the event loop: only that turn completes it.
   */
  polled: boolean;
}

type PendingRead = Pending<Message>;

interface PendingWrite extends Pending<void> {
  message: Message;
}

/**
 * zeromq.js's `Socket`, over a socket core that behaves as libzmq's non-blocking calls. This
 * layer owns what the binding owns: argument checks and their TypeErrors, the open / blocked /
 * closed state, one pending send and one pending receive with their timeouts, the option
 * accessors by libzmq id, warnings and the shape of every error. Instances are sealed, so an
 * unknown option throws as it does with the binding.
 */
export class Socket {
  readonly #core: SocketCore;
  readonly #context: Context;
  #state: State = "open";
  #closeRequested = false;
  /** Binds and connects made (zeromq.js counts attempts, failed binds included). */
  #endpoints = 0;
  #observer: Observer | null = null;
  #syncOperations = 0;
  #read: PendingRead | null = null;
  #write: PendingWrite | null = null;
  #sendTimeout = -1;
  #receiveTimeout = -1;
  /** The draft types' routing id or group beside the frames, or null. */
  readonly #envelope: Envelope | null;

  constructor(type: number, options?: object) {
    validateArguments(arguments, [
      required("Socket type must be a number", isNumber),
      optional("Options must be an object", isObject),
    ]);
    let context = defaultContext;
    if (options !== undefined && "context" in options) {
      // zeromq.js takes the context out of the caller's options object.
      context = (options as { context: Context }).context;
      delete (options as { context?: Context }).context;
    }
    this.#context = context;
    this.#core = createSocketCore(type, contextCore(context));
    this.#envelope = envelopeOf(type);
    this.#core.onReadiness = this.#onReadiness;
    watchProcessExit();
    Object.seal(this);
    if (options !== undefined) Object.assign(this, options);
  }

  // ---- state ----

  get closed(): boolean {
    return this.#state === "closed";
  }

  get context(): Context | undefined {
    return this.#state === "closed" ? undefined : this.#context;
  }

  get readable(): boolean {
    return !this.#core.closed && this.#core.hasIn;
  }

  get writable(): boolean {
    return !this.#core.closed && this.#core.hasOut;
  }

  get events(): Observer {
    if (this.#observer === null) this.#observer = new Observer(this);
    return this.#observer;
  }

  #validateOpen(): void {
    if (this.#state === "blocked") throw zmqError("EBUSY", "Socket is blocked by a bind or unbind operation");
    if (this.#state === "closed") throw zmqError("EBADF");
  }

  // ---- endpoints ----

  bind(address: string): Promise<void> {
    validateArguments(arguments, addressRules);
    this.#validateOpen();
    return this.#blockWhile(this.#core.bind(address), address, +1);
  }

  unbind(address: string): Promise<void> {
    validateArguments(arguments, addressRules);
    this.#validateOpen();
    return this.#blockWhile(this.#core.unbind(address), address, -1);
  }

  /** The synchronous forms the v5 compatibility API uses. */
  bindSync(_address: string): void {
    validateArguments(arguments, addressRules);
    this.#validateOpen();
    throw zmqError("ENOTSUP");
  }

  unbindSync(_address: string): void {
    validateArguments(arguments, addressRules);
    this.#validateOpen();
    throw zmqError("ENOTSUP");
  }

  /** Blocks the socket while a bind or unbind runs, as zeromq.js does while its worker thread works. */
  #blockWhile(operation: Promise<void>, address: string, endpoints: 1 | -1): Promise<void> {
    this.#state = "blocked";
    const settle = (err: unknown): void => {
      this.#state = "open";
      this.#endpoints += endpoints;
      if (this.#closeRequested) this.#close();
      if (err !== undefined) throw publicError(err, address);
    };
    // The binding completes on a later turn of the event loop even when the work is instant.
    return operation.then(
      () => awaitNextTurn().then(() => settle(undefined)),
      (err: unknown) => awaitNextTurn().then(() => settle(err)),
    );
  }

  connect(address: string): void {
    validateArguments(arguments, addressRules);
    this.#validateOpen();
    try {
      this.#core.connect(address);
    } catch (err) {
      throw publicError(err, address);
    }
    this.#endpoints++;
  }

  disconnect(address: string): void {
    validateArguments(arguments, addressRules);
    this.#validateOpen();
    try {
      this.#core.disconnect(address);
    } catch (err) {
      throw publicError(err, address);
    }
    this.#endpoints--;
  }

  close(): void {
    noArguments(arguments);
    if (this.#state === "blocked") {
      this.#closeRequested = true;
      return;
    }
    this.#closeRequested = false;
    this.#close();
  }

  #close(): void {
    if (this.#state === "closed") return;
    this.#endpoints = 0;
    // Operations waiting for readiness get one last try, then EAGAIN (zeromq.js triggers its
    // poller on close); one put off to the next turn finds the socket closed then.
    if (this.#read?.polled === true) this.#finishRead(false);
    if (this.#write?.polled === true) this.#finishWrite(false);
    this.#core.onReadiness = null;
    this.#core.close();
    this.#observer = null;
    this.#state = "closed";
  }

  // ---- send / receive ----

  /** zeromq.js's `send()`, on every socket (Writable declares it for the types that send). */
  #send(message: unknown, options: unknown, count: number): Promise<void> {
    const wrap = this.#envelope?.wrap;
    validateTwoArguments(count, message, options, wrap === undefined ? messageRules : messageAndOptionsRules);
    this.#validateOpen();
    if (this.#write !== null) {
      throw zmqError("EBUSY", "Socket is busy writing; only one send operation may be in progress at any time");
    }
    const msg = wrap === undefined ? toMessage(message) : wrap(toMessage(message), options as object);
    const core = this.#core;
    const timeout = this.#sendTimeout;
    if (timeout === 0 || core.hasOut) {
      if (timeout === 0 || this.#syncOperations++ < MAX_SYNC_OPERATIONS) {
        let result: Promise<void>;
        try {
          result = core.send(msg) ? RESOLVED : Promise.reject(zmqError("EAGAIN"));
        } catch (err) {
          result = Promise.reject(publicError(err));
        }
        this.#triggerRead();
        return result;
      }
      const promise = this.#pendWrite(msg, false, -1);
      nextTurn(this.#delayedWrite);
      return promise;
    }
    return this.#pendWrite(msg, true, timeout);
  }

  /**
   * zeromq.js's `receive()`, on every socket (Readable declares it for the types that receive).
   * `asResult`: the async iterator's form, an iterator result; a message ready at once is then
   * wrapped as it resolves, without a promise more per message.
   */
  #receive(asResult: false): Promise<Message>;
  #receive(asResult: true): Promise<IteratorResult<Message, undefined>>;
  #receive(asResult: boolean): Promise<Message | IteratorResult<Message, undefined>> {
    this.#validateOpen();
    if (this.#read !== null) {
      throw zmqError("EBUSY", "Socket is busy reading; only one receive operation may be in progress at any time");
    }
    const core = this.#core;
    const timeout = this.#receiveTimeout;
    let promise: Promise<Message>;
    if (timeout === 0 || core.hasIn) {
      if (timeout === 0 || this.#syncOperations++ < MAX_SYNC_OPERATIONS) {
        let result: Promise<Message | IteratorResult<Message, undefined>>;
        try {
          const msg = core.receive();
          if (msg === undefined) result = Promise.reject(zmqError("EAGAIN"));
          else result = Promise.resolve(asResult ? { value: this.#received(msg), done: false } : this.#received(msg));
        } catch (err) {
          result = Promise.reject(publicError(err));
        }
        this.#triggerWrite();
        return result;
      }
      promise = this.#pendRead(false, -1);
      nextTurn(this.#delayedRead);
    } else {
      promise = this.#pendRead(true, timeout);
    }
    return asResult ? promise.then(iteratorResult, this.#iteratorEnd) : promise;
  }

  /** The async iterator's next(), as zeromq.js's: done once closed, also when a pending receive was cut by close. */
  #next(): Promise<IteratorResult<Message, undefined>> {
    // zeromq.js's results carry no `value` when done.
    if (this.#state === "closed") return Promise.resolve({ done: true } as IteratorReturnResult<undefined>);
    try {
      return this.#receive(true);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  readonly #iteratorEnd = (err: unknown): IteratorResult<Message, undefined> => {
    if (this.#state === "closed" && (err as ZmqError).code === "EAGAIN")
      return { done: true } as IteratorReturnResult<undefined>;
    throw err;
  };

  #pendWrite(message: Message, polled: boolean, timeout: number): Promise<void> {
    holdProcess();
    return new Promise<void>((resolve, reject) => {
      const pending: PendingWrite = { resolve, reject, timer: null, polled, message };
      if (timeout > 0) pending.timer = setTimeout(() => this.#finishWrite(false), timeout);
      this.#write = pending;
    });
  }

  #pendRead(polled: boolean, timeout: number): Promise<Message> {
    holdProcess();
    return new Promise<Message>((resolve, reject) => {
      const pending: PendingRead = { resolve, reject, timer: null, polled };
      if (timeout > 0) pending.timer = setTimeout(() => this.#finishRead(false), timeout);
      this.#read = pending;
    });
  }

  readonly #delayedWrite = (): void => {
    this.#finishWrite(false);
    if (!this.#core.closed) this.#triggerRead();
  };

  readonly #delayedRead = (): void => {
    this.#finishRead(false);
    if (!this.#core.closed) this.#triggerWrite();
  };

  /**
   * Runs the pending send now: resolves, or rejects with what libzmq said (EAGAIN if it would
   * still block, ENOTSOCK once the socket is closed).
   */
  #finishWrite(onlyIfReady: boolean): void {
    const pending = this.#write;
    if (pending === null || (onlyIfReady && !this.#core.hasOut)) return;
    this.#write = null;
    this.#settled(pending);
    try {
      if (this.#core.send(pending.message)) pending.resolve();
      else pending.reject(zmqError("EAGAIN"));
    } catch (err) {
      pending.reject(publicError(err));
    }
  }

  #finishRead(onlyIfReady: boolean): void {
    const pending = this.#read;
    if (pending === null || (onlyIfReady && !this.#core.hasIn)) return;
    this.#read = null;
    this.#settled(pending);
    try {
      const msg = this.#core.receive();
      if (msg !== undefined) pending.resolve(this.#received(msg));
      else pending.reject(zmqError("EAGAIN"));
    } catch (err) {
      pending.reject(publicError(err));
    }
  }

  /** A message as receive() resolves to it: its frames, or the draft types' body and object. */
  #received(msg: Message): Message {
    const unwrap = this.#envelope?.unwrap;
    return unwrap === undefined ? msg : (unwrap(msg) as Message);
  }

  #settled(pending: Pending<never>): void {
    this.#syncOperations = 0;
    if (pending.timer !== null) clearTimeout(pending.timer);
    releaseProcess();
  }

  #triggerRead(): void {
    if (this.#read?.polled === true) this.#finishRead(true);
  }

  #triggerWrite(): void {
    if (this.#write?.polled === true) this.#finishWrite(true);
  }

  readonly #onReadiness = (): void => {
    this.#triggerRead();
    this.#triggerWrite();
  };

  /** zmq_join / zmq_leave of a group (a C string: up to its first NUL); types but DISH refuse (ENOTSUP). */
  #groupOperation(group: unknown, join: boolean): void {
    this.#validateOpen();
    if (typeof group !== "string" && !ArrayBuffer.isView(group))
      throw new TypeError("Value must be a string or buffer");
    const core = this.#core as Partial<GroupMember>;
    if (core.join === undefined || core.leave === undefined) throw zmqError("ENOTSUP");
    const bytes =
      typeof group === "string" ? Buffer.from(group) : Buffer.from(group.buffer, group.byteOffset, group.byteLength);
    const end = bytes.indexOf(0);
    const name = end === -1 ? bytes : bytes.subarray(0, end);
    try {
      if (join) core.join(name);
      else core.leave(name);
    } catch (err) {
      throw publicError(err);
    }
  }

  // ---- options by libzmq id ----

  getBoolOption(option: number): boolean {
    return (this.#getOption(arguments, option, "int") as number) !== 0;
  }

  setBoolOption(option: number, value: boolean): void {
    validateArguments(arguments, [identifierRule, required("Option value must be a boolean", isBoolean)]);
    this.#setOption(option, { kind: "int", value: value ? 1 : 0 }, false);
  }

  getInt32Option(option: number): number {
    return this.#getOption(arguments, option, "int") as number;
  }

  setInt32Option(option: number, value: number): void {
    validateArguments(arguments, [identifierRule, required("Option value must be a number", isNumber)]);
    this.#setOption(option, { kind: "int", value: toInt32(value) }, true);
  }

  getUint32Option(option: number): number {
    return toUint32(this.#getOption(arguments, option, "int") as number);
  }

  setUint32Option(option: number, value: number): void {
    validateArguments(arguments, [identifierRule, required("Option value must be a number", isNumber)]);
    this.#setOption(option, { kind: "int", value: toInt32(toUint32(value)) }, true);
  }

  getInt64Option(option: number): number {
    return Number(this.#getOption(arguments, option, "int64") as bigint);
  }

  setInt64Option(option: number, value: number): void {
    validateArguments(arguments, [identifierRule, required("Option value must be a number", isNumber)]);
    this.#setOption(option, { kind: "int64", value: toInt64(value) }, false);
  }

  getUint64Option(option: number): number {
    return Number(BigInt.asUintN(64, this.#getOption(arguments, option, "int64") as bigint));
  }

  setUint64Option(option: number, value: number): void {
    validateArguments(arguments, [identifierRule, required("Option value must be a number", isNumber)]);
    this.#setOption(option, { kind: "int64", value: BigInt.asIntN(64, toUint64(value, warn)) }, false);
  }

  getStringOption(option: number): string | null {
    const bytes = this.#getOption(arguments, option, "bytes") as Buffer;
    // zeromq.js reads into a 1024-byte buffer and returns a C string: empty means null.
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0)) return null;
    const end = bytes.indexOf(0);
    return bytes.toString("utf8", 0, end === -1 ? bytes.length : end);
  }

  setStringOption(option: number, value: string | Buffer | null): void {
    validateArguments(arguments, [
      identifierRule,
      required("Option value must be a string or buffer", isString, isBuffer, isNull),
    ]);
    const bytes =
      value === null
        ? null
        : typeof value === "string"
          ? Buffer.from(value)
          : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.#setOption(option, { kind: "bytes", value: bytes }, false);
  }

  #getOption(args: IArguments, option: number, kind: "int" | "int64" | "bytes"): number | bigint | Buffer {
    validateArguments(args, [identifierRule]);
    try {
      return this.#core.getOption(toInt32(option), kind);
    } catch (err) {
      throw publicError(err);
    }
  }

  /** `mirror`: the binding keeps its own copy of the timeouts, set by its numeric setters only. */
  #setOption(option: number, value: OptionArgument, mirror: boolean): void {
    const id = toInt32(option);
    if (!IMMEDIATE_OPTIONS.has(id) && (this.#endpoints !== 0 || this.#state !== "open")) warn(NOT_EFFECTIVE);
    try {
      this.#core.setOption(id, value);
    } catch (err) {
      throw publicError(err);
    }
    if (!mirror || value.kind !== "int") return;
    if (id === SNDTIMEO) this.#sendTimeout = value.value;
    else if (id === RCVTIMEO) this.#receiveTimeout = value.value;
  }

  // ---- zmtp extensions ----

  /** Queue introspection (not in zeromq.js): one entry per peer. */
  peers(): PeerInfo[] {
    return introspect(this.#core).peers();
  }

  /** Traffic counters and current peers (not in zeromq.js; for monitoring). */
  get statistics(): SocketStatistics {
    return introspect(this.#core).statistics;
  }

  /**
   * The failover tier (not in zeromq.js) of endpoints bound or connected from now on, 0..255,
   * lower preferred; an option of the next bind/connect, as ZMQ_CONNECT_ROUTING_ID is.
   */
  get failoverTier(): number {
    return introspect(this.#core).failoverTier;
  }

  set failoverTier(value: number) {
    introspect(this.#core).failoverTier = value;
  }

  static {
    // send, receive, async iteration, join and leave exist on every socket at run time, as in
    // zeromq.js; the type declarations give them only to the types that can use them.
    Object.defineProperties(this.prototype, {
      // `arguments` read by index and length only: V8 then makes no arguments object per
      // message, and send.length stays 0, as the binding's.
      send: method(function send(this: Socket) {
        return this.#send(arguments[0], arguments[1], arguments.length);
      }),
      receive: method(function receive(this: Socket) {
        noArgumentCount(arguments.length);
        return this.#receive(false);
      }),
      [Symbol.asyncIterator]: method(function asyncIterator(this: Socket): AsyncIterator<Message, undefined> {
        return { next: () => this.#next() };
      }),
      join: method(function join(this: Socket, ...groups: unknown[]) {
        for (const group of groups) this.#groupOperation(group, true);
      }),
      leave: method(function leave(this: Socket, ...groups: unknown[]) {
        for (const group of groups) this.#groupOperation(group, false);
      }),
    });
    provideSocketAccess({
      unwrap: (value) => (isObject(value) && #core in (value as object) ? (value as Socket).#core : null),
      endpoints: (socket) => (socket as Socket).#endpoints,
      block: (socket, blocked) => {
        (socket as Socket).#state = blocked ? "blocked" : "open";
      },
      retry: (socket) => (socket as Socket).#onReadiness(),
    });
  }
}

/** A core that joins groups (DISH). */
interface GroupMember {
  join(group: Buffer): void;
  leave(group: Buffer): void;
}

/** zmtp's introspection surface of a core (peers, statistics, failover tiers). */
interface Introspection {
  peers(): PeerInfo[];
  readonly statistics: SocketStatistics;
  failoverTier: number;
}

function introspect(core: SocketCore): Introspection {
  return core as unknown as Introspection;
}

const RESOLVED: Promise<void> = Promise.resolve();

function iteratorResult(value: Message): IteratorResult<Message, undefined> {
  return { value, done: false };
}

function awaitNextTurn(): Promise<void> {
  return new Promise((resolve) => nextTurn(resolve));
}

export { ROUTING_ID, CONNECT_ROUTING_ID };
