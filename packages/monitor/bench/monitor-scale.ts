/**
 * Scale benchmark of the monitoring system (a benchmark, not a test):
 *
 *   npm run bench:monitor [-- --agents 100,1000,5000 --seconds 20 --rate 1,10 --store sqlite,postgres]
 *
 * For each store, rate and N, this process runs one sink per stream over an SQLite store (in a
 * temporary directory) or a PostgreSQL store (a private server started from Debian's binaries, as
 * the tests do, or --pg URL); each of the 2 routers runs in a child process, and N real `Agent`s
 * run in children of at most AGENTS_PER_PROCESS each, every agent connected to both routers over
 * tcp on 127.0.0.1 (children, because the agents' and the routers' ends of 2N connections would
 * not fit one process's file descriptor limit: 20,000 here, and not raisable without privileges). The agents send at realistic rates, times
 * `--rate`: a heartbeat every 5 s, a batch of 10 stats every 10 s, and an acknowledged
 * notification every 100 s (spread over the agents). After all agents are connected and a
 * warm-up, it measures for `--seconds`:
 *
 *   messages/s   received by the sinks (all streams), and how many the agents offered
 *   agent->sink  latency of stats and notification messages: header time to the sink's store call
 *   ack RTT      notify() to the sink's ack arriving back at the agent (stored and committed)
 *   memory       per agent: heap + external growth of the agents' process, and of the router/sink process
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { context } from "zmtp";
import { Agent } from "../src/agent/agent.js";
import { MonitorRouter } from "../src/router/router.js";
import type { RouterEndpoints } from "../src/wire/endpoints.js";
import { STREAMS, createMessage } from "../src/wire/protocol.js";
import { createSink, type AnySink } from "../src/sink/sinks.js";
import { PostgresStore } from "../src/store/postgres-store.js";
import { SqliteStore } from "../src/store/sqlite-store.js";
import { startPostgres } from "../test/helpers/postgres.js";
import type { NotificationRecord, StatRecordInput, Store } from "../src/store/store.js";

const HEARTBEAT = 5000;
/** Two connections each, and a few more sockets: under a 20,000 descriptor limit. */
const AGENTS_PER_PROCESS = 4000;
const STATS_EVERY = 10_000;
const NOTIFY_EVERY = 100_000;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

// ---------------------------------------------------------------- the agents' process

interface ChildReport {
  type: "connected" | "result" | "endpoints" | "ready" | "router";
  agents: number;
  heapPerAgentKiB?: number;
  rssMiB?: number;
  offered?: number;
  ackRtt?: number[];
  resent?: number;
  dropped?: number;
  endpoints?: RouterEndpoints;
  heapGrowth?: number;
}

// ---------------------------------------------------------------- a router's process

/** A router alone: prints its endpoints; "mark" on stdin notes its heap, "report" prints drops and heap growth. */
async function routerProcess(): Promise<void> {
  context.maxSockets = 30_000;
  const any = "tcp://127.0.0.1:*";
  const router = await MonitorRouter.start({
    endpoints: { agents: any, back: any, heartbeat: any, registration: any, stats: any, notification: any },
  });
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const heap = (): number => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const report = (r: ChildReport): void => void process.stdout.write(`${JSON.stringify(r)}\n`);
  let marked = heap();
  report({ type: "endpoints", agents: 0, endpoints: router.endpoints });
  void (async () => {
    while (!STREAMS.every((k) => router.sinks[k] > 0)) await sleep(20);
    report({ type: "ready", agents: 0 });
  })();
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "mark") marked = heap();
    if (line === "report") {
      const dropped = STREAMS.reduce((t, k) => t + router.counters.dropped[k], 0);
      report({ type: "router", agents: 0, dropped, heapGrowth: heap() - marked });
    }
  }
  router.close();
  process.exit(0);
}

async function agentsProcess(): Promise<void> {
  const [count, seconds, rate, ...routers] = process.argv.slice(3);
  const n = Number(count);
  // Every agent has its DEALER (and the process its own few): above libzmq's default of 1023.
  context.maxSockets = n + 100;
  const measure = Number(seconds) * 1000;
  const speed = Number(rate);
  const dir = mkdtempSync(join(tmpdir(), "zmtp-bench-agents-"));
  const report = (r: ChildReport): void => void process.stdout.write(`${JSON.stringify(r)}\n`);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const before = process.memoryUsage();
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) {
    agents.push(
      await Agent.start({
        stateDir: join(dir, `a${i}`),
        routers,
        localEndpoint: null,
        statsdPort: null,
        hostname: `host-${i}`,
        heartbeatInterval: HEARTBEAT / speed,
        statsFlushInterval: 1000,
        fallbackAfter: 0,
      }),
    );
    if (i % 200 === 199) await sleep(20); // let the handshakes of the last batch through
  }
  while (agents.some((a) => a.connectedRouters < routers.length)) await sleep(100);
  await sleep(3000);
  gc();
  const after = process.memoryUsage();
  const heap = after.heapUsed + after.external - before.heapUsed - before.external;
  report({ type: "connected", agents: n, heapPerAgentKiB: Math.round(heap / n / 102.4) / 10, rssMiB: mib(after.rss) });

  // Each agent's stats and notifications at its own phase, so load is spread evenly.
  const sentAt = new Map<string, number>();
  const rtts: number[] = [];
  let offered = 0;
  const resentBefore = agents.reduce((s, a) => s + a.counters.resent, 0);
  const droppedBefore = agents.reduce((s, a) => s + a.counters.uplinkDropped, 0);
  for (const a of agents) {
    a.on("acked", (id: string) => {
      const t = sentAt.get(id);
      if (t !== undefined) rtts.push(performance.now() - t);
    });
  }
  const timers: NodeJS.Timeout[] = [];
  const statsInterval = STATS_EVERY / speed;
  const notifyInterval = NOTIFY_EVERY / speed;
  agents.forEach((a, i) => {
    const phase = (i / n) * statsInterval;
    timers.push(
      setTimeout(() => {
        const send = (): void => {
          // One stats message, as the agent's flush makes it; its stats carry no time of their own,
          // so the sink stamps them with the header's (send) time and the latency is the wire's.
          const stats = Array.from({ length: 10 }, (_, k) => ({
            name: `app.metric${k}`,
            value: Math.random() * 100,
            kind: "gauge" as const,
          }));
          a.sendMessage(createMessage("stats", { stats }));
          offered += 1;
        };
        send();
        timers.push(setInterval(send, statsInterval));
      }, phase),
    );
    const notifyPhase = (i / n) * notifyInterval;
    timers.push(
      setTimeout(() => {
        const notify = (): void => {
          sentAt.set(a.notify({ severity: "info", text: "bench" }), performance.now());
          offered += 1;
        };
        notify();
        timers.push(setInterval(notify, notifyInterval));
      }, notifyPhase),
    );
  });
  offered = 0;
  const start = Date.now();
  await sleep(measure);
  const elapsed = (Date.now() - start) / 1000;
  for (const t of timers) clearTimeout(t);
  // Heartbeats: n per interval.
  const heartbeats = (n * elapsed * 1000) / (HEARTBEAT / speed);
  await sleep(2000); // acks in flight
  report({
    type: "result",
    agents: n,
    offered: Math.round((offered + heartbeats) / elapsed),
    ackRtt: rtts,
    resent: agents.reduce((s, a) => s + a.counters.resent, 0) - resentBefore,
    dropped: agents.reduce((s, a) => s + a.counters.uplinkDropped, 0) - droppedBefore,
  });
  for (const a of agents) await a.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// ---------------------------------------------------------------- routers and sinks

/** A store wrapper that measures agent->sink latency: message (header) time to the sink's store call. */
function measuring(store: Store, latencies: number[], on: () => boolean): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === "addStats") {
        return (agent: string, id: string, stats: readonly StatRecordInput[]) => {
          if (on() && stats[0] !== undefined) latencies.push(Date.now() - stats[0].time);
          return target.addStats(agent, id, stats);
        };
      }
      if (prop === "addNotification") {
        return (n: NotificationRecord) => {
          if (on()) latencies.push(n.received - n.time);
          return target.addNotification(n);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

interface Row {
  store: string;
  rate: number;
  agents: number;
  offered: number;
  received: number;
  latencyP50: number;
  latencyP99: number;
  ackP50: number;
  ackP99: number;
  heapPerAgentKiB: number;
  routerHeapPerAgentKiB: number;
  dropped: number;
  resent: number;
  transactionsPerSecond: number;
}

/** The store under test, and how many transactions it committed. */
async function openStore(kind: string, dir: string): Promise<{ store: Store; transactions: () => number }> {
  if (kind === "sqlite") {
    const db = await SqliteStore.open({ path: join(dir, "monitor.db") });
    return { store: db, transactions: () => db.counters.transactions };
  }
  const url = arg("pg", "");
  const server = url === "" ? await startPostgres() : null;
  if (url === "" && server === null) throw new Error("no PostgreSQL server (give --pg URL)");
  const connection =
    url !== "" ? url : { host: server!.host, port: server!.port, user: server!.user, database: "postgres" };
  const pg = await PostgresStore.open({ connection, schema: `bench_${process.pid}_${Date.now()}` });
  return { store: pg, transactions: () => pg.counters.transactions };
}

async function runCase(kind: string, n: number, seconds: number, rate: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), "zmtp-bench-store-"));
  const opened = await openStore(kind, dir);
  const latencies: number[] = [];
  let measuring_ = false;
  const store = measuring(opened.store, latencies, () => measuring_);
  const bundle = fileURLToPath(import.meta.url);
  /** A child process of this bundle, and its next report line. */
  const child = (args: string[]) => {
    const proc = spawn(process.execPath, ["--expose-gc", bundle, ...args], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: proc.stdout! });
    const queued: ChildReport[] = [];
    const waiting: Array<(r: ChildReport) => void> = [];
    // A child that dies ends the run (rather than leaving it waiting for a report for ever).
    proc.on("exit", (code, signal) => {
      if (code !== 0 && signal !== "SIGTERM") {
        process.stderr.write(`bench: a child (${args[0]}) exited with ${code ?? signal}\n`);
        process.exit(1);
      }
    });
    lines.on("line", (l: string) => {
      const r = JSON.parse(l) as ChildReport;
      const w = waiting.shift();
      if (w !== undefined) w(r);
      else queued.push(r);
    });
    const next = (): Promise<ChildReport> =>
      queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((resolve) => waiting.push(resolve));
    return { proc, next, exited: new Promise((resolve) => proc.on("exit", resolve)) };
  };
  const routers = [child(["router"]), child(["router"])];
  const endpoints = await Promise.all(routers.map(async (r) => (await r.next()).endpoints!));
  const sinks: AnySink[] = STREAMS.map((stream) =>
    createSink(stream, {
      store,
      streams: endpoints.map((e) => e[stream]),
      backChannels: endpoints.map((e) => e.back),
    }),
  );
  await Promise.all(routers.map((r) => r.next())); // "ready": every stream has its sink
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const heapOf = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.external;
  for (const r of routers) r.proc.stdin!.write("mark\n");
  gc();
  const heapBefore = heapOf(process.memoryUsage());

  const sizes: number[] = [];
  for (let left = n; left > 0; left -= AGENTS_PER_PROCESS) sizes.push(Math.min(left, AGENTS_PER_PROCESS));
  const agentProcs = sizes.map((size) =>
    child(["agents", String(size), String(seconds), String(rate), ...endpoints.map((e) => e.agents)]),
  );
  const connectedAll = await Promise.all(agentProcs.map((a) => a.next()));
  const connected = {
    heapPerAgentKiB:
      Math.round((connectedAll.reduce((s, c, i) => s + c.heapPerAgentKiB! * sizes[i]!, 0) / n) * 10) / 10,
  };
  gc();
  const routerHeap = async (): Promise<{ dropped: number; heap: number }> => {
    for (const r of routers) r.proc.stdin!.write("report\n");
    const reports = await Promise.all(routers.map((r) => r.next()));
    return {
      dropped: reports.reduce((s, r) => s + r.dropped!, 0),
      heap: reports.reduce((s, r) => s + r.heapGrowth!, 0),
    };
  };
  const afterConnect = await routerHeap();
  const routerPerAgent = (heapOf(process.memoryUsage()) - heapBefore + afterConnect.heap) / n;
  const received = (): number => sinks.reduce((s, k) => s + k.counters.received, 0);
  const txBefore = opened.transactions();
  const startCount = received();
  measuring_ = true;
  const t0 = Date.now();
  const resultsPromise = Promise.all(agentProcs.map((a) => a.next()));
  await sleep(seconds * 1000);
  const elapsed = (Date.now() - t0) / 1000;
  const got = received() - startCount;
  const tx = opened.transactions() - txBefore;
  measuring_ = false;
  const results = await resultsPromise;
  await Promise.all(agentProcs.map((a) => a.exited));
  const routerEnd = await routerHeap();
  for (const r of routers) r.proc.stdin!.end();
  await Promise.all(routers.map((r) => r.exited));
  const result = {
    offered: results.reduce((s, r) => s + r.offered!, 0),
    ackRtt: results.flatMap((r) => r.ackRtt!),
    resent: results.reduce((s, r) => s + r.resent!, 0),
    dropped: results.reduce((s, r) => s + r.dropped!, 0),
  };
  for (const s of sinks) await s.close();
  await opened.store.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const acks = result.ackRtt.sort((a, b) => a - b);
  const dropped = routerEnd.dropped + result.dropped;
  return {
    store: kind,
    rate,
    agents: n,
    offered: result.offered,
    received: Math.round(got / elapsed),
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    ackP50: Math.round(percentile(acks, 50) * 10) / 10,
    ackP99: Math.round(percentile(acks, 99) * 10) / 10,
    heapPerAgentKiB: connected.heapPerAgentKiB!,
    routerHeapPerAgentKiB: Math.round(routerPerAgent / 102.4) / 10,
    dropped,
    resent: result.resent,
    transactionsPerSecond: Math.round(tx / elapsed),
  };
}

async function main(): Promise<void> {
  const counts = arg("agents", "100,1000,5000").split(",").map(Number);
  const seconds = Number(arg("seconds", "20"));
  const rates = arg("rate", "1").split(",").map(Number);
  const stores = arg("store", "sqlite").split(",");
  const json = arg("json", "");
  process.stdout.write(
    `monitoring system at scale: 2 routers (a process each), 4 sinks over ${stores.join(" / ")}, N agents in processes of at most ${AGENTS_PER_PROCESS}, ${seconds} s measured per case\n` +
      `(x1: heartbeat every ${HEARTBEAT / 1000} s, 10 stats every ${STATS_EVERY / 1000} s, an acked notification every ${NOTIFY_EVERY / 1000} s per agent)\n\n`,
  );
  const header = [
    "store",
    "rate",
    "agents",
    "offered msg/s",
    "sink msg/s",
    "agent->sink p50",
    "p99",
    "ack RTT p50",
    "p99",
    "agent heap/agent",
    "router+sink heap/agent",
    "dropped",
    "resent",
    "tx/s",
  ];
  process.stdout.write(`${header.join(" | ")}\n`);
  const rows: Row[] = [];
  for (const rate of rates) {
    for (const n of counts) {
      for (const kind of stores) {
        const r = await runCase(kind, n, seconds, rate);
        rows.push(r);
        const cells = [
          r.store,
          `x${r.rate}`,
          r.agents,
          r.offered,
          r.received,
          `${r.latencyP50} ms`,
          `${r.latencyP99} ms`,
          `${r.ackP50} ms`,
          `${r.ackP99} ms`,
          `${r.heapPerAgentKiB} KiB`,
          `${r.routerHeapPerAgentKiB} KiB`,
          r.dropped,
          r.resent,
          r.transactionsPerSecond,
        ];
        process.stdout.write(`${cells.join(" | ")}\n`);
        if (json !== "") writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
      }
    }
  }
  process.exit(0); // the PostgreSQL server helper stops at exit
}

if (process.argv[2] === "agents") await agentsProcess();
else if (process.argv[2] === "router") await routerProcess();
else await main();
