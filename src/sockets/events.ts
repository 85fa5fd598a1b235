import { Fifo } from "./fifo.js";
import { zmqError } from "../errors.js";

/** Event names and payloads as zeromq.js v6 reports them. */
export interface EventAddress {
  address: string;
}
export interface EventError<E = Error> {
  error: E;
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
  | ({ type: "handshake:error:protocol" } & EventAddress & EventError)
  | ({ type: "handshake:error:auth" } & EventAddress & EventError)
  | ({ type: "handshake:error:other" } & EventAddress & EventError)
  | { type: "unknown" };

export type EventType = Event["type"];
export type EventOfType<E extends EventType> = Extract<Event, { type: E }>;

/** Events buffered for `receive()` / async iteration before the oldest are dropped. */
const MAX_BUFFERED_EVENTS = 1000;

/**
 * zeromq.js's `Observer`: socket events by listener (`on`/`off`) or by `receive()` / `for await`.
 * Events are buffered (bounded) from the moment the observer exists, as zeromq.js's monitor
 * socket does once `socket.events` is first read.
 */
export class Observer {
  private readonly listeners = new Map<EventType, Set<(event: Event) => void>>();
  private readonly buffered = new Fifo<Event>();
  private waiter: { resolve: (e: Event) => void; reject: (e: Error) => void } | null = null;
  private ended = false;

  get closed(): boolean {
    return this.ended;
  }

  on<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): this {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    set.add(listener as (event: Event) => void);
    return this;
  }

  off<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): this {
    this.listeners.get(type)?.delete(listener as (event: Event) => void);
    return this;
  }

  receive(): Promise<Event> {
    const next = this.buffered.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.ended) return Promise.reject(zmqError("EBADF", "Observer is closed"));
    if (this.waiter !== null) {
      return Promise.reject(zmqError("EBUSY", "Observer is busy reading; only one receive operation may be in progress at any time"));
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Event, undefined> {
    while (!this.ended || this.buffered.length > 0) {
      try {
        yield await this.receive();
      } catch (err) {
        if (this.ended) return undefined;
        throw err;
      }
    }
    return undefined;
  }

  close(): void {
    if (this.ended) return;
    this.emit({ type: "end" });
    this.ended = true;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(zmqError("EBADF", "Observer is closed"));
  }

  /** @internal Called by the socket. */
  emit(event: Event): void {
    if (this.ended) return;
    for (const listener of this.listeners.get(event.type) ?? []) listener(event);
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      waiter.resolve(event);
      return;
    }
    if (this.buffered.length >= MAX_BUFFERED_EVENTS) this.buffered.shift();
    this.buffered.push(event);
  }
}
