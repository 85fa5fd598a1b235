/**
 * Benchmark of the broker network (a benchmark, not a test):
 *
 *   npm run bench:broker [-- --repeat 3 --seconds 3 --brokers 1,2,3 --workers 1,4,16]
 *
 * Every node runs in a process of its own kind, over tcp on 127.0.0.1: each broker in its own
 * process, all workers in one, all clients in one. Workers echo the request.
 *
 *   throughput   for each (brokers, workers): C clients, each with K requests of 4 KiB in flight,
 *                for S seconds after a warm-up: round trips per second (C-B-W-B-C, both steps of
 *                a request), and p50/p99 latency of a whole request.
 *   failover     2 brokers, 4 workers, C clients in flight; one broker is killed (SIGKILL) or
 *                stopped (SIGSTOP): the time from then until every request that was in flight
 *                at that moment has its answer, i.e. until every client's requests flow again,
 *                and whether any request was lost. Default timings (1 s heartbeats, liveness 3,
 *                1 s per try).
 *
 * Each figure is the median of --repeat runs. Writes bench/results/broker.json and broker.svg.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { NetworkBroker } from "../src/network/broker.js";
import { NetworkClient } from "../src/network/client.js";
import { NetworkWorker } from "../src/network/worker.js";
import { plotSvg, type PlotRow } from "./plot.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    peer: { type: "string", multiple: true },
    broker: { type: "string", multiple: true },
    count: { type: "string", default: "1" },
    clients: { type: "string", default: "4" },
    concurrency: { type: "string", default: "8" },
    seconds: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    size: { type: "string", default: "4096" },
    repeat: { type: "string", default: "3" },
    brokers: { type: "string", default: "1,2,3" },
    workers: { type: "string", default: "1,4,16" },
    mode: { type: "string", default: "throughput" },
    "failover-runs": { type: "string", default: "3" },
    out: { type: "string", default: "bench/results" },
    replot: { type: "boolean", default: false },
  },
});

const now = (): number => performance.timeOrigin + performance.now();
const print = (value: object): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const numbers = (text: string): number[] => text.split(",").map(Number);
const median = (xs: number[]): number =>
  xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

// ---------------------------------------------------------------- roles (child processes)

async function brokerRole(): Promise<void> {
  const broker = await NetworkBroker.start({
    bind: "tcp://127.0.0.1:*",
    peers: (values.peer ?? []).map((endpoint) => ({ endpoint })),
  });
  print({ endpoint: broker.address.endpoint });
  process.on("SIGTERM", () => broker.close());
}

async function workersRole(): Promise<void> {
  const brokers = values.broker!;
  const workers = Array.from({ length: Number(values.count) }, (_, i) =>
    new NetworkWorker({ brokers, service: "echo", name: `w${i}`, handler: (body) => body }).start(),
  );
  while (!workers.every((w) => w.links.upLinks().length === brokers.length)) await sleep(20);
  print({ ready: workers.length });
  process.on("SIGTERM", () => workers.forEach((w) => w.close()));
}

interface Timed {
  client: number;
  start: number;
  end: number;
  ok: boolean;
}

async function loadRole(): Promise<void> {
  const brokers = values.broker!;
  const clients = Array.from({ length: Number(values.clients) }, () => new NetworkClient({ brokers }));
  while (!clients.every((c) => c.links.upLinks().length === brokers.length)) await sleep(20);
  const payload = Buffer.alloc(Number(values.size), 0x61);
  const records: Timed[] = [];
  let running = true;
  const loop = async (client: NetworkClient, index: number): Promise<void> => {
    while (running) {
      const start = now();
      let ok = true;
      try {
        const reply = await client.request("echo", payload);
        if (reply[0]!.length !== payload.length) throw new Error("short reply");
      } catch {
        ok = false;
      }
      records.push({ client: index, start, end: now(), ok });
    }
  };
  const concurrency = Number(values.concurrency);
  const loops = clients.flatMap((c, i) => Array.from({ length: concurrency }, () => loop(c, i)));
  if (values.mode === "throughput") {
    await sleep(Number(values.warmup) * 1000);
    const from = now();
    await sleep(Number(values.seconds) * 1000);
    const to = now();
    running = false;
    await Promise.all(loops);
    const inWindow = records.filter((r) => r.end >= from && r.end < to);
    const latencies = inWindow
      .filter((r) => r.ok)
      .map((r) => r.end - r.start)
      .sort((a, b) => a - b);
    print({
      rps: latencies.length / ((to - from) / 1000),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      errors: inWindow.length - latencies.length,
    });
  } else {
    await sleep(2000);
    print({ warm: true });
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: process.stdin }).once("line", resolve),
    );
    const killedAt = Number(line);
    await sleep(5000);
    running = false;
    await Promise.all(loops);
    // Per client: until every request in flight when the broker went has its answer.
    const perClient = clients.map((_, i) => {
      const caught = records.filter((r) => r.client === i && r.start < killedAt && r.end > killedAt);
      return Math.max(0, ...caught.map((r) => r.end - killedAt));
    });
    const after = records.filter((r) => r.start >= killedAt);
    print({
      recovery: Math.max(...perClient),
      perClient,
      failed: records.filter((r) => !r.ok).length,
      answered: records.filter((r) => r.ok).length,
      answeredAfter: after.filter((r) => r.ok).length,
    });
  }
  clients.forEach((c) => c.close());
}

// ---------------------------------------------------------------- the driver

class Child {
  readonly process: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;

  constructor(args: string[]) {
    // Node flags go to every process (node --cpu-prof ... profiles them all).
    this.process = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    createInterface({ input: this.process.stdout! }).on("line", (line) => {
      if (this.waiting !== null) {
        const resolve = this.waiting;
        this.waiting = null;
        resolve(line);
      } else this.lines.push(line);
    });
  }

  next(): Promise<Record<string, unknown>> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(JSON.parse(line) as Record<string, unknown>);
    return new Promise((resolve) => (this.waiting = (l) => resolve(JSON.parse(l) as Record<string, unknown>)));
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    this.process.kill(signal);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) return resolve();
      this.process.once("exit", () => resolve());
      this.process.kill("SIGTERM");
    });
  }
}

async function network(
  brokerCount: number,
  workerCount: number,
): Promise<{ brokers: Child[]; endpoints: string[]; workers: Child }> {
  const brokers: Child[] = [];
  const endpoints: string[] = [];
  for (let i = 0; i < brokerCount; i++) {
    const child = new Child(["broker", ...(i === 0 ? [] : ["--peer", endpoints[0]!])]);
    brokers.push(child);
    endpoints.push((await child.next()).endpoint as string);
  }
  const workers = new Child(["workers", "--count", String(workerCount), ...endpoints.flatMap((e) => ["--broker", e])]);
  await workers.next();
  return { brokers, endpoints, workers };
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function throughput(brokerCount: number, workerCount: number): Promise<Run> {
  const net = await network(brokerCount, workerCount);
  const load = new Child([
    "load",
    ...net.endpoints.flatMap((e) => ["--broker", e]),
    ...["--clients", values.clients!, "--concurrency", values.concurrency!, "--seconds", values.seconds!],
    ...["--warmup", values.warmup!, "--size", values.size!],
  ]);
  const result = (await load.next()) as unknown as Run;
  // SIGTERM: each closes and exits (and writes its profile under node --cpu-prof).
  await Promise.all([net.workers, ...net.brokers].map((child) => child.stop()));
  return result;
}

interface Failover {
  recovery: number;
  perClient: number[];
  failed: number;
  answered: number;
  answeredAfter: number;
}

async function failover(signal: "SIGKILL" | "SIGSTOP"): Promise<Failover> {
  const net = await network(2, 4);
  const load = new Child([
    "load",
    "--mode",
    "failover",
    ...net.endpoints.flatMap((e) => ["--broker", e]),
    ...["--clients", values.clients!, "--concurrency", "4", "--size", values.size!],
  ]);
  await load.next(); // warm
  net.brokers[0]!.kill(signal);
  load.process.stdin!.write(`${now()}\n`);
  const result = (await load.next()) as unknown as Failover;
  for (const child of [load, net.workers, ...net.brokers]) child.kill("SIGKILL");
  if (signal === "SIGSTOP") net.brokers[0]!.kill("SIGCONT");
  return result;
}

/**
 * Gossip with the default timings (1 s interval, liveness 3), brokers in this process: how long
 * until a new broker (knowing one peer) is listed by every broker and lists them all, and until a
 * broker that stopped is dropped from every list.
 */
async function gossip(): Promise<{ joinMs: number; leaveMs: number }> {
  const listsAll = (b: NetworkBroker, n: number): boolean => b.liveBrokers().length === n;
  const brokers = [await NetworkBroker.start({ bind: "tcp://127.0.0.1:*" })];
  for (let i = 0; i < 2; i++)
    brokers.push(await NetworkBroker.start({ bind: "tcp://127.0.0.1:*", peers: [brokers[0]!.address] }));
  while (!brokers.every((b) => listsAll(b, 3))) await sleep(5);
  const joinStart = performance.now();
  brokers.push(await NetworkBroker.start({ bind: "tcp://127.0.0.1:*", peers: [brokers[2]!.address] }));
  while (!brokers.every((b) => listsAll(b, 4))) await sleep(1);
  const joinMs = performance.now() - joinStart;
  const leaving = brokers.shift()!;
  leaving.close();
  const leaveStart = performance.now();
  while (!brokers.every((b) => listsAll(b, 3))) await sleep(1);
  const leaveMs = performance.now() - leaveStart;
  brokers.forEach((b) => b.close());
  return { joinMs, leaveMs };
}

function subtitle(clients: number, concurrency: number, repeat: number, machine: string): string {
  return `zmtp-broker: ${clients} clients × ${concurrency} requests in flight, 4 KiB, median of ${repeat} runs; ${machine}`;
}

/** --replot: the chart again from the last results (after a change to the chart only). */
function replot(): void {
  const summary = JSON.parse(readFileSync(`${values.out}/broker.json`, "utf8")) as {
    machine: string;
    settings: { clients: number; concurrency: number; repeat: number };
    throughput: PlotRow[];
  };
  const { clients, concurrency, repeat } = summary.settings;
  writeFileSync(
    `${values.out}/broker.svg`,
    plotSvg(summary.throughput, subtitle(clients, concurrency, repeat, summary.machine)),
  );
}

async function main(): Promise<void> {
  if (values.replot === true) return replot();
  const repeat = Number(values.repeat);
  const rows: Array<PlotRow & { runs: Run[] }> = [];
  const configs = numbers(values.brokers!).flatMap((b) => numbers(values.workers!).map((w) => [b, w] as const));
  const runs = new Map<string, Run[]>();
  // Interleaved: each round runs every configuration once, so slow spells of a shared machine spread.
  for (let round = 0; round < repeat; round++) {
    for (const [b, w] of configs) {
      const run = await throughput(b, w);
      runs.set(`${b}x${w}`, [...(runs.get(`${b}x${w}`) ?? []), run]);
      process.stderr.write(
        `round ${round + 1}/${repeat}: ${b} broker(s), ${w} worker(s): ${run.rps.toFixed(0)} rt/s, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, ${run.errors} errors\n`,
      );
    }
  }
  for (const [b, w] of configs) {
    const list = runs.get(`${b}x${w}`)!;
    rows.push({
      brokers: b,
      workers: w,
      rps: median(list.map((r) => r.rps)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      runs: list,
    });
  }
  const failovers: Record<string, Failover[]> = { SIGKILL: [], SIGSTOP: [] };
  for (let i = 0; i < Number(values["failover-runs"]); i++) {
    for (const signal of ["SIGKILL", "SIGSTOP"] as const) {
      const result = await failover(signal);
      failovers[signal]!.push(result);
      process.stderr.write(
        `failover ${signal} run ${i + 1}: every client flowing again after ${result.recovery.toFixed(1)} ms, ${result.failed} failed of ${result.answered + result.failed}\n`,
      );
    }
  }
  const gossips: Array<{ joinMs: number; leaveMs: number }> = [];
  for (let i = 0; i < Number(values["failover-runs"]); i++) {
    gossips.push(await gossip());
    process.stderr.write(
      `gossip run ${i + 1}: joined everywhere after ${gossips.at(-1)!.joinMs.toFixed(1)} ms, dropped everywhere after ${gossips.at(-1)!.leaveMs.toFixed(0)} ms\n`,
    );
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end`;
  const summary = {
    date: new Date().toISOString(),
    machine,
    settings: {
      clients: Number(values.clients),
      concurrency: Number(values.concurrency),
      size: Number(values.size),
      seconds: Number(values.seconds),
      repeat,
    },
    throughput: rows,
    gossip: {
      medianJoinMs: median(gossips.map((g) => g.joinMs)),
      medianLeaveMs: median(gossips.map((g) => g.leaveMs)),
      runs: gossips,
    },
    failover: Object.fromEntries(
      Object.entries(failovers).map(([signal, list]) => [
        signal,
        {
          medianRecoveryMs: median(list.map((r) => r.recovery)),
          failed: list.reduce((n, r) => n + r.failed, 0),
          runs: list,
        },
      ]),
    ),
  };
  mkdirSync(values.out!, { recursive: true });
  writeFileSync(`${values.out}/broker.json`, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(
    `${values.out}/broker.svg`,
    plotSvg(rows, subtitle(Number(values.clients), Number(values.concurrency), repeat, machine)),
  );
  console.log("\n| brokers | workers | round trips/s | p50 ms | p99 ms |\n| ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows)
    console.log(`| ${r.brokers} | ${r.workers} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
  for (const [signal, f] of Object.entries(summary.failover))
    console.log(
      `\nfailover after ${signal}: median ${f.medianRecoveryMs.toFixed(1)} ms until every client's requests flow again; ${f.failed} requests failed`,
    );
  console.log(
    `\ngossip (1 s interval, liveness 3): a new broker listed everywhere after ${summary.gossip.medianJoinMs.toFixed(1)} ms, a stopped one dropped everywhere after ${summary.gossip.medianLeaveMs.toFixed(0)} ms (medians)`,
  );
  console.log(`\n${machine}; results in ${values.out}/broker.json and broker.svg`);
}

switch (positionals[0]) {
  case "broker":
    await brokerRole();
    break;
  case "workers":
    await workersRole();
    break;
  case "load":
    await loadRole();
    break;
  default:
    await main();
}
