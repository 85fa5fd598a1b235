/**
 * Scale benchmark of the name service (issue 21), not a test: `npm run bench --workspace zmtp-names
 * -- [--members 5000,50000] [--backends memory,redis] [--seconds 20]`.
 *
 * Per scenario: a replica process (built-in registry or Redis), a local agent process, `members`
 * simulated node proxies (registrations only: 100 per Registrar, TTL 15 s, heartbeat every 5 s)
 * of which 10 leave and 10 new ones join every second, 10 publishers following the group
 * "proxies" through the agent with a Group, and real proxies (a SUB bound on loopback) starting
 * once a second and leaving after 4 s. The publishers' sockets connect for real to the real
 * proxies only (a simulated member is recorded, not dialled: 10 × 50,000 connections would
 * measure the kernel). Each publisher sends 50 numbered messages a second.
 *
 * Reported: CPU and RSS of the replica, the agent and redis-server; for real proxies the time
 * from start (before bind) to having received from all 10 publishers (p50/p99); messages lost
 * between a proxy's first and last message from a publisher (should be 0), and messages sent
 * while it was joining; the time a watcher of every name takes to sync (the cost that grows with N).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Publisher, Subscriber } from "zmtp";
import { Group, Registrar, Watcher, lookup } from "../src/index.js";
import { REDIS_SKIP, RedisServer } from "../test/helpers/redis.js";
import { plotSvg, type PlotRow } from "./plot.js";

// The bundle runs from tmp/bench/, two levels below the package like this file's folder is one.
const BIN = fileURLToPath(new URL("../../bin/zmtp-names.js", import.meta.url));
const RESULTS = fileURLToPath(new URL("../../bench/results/", import.meta.url));
const PUBLISHERS = 10;
const RATE = 50;
const TTL = 15_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(250);
  }
}

/** A zmtp-names process and the JSON of its "listening" line. */
async function daemon(args: string[]): Promise<{ child: ChildProcess; listening: Record<string, string> }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`zmtp-names ${args[0]} exited with ${child.exitCode}`);
      return / listening \{/.test(out);
    },
    15_000,
    `zmtp-names ${args[0]}`,
  );
  const line = out.split("\n").find((l) => l.includes(" listening {"))!;
  return { child, listening: JSON.parse(line.slice(line.indexOf("{"))) as Record<string, string> };
}

/** CPU ticks (user + system) and RSS (MiB) of a process, from /proc. */
function usage(pid: number): { ticks: number; rss: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { ticks: Number(fields[11]) + Number(fields[12]), rss: (Number(fields[21]) * 4096) / 2 ** 20 };
}

class Meter {
  private start: { ticks: number; at: number } | null = null;
  peakRss = 0;
  constructor(readonly pid: number) {}
  sample(): void {
    const u = usage(this.pid);
    this.peakRss = Math.max(this.peakRss, u.rss);
    this.start ??= { ticks: u.ticks, at: performance.now() };
  }
  /** Percent of one core since the first sample (clock ticks are 1/100 s on Linux). */
  cpu(): number {
    const u = usage(this.pid);
    return this.start === null
      ? 0
      : ((u.ticks - this.start.ticks) / 100 / ((performance.now() - this.start.at) / 1000)) * 100;
  }
}

const quantile = (values: number[], q: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

interface RealProxy {
  started: number;
  joined: number | null;
  first: Map<number, number>;
  last: Map<number, number>;
  lost: number;
  missedJoining: number;
}

async function scenario(
  members: number,
  backend: "memory" | "redis",
  seconds: number,
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "zns-bench-"));
  const redis = backend === "redis" ? await RedisServer.start() : null;
  const replica = await daemon([
    "replica",
    "--bind",
    "tcp://127.0.0.1:*",
    "--publish",
    "tcp://127.0.0.1:*",
    ...(redis === null ? [] : ["--redis", redis.url]),
  ]);
  const server = replica.listening.endpoint!;
  const agent = await daemon([
    "agent",
    "--replica",
    server,
    "--bind",
    `ipc://${dir}/zns`,
    "--publish",
    `ipc://${dir}/u`,
  ]);
  const local = [agent.listening.endpoint!];

  // Simulated proxies: registrations only, 100 per Registrar.
  const registrars: Registrar[] = [];
  const simulated: string[] = [];
  let nextId = 0;
  const simulatedEndpoint = (): string => {
    const n = nextId++;
    return `tcp://10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}:5555`;
  };
  const t0 = performance.now();
  for (let i = 0; i < members; i++) {
    if (i % 100 === 0) registrars.push(new Registrar({ servers: [server], ttl: TTL, interval: TTL / 3 }));
    const endpoint = simulatedEndpoint();
    simulated.push(endpoint);
    registrars[registrars.length - 1]!.register("proxies", endpoint);
    if (i % 1000 === 999) await sleep(10);
  }
  await until(
    async () => (await lookup("proxies", { servers: local }).catch(() => [])).length >= members,
    120_000,
    "agent has every member",
  );
  const registered = performance.now() - t0;

  // The cost that grows with N: a watcher of every name syncing from the replica.
  const s0 = performance.now();
  const all = new Watcher({ servers: [server] });
  await all.ready();
  const syncAll = performance.now() - s0;
  await all.close();

  // Publishers following the group through the agent.
  const reals = new Set<string>();
  const seqs = new Array<number>(PUBLISHERS).fill(0);
  const publishers = await Promise.all(
    Array.from({ length: PUBLISHERS }, async (_, i) => {
      const pub = new Publisher({ linger: 0, sendHighWaterMark: 1000, sendTimeout: 0 });
      const socket = {
        connect: (e: string) => (reals.has(e) ? pub.connect(e) : undefined),
        disconnect: (e: string) => (reals.has(e) ? pub.disconnect(e) : undefined),
      };
      const group = await Group.join(socket, "zns://proxies", { servers: local });
      const timer = setInterval(() => {
        for (let k = 0; k < RATE / 20; k++) pub.send(`${i} ${++seqs[i]!}`).catch(() => undefined);
      }, 1000 / 20);
      return { pub, group, timer };
    }),
  );

  const meters = [replica.child.pid!, agent.child.pid!, ...(redis === null ? [] : [redis.process.pid!])].map(
    (p) => new Meter(p),
  );
  for (const m of meters) m.sample();
  const sampler = setInterval(() => meters.forEach((m) => m.sample()), 500);

  // Churn: 10 simulated members leave and 10 join per second.
  const churn = setInterval(() => {
    const k = Math.floor(Math.random() * simulated.length);
    const registrar = registrars[k % registrars.length]!;
    registrar.unregister("proxies", simulated[k]!);
    simulated[k] = simulatedEndpoint();
    registrar.register("proxies", simulated[k]!);
  }, 100);

  // Real proxies: one starts every second and leaves after 4 s.
  const proxies: RealProxy[] = [];
  const running: Promise<void>[] = [];
  const startProxy = async (): Promise<void> => {
    const p: RealProxy = {
      started: performance.now(),
      joined: null,
      first: new Map(),
      last: new Map(),
      lost: 0,
      missedJoining: 0,
    };
    const startSeqs = [...seqs];
    proxies.push(p);
    const sub = new Subscriber({ linger: 0 });
    sub.subscribe("");
    await sub.bind("tcp://127.0.0.1:*");
    const endpoint = sub.lastEndpoint!;
    reals.add(endpoint);
    const registrar = new Registrar({ servers: [server], ttl: TTL });
    registrar.register("proxies", endpoint);
    const receiving = (async () => {
      for await (const [m] of sub) {
        const [pubId, seq] = m!.toString().split(" ").map(Number) as [number, number];
        const last = p.last.get(pubId);
        if (last === undefined) {
          p.first.set(pubId, seq);
          p.missedJoining += seq - startSeqs[pubId]! - 1;
          if (p.first.size === PUBLISHERS) p.joined = performance.now();
        } else if (seq !== last + 1) p.lost += seq - last - 1;
        p.last.set(pubId, seq);
      }
    })().catch(() => undefined);
    await sleep(4000);
    await registrar.close();
    // Until every publisher has left it: what arrives meanwhile is still counted.
    await until(() => publishers.every((x) => !x.group.members().includes(endpoint)), 30_000, "proxy left");
    await sleep(200);
    sub.close();
    reals.delete(endpoint);
    await receiving;
  };
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    running.push(startProxy());
    await sleep(1000);
  }
  await Promise.all(running);
  clearInterval(churn);
  clearInterval(sampler);
  const [replicaMeter, agentMeter, redisMeter] = meters;
  const cpu = meters.map((m) => m.cpu());

  const joins = proxies.filter((p) => p.joined !== null).map((p) => p.joined! - p.started);
  const result = {
    members,
    backend,
    secondsSteady: seconds,
    registerAllMs: Math.round(registered),
    syncAllMs: Math.round(syncAll),
    replica: { cpuPercent: +cpu[0]!.toFixed(1), peakRssMiB: +replicaMeter!.peakRss.toFixed(0) },
    agent: { cpuPercent: +cpu[1]!.toFixed(1), peakRssMiB: +agentMeter!.peakRss.toFixed(0) },
    ...(redisMeter && { redis: { cpuPercent: +cpu[2]!.toFixed(1), peakRssMiB: +redisMeter.peakRss.toFixed(0) } }),
    realProxies: proxies.length,
    joinedAll: joins.length,
    joinMs: {
      p50: Math.round(quantile(joins, 0.5)),
      p99: Math.round(quantile(joins, 0.99)),
      max: Math.round(Math.max(...joins)),
    },
    lostWhileMember: proxies.reduce((n, p) => n + p.lost, 0),
    sentWhileJoiningPerPublisher: +(
      proxies.reduce((n, p) => n + p.missedJoining, 0) / Math.max(1, proxies.length * PUBLISHERS)
    ).toFixed(1),
  };
  for (const p of publishers) {
    clearInterval(p.timer);
    await p.group.close();
    p.pub.close();
  }
  await Promise.all(registrars.map((r) => r.close()));
  for (const d of [agent.child, replica.child]) {
    const exited = new Promise((r) => d.once("exit", r));
    d.kill("SIGTERM");
    await exited;
  }
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const { values } = parseArgs({
  options: {
    members: { type: "string", default: "5000" },
    backends: { type: "string", default: "memory,redis" },
    seconds: { type: "string", default: "20" },
  },
});
const rows: Record<string, unknown>[] = [];
for (const members of values.members.split(",").map(Number))
  for (const backend of values.backends.split(",") as Array<"memory" | "redis">) {
    if (backend === "redis" && REDIS_SKIP !== "") {
      console.log(`skipping Redis: ${REDIS_SKIP}`);
      continue;
    }
    const row = await scenario(members, backend, Number(values.seconds));
    console.log(JSON.stringify(row));
    rows.push(row);
  }
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, "names.json"), `${JSON.stringify(rows, null, 2)}\n`);
writeFileSync(
  join(RESULTS, "names.svg"),
  plotSvg(
    rows as unknown as PlotRow[],
    `zmtp-names: ${PUBLISHERS} publishers, churn 10 leave + 10 join /s, TTL 15 s; 2 shared cores`,
  ),
);
process.exit(0);
