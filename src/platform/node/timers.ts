/**
 * Scheduling on Node (and Bun and Deno, which run this build): the seam's Node side, chosen by
 * package.json "imports" (`#platform/timers`); ../browser/timers.ts is the other side.
 */

/** Runs `callback` once the current operation completes, before promise jobs and I/O (the engine's write pump). */
export function nextTick(callback: () => void): void {
  process.nextTick(callback);
}

/**
 * Runs `callback` once the current operation has finished and the promise jobs are drained,
 * those it queued and those they queue in turn (the engine's write pump): a loop of awaited
 * sends that resolve at once fills one batch, where a plain nextTick queued before the loop's
 * first promise job would flush after its first message.
 */
export function afterPromiseJobs(callback: () => void): void {
  // A tick queued from a promise job runs once the promise job queue is empty.
  queueMicrotask(() => process.nextTick(callback));
}

/** Runs `callback` on a later turn of the event loop, after pending I/O (zeromq.js's yield to the loop). */
export function nextTurn(callback: () => void): void {
  setImmediate(callback);
}

/**
 * A timer that does not keep the process alive: a socket's reconnects, heartbeats and close
 * grace run on libzmq's I/O thread in zeromq.js, which holds no handle of the event loop.
 */
export function backgroundTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, ms).unref();
}
