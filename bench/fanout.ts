/**
 * Fan-out benchmark: 1 PUB -> XSUB/XPUB Proxy -> N SUBs (N = 1, 10, 100), all over tcp on
 * 127.0.0.1, ours and zeromq.js (libzmq) side by side. Each case runs in a fresh child process
 * (so RSS is that implementation's alone) for a few seconds and reports messages delivered per
 * second, summed over all subscribers, the peak RSS and, at that peak, the V8 heap in use and
 * the memory outside it (Buffers' ArrayBuffers, libzmq's own allocations show only in RSS).
 *
 *   npm run bench:fanout [-- --seconds 2 --size 100 --subs 1,10,100 --rate 500 --impl zmtp
 *                           --heap-snapshot tmp/bench]
 *
 * The publisher sends in batches and yields to the event loop between them, as an application
 * would; a PUB never blocks, so what the proxy or a subscriber cannot take is dropped at the
 * HWM. "sent" vs "delivered/N" shows how much. `--rate N` paces the publisher to N messages per
 * second (batches on a 10 ms timer), so both implementations can be compared at one delivered
 * rate. `--heap-snapshot DIR` writes a V8 heap snapshot of each zmtp case at the end of its
 * sending window (queues full), to open in Chrome DevTools' Memory tab.
 *
 * `--backlog N` reproduces a slow subscriber's queue: after the warm-up every subscriber stops
 * reading, the publisher trickles N messages (one per millisecond, or at `--rate`; under the HWM
 * of 1,000, so none is dropped), and once
 * memory has settled the memory held with N messages queued per subscriber is reported ("backlog"
 * columns) before the subscribers read again and the timed window runs as usual.
 */
import { fork } from "node:child_process";
import { join } from "node:path";
import { setImmediate as tick, setTimeout as sleep } from "node:timers/promises";
import { writeHeapSnapshot } from "node:v8";

type Impl = "zmtp" | "zeromq";

interface Result {
  impl: Impl;
  subscribers: number;
  seconds: number;
  sent: number;
  delivered: number;
  peakRssMiB: number;
  /** process.memoryUsage() at the peak RSS sample, MiB. */
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  /** process.memoryUsage() with the backlog queued, and before it was sent, MiB (0 without --backlog). */
  backlog: { rssMiB: number; heapUsedMiB: number; arrayBuffersMiB: number; baseRssMiB: number };
}

interface CaseOptions {
  seconds: number;
  size: number;
  /** Messages per second the publisher is paced to; 0 sends as fast as it can. */
  rate: number;
  /** Directory for a heap snapshot at the end of the sending window, or "" for none. */
  snapshotDir: string;
  /** Messages queued to every subscriber before they read, or 0 for none. */
  backlog: number;
}

interface PubSock {
  bind(address: string): Promise<void>;
  connect(address: string): void;
  send(message: Buffer | string | Array<Buffer | string>): Promise<void>;
  close(): void;
  readonly lastEndpoint: string | null;
}
interface SubSock extends PubSock {
  subscribe(...prefixes: string[]): void;
  receive(): Promise<Buffer[]>;
  receiveTimeout: number;
}
interface ProxyLike {
  run(): Promise<void>;
  terminate(): void;
}
interface Api {
  Publisher: new (options?: object) => PubSock;
  Subscriber: new (options?: object) => SubSock;
  XSubscriber: new (options?: object) => PubSock;
  XPublisher: new (options?: object) => PubSock;
  Proxy: new (front: PubSock, back: PubSock) => ProxyLike;
}

const BATCH = 200;
/** The paced publisher's timer period, ms. */
const PACE_MS = 10;
const MiB = 2 ** 20;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

async function load(impl: Impl): Promise<Api> {
  if (impl === "zeromq") return (await import("zeromq")) as unknown as Api;
  return (await import("../src/index.js")) as unknown as Api;
}

/** One case, in this (child) process. */
async function runCase(impl: Impl, subscribers: number, opts: CaseOptions): Promise<Result> {
  const { seconds, size, rate } = opts;
  const zmq = await load(impl);
  const pub = new zmq.Publisher({ linger: 0 });
  await pub.bind("tcp://127.0.0.1:*");
  const front = new zmq.XSubscriber({ linger: 0 });
  const back = new zmq.XPublisher({ linger: 0 });
  front.connect(pub.lastEndpoint!);
  await back.bind("tcp://127.0.0.1:*");
  const proxy = new zmq.Proxy(front, back);
  const proxied = proxy.run();

  const subs: SubSock[] = [];
  for (let i = 0; i < subscribers; i++) {
    const sub = new zmq.Subscriber({ linger: 0 });
    sub.subscribe("");
    sub.connect(back.lastEndpoint!);
    subs.push(sub);
  }

  // Every subscriber reads from the start, so the warm-up messages (sent until each subscription
  // has reached the publisher through the proxy, seconds with 1,000 subscribers) do not pile up in
  // queues and count as memory of the run; only messages of the payload's size are counted.
  let delivered = 0;
  let counting = false;
  let running = true;
  let waiting = subscribers;
  let allReady!: () => void;
  const ready = new Promise<void>((resolve) => (allReady = resolve));
  // While held, readers park between receive() calls (at most one receiveTimeout after `held`).
  let held: Promise<void> | undefined;
  let release = (): void => undefined;
  const readers = subs.map(async (sub) => {
    sub.receiveTimeout = 200;
    let first = true;
    while (running) {
      if (held !== undefined) await held;
      let msg: Buffer[];
      try {
        msg = await sub.receive();
      } catch {
        continue;
      }
      if (first) {
        first = false;
        if (--waiting === 0) allReady();
      }
      if (counting && msg[0]!.length === size) delivered += 1;
    }
  });
  let warm = true;
  const warming = (async () => {
    while (warm) {
      await pub.send("warm-up");
      await sleep(5);
    }
  })();
  await ready;
  warm = false;
  await warming;
  await sleep(100);

  let peak = process.memoryUsage();
  const sample = (): void => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  };
  const sampler = setInterval(sample, 50);

  const payload = Buffer.alloc(size, 0x61);
  const backlog = { rssMiB: 0, heapUsedMiB: 0, arrayBuffersMiB: 0, baseRssMiB: 0 };
  if (opts.backlog > 0) {
    held = new Promise<void>((resolve) => (release = resolve));
    await sleep(300); // every reader's pending receive() has timed out and it is parked
    globalThis.gc?.();
    backlog.baseRssMiB = process.memoryUsage().rss / MiB;
    // A trickle, as a slow subscriber's queue fills in practice: each socket read brings a message
    // or two, not a batch.
    const perTick = rate > 0 ? Math.max(1, Math.round((rate * PACE_MS) / 1000)) : 1;
    for (let i = 0; i < opts.backlog; i++) {
      await pub.send(payload);
      if (i % perTick === perTick - 1) await sleep(rate > 0 ? PACE_MS : 1);
    }
    // Wait until the messages have reached the subscribers' queues: RSS steady for a second.
    let last = 0;
    let steady = 0;
    for (let waited = 0; steady < 10 && waited < 600; waited++) {
      await sleep(100);
      const rss = process.memoryUsage().rss;
      steady = rss > last * 1.005 ? 0 : steady + 1;
      last = Math.max(last, rss);
    }
    globalThis.gc?.();
    const now = process.memoryUsage();
    Object.assign(backlog, {
      rssMiB: now.rss / MiB,
      heapUsedMiB: now.heapUsed / MiB,
      arrayBuffersMiB: now.arrayBuffers / MiB,
    });
    held = undefined;
    release();
  }
  let sent = 0;
  counting = true;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    if (rate > 0) {
      const due = Math.floor(((performance.now() - started) * rate) / 1000) - sent;
      for (let i = 0; i < due; i++) await pub.send(payload);
      sent += Math.max(due, 0);
      await sleep(PACE_MS);
      continue;
    }
    for (let i = 0; i < BATCH; i++) await pub.send(payload);
    sent += BATCH;
    await tick();
  }
  const elapsed = (performance.now() - started) / 1000;
  counting = false;
  const count = delivered;
  clearInterval(sampler);
  sample();
  if (opts.snapshotDir !== "" && impl === "zmtp") {
    writeHeapSnapshot(
      join(opts.snapshotDir, `fanout-${impl}-${subscribers}${rate > 0 ? `-r${rate}` : ""}.heapsnapshot`),
    );
  }

  proxy.terminate();
  await proxied.catch(() => undefined);
  running = false;
  for (const sub of subs) sub.close();
  pub.close();
  await Promise.all(readers);
  return {
    impl,
    subscribers,
    seconds: elapsed,
    sent,
    delivered: count,
    peakRssMiB: peak.rss / MiB,
    heapUsedMiB: peak.heapUsed / MiB,
    externalMiB: peak.external / MiB,
    arrayBuffersMiB: peak.arrayBuffers / MiB,
    backlog,
  };
}

async function parent(): Promise<void> {
  const seconds = Number(arg("seconds", "2"));
  const size = Number(arg("size", "100"));
  const rate = Number(arg("rate", "0"));
  const snapshotDir = arg("heap-snapshot", "");
  const backlog = Number(arg("backlog", "0"));
  const counts = arg("subs", "1,10,100").split(",").map(Number);
  const impls = arg("impl", "zmtp,zeromq").split(",") as Impl[];
  const options: CaseOptions = { seconds, size, rate, snapshotDir, backlog };
  const results: Result[] = [];
  for (const subscribers of counts) {
    for (const impl of impls) {
      const child = fork(process.argv[1]!, ["--child", impl, String(subscribers), JSON.stringify(options)], {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        // A collection before each backlog reading, so it counts what the queues hold, not garbage.
        execArgv: backlog > 0 ? [...process.execArgv, "--expose-gc"] : process.execArgv,
      });
      const result = await new Promise<Result>((resolve, reject) => {
        child.once("message", (msg) => resolve(msg as Result));
        child.once("exit", (code) => reject(new Error(`${impl} N=${subscribers} exited with ${code}`)));
      });
      child.kill();
      results.push(result);
      process.stderr.write(`  ${impl.padEnd(6)} N=${String(subscribers).padEnd(3)} done\n`);
    }
  }

  const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
  const pace = rate > 0 ? `publisher paced to ${fmt(rate)} msg/s` : "publisher unpaced";
  console.log(
    `\nfan-out: 1 PUB -> XSUB/XPUB proxy -> N SUB, tcp 127.0.0.1, ${size}-byte messages, ${seconds} s per case, ${pace}`,
  );
  console.log(
    "| N    | impl      | sent msg/s | delivered msg/s (all subs) | per sub msg/s | peak RSS MiB | heap used | external | arrayBuffers |",
  );
  console.log(
    "|------|-----------|-----------:|---------------------------:|--------------:|-------------:|----------:|---------:|-------------:|",
  );
  const mib = (n: number, width: number): string => n.toFixed(0).padStart(width);
  for (const r of results) {
    console.log(
      `| ${String(r.subscribers).padEnd(4)} | ${(r.impl === "zmtp" ? "ours" : "zeromq.js").padEnd(9)} | ${fmt(r.sent / r.seconds).padStart(10)} | ${fmt(r.delivered / r.seconds).padStart(26)} | ${fmt(r.delivered / r.seconds / r.subscribers).padStart(13)} | ${mib(r.peakRssMiB, 12)} | ${mib(r.heapUsedMiB, 9)} | ${mib(r.externalMiB, 8)} | ${mib(r.arrayBuffersMiB, 12)} |`,
    );
  }
  if (backlog > 0) {
    console.log(
      `\nbacklog: ${fmt(backlog)} messages queued to every subscriber, memory after a GC once they have arrived`,
    );
    console.log(
      "| N    | impl      | RSS MiB | heap used | arrayBuffers | RSS over before sending | bytes per queued message |",
    );
    console.log(
      "|------|-----------|--------:|----------:|-------------:|------------------------:|-------------------------:|",
    );
    for (const r of results) {
      const b = r.backlog;
      const grown = b.rssMiB - b.baseRssMiB;
      console.log(
        `| ${String(r.subscribers).padEnd(4)} | ${(r.impl === "zmtp" ? "ours" : "zeromq.js").padEnd(9)} | ${mib(b.rssMiB, 7)} | ${mib(b.heapUsedMiB, 9)} | ${mib(b.arrayBuffersMiB, 12)} | ${mib(grown, 23)} | ${fmt((grown * MiB) / (backlog * r.subscribers)).padStart(24)} |`,
      );
    }
  }
  // What each further subscriber costs, from the smallest to the largest case.
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  if (hi > lo) {
    for (const impl of impls) {
      const a = results.find((r) => r.impl === impl && r.subscribers === lo)!;
      const b = results.find((r) => r.impl === impl && r.subscribers === hi)!;
      const kib = ((b.peakRssMiB - a.peakRssMiB) * 1024) / (hi - lo);
      console.log(
        `${impl === "zmtp" ? "ours" : "zeromq.js"}: peak RSS per subscriber (N=${lo} to ${hi}) ${kib.toFixed(0)} KiB`,
      );
    }
  }
}

if (process.argv.includes("--child")) {
  const at = process.argv.indexOf("--child");
  const [impl, subscribers, options] = process.argv.slice(at + 1);
  const result = await runCase(impl as Impl, Number(subscribers), JSON.parse(options!) as CaseOptions);
  process.send!(result);
  // libzmq's context can keep the process alive after the proxy; the parent reads and kills.
  await sleep(10_000);
} else {
  await parent();
}
