import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { curveKeyPair } from "zmtp";
import { Agent } from "../agent/agent.js";
import { GRAPHITE_SETTING, GraphiteFeed, parseGraphiteTarget } from "../outputs/graphite-feed.js";
import { HostNames } from "../store/host-names.js";
import type { NotificationAction } from "../outputs/actions.js";
import { Dispatcher } from "../outputs/dispatcher.js";
import { RoleHeartbeat } from "../sink/role-heartbeat.js";
import { createMetrics } from "../outputs/prometheus.js";
import { STREAMS } from "../wire/protocol.js";
import { MonitorRouter, type Refusal } from "../router/router.js";
import { Scheduler } from "../sink/scheduler.js";
import type { CheckDeclaration, Stat } from "../wire/schema.js";
import { createSink, type AnySink, type StatsSink } from "../sink/sinks.js";
import type { DeliveryJob } from "../store/store.js";
import { SqliteStore } from "../store/sqlite-store.js";
import { loadOrCreateCurveKey } from "../agent/state-dir.js";
import { StatusServer } from "../web/server.js";

export interface DemoOptions {
  /** Keeps the database and agent state here (kept after the demo); default a temporary directory, removed at the end. */
  dataDir?: string;
  /** Status page port; 0 any free port. Default 8470 (or any free port if taken). */
  port?: number;
  /** Seconds to run, then stop and check that the system worked (exit 1 if not); default until SIGINT/SIGTERM. */
  duration?: number;
  /** CURVE between agents and routers, with an allow-list of the agents' keys. */
  curve?: boolean;
  /** carbon plaintext receiver, host:port. */
  graphite?: string;
  actions?: NotificationAction[];
  out(text: string): void;
  /** Whether `out` is a terminal: the summary line is then rewritten in place. */
  tty?: boolean;
  /** Stops the demo (the command wires SIGINT/SIGTERM to it). */
  stopped: Promise<void>;
}

/** The plugins shipped in the package's plugins/ directory (two levels above src/cli/ and dist/esm/). */
export const PLUGIN_DIR = fileURLToPath(new URL("../../plugins/", import.meta.url));

interface DemoHost {
  name: string;
  checks(): CheckDeclaration[];
}

/** Three hosts with real checks; thresholds differ so that the page shows each state. */
const HOSTS: DemoHost[] = [
  {
    name: "demo-web-1",
    checks: () => [
      { name: "load", command: [join(PLUGIN_DIR, "check_load")], interval: 5000 },
      { name: "disk", command: [join(PLUGIN_DIR, "check_disk"), "-p", "/"], interval: 10_000 },
      { name: "procs", command: [join(PLUGIN_DIR, "check_procs"), "-C", "node"], interval: 10_000 },
    ],
  },
  {
    name: "demo-db-1",
    checks: () => [
      { name: "load", command: [join(PLUGIN_DIR, "check_load")], interval: 5000 },
      // A tight threshold: this host's disk check warns, which raises a notification.
      { name: "disk", command: [join(PLUGIN_DIR, "check_disk"), "-p", "/", "-w", "1", "-c", "99"], interval: 10_000 },
      { name: "procs", command: [join(PLUGIN_DIR, "check_procs"), "-C", "node"], interval: 10_000 },
    ],
  },
  {
    name: "demo-cache-1",
    checks: () => [
      { name: "load", command: [join(PLUGIN_DIR, "check_load")], interval: 5000 },
      { name: "disk", command: [join(PLUGIN_DIR, "check_disk"), "-p", "/"], interval: 10_000 },
      // No redis here: CRITICAL, as a real missing daemon would be.
      { name: "redis", command: [join(PLUGIN_DIR, "check_procs"), "-C", "redis-server"], interval: 10_000 },
    ],
  },
];

/**
 * `zmtp-monitor demo`: the whole system on localhost in one process: 2 routers, one sink per
 * stream over an SQLite store, a scheduler, the status page with /metrics, and 3 agents running
 * the shipped plugins, plus a little simulated application traffic per host for the charts.
 * Returns the exit code.
 */
export async function runMonitorDemo(o: DemoOptions): Promise<number> {
  const temporary = o.dataDir === undefined;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), "zmtp-monitor-demo-"));
  mkdirSync(dataDir, { recursive: true });
  const closers: Array<() => unknown> = [];
  const say = (line: string): void => o.out(`${o.tty === true ? "\r\x1b[K" : ""}${line}\n`);
  try {
    const store = await SqliteStore.open({ path: join(dataDir, "monitor.db") });
    closers.push(() => store.close());
    const hosts = new HostNames(store, 1000);

    // CURVE: the routers share a key pair; the allow-list holds the three agents' public keys.
    let curve: { server: { publicKey: string; secretKey: string }; allowList: string } | null = null;
    if (o.curve === true) {
      const server = curveKeyPair();
      const allowList = join(dataDir, "agents.keys");
      const lines = HOSTS.map((h) => {
        mkdirSync(join(dataDir, "agents", h.name), { recursive: true });
        return `${loadOrCreateCurveKey(join(dataDir, "agents", h.name, "curve.key")).publicKey} ${h.name}`;
      });
      writeFileSync(allowList, `# agents allowed in (reloaded on change)\n${lines.join("\n")}\n`);
      curve = { server, allowList };
    }

    const any = "tcp://127.0.0.1:*";
    const routers: MonitorRouter[] = [];
    for (let i = 0; i < 2; i++) {
      const router = await MonitorRouter.start({
        endpoints: { agents: any, back: any, heartbeat: any, registration: any, stats: any, notification: any },
        ...(curve !== null && { curve: { secretKey: curve.server.secretKey, allowList: curve.allowList } }),
      });
      router.on("refused", (r: Refusal) =>
        say(`router ${i}: refused agent key ${r.key} from ${r.address} (${r.reason})`),
      );
      closers.push(() => router.close());
      routers.push(router);
    }
    const backChannels = routers.map((r) => r.endpoints.back);
    // The demo's sinks as one role; their counters as its stats (the page's monitor row).
    let sinkStats: () => Stat[] = () => [];
    const role = new RoleHeartbeat(store, "sink", "demo sinks", { stats: () => sinkStats() });
    closers.push(() => role.close());
    for (const action of o.actions ?? []) await store.putAction(action);
    const dispatcher = new Dispatcher({ store, hostOf: (a) => hosts.resolve(a) });
    dispatcher.on("failed", (job: DeliveryJob, err: Error) =>
      say(
        `notification action ${job.action.name} failed for "${job.notification.text}" (attempt ${job.delivery.attempts}, retrying): ${err.message}`,
      ),
    );
    closers.push(() => dispatcher.close());
    const sinks: AnySink[] = STREAMS.map((stream) =>
      createSink(stream, {
        store,
        streams: routers.map((r) => r.endpoints[stream]),
        backChannels,
        missedHeartbeats: 3,
        hostOf: (a) => hosts.resolve(a),
        backlog: { id: role.id, name: role.name },
      }),
    );
    sinkStats = () =>
      sinks.flatMap((k) => [
        { name: `monitor.${k.stream}.received`, value: k.counters.received, kind: "counter" as const },
        { name: `monitor.${k.stream}.stored`, value: k.counters.stored, kind: "counter" as const },
        { name: `monitor.${k.stream}.pending`, value: k.pending, kind: "gauge" as const },
      ]);
    for (const sink of sinks) {
      sink.on("alert", () => dispatcher.kick());
      sink.on("presence", () => dispatcher.kick());
    }
    closers.push(async () => {
      for (const s of sinks) await s.close();
    });
    const statsSink = sinks.find((s) => s.stream === "stats") as StatsSink;
    if (o.graphite !== undefined) await store.putSetting(GRAPHITE_SETTING, parseGraphiteTarget(o.graphite));
    const graphite = new GraphiteFeed({ store, hosts }).attach(statsSink);
    await graphite.refresh();
    closers.push(() => graphite.close());
    const scheduler = new Scheduler({ store, backChannels, id: "demo-scheduler" });
    closers.push(() => scheduler.close());

    const agents: Agent[] = [];
    const metrics = createMetrics({
      store,
      hostOf: (a) => hosts.get(a),
      routers,
      sinks,
      agents,
      schedulers: [scheduler],
      graphite,
      dispatcher,
    });
    let page: StatusServer;
    const pageOptions = {
      store,
      hostOf: (a: string) => hosts.get(a),
      metrics,
      chartStats: ["app.requests", "check.load.load1", "check.disk.used"],
      title: "zmtp monitor — demo",
    };
    try {
      page = await StatusServer.start({ ...pageOptions, port: o.port ?? 8470 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || o.port !== undefined) throw err;
      page = await StatusServer.start({ ...pageOptions, port: 0 });
    }
    closers.push(() => page.close());

    for (const h of HOSTS) {
      const agent = await Agent.start({
        stateDir: join(dataDir, "agents", h.name),
        routers: routers.map((r) => r.endpoints.agents),
        hostname: h.name,
        statsdPort: null,
        heartbeatInterval: 2000,
        checks: h.checks(),
        ...(curve !== null && { curve: { serverKey: curve.server.publicKey } }),
      });
      agents.push(agent);
      closers.push(() => agent.close());
    }
    // Simulated application traffic, so that the charts have something lively to show, from an
    // "app" process that also sends heartbeats of its own (a presence of its own on the page).
    const traffic = agents.map((agent, i) => {
      agent.register({ process: "app", pid: process.pid, version: "2.4.1", checks: [] });
      let requests = 40 + i * 25;
      let beat = 0;
      return setInterval(() => {
        if (beat++ % 2 === 0) agent.heartbeat({ process: "app", interval: 2000, pid: process.pid });
        requests = Math.max(5, requests + (Math.random() - 0.5) * 12);
        const latency = 8 + i * 3 + Math.random() * 6 + requests / 20;
        agent.stats([
          { name: "app.requests", value: Math.round(requests * 10) / 10, kind: "gauge", unit: "req/s" },
          { name: "app.latency", value: Math.round(latency * 10) / 10, kind: "timer", unit: "ms" },
        ]);
      }, 1000);
    });
    closers.push(() => traffic.forEach(clearInterval));

    o.out(
      `zmtp-monitor demo: 2 routers, 4 sinks (SQLite store in ${dataDir}), a scheduler, 3 agents${curve !== null ? ", CURVE with an allow-list" : ""}\n`,
    );
    o.out(
      `status page: ${page.url}    metrics: ${page.url}metrics${o.duration === undefined ? "    (Ctrl-C to stop)" : ""}\n`,
    );

    const summary = async (): Promise<string> => {
      const s = await page.state();
      const c = s.summary.checks;
      const received = sinks.reduce((n, k) => n + k.counters.received, 0);
      const acked = sinks.reduce((n, k) => n + k.counters.acked, 0);
      return `hosts ${s.summary.hostsUp} up ${s.summary.hostsDown} down | checks ${c.OK} ok ${c.WARNING} warning ${c.CRITICAL} critical ${c.UNKNOWN} unknown | messages ${received} | acks ${acked} | notifications ${s.notifications.length} (${s.summary.unacknowledged} unacknowledged)`;
    };
    let ticks = 0;
    let printedAt = 0;
    const ticker = setInterval(() => {
      ticks += 1;
      // On a terminal the line is rewritten every second; in a log, one line every 5 s.
      if (o.tty !== true && ticks % 5 !== 0) return;
      void summary().then(
        (line) => {
          printedAt = Date.now();
          o.out(o.tty === true ? `\r\x1b[K${line}` : `${line}\n`);
        },
        () => undefined,
      );
    }, 1000);
    closers.push(() => clearInterval(ticker));

    const timer =
      o.duration === undefined ? null : new Promise<void>((resolve) => setTimeout(resolve, o.duration! * 1000));
    await Promise.race(timer === null ? [o.stopped] : [o.stopped, timer]);
    clearInterval(ticker);
    const final = await summary();
    if (o.tty === true || Date.now() - printedAt > 1000) say(final);
    // A bounded run (CI) checks that the system worked: every host up and checks reported.
    let code = 0;
    if (o.duration === undefined) o.out("stopped\n");
    else {
      const s = await page.state();
      const ok =
        s.summary.hostsUp === HOSTS.length && s.checks.length > 0 && sinks.every((k) => k.counters.malformed === 0);
      o.out(ok ? "demo ok\n" : `demo FAILED: expected ${HOSTS.length} hosts up and check results\n`);
      code = ok ? 0 : 1;
    }
    return code;
  } finally {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // keep closing the rest
      }
    }
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  }
}
