import { writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";
import { threadSockets, type SocketBase } from "../sockets/base.js";
import type { FinalDelivery } from "../sockets/session/final-delivery.js";
import { DONE, STARTING, deliveryThreadFile, startDeliveryThread } from "./exit-delivery.js";

/**
 * What happens to sockets when the process (or a worker thread) ends, as with zeromq.js: at a
 * natural exit every socket is closed with its linger and the context is terminated after the
 * `exit` event, which waits while messages are still queued for peers and says so on stderr
 * after 500 ms (zeromq.js's `Terminator`, module.h). `process.exit()` waits for nothing. In a
 * worker the context is not terminated: the shared context outlives the thread and delivers.
 *
 * Once `exit` has been emitted the thread's event loop never runs again. So the main thread, at
 * `exit`, takes what is still queued for peers that are not connected (or still handshaking;
 * data on established connections has gone to the kernel by then, or the loop would not have
 * emptied) and hands it to a delivery thread, blocking until it is done. A worker has no thread
 * to hand its queues to: it keeps its loop alive at `beforeExit` until they are delivered; so
 * does the main thread when zmtp was bundled into an application (its file is then not one a
 * delivery thread can load on its own).
 */

/** zeromq.js prints its warning when the termination takes longer than this. */
const WARN_AFTER_MS = 500;
/** How often an exit that waits checks whether the queues drained. */
const POLL_MS = 10;
/** A delivery thread that did not start by then never will: exit without it. */
const START_LIMIT_MS = 10_000;

let watching = false;
let warned = false;
/** When the thread first found its event loop empty (the exit began), for open sockets' linger. */
let exitBegan: number | null = null;
let hold: NodeJS.Timeout | null = null;
/** The loop ran again after `beforeExit` because of our own hold (not because the application had work). */
let resumedByHold = false;
/** The main thread's exit waits in a delivery thread (null: not known yet). */
let delivering: boolean | null = null;

/** Installs the exit behaviour in this thread; called when its first socket is made. */
export function watchProcessExit(): void {
  if (watching) return;
  watching = true;
  process.on("beforeExit", onBeforeExit);
  process.on("exit", onExit);
}

function onBeforeExit(): void {
  // Our `exit` listener must run after the application's, as zeromq.js's termination comes last.
  process.off("exit", onExit);
  process.on("exit", onExit);
  // The application's own work after an earlier `beforeExit` means that one was no exit.
  if (!resumedByHold) exitBegan = performance.now();
  resumedByHold = false;
  delivering ??= isMainThread && deliveryThreadFile() !== null;
  if (delivering || hold !== null || waitingSocket() === null) return;
  resumedByHold = true;
  const warnAt = isMainThread ? performance.now() + WARN_AFTER_MS : Infinity;
  hold = setInterval(() => {
    const socket = waitingSocket();
    if (socket !== null && performance.now() >= warnAt) warn(socket.context.blocky);
    if (socket !== null || hold === null) return;
    clearInterval(hold);
    hold = null;
  }, POLL_MS);
}

/** A socket that still has messages to deliver within its linger, or null. */
function waitingSocket(): SocketBase | null {
  for (const socket of threadSockets) if (!lingerExpired(socket) && socket.outboundPending) return socket;
  return null;
}

/**
 * How long the socket may still deliver, in ms (-1: no limit): an open socket is closed at exit
 * with its linger, counted from when the exit began; a closed one ends its own linger.
 */
function lingerLeft(socket: SocketBase): number {
  const linger = socket.lingerLeft;
  if (linger <= 0 || socket.closed || exitBegan === null) return linger;
  return Math.max(0, linger - (performance.now() - exitBegan));
}

function lingerExpired(socket: SocketBase): boolean {
  return lingerLeft(socket) === 0;
}

function onExit(): void {
  const natural = performance.nodeTiming.loopExit >= 0;
  if (hold !== null) clearInterval(hold);
  const items: FinalDelivery[] = [];
  let blocky = true;
  for (const socket of [...threadSockets]) {
    if (natural && delivering === true && !lingerExpired(socket)) {
      const linger = lingerLeft(socket);
      for (const undelivered of socket.takeUndelivered()) {
        if (items.length === 0) blocky = socket.context.blocky;
        items.push({ ...undelivered, socketType: socket.zmtpType, options: socket.options, linger });
      }
    }
    socket.abort();
  }
  if (items.length > 0) awaitDelivery(items, blocky);
}

/** Blocks the exiting main thread while the delivery thread works, warning after 500 ms. */
function awaitDelivery(items: FinalDelivery[], blocky: boolean): void {
  const started = performance.now();
  const warnAt = started + WARN_AFTER_MS;
  const lingers = items.map((item) => item.linger);
  // Every linger is finite: the thread ends by then; allow it a second to say so.
  const giveUpAt = lingers.includes(-1) ? Infinity : started + Math.max(...lingers) + 1_000;
  const startLimit = started + START_LIMIT_MS;
  const flag = startDeliveryThread(items);
  for (;;) {
    const state = Atomics.load(flag, 0);
    const now = performance.now();
    if (state === DONE || now >= giveUpAt || (state === STARTING && now >= startLimit)) return;
    if (now >= warnAt) warn(blocky);
    const until = Math.min(warned ? Infinity : warnAt, giveUpAt, state === STARTING ? startLimit : Infinity);
    Atomics.wait(flag, 0, state, until === Infinity ? undefined : Math.max(0, until - now));
  }
}

/**
 * zeromq.js writes this with fprintf once Node can no longer emit warnings (module.h), so it is
 * no process warning: --no-warnings and `process.on("warning")` do not see it. Once per process.
 */
function warn(blocky: boolean): void {
  if (warned) return;
  warned = true;
  const advice = blocky ? " Set 'context.blocky = false' to change this behaviour." : "";
  writeSync(2, `(node:${process.pid}) WARNING: Waiting for queued ZeroMQ messages to be delivered.${advice}\n`);
}
