import { GraphiteOutput } from "../outputs/graphite.js";
import { Notifier } from "../outputs/notifier.js";
import { createMetrics } from "../outputs/prometheus.js";
import { Scheduler } from "../sink/scheduler.js";
import { createSink, type AnySink, type NotificationSink, type StatsSink } from "../sink/sinks.js";
import { HostNames } from "../store/host-names.js";
import { MemoryStore } from "../store/memory-store.js";
import { SqliteStore } from "../store/sqlite-store.js";
import type { Store } from "../store/store.js";
import { StatusServer } from "../web/server.js";
import { STREAMS, type Stream } from "../wire/protocol.js";
import { UsageError, type FlagValues } from "./flags.js";
import { log, stopped, type MonitorIo } from "./io.js";
import { ACTION_FLAGS, ROUTER_FLAG, notificationActions, num, routerBases, str, type Role } from "./role.js";

export const sinkRole: Role = {
  usage: "zmtp-monitor sink --router BASE [--router BASE ...] [--type TYPES] [--scheduler]",
  summary:
    "Typed sinks PULLing from every router, over an in-memory store or an SQLite file (--db) that any number\nof sink and scheduler processes share; prints alerts, presence changes, registrations and check results.\nOptionally writes stats to Graphite, runs notification actions, and serves the status page and /metrics.",
  flags: [
    ROUTER_FLAG,
    { name: "type", kind: "string", arg: "TYPES", help: "comma-separated streams, or all", default: "all" },
    { name: "missed", kind: "number", arg: "N", help: "heartbeats missed before down", default: "3" },
    { name: "sweep", kind: "number", arg: "MS", help: "how often presence is checked", default: "1000" },
    { name: "scheduler", kind: "boolean", help: "also run a scheduler on the same store" },
    { name: "tick", kind: "number", arg: "MS", help: "scheduler pass interval", default: "1000" },
    {
      name: "scheduler-id",
      kind: "string",
      arg: "NAME",
      help: "the scheduler's name in check claims",
      shown: "scheduler-<random>",
    },
    {
      name: "db",
      kind: "string",
      arg: "FILE",
      help: "SQLite store (shared by every sink and scheduler given the same file)",
      shown: "in memory",
    },
    { name: "http", kind: "string", arg: "[HOST:]PORT", help: "serve the status page and /metrics here" },
    {
      name: "graphite",
      kind: "string",
      arg: "HOST:PORT",
      help: "stats sinks also write to carbon (plaintext protocol)",
    },
    ...ACTION_FLAGS,
  ],
  run: runSink,
};

/** `sink` with a registration stream and a scheduler by default. */
export const schedulerRole: Role = {
  ...sinkRole,
  usage: "zmtp-monitor scheduler --router BASE [--router BASE ...] [--tick MS]",
  summary:
    "A scheduler with a registration sink. With --db FILE it shares an SQLite store with the other sinks\nand schedulers; without, it keeps its own in-memory store (then run exactly one such process).",
  flags: sinkRole.flags.map((f) =>
    f.name === "type" ? { ...f, default: "registration" } : f.name === "scheduler" ? { ...f, default: "true" } : f,
  ),
};

async function runSink(values: FlagValues, _: string[], io: MonitorIo): Promise<number> {
  const routers = routerBases(values);
  const typeList = str(values, "type")!;
  const streams = typeList === "all" ? [...STREAMS] : typeList.split(",").map((t) => t.trim());
  for (const s of streams)
    if (!(STREAMS as readonly string[]).includes(s))
      throw new UsageError(`--type: unknown stream "${s}" (${STREAMS.join(", ")}, all)`);
  const db = str(values, "db");
  const store: Store = db === undefined ? new MemoryStore() : await SqliteStore.open({ path: db });
  const backChannels = routers.map((r) => r.back);
  const sinks: AnySink[] = (streams as Stream[]).map((stream) =>
    createSink(stream, {
      store,
      streams: routers.map((r) => r[stream]),
      backChannels,
      missedHeartbeats: num(values, "missed"),
      sweepInterval: num(values, "sweep"),
    }),
  );
  for (const sink of sinks) {
    for (const event of ["alert", "presence", "registration", "result", "malformed", "failure"]) {
      sink.on(event, (details: unknown) =>
        log(io, event, details instanceof Error ? { error: details.message } : details),
      );
    }
  }
  let scheduler: Scheduler | null = null;
  if (values.scheduler === true) {
    const id = str(values, "scheduler-id");
    scheduler = new Scheduler({
      store,
      backChannels,
      tickInterval: num(values, "tick"),
      ...(id !== undefined && { id }),
    });
    scheduler.on("run", (e: { outcome: string }) => {
      if (e.outcome !== "delivered") log(io, "run", e);
    });
  }
  const hosts = new HostNames(store);
  const statsSink = sinks.find((s) => s.stream === "stats") as StatsSink | undefined;
  const notificationSink = sinks.find((s) => s.stream === "notification") as NotificationSink | undefined;
  const graphiteAt = str(values, "graphite");
  let graphite: GraphiteOutput | null = null;
  if (graphiteAt !== undefined) {
    const match = /^(.+):(\d+)$/.exec(graphiteAt);
    if (match === null) throw new UsageError("--graphite HOST:PORT");
    graphite = new GraphiteOutput({ host: match[1]!, port: Number(match[2]) });
    if (statsSink !== undefined) graphite.attach(statsSink, (a) => hosts.get(a));
  }
  const actions = notificationActions(values);
  const notifier = actions.length === 0 ? null : new Notifier({ actions, hostOf: (a) => hosts.get(a) });
  if (notifier !== null && notificationSink !== undefined) notifier.attach(notificationSink);
  notifier?.on("failed", (_a: unknown, p: { id: string }, err: Error) =>
    log(io, "action-failed", { notification: p.id, error: err.message }),
  );
  let page: StatusServer | null = null;
  const http = str(values, "http");
  if (http !== undefined) {
    const match = /^(?:(.+):)?(\d+)$/.exec(http);
    if (match === null) throw new UsageError("--http [HOST:]PORT");
    const metrics = createMetrics({
      store,
      hostOf: (a) => hosts.get(a),
      sinks,
      schedulers: scheduler === null ? [] : [scheduler],
      graphite,
      notifier,
    });
    page = await StatusServer.start({
      store,
      hostOf: (a) => hosts.get(a),
      metrics,
      port: Number(match[2]),
      ...(match[1] !== undefined && { host: match[1] }),
    });
  }
  log(io, "sink", {
    streams,
    routers: routers.map((r) => r.agents),
    scheduler: scheduler?.id ?? null,
    store: db ?? "memory",
    ...(page !== null && { page: page.url }),
  });
  await stopped(io);
  await page?.close();
  notifier?.close();
  graphite?.close();
  scheduler?.close();
  for (const sink of sinks) await sink.close();
  await store.close();
  log(io, "stopped", Object.fromEntries(sinks.map((s) => [s.stream, s.counters])));
  return 0;
}
