/**
 * Fan-out benchmark: 1 PUB -> XSUB/XPUB Proxy -> N SUBs (N = 1, 10, 100), all over tcp on
 * 127.0.0.1, ours and zeromq.js (libzmq) side by side. Each case runs in a fresh child process
 * (so RSS is that implementation's alone) for a few seconds and reports messages delivered per
 * second, summed over all subscribers, and the peak RSS.
 *
 *   npm run bench:fanout [-- --seconds 2 --size 100 --subs 1,10,100]
 *
 * The publisher sends in batches and yields to the event loop between them, as an application
 * would; a PUB never blocks, so what the proxy or a subscriber cannot take is dropped at the
 * HWM. "sent" vs "delivered/N" shows how much.
 */
import { fork } from "node:child_process";
import { setImmediate as tick, setTimeout as sleep } from "node:timers/promises";

type Impl = "zmtp" | "zeromq";

interface Result {
  impl: Impl;
  subscribers: number;
  seconds: number;
  sent: number;
  delivered: number;
  peakRssMiB: number;
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

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

async function load(impl: Impl): Promise<Api> {
  if (impl === "zeromq") return (await import("zeromq")) as unknown as Api;
  return (await import("../src/index.js")) as unknown as Api;
}

/** One case, in this (child) process. */
async function runCase(impl: Impl, subscribers: number, seconds: number, size: number): Promise<Result> {
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

  // Wait until every subscriber's subscription has reached the publisher through the proxy.
  const ready = subs.map(async (sub) => {
    await sub.receive();
  });
  let warm = true;
  const warming = (async () => {
    while (warm) {
      await pub.send("warm-up");
      await sleep(5);
    }
  })();
  await Promise.all(ready);
  warm = false;
  await warming;
  await sleep(100);

  let delivered = 0;
  let counting = false;
  let running = true;
  const readers = subs.map(async (sub) => {
    sub.receiveTimeout = 200;
    while (running) {
      try {
        await sub.receive();
      } catch {
        continue;
      }
      if (counting) delivered += 1;
    }
  });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  const payload = Buffer.alloc(size, 0x61);
  let sent = 0;
  counting = true;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < BATCH; i++) await pub.send(payload);
    sent += BATCH;
    await tick();
  }
  const elapsed = (performance.now() - started) / 1000;
  counting = false;
  const count = delivered;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  proxy.terminate();
  await proxied.catch(() => undefined);
  running = false;
  for (const sub of subs) sub.close();
  pub.close();
  await Promise.all(readers);
  return { impl, subscribers, seconds: elapsed, sent, delivered: count, peakRssMiB: peakRss / 2 ** 20 };
}

async function parent(): Promise<void> {
  const seconds = Number(arg("seconds", "2"));
  const size = Number(arg("size", "100"));
  const counts = arg("subs", "1,10,100").split(",").map(Number);
  const results: Result[] = [];
  for (const subscribers of counts) {
    for (const impl of ["zmtp", "zeromq"] as const) {
      const child = fork(process.argv[1]!, ["--child", impl, String(subscribers), String(seconds), String(size)], {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
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
  console.log(
    `\nfan-out: 1 PUB -> XSUB/XPUB proxy -> N SUB, tcp 127.0.0.1, ${size}-byte messages, ${seconds} s per case`,
  );
  console.log("| N   | impl     | sent msg/s | delivered msg/s (all subs) | per sub msg/s | peak RSS MiB |");
  console.log("|-----|----------|-----------:|---------------------------:|--------------:|-------------:|");
  for (const r of results) {
    console.log(
      `| ${String(r.subscribers).padEnd(3)} | ${(r.impl === "zmtp" ? "ours" : "zeromq.js").padEnd(8)} | ${fmt(r.sent / r.seconds).padStart(10)} | ${fmt(r.delivered / r.seconds).padStart(26)} | ${fmt(r.delivered / r.seconds / r.subscribers).padStart(13)} | ${r.peakRssMiB.toFixed(0).padStart(12)} |`,
    );
  }
}

if (process.argv.includes("--child")) {
  const at = process.argv.indexOf("--child");
  const [impl, subscribers, seconds, size] = process.argv.slice(at + 1);
  const result = await runCase(impl as Impl, Number(subscribers), Number(seconds), Number(size));
  process.send!(result);
  // libzmq's context can keep the process alive after the proxy; the parent reads and kills.
  await sleep(10_000);
} else {
  await parent();
}
