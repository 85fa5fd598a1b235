/**
 * Scheduling in a browser: the seam's browser side of ../node/timers.ts (same names, same
 * order guarantees). A page has no process to keep alive, so background timers are plain ones.
 */

/** Node's nextTick queue runs before promise jobs; a microtask is the closest a page has. */
export function nextTick(callback: () => void): void {
  queueMicrotask(callback);
}

/**
 * A page has no queue that runs after the promise jobs and before the next task: a microtask,
 * as nextTick, is the closest (batches are then per promise job rather than per loop).
 */
export function afterPromiseJobs(callback: () => void): void {
  queueMicrotask(callback);
}

/**
 * setImmediate's place in a page: a message to a MessageChannel is a task that runs after
 * pending I/O and rendering, without setTimeout(0)'s 4 ms clamp once timers nest. One message
 * per callback, so that one that throws does not take the others with it; messages keep order.
 */
const turnQueue: Array<() => void> = [];
/** The part of a WHATWG MessageChannel used here. */
interface TurnChannel {
  port1: { onmessage: (() => void) | null; close(): void };
  port2: { postMessage(message: null): void; close(): void };
}
let channel: TurnChannel | null = null;

function runTurn(): void {
  const callback = turnQueue.shift()!;
  if (turnQueue.length === 0) {
    // An open port with a listener keeps Node and Deno alive (Deno's unref does not let go): the
    // channel lives only while callbacks are due, as setImmediate's hold the process no longer.
    channel!.port1.close();
    channel!.port2.close();
    channel = null;
  }
  callback();
}

export function nextTurn(callback: () => void): void {
  if (typeof MessageChannel !== "function") {
    setTimeout(callback, 0);
    return;
  }
  if (channel === null) {
    channel = new MessageChannel() as unknown as TurnChannel;
    channel.port1.onmessage = runTurn;
  }
  turnQueue.push(callback);
  channel.port2.postMessage(null);
}

export function backgroundTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, ms);
}
