/**
 * Child process of scale.test.ts (run with --expose-gc): connect/disconnect cycles against one
 * bound ROUTER, with file descriptors and memory measured before and after. Prints one JSON line.
 *
 * Each cycle is real traffic: connect, wait for the handshake, send one message, wait until the
 * ROUTER has it, then leave. Half of the cycles create and close a new DEALER; the other half
 * connect() and disconnect() a long-lived one. Cycles run `parallel` at a time.
 */
import { readdirSync } from "node:fs";
import { Dealer, Router } from "../../src/index.js";
import { sleep } from "../helpers/time.js";

const cycles = Number(process.argv[2] ?? 10_000);
const parallel = Number(process.argv[3] ?? 50);
const warmUpCycles = Number(process.argv[4] ?? 1000);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

const openFds = (): number => readdirSync("/proc/self/fd").length;

function handshake(dealer: Dealer): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no handshake within 10 s")), 10_000);
    const listener = (): void => {
      clearTimeout(timer);
      dealer.events.off("handshake", listener);
      resolve();
    };
    dealer.events.on("handshake", listener);
  });
}

const router = new Router({ linger: 0 });
await router.bind("tcp://127.0.0.1:*");
const endpoint = router.lastEndpoint!;

let received = 0;
const arrivals = new Map<string, () => void>();
void (async () => {
  for await (const [, body] of router) {
    received += 1;
    const key = body!.toString();
    arrivals.get(key)?.();
    arrivals.delete(key);
  }
})();

function arrival(key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`message ${key} did not arrive within 10 s`)), 10_000);
    arrivals.set(key, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

let serial = 0;

/** One cycle with a fresh socket, created and closed. */
async function socketCycle(): Promise<void> {
  const key = `s${serial++}`;
  const dealer = new Dealer({ linger: 0 });
  const ready = handshake(dealer);
  dealer.connect(endpoint);
  await ready;
  const arrived = arrival(key);
  await dealer.send(key);
  await arrived;
  dealer.close();
}

/** One cycle of connect() and disconnect() on a long-lived socket. */
async function endpointCycle(dealer: Dealer): Promise<void> {
  const key = `e${serial++}`;
  const ready = handshake(dealer);
  dealer.connect(endpoint);
  await ready;
  const arrived = arrival(key);
  await dealer.send(key);
  await arrived;
  dealer.disconnect(endpoint);
}

async function runCycles(total: number): Promise<void> {
  let started = 0;
  const workers = Array.from({ length: parallel }, async (_, w) => {
    const dealer = new Dealer({ linger: 0 });
    while (started < total) {
      started += 1;
      if ((started + w) % 2 === 0) await socketCycle();
      else await endpointCycle(dealer);
    }
    dealer.close();
  });
  await Promise.all(workers);
}

/**
 * Waits until every connection is gone on both sides and the fd count is back to `target` (or
 * stops moving), then lets the engines' close-grace timers (1 s) expire and collects garbage in
 * several rounds: V8 frees Buffer memory lazily, after the collections that find it unreachable.
 */
async function settle(target: number | null): Promise<number> {
  const deadline = Date.now() + 5000;
  let last = -1;
  let fds: number;
  for (;;) {
    fds = openFds();
    const quiet = router.statistics.peers === 0 && (target === null ? fds === last : fds <= target);
    if (quiet || Date.now() > deadline) break;
    last = fds;
    await sleep(100); // on purpose: "stops moving" is judged over 100 ms
  }
  await sleep(1200); // on purpose: the engines' close-grace timers (1 s, real timers) expire
  for (let i = 0; i < 5; i++) {
    gc!();
    await sleep(100); // on purpose: V8 frees Buffer memory a collection or two after it is unreachable
  }
  return fds;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

await runCycles(warmUpCycles);
const fdsBefore = await settle(null);
const memBefore = process.memoryUsage();
const start = performance.now();
await runCycles(cycles);
const seconds = (performance.now() - start) / 1000;
const fdsAfter = await settle(fdsBefore);
const memAfter = process.memoryUsage();

console.log(
  JSON.stringify({
    cycles,
    parallel,
    warmUpCycles,
    seconds: Math.round(seconds * 100) / 100,
    cyclesPerSecond: Math.round(cycles / seconds),
    received,
    expectedReceived: cycles + warmUpCycles,
    peersAfter: router.statistics.peers,
    fdsBefore,
    fdsAfter,
    rssBeforeMB: mb(memBefore.rss),
    rssAfterMB: mb(memAfter.rss),
    heapUsedBeforeMB: mb(memBefore.heapUsed),
    heapUsedAfterMB: mb(memAfter.heapUsed),
    heapTotalBeforeMB: mb(memBefore.heapTotal),
    heapTotalAfterMB: mb(memAfter.heapTotal),
    externalBeforeMB: mb(memBefore.external),
    externalAfterMB: mb(memAfter.external),
  }),
);
router.close();
