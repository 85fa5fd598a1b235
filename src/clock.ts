import { backgroundTimeout } from "#platform/timers";

/**
 * Time as the engine, the sessions and the socket core see it: reconnect backoff, heartbeats, the
 * handshake deadline and linger all go through a Clock, so tests can drive them with a fake one
 * instead of waiting.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /** Calls `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** A pending timer; only the clock that made it can clear it. */
export interface ClockTimer {
  readonly __clockTimer?: never;
}

/** The real clock: the runtime's timers and `performance.now()`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms) as ClockTimer,
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * The real clock for sockets: its timers do not keep the process alive. zeromq.js's sockets
 * reconnect, send heartbeats and time handshakes on libzmq's I/O thread, which holds no handle
 * of the event loop, so a script whose sockets are merely idle exits.
 */
export const backgroundClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => backgroundTimeout(callback, ms) as ClockTimer,
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
