/**
 * CURVE benchmark: ours vs zeromq.js (libzmq + libsodium) side by side, over tcp on 127.0.0.1.
 *   - PUSH -> PULL throughput with 16 B, 4 KiB and 64 KiB messages (messages/s and MB/s of payload)
 *   - REQ <-> REP round-trip latency (mean, p50, p99 in µs)
 *   - handshake cost: connect + first round trip, sequentially (ms each)
 * Each case runs in a fresh child process, so neither implementation shares a heap or an event
 * loop with the other; both sockets of a case are in that one process (zeromq.js's libzmq still
 * has its I/O thread: `zmtp bench curve` runs the two sides in two processes). `--repeat N` runs
 * every case N times, zmtp and zeromq.js alternating, and shows the median; `--json FILE` writes
 * the medians. `--mechanisms curve,null` adds unencrypted baselines.
 *
 *   esbuild bench/curve.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=tmp/bench/curve.mjs && node tmp/bench/curve.mjs [--seconds 2] [--repeat 3] [--json FILE]
 */
import { echo as echoEach } from "./echo.js";
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { setImmediate as tick, setTimeout as sleep } from "node:timers/promises";

type Impl = "zmtp" | "zeromq";
type Mechanism = "curve" | "null";
type Kind = "push-16" | "push-4096" | "push-65536" | "reqrep" | "handshake";

const SIZES: Record<string, number> = { "push-16": 16, "push-4096": 4096, "push-65536": 65536 };

interface Result {
  impl: Impl;
  mechanism: Mechanism;
  kind: Kind;
  /** Throughput cases. */
  messagesPerSecond?: number;
  megabytesPerSecond?: number;
  /** Latency cases, in µs. */
  mean?: number;
  p50?: number;
  p99?: number;
  /** Handshake case, ms per connection. */
  handshakeMs?: number;
}

interface Sock {
  bind(address: string): Promise<void>;
  connect(address: string): void;
  send(message: Buffer | string | Array<Buffer | string>): Promise<void>;
  receive(): Promise<Buffer[]>;
  close(): void;
  readonly lastEndpoint: string | null;
  receiveTimeout: number;
}
interface Api {
  Push: new (options?: object) => Sock;
  Pull: new (options?: object) => Sock;
  Request: new (options?: object) => Sock;
  Reply: new (options?: object) => Sock;
  curveKeyPair(): { publicKey: string; secretKey: string };
}

const BATCH = 100;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

async function load(impl: Impl): Promise<Api> {
  if (impl === "zeromq") return (await import("zeromq")) as unknown as Api;
  return (await import("../src/index.js")) as unknown as Api;
}

/** Server and client options for the mechanism (keys from the implementation under test). */
function security(zmq: Api, mechanism: Mechanism): { server: object; client: object } {
  if (mechanism === "null") return { server: {}, client: {} };
  const server = zmq.curveKeyPair();
  const client = zmq.curveKeyPair();
  return {
    server: { curveServer: true, curveSecretKey: server.secretKey },
    client: { curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey },
  };
}

async function throughput(zmq: Api, mechanism: Mechanism, size: number, seconds: number): Promise<Partial<Result>> {
  const sec = security(zmq, mechanism);
  const pull = new zmq.Pull({ linger: 0, ...sec.server });
  await pull.bind("tcp://127.0.0.1:*");
  const push = new zmq.Push({ linger: 0, ...sec.client });
  push.connect(pull.lastEndpoint!);
  await push.send("warm-up");
  await pull.receive();

  const payload = Buffer.alloc(size, 0x61);
  let received = 0;
  let lastAt = 0;
  let target = Infinity;
  let allIn!: () => void;
  const done = new Promise<void>((resolve) => (allIn = resolve));
  void (async () => {
    for (;;) {
      try {
        await pull.receive();
      } catch {
        return; // closed
      }
      received += 1;
      lastAt = performance.now();
      if (received >= target) allIn();
    }
  })();
  let sent = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < BATCH; i++) await push.send(payload);
    sent += BATCH;
    await tick();
  }
  target = sent;
  if (received >= target) allIn();
  await done;
  const elapsed = (lastAt - started) / 1000;
  push.close();
  pull.close();
  return { messagesPerSecond: received / elapsed, megabytesPerSecond: (received * size) / elapsed / 1e6 };
}

async function latency(zmq: Api, mechanism: Mechanism, seconds: number): Promise<Partial<Result>> {
  const sec = security(zmq, mechanism);
  const rep = new zmq.Reply({ linger: 0, ...sec.server });
  await rep.bind("tcp://127.0.0.1:*");
  const req = new zmq.Request({ linger: 0, ...sec.client });
  req.connect(rep.lastEndpoint!);
  const server = echoEach(rep);
  const payload = Buffer.alloc(16, 0x61);
  for (let i = 0; i < 200; i++) {
    await req.send(payload);
    await req.receive();
  }
  const samples: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    await req.send(payload);
    await req.receive();
    samples.push((performance.now() - t0) * 1000);
  }
  req.close();
  rep.close();
  await server;
  samples.sort((a, b) => a - b);
  const pick = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, p50: pick(0.5), p99: pick(0.99) };
}

async function handshakes(zmq: Api, mechanism: Mechanism, count: number): Promise<Partial<Result>> {
  const sec = security(zmq, mechanism);
  const rep = new zmq.Reply({ linger: 0, ...sec.server });
  await rep.bind("tcp://127.0.0.1:*");
  const server = echoEach(rep);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const req = new zmq.Request({ linger: 0, ...sec.client });
    req.connect(rep.lastEndpoint!);
    await req.send("hi");
    await req.receive();
    req.close();
  }
  const elapsed = performance.now() - started;
  rep.close();
  await server;
  return { handshakeMs: elapsed / count };
}

async function runCase(impl: Impl, mechanism: Mechanism, kind: Kind, seconds: number): Promise<Result> {
  const zmq = await load(impl);
  const base = { impl, mechanism, kind };
  switch (kind) {
    case "push-16":
    case "push-4096":
    case "push-65536":
      return { ...base, ...(await throughput(zmq, mechanism, SIZES[kind]!, seconds)) };
    case "reqrep":
      return { ...base, ...(await latency(zmq, mechanism, seconds)) };
    case "handshake":
      return { ...base, ...(await handshakes(zmq, mechanism, 100)) };
  }
}

function runChild(impl: Impl, mechanism: Mechanism, kind: Kind, seconds: number): Promise<Result> {
  const child = fork(process.argv[1]!, ["--child", impl, mechanism, kind, String(seconds)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise<Result>((resolve, reject) => {
    child.once("message", (msg) => {
      child.kill();
      resolve(msg as Result);
    });
    child.once("exit", (code) => reject(new Error(`${impl} ${mechanism} ${kind} exited with ${code}`)));
  });
}

/** The run in the middle by its headline figure (throughput, p50 or handshake time). */
function median(runs: Result[]): Result {
  const key = (r: Result): number => r.messagesPerSecond ?? -(r.p50 ?? r.handshakeMs ?? 0);
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function parent(): Promise<void> {
  const seconds = Number(arg("seconds", "2"));
  const repeat = Number(arg("repeat", "1"));
  const json = arg("json", "");
  const mechanisms = arg("mechanisms", "curve").split(",") as Mechanism[];
  const kinds = arg("kinds", "push-16,push-4096,push-65536,reqrep,handshake").split(",") as Kind[];
  const runs = new Map<string, Result[]>();
  for (let round = 0; round < repeat; round++) {
    for (const mechanism of mechanisms) {
      for (const kind of kinds) {
        for (const impl of ["zmtp", "zeromq"] as const) {
          const result = await runChild(impl, mechanism, kind, seconds);
          const id = `${impl}/${mechanism}/${kind}`;
          runs.set(id, [...(runs.get(id) ?? []), result]);
          process.stderr.write(`  ${round + 1}/${repeat} ${impl.padEnd(6)} ${mechanism.padEnd(5)} ${kind} done\n`);
        }
      }
    }
  }
  const results = [...runs.values()].map(median);
  if (json !== "") {
    const about = { date: new Date().toISOString(), node: process.version, seconds, repeat };
    writeFileSync(json, JSON.stringify({ machine: about, results }, null, 2) + "\n");
  }

  const fmt = (n: number | undefined, digits = 0): string =>
    n === undefined ? "-" : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const who = (impl: Impl): string => (impl === "zmtp" ? "ours" : "zeromq.js");
  console.log(`\nCURVE benchmark, tcp 127.0.0.1, node ${process.version}, ${seconds} s per case, median of ${repeat}`);
  console.log("\nPUSH -> PULL throughput");
  console.log("| mechanism | size   | impl      |      msg/s |  MB/s |");
  console.log("|-----------|--------|-----------|-----------:|------:|");
  for (const r of results.filter((x) => x.kind.startsWith("push"))) {
    const size = r.kind === "push-16" ? "16 B" : r.kind === "push-4096" ? "4 KiB" : "64 KiB";
    console.log(
      `| ${r.mechanism.padEnd(9)} | ${size.padEnd(6)} | ${who(r.impl).padEnd(9)} | ${fmt(r.messagesPerSecond).padStart(10)} | ${fmt(r.megabytesPerSecond, 1).padStart(5)} |`,
    );
  }
  console.log("\nREQ <-> REP round trip, 16 B (µs)");
  console.log("| mechanism | impl      |  mean |   p50 |   p99 |");
  console.log("|-----------|-----------|------:|------:|------:|");
  for (const r of results.filter((x) => x.kind === "reqrep")) {
    console.log(
      `| ${r.mechanism.padEnd(9)} | ${who(r.impl).padEnd(9)} | ${fmt(r.mean).padStart(5)} | ${fmt(r.p50).padStart(5)} | ${fmt(r.p99).padStart(5)} |`,
    );
  }
  console.log("\nConnect + handshake + first round trip, sequential (ms each)");
  console.log("| mechanism | impl      |    ms |");
  console.log("|-----------|-----------|------:|");
  for (const r of results.filter((x) => x.kind === "handshake")) {
    console.log(`| ${r.mechanism.padEnd(9)} | ${who(r.impl).padEnd(9)} | ${fmt(r.handshakeMs, 2).padStart(5)} |`);
  }
}

if (process.argv.includes("--child")) {
  const at = process.argv.indexOf("--child");
  const [impl, mechanism, kind, seconds] = process.argv.slice(at + 1);
  const result = await runCase(impl as Impl, mechanism as Mechanism, kind as Kind, Number(seconds));
  process.send!(result);
  // libzmq's context can keep the process alive after close; the parent reads and kills.
  await sleep(10_000);
} else {
  await parent();
}
