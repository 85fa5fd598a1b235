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

/** The real clock: Node's timers and `performance.now()`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms) as ClockTimer,
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
