import { hostname } from "node:os";
import { Dispatcher } from "../outputs/dispatcher.js";
import { GRAPHITE_SETTING, GraphiteFeed, parseGraphiteTarget, type GraphiteTarget } from "../outputs/graphite-feed.js";
import { Scheduler } from "../sink/scheduler.js";
import { RoleHeartbeat } from "../sink/role-heartbeat.js";
import { createSink, type AnySink, type StatsSink } from "../sink/sinks.js";
import { HostNames } from "../store/host-names.js";
import type { DeliveryJob } from "../store/store.js";
import type { Stat } from "../wire/schema.js";
import type { StatusServer } from "../web/server.js";
import { STREAMS, type Stream } from "../wire/protocol.js";
import { UsageError, type FlagValues } from "./flags.js";
import { STORE_FLAGS, openStore, storeName } from "./store-flags.js";
import { log, runUntilStopped, type CliIo } from "zmtp-app-kit/io";
import { ACTION_FLAGS, ROUTER_FLAG, notificationActions, num, routerBases, str, type Role } from "./role.js";

export const sinkRole: Role = {
  usage: "zmtp-monitor sink --router BASE [--router BASE ...] [--type TYPES] [--scheduler]",
  summary:
    "Typed sinks PULLing from every router, over an in-memory store or an SQLite file (--db) that any number\nof sink and scheduler processes share; prints alerts, presence changes, registrations and check results.\nEvery sink process delivers the store's pending notifications (the actions: `zmtp-monitor actions`, or\n--webhook/--hook/--email here, which add them to the store for the whole deployment). Optionally writes\nstats to Graphite and serves the status page and /metrics.",
  flags: [
    ROUTER_FLAG,
    { name: "type", kind: "string", arg: "TYPES", help: "comma-separated streams, or all", default: "all" },
    {
      name: "name",
      kind: "string",
      arg: "NAME",
      help: "this process's name in alerts and its presence (give each sink process its own)",
      shown: "<host name>/sink <types>",
    },
    {
      name: "role-heartbeat",
      kind: "number",
      arg: "MS",
      help: "this process's own heartbeat, so that its death pages",
      default: "5000",
    },
    { name: "missed", kind: "number", arg: "N", help: "heartbeats missed before down", default: "3" },
    {
      name: "stale-after",
      kind: "number",
      arg: "N",
      help: "a check without result for N intervals becomes UNKNOWN (0: never)",
      default: "4",
    },
    {
      name: "backlog-after",
      kind: "number",
      arg: "MS",
      help: "alert when messages wait for the store this long",
      default: "30000",
    },
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
    ...STORE_FLAGS,
    {
      name: "http",
      kind: "string",
      arg: "[HOST:]PORT",
      help: "serve the status page and /metrics here (HOST default 127.0.0.1; another address needs --users)",
    },
    {
      name: "users",
      kind: "string",
      arg: "FILE",
      help: "the page's users (zmtp-monitor users): every request must sign in",
    },
    {
      name: "graphite",
      kind: "string",
      arg: "HOST:PORT",
      help: "the deployment's carbon (plaintext protocol), saved in the store: every stats sink writes to it",
    },
    ...ACTION_FLAGS,
    { name: "action-timeout", kind: "number", arg: "MS", help: "an attempt to deliver may take", default: "10000" },
    { name: "retry", kind: "number", arg: "MS", help: "first retry of a failed delivery; doubles", default: "1000" },
    { name: "max-retry", kind: "number", arg: "MS", help: "longest time between retries", default: "30000" },
  ],
  run: (values, _, io) => runUntilStopped(io, (stop) => startSink(values, io, stop)),
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

async function startSink(values: FlagValues, io: CliIo, stop: Promise<void>): Promise<number> {
  const routers = routerBases(values);
  const typeList = str(values, "type")!;
  const streams = typeList === "all" ? [...STREAMS] : typeList.split(",").map((t) => t.trim());
  for (const s of streams)
    if (!(STREAMS as readonly string[]).includes(s))
      throw new UsageError(`--type: unknown stream "${s}" (${STREAMS.join(", ")}, all)`);
  const graphiteAt = str(values, "graphite");
  let graphiteTarget: GraphiteTarget | undefined;
  try {
    if (graphiteAt !== undefined) graphiteTarget = parseGraphiteTarget(graphiteAt);
  } catch (err) {
    throw new UsageError(`--graphite: ${(err as Error).message}`);
  }
  const actions = notificationActions(values);
  const store = await openStore(values, "memory");
  const hosts = new HostNames(store);
  const hostOf = (a: string): string => hosts.get(a);
  const resolveHost = (a: string): Promise<string> => hosts.resolve(a);
  const roleHeartbeat = { interval: num(values, "role-heartbeat") };
  // This process's counters, as stats under its role id (set once everything below exists).
  let ownStats: () => Stat[] = () => [];
  const role = new RoleHeartbeat(store, "sink", str(values, "name") ?? `${hostname()}/sink ${streams.join(",")}`, {
    ...roleHeartbeat,
    stats: () => ownStats(),
  });
  role.on("failure", (err: Error) => log(io, "failure", { error: err.message }));
  // Actions given here join the deployment's list in the store (configured once for every sink).
  for (const action of actions) await store.putAction(action);
  // The Graphite target is the deployment's (a setting in the store): every stats sink writes its share.
  if (graphiteTarget !== undefined) await store.putSetting(GRAPHITE_SETTING, graphiteTarget);
  // Following the target before the first stat comes in (attached to the stats sink below).
  const graphite = streams.includes("stats") ? new GraphiteFeed({ store, hosts }) : null;
  const target = await graphite?.refresh();
  const dispatcher = new Dispatcher({
    store,
    hostOf: resolveHost,
    timeout: num(values, "action-timeout"),
    retryInterval: num(values, "retry"),
    maxRetryInterval: num(values, "max-retry"),
  });
  dispatcher.on("failed", (job: DeliveryJob, err: Error) =>
    log(io, "delivery-failed", {
      notification: job.notification.id,
      action: job.action.name,
      attempt: job.delivery.attempts,
      error: err.message,
    }),
  );
  dispatcher.on("failure", (err: Error) => log(io, "failure", { error: err.message }));
  dispatcher.on("delivered", (job: DeliveryJob) =>
    log(io, "delivered", {
      notification: job.notification.id,
      action: job.action.name,
      attempt: job.delivery.attempts,
    }),
  );
  const backChannels = routers.map((r) => r.back);
  const sinks: AnySink[] = (streams as Stream[]).map((stream) =>
    createSink(stream, {
      store,
      streams: routers.map((r) => r[stream]),
      backChannels,
      missedHeartbeats: num(values, "missed"),
      sweepInterval: num(values, "sweep"),
      staleAfter: num(values, "stale-after"),
      hostOf: resolveHost,
      backlog: { id: role.id, name: role.name, after: num(values, "backlog-after") },
    }),
  );
  for (const sink of sinks) {
    for (const event of ["alert", "presence", "registration", "result", "malformed", "failure"]) {
      sink.on(event, (details: unknown) =>
        log(io, event, details instanceof Error ? { error: details.message } : details),
      );
    }
    // A new alert here: deliver it now rather than at the next poll.
    sink.on("alert", () => dispatcher.kick());
    sink.on("presence", () => dispatcher.kick());
  }
  let scheduler: Scheduler | null = null;
  if (values.scheduler === true) {
    const id = str(values, "scheduler-id");
    scheduler = new Scheduler({
      store,
      backChannels,
      tickInterval: num(values, "tick"),
      heartbeat: roleHeartbeat,
      ...(id !== undefined && { id }),
    });
    scheduler.on("run", (e: { outcome: string }) => {
      if (e.outcome !== "delivered") log(io, "run", e);
    });
  }
  const statsSink = sinks.find((s) => s.stream === "stats");
  if (statsSink !== undefined) graphite?.attach(statsSink as StatsSink);
  let page: StatusServer | null = null;
  const http = str(values, "http");
  if (http !== undefined) {
    const match = /^(?:(.+):)?(\d+)$/.exec(http);
    if (match === null) throw new UsageError("--http [HOST:]PORT");
    // Loaded only by the process that serves the page (prom-client, the page, scrypt users).
    const [{ createMetrics }, { StatusServer }, { UserFile }] = await Promise.all([
      import("../outputs/prometheus.js"),
      import("../web/server.js"),
      import("../web/users.js"),
    ]);
    const metrics = createMetrics({
      store,
      hostOf,
      sinks,
      schedulers: scheduler === null ? [] : [scheduler],
      graphite,
      dispatcher,
    });
    const usersFile = str(values, "users");
    page = await StatusServer.start({
      store,
      hostOf,
      metrics,
      users: usersFile === undefined ? null : new UserFile(usersFile),
      port: Number(match[2]),
      ...(match[1] !== undefined && { host: match[1] }),
    });
  }
  ownStats = () => {
    const stat = (name: string, value: number, kind: "counter" | "gauge" = "counter"): Stat => ({
      name: `monitor.${name}`,
      value,
      kind,
    });
    return [
      ...sinks.flatMap((k) => [
        stat(`${k.stream}.received`, k.counters.received),
        stat(`${k.stream}.stored`, k.counters.stored),
        stat(`${k.stream}.failed`, k.counters.failed),
        stat(`${k.stream}.pending`, k.pending, "gauge"),
      ]),
      stat("deliveries.delivered", dispatcher.counters.delivered),
      stat("deliveries.failed", dispatcher.counters.failed),
      ...(graphite === null
        ? []
        : [
            stat("graphite.sent", graphite.counters.sent),
            stat("graphite.dropped", graphite.counters.dropped),
            stat("graphite.buffered", graphite.buffered, "gauge"),
          ]),
    ];
  };
  log(io, "sink", {
    streams,
    routers: routers.map((r) => r.agents),
    scheduler: scheduler?.id ?? null,
    store: storeName(values),
    ...(page !== null && { page: page.url }),
    ...(target != null && { graphite: `${target.host}:${target.port}` }),
  });
  await stop;
  await page?.close();
  graphite?.close();
  scheduler?.close();
  role.close();
  for (const sink of sinks) await sink.close();
  await dispatcher.close();
  await store.close();
  log(io, "stopped", Object.fromEntries(sinks.map((s) => [s.stream, s.counters])));
  return 0;
}
