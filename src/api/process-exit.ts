import { writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";
import { threadSockets, type SocketBase } from "../sockets/base.js";
import type { FinalDelivery } from "../sockets/session/final-delivery.js";
import { DONE, STARTING, startDeliveryThread } from "./exit-delivery.js";

/**
 * What happens to sockets when the process (or a worker thread) ends, as with zeromq.js: at a
 * natural exit every socket is closed with its linger and the context is terminated, which waits
 * while messages are still queued for peers, and says so on stderr after 500 ms (zeromq.js's
 * `Terminator`, module.h). `process.exit()` waits for nothing. In a worker nothing waits: the
 * shared context outlives it and delivers later.
 *
 * zmtp cannot deliver after `exit` on the thread's own event loop, so at `beforeExit` it keeps
 * the loop alive while a connection is still carrying queued messages (a worker also while a
 * peer is awaited, since nothing delivers for it afterwards), and at the main thread's `exit`
 * it hands what waits for absent peers to a delivery thread and blocks until it is done.
 */

/** zeromq.js prints its warning when the termination takes longer than this. */
const WARN_AFTER_MS = 500;
/** How often a held exit checks whether the queues drained. */
const POLL_MS = 10;
/** A delivery thread that did not start by then never will: exit without it. */
const START_LIMIT_MS = 10_000;

let watching = false;
/** When the thread first found its event loop empty (the exit began), for open sockets' linger. */
let exitBegan: number | null = null;
let hold: NodeJS.Timeout | null = null;
let warnAt = Infinity;
let warned = false;

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
  exitBegan ??= performance.now();
  if (hold !== null || waitingSocket() === null) return;
  if (isMainThread && warnAt === Infinity) warnAt = performance.now() + WARN_AFTER_MS;
  hold = setInterval(checkHold, POLL_MS);
}

function checkHold(): void {
  const socket = waitingSocket();
  if (socket !== null && isMainThread && !warned && performance.now() >= warnAt) warn(socket);
  if (socket === null && hold !== null) {
    clearInterval(hold);
    hold = null;
  }
}

/** A socket the thread's exit must still wait for at `beforeExit`, or null. */
function waitingSocket(): SocketBase | null {
  for (const socket of threadSockets) {
    if (lingerExpired(socket)) continue;
    const pending = socket.outboundPending;
    if (pending === "in-flight" || (pending === "awaiting-peer" && !isMainThread)) return socket;
  }
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
    if (natural && isMainThread && !lingerExpired(socket)) {
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
  if (warnAt === Infinity) warnAt = started + WARN_AFTER_MS;
  const lingers = items.map((item) => item.linger);
  // Every linger is finite: the thread ends by then; allow it a second to say so.
  const giveUpAt = lingers.includes(-1) ? Infinity : started + Math.max(...lingers) + 1_000;
  const flag = startDeliveryThread(items);
  for (;;) {
    const state = Atomics.load(flag, 0);
    const now = performance.now();
    if (state === DONE || now >= giveUpAt || (state === STARTING && now - started >= START_LIMIT_MS)) return;
    if (!warned && now >= warnAt) warnOnce(blocky);
    const until = Math.min(warned ? Infinity : warnAt, giveUpAt, state === STARTING ? started + START_LIMIT_MS : Infinity);
    Atomics.wait(flag, 0, state, until === Infinity ? undefined : Math.max(0, until - now));
  }
}

function warn(socket: SocketBase): void {
  warnOnce(socket.context.blocky);
}

/**
 * zeromq.js writes this with fprintf once Node can no longer emit warnings (module.h), so it is
 * no process warning: --no-warnings and `process.on("warning")` do not see it.
 */
function warnOnce(blocky: boolean): void {
  warned = true;
  const advice = blocky ? " Set 'context.blocky = false' to change this behaviour." : "";
  writeSync(2, `(node:${process.pid}) WARNING: Waiting for queued ZeroMQ messages to be delivered.${advice}\n`);
}
