/**
 * Scheduling in a browser: the seam's browser side of ../node/timers.ts (same names, same
 * order guarantees). A page has no process to keep alive, so background timers are plain ones.
 */

/** Node's nextTick queue runs before promise jobs; a microtask is the closest a page has. */
export function nextTick(callback: () => void): void {
  queueMicrotask(callback);
}

/**
 * setImmediate's place in a page: a message to a MessageChannel is a task that runs after
 * pending I/O and rendering, without setTimeout(0)'s 4 ms clamp once timers nest. One message
 * per callback, so that one that throws does not take the others with it; messages keep order.
 */
const turnQueue: Array<() => void> = [];
/** The part of a WHATWG MessageChannel used here (Node's, where this bundle runs under Node, also has ref/unref). */
interface TurnChannel {
  port1: { onmessage: (() => void) | null; ref?: () => void; unref?: () => void };
  port2: { postMessage(message: null): void };
}
let channel: TurnChannel | null = null;

function runTurn(): void {
  const callback = turnQueue.shift()!;
  // Under Node, a callback still to come holds the process as setImmediate's do; no more than that.
  if (turnQueue.length === 0) channel!.port1.unref?.();
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
  if (turnQueue.length === 0) channel.port1.ref?.();
  turnQueue.push(callback);
  channel.port2.postMessage(null);
}

export function backgroundTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, ms);
}
