import { EventEmitter } from "#platform/events";
import { holdProcess, releaseProcess } from "#platform/process";
import {
  authError,
  codeOfErrno,
  protocolEventError,
  unknownSystemError,
  zmqError,
  type ErrorCode,
  type ProtocolErrorCode,
} from "../errors.js";
import type { MonitorEvent, MonitorSink } from "../sockets/core.js";
import { isObject, noArguments, required, validateArguments } from "./arguments.js";
import { iterate } from "./iterate.js";
import type { Socket } from "./socket.js";
import { unwrapSocket } from "./socket-access.js";

/** zeromq.js's events, with the payload each type carries. */
export interface EventAddress {
  address: string;
}

export interface EventError<E = ErrnoError> {
  error: E;
}

/** An error with an errno, as zeromq.js reports system errors. */
export interface ErrnoError extends Error {
  code: string;
  errno: number;
}

/** A ZAP rejection: the status the handler replied with. */
export interface AuthError extends Error {
  status: 300 | 400 | 500;
}

/** A ZMTP or ZAP protocol violation. */
export interface ProtoError extends Error {
  code: ProtocolErrorCode;
}

export type Event =
  | ({ type: "accept" } & EventAddress)
  | ({ type: "accept:error" } & EventAddress & EventError)
  | ({ type: "bind" } & EventAddress)
  | ({ type: "bind:error" } & EventAddress & EventError)
  | ({ type: "connect" } & EventAddress)
  | ({ type: "connect:delay" } & EventAddress)
  | ({ type: "connect:retry" } & EventAddress & { interval: number })
  | ({ type: "close" } & EventAddress)
  | ({ type: "close:error" } & EventAddress & EventError)
  | ({ type: "disconnect" } & EventAddress)
  | { type: "end" }
  | ({ type: "handshake" } & EventAddress)
  | ({ type: "handshake:error:protocol" } & EventAddress & EventError<ProtoError>)
  | ({ type: "handshake:error:auth" } & EventAddress & EventError<AuthError>)
  | ({ type: "handshake:error:other" } & EventAddress & EventError)
  | { type: "unknown" };

export type EventType = Event["type"];

export type EventOfType<E extends EventType = EventType> = Extract<Event, { type: E }>;

/** Listener registration on an Observer (event emitter mode). */
export interface EventSubscriber {
  on<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber;
  off<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber;
}

/**
 * Events libzmq's monitor socket holds before it drops new ones: a PAIR pipe over inproc, 1000
 * messages each side, two messages per event.
 */
const MAX_QUEUED_EVENTS = 1000;

const AUTH_MESSAGES: Record<number, string> = {
  300: "Temporary error",
  400: "Authentication failure",
  500: "Internal error",
};

/** The `error` of an event as zeromq.js builds it from libzmq's event value. */
function eventError(event: MonitorEvent): Error {
  switch (event.type) {
    case "handshake:error:protocol": {
      return protocolEventError(String(event.value));
    }
    case "handshake:error:auth": {
      const status = Number(event.value);
      return authError(status, AUTH_MESSAGES[status] ?? "Unknown error");
    }
    default: {
      const code = typeof event.value === "string" ? (event.value as ErrorCode) : codeOfErrno(event.value);
      if (code !== undefined) return zmqError(code);
      return unknownSystemError(Number(event.value));
    }
  }
}

/** A libzmq monitor event as zeromq.js's Observer hands it out. */
function formatEvent(event: MonitorEvent): Event {
  const out: Record<string, unknown> = { type: event.type };
  if (event.address.length > 0) out.address = event.address;
  switch (event.type) {
    case "connect:retry":
      out.interval = Number(event.value);
      break;
    case "bind:error":
    case "accept:error":
    case "close:error":
    case "handshake:error:other":
    case "handshake:error:protocol":
    case "handshake:error:auth":
      out.error = eventError(event);
      break;
    default:
      break;
  }
  return out as unknown as Event;
}

const EMITTER_MODE =
  "Observer is in event emitter mode. After a call to events.on() it is not possible to read events with events.receive().";

/**
 * zeromq.js's `Observer`: a socket's events, by `receive()` / `for await`, or by listener after
 * the first `on()` (event emitter mode, as the binding: listeners are called from a read loop,
 * not synchronously). Creating one on a socket replaces that socket's previous observer, which
 * ends, as libzmq's monitor does.
 */
export class Observer implements MonitorSink, EventSubscriber {
  #open = true;
  readonly #queue: MonitorEvent[] = [];
  #queueHead = 0;
  #pending: { resolve(event: Event): void; reject(err: Error): void } | null = null;
  #emitter: EventEmitter | null = null;

  constructor(socket: Socket) {
    validateArguments(arguments, [required("Socket must be a socket object", isObject)]);
    const core = unwrapSocket(socket);
    if (core === null) throw new Error("Invalid argument");
    if (core.closed) throw zmqError("ENOTSOCK");
    core.monitor(this);
  }

  get closed(): boolean {
    return !this.#open;
  }

  /** @internal MonitorSink: an event from the socket (dropped once 1000 wait, as libzmq does). */
  event(event: MonitorEvent): void {
    if (!this.#open) return;
    const pending = this.#pending;
    if (pending !== null) {
      this.#pending = null;
      releaseProcess();
      this.#deliver(event, pending);
      return;
    }
    if (this.#queue.length - this.#queueHead >= MAX_QUEUED_EVENTS && event.type !== "end") return;
    this.#queue.push(event);
  }

  receive(): Promise<Event> {
    noArguments(arguments);
    if (!this.#open) throw zmqError("EBADF");
    if (this.#pending !== null) {
      throw zmqError("EBUSY", "Observer is busy reading; only one receive operation may be in progress at any time");
    }
    const next = this.#shift();
    if (next !== undefined) {
      return new Promise((resolve, reject) => this.#deliver(next, { resolve, reject }));
    }
    holdProcess();
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
  }

  close(): void {
    noArguments(arguments);
    this.#close();
  }

  /** Listens for events (event emitter mode); returns the emitter behind it, as zeromq.js does. */
  on<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber {
    return this.#emitterMode().on(type, listener as (data: Event) => void) as EventSubscriber;
  }

  off<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber {
    return this.#emitterMode().off(type, listener as (data: Event) => void) as EventSubscriber;
  }

  [Symbol.asyncIterator](): AsyncIterator<Event, undefined> {
    return iterate(this);
  }

  #shift(): MonitorEvent | undefined {
    if (this.#queueHead >= this.#queue.length) return undefined;
    const event = this.#queue[this.#queueHead++]!;
    if (this.#queueHead === this.#queue.length) {
      this.#queue.length = 0;
      this.#queueHead = 0;
    }
    return event;
  }

  #deliver(event: MonitorEvent, to: { resolve(event: Event): void; reject(err: Error): void }): void {
    to.resolve(formatEvent(event));
    // The monitor's last word: the observer closes with it.
    if (event.type === "end") this.#close();
  }

  #close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#queue.length = 0;
    this.#queueHead = 0;
    const pending = this.#pending;
    this.#pending = null;
    if (pending !== null) {
      releaseProcess();
      pending.reject(zmqError("ENOTSOCK"));
    }
  }

  /** The first on()/off() starts reading events in a loop and makes receive() throw, as zeromq.js. */
  #emitterMode(): EventEmitter {
    if (this.#emitter !== null) return this.#emitter;
    const emitter = new EventEmitter();
    this.#emitter = emitter;
    const receive = this.receive.bind(this);
    Object.defineProperty(this, "receive", {
      get: () => {
        throw new Error(EMITTER_MODE);
      },
    });
    void (async () => {
      while (this.#open) {
        const event = await receive();
        emitter.emit(event.type, event);
      }
    })();
    return emitter;
  }
}
