import { homedir } from "node:os";
import { join } from "node:path";
import { Agent } from "./agent.js";
import { BackChannel } from "./back-channel.js";
import { UsageError, formatHelp, parseCheck, parseFlags, stringList, type FlagSpec, type FlagValues } from "./cli-flags.js";
import { MonitorClient } from "./client.js";
import { routerEndpoints, type RouterEndpoints } from "./endpoints.js";
import { runMonitorDemo } from "./demo.js";
import { GraphiteOutput } from "./graphite.js";
import { HostNames } from "./host-names.js";
import { MemoryStore } from "./memory-store.js";
import { Notifier, parseAction, type NotificationAction } from "./notifier.js";
import { createMetrics } from "./prometheus.js";
import { SqliteStore } from "./sqlite-store.js";
import { loadOrCreateCurveKey } from "./state-dir.js";
import type { Store } from "./store.js";
import { StatusServer } from "./web/server.js";
import { STREAMS, createMessage, isUuid, type Stream } from "./protocol.js";
import { MonitorRouter, type Refusal } from "./router.js";
import { Scheduler } from "./scheduler.js";
import { SEVERITIES, type Severity, type StatKind } from "./schema.js";
import { createSink, type AnySink, type NotificationSink, type StatsSink } from "./sinks.js";

/**
 * `zmtp monitor <role>`: runs one role of the monitoring system until SIGINT / SIGTERM, or
 * sends one message. Long-running roles print one line per event: an ISO time, the event, JSON.
 * Exit codes as for `zmtp`: 0 success, 1 failure, 2 usage error.
 */

export interface MonitorIo {
  out(text: string): void;
  err(text: string): void;
  /** Stops a long-running role; the command wires SIGINT and SIGTERM to it when absent. */
  signal?: AbortSignal;
  /** Whether out() writes to a terminal (the demo then rewrites its summary line in place). */
  tty?: boolean;
}

const USAGE = `Usage: zmtp monitor <role> [options]     (zmtp monitor <role> --help for its options)

Roles:
  demo       the whole system on localhost: 2 routers, sinks over SQLite, a scheduler, the status
             page and 3 agents with real checks (what \`npm start\` runs)
  router     bind the agent, back-channel and per-stream endpoints; forward, never store
  agent      run on each monitored machine: heartbeats, stats (statsd), checks, notifications
  sink       store one or more streams (heartbeat, registration, stats, notification);
             with --scheduler, also schedule checks from the same store
  scheduler  a scheduler with its own registration sink (same as sink --type registration --scheduler)
  send       hand the local agent a stat, notification, heartbeat or registration
  run        ask an agent, through any router, to run a check now
`;

const ROUTER_FLAG: FlagSpec = { name: "router", kind: "list", arg: "BASE", help: "a router's base address (tcp://host:port or ipc://path; repeat for each router)" };

const ACTION_FLAGS: FlagSpec[] = [
  { name: "webhook", kind: "list", arg: "[SEVERITIES=]URL", help: "POST each new notification as JSON (e.g. critical,warning=http://...)" },
  { name: "hook", kind: "list", arg: "[SEVERITIES=]COMMAND", help: "run a command with each new notification as JSON on stdin" },
];

const ROLES: Record<string, { usage: string; summary: string; flags: FlagSpec[]; run(values: FlagValues, positionals: string[], io: MonitorIo): Promise<number> }> = {
  router: {
    usage: "zmtp monitor router [--bind BASE] [options]",
    summary: "A stateless router. From BASE tcp://host:P it binds agents on P, the back channel on P+1 and the\nheartbeat, registration, stats and notification streams on P+2..P+5 (ipc://path: path, path.back, ...).",
    flags: [
      { name: "bind", kind: "string", arg: "BASE", help: "base address of the six endpoints", default: "tcp://*:5570" },
      ...(["agents", "back", ...STREAMS] as const).map((name): FlagSpec => ({ name, kind: "string", arg: "ENDPOINT", help: `bind the ${name} endpoint here instead` })),
      { name: "agent-heartbeat", kind: "number", arg: "MS", help: "ZMTP heartbeat to agents (0: off)", default: "10000" },
      { name: "curve-secret-key", kind: "string", arg: "FILE", help: "CURVE on the agent endpoint: the router's secret key (Z85; created if missing)" },
      { name: "curve-allow", kind: "string", arg: "FILE", help: "with CURVE: agents' public keys allowed in, one per line (reloaded on change)" },
    ],
    run: runRouter,
  },
  agent: {
    usage: "zmtp monitor agent --router BASE [--router BASE ...] [options]",
    summary: "The agent of this machine. Its UUID is kept in the state directory.",
    flags: [
      ROUTER_FLAG,
      { name: "state-dir", kind: "string", arg: "DIR", help: "agent id, outbox and registry", default: "~/.zmtp-monitor" },
      { name: "local", kind: "string", arg: "ENDPOINT", help: 'local endpoint for MonitorClient and `send` ("none": off)', shown: "ipc://<state-dir>/agent.ipc" },
      { name: "statsd-port", kind: "number", arg: "PORT", help: "statsd UDP port (0: any free port, -1: off)", default: "8125" },
      { name: "statsd-host", kind: "string", arg: "HOST", help: "statsd UDP address", default: "127.0.0.1" },
      { name: "heartbeat", kind: "number", arg: "MS", help: "heartbeat interval", default: "5000" },
      { name: "flush", kind: "number", arg: "MS", help: "stats flush interval", default: "1000" },
      { name: "ack-timeout", kind: "number", arg: "MS", help: "first resend of an unacked message; doubles per resend", default: "2000" },
      { name: "max-resend", kind: "number", arg: "MS", help: "longest resend interval", default: "60000" },
      { name: "fallback-after", kind: "number", arg: "N", help: "run a check itself when no scheduler did for N intervals (0: never)", default: "3" },
      { name: "check", kind: "list", arg: "NAME:INTERVAL_MS:COMMAND", help: "a Nagios plugin of the agent's own (command runs with /bin/sh -c)" },
      { name: "hostname", kind: "string", arg: "NAME", help: "reported host name", shown: "os.hostname()" },
      { name: "curve-server-key", kind: "string", arg: "Z85", help: "CURVE to the routers (their public key); the agent's key is <state-dir>/curve.key" },
    ],
    run: runAgent,
  },
  sink: {
    usage: "zmtp monitor sink --router BASE [--router BASE ...] [--type TYPES] [--scheduler]",
    summary: "Typed sinks PULLing from every router, over an in-memory store or an SQLite file (--db) that any number\nof sink and scheduler processes share; prints alerts, presence changes, registrations and check results.\nOptionally writes stats to Graphite, runs notification actions, and serves the status page and /metrics.",
    flags: [
      ROUTER_FLAG,
      { name: "type", kind: "string", arg: "TYPES", help: "comma-separated streams, or all", default: "all" },
      { name: "missed", kind: "number", arg: "N", help: "heartbeats missed before down", default: "3" },
      { name: "sweep", kind: "number", arg: "MS", help: "how often presence is checked", default: "1000" },
      { name: "scheduler", kind: "boolean", help: "also run a scheduler on the same store" },
      { name: "tick", kind: "number", arg: "MS", help: "scheduler pass interval", default: "1000" },
      { name: "scheduler-id", kind: "string", arg: "NAME", help: "the scheduler's name in check claims", shown: "scheduler-<random>" },
      { name: "db", kind: "string", arg: "FILE", help: "SQLite store (shared by every sink and scheduler given the same file)", shown: "in memory" },
      { name: "http", kind: "string", arg: "[HOST:]PORT", help: "serve the status page and /metrics here" },
      { name: "graphite", kind: "string", arg: "HOST:PORT", help: "stats sinks also write to carbon (plaintext protocol)" },
      ...ACTION_FLAGS,
    ],
    run: runSink,
  },
  demo: {
    usage: "zmtp monitor demo [--data DIR] [--port N] [--duration S] [--curve]",
    summary: "The whole system on localhost, in one process: 2 routers, one sink per stream over an SQLite store, a\nscheduler, the status page (with /metrics) and 3 agents running the shipped plugins (load, disk, processes).\nPrints the page's URL and a live summary; stops on Ctrl-C.",
    flags: [
      { name: "data", kind: "string", arg: "DIR", help: "keep the database and agent state here", shown: "a temporary directory, removed at the end" },
      { name: "port", kind: "number", arg: "N", help: "status page port (0: any free port)", shown: "8470, or any free port if taken" },
      { name: "duration", kind: "number", arg: "S", help: "stop after S seconds and exit 1 unless every host was up with check results" },
      { name: "curve", kind: "boolean", help: "CURVE between agents and routers, with an allow-list of the agents' keys" },
      { name: "graphite", kind: "string", arg: "HOST:PORT", help: "also write stats to carbon" },
      ...ACTION_FLAGS,
    ],
    run: runDemo,
  },
  send: {
    usage: `zmtp monitor send [--endpoint E | --state-dir DIR] <what> ...
  send stat NAME VALUE [--kind counter|gauge|timer] [--unit U] [--process P]
  send notify SEVERITY TEXT... [--process P] [--check-name C] [--no-ack]      SEVERITY: ${SEVERITIES.join(", ")}
  send heartbeat PROCESS [--interval MS]
  send register PROCESS [--version V] [--pid N] [--check NAME:INTERVAL_MS:COMMAND ...]`,
    summary: "Hands one message to the local agent and exits when the agent has taken it.",
    flags: [
      { name: "endpoint", kind: "string", arg: "ENDPOINT", help: "the agent's local endpoint", shown: "ipc://<state-dir>/agent.ipc" },
      { name: "state-dir", kind: "string", arg: "DIR", help: "the agent's state directory", default: "~/.zmtp-monitor" },
      { name: "timeout", kind: "number", arg: "MS", help: "how long to wait for the agent", default: "5000" },
      { name: "kind", kind: "string", arg: "KIND", help: "stat: counter, gauge or timer" },
      { name: "unit", kind: "string", arg: "UNIT", help: "stat: unit" },
      { name: "process", kind: "string", arg: "NAME", help: "stat, notify: the reporting process" },
      { name: "check-name", kind: "string", arg: "NAME", help: "notify: the check it is about" },
      { name: "no-ack", kind: "boolean", help: "notify: fire and forget instead of acknowledged" },
      { name: "interval", kind: "number", arg: "MS", help: "heartbeat: until the next one", default: "5000" },
      { name: "version", kind: "string", arg: "V", help: "register: the process version" },
      { name: "pid", kind: "number", arg: "N", help: "register: the process id" },
      { name: "check", kind: "list", arg: "NAME:INTERVAL_MS:COMMAND", help: "register: a check the process declares" },
    ],
    run: runSend,
  },
  run: {
    usage: "zmtp monitor run --router BASE [--router BASE ...] --agent UUID --check NAME",
    summary: "Asks an agent to run a check now (through the first router that knows it). The result goes to the\nstats sinks like any other; this command reports whether the request was delivered.",
    flags: [
      ROUTER_FLAG,
      { name: "agent", kind: "string", arg: "UUID", help: "the agent's id" },
      { name: "check", kind: "string", arg: "NAME", help: "the check's name" },
      { name: "timeout", kind: "number", arg: "MS", help: "how long to try", default: "3000" },
    ],
    run: runRun,
  },
};
ROLES.scheduler = {
  ...ROLES.sink!,
  usage: "zmtp monitor scheduler --router BASE [--router BASE ...] [--tick MS]",
  summary: "A scheduler with a registration sink. With --db FILE it shares an SQLite store with the other sinks\nand schedulers; without, it keeps its own in-memory store (then run exactly one such process).",
  flags: ROLES.sink!.flags.map((f) => (f.name === "type" ? { ...f, default: "registration" } : f.name === "scheduler" ? { ...f, default: "true" } : f)),
};

export async function monitorCommand(argv: readonly string[], io: MonitorIo = processIo()): Promise<number> {
  const [roleName, ...rest] = argv;
  if (roleName === undefined || roleName === "--help" || roleName === "-h" || roleName === "help") {
    (roleName === undefined ? io.err : io.out)(USAGE);
    return roleName === undefined ? 2 : 0;
  }
  const role = ROLES[roleName];
  if (role === undefined) {
    io.err(`zmtp monitor: unknown role "${roleName}"\n\n${USAGE}`);
    return 2;
  }
  const help = formatHelp(role.usage, role.summary, role.flags);
  try {
    const { values, positionals, help: wantsHelp } = parseFlags(role.flags, rest);
    if (wantsHelp) {
      io.out(help);
      return 0;
    }
    return await role.run(values, positionals, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`zmtp monitor ${roleName}: ${err.message}\n\n${help}`);
      return 2;
    }
    io.err(`zmtp monitor ${roleName}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function processIo(): MonitorIo {
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), tty: process.stdout.isTTY === true };
}

/** Resolves when the role should stop: the io's signal, else SIGINT / SIGTERM. */
function stopped(io: MonitorIo): Promise<void> {
  return new Promise((resolve) => {
    if (io.signal !== undefined) {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function log(io: MonitorIo, event: string, details: unknown): void {
  io.out(`${new Date().toISOString()} ${event} ${JSON.stringify(details)}\n`);
}

const str = (v: FlagValues, name: string): string | undefined => v[name] as string | undefined;
const num = (v: FlagValues, name: string): number => v[name] as number;

function routerBases(values: FlagValues): RouterEndpoints[] {
  const bases = stringList(values, "router");
  if (bases.length === 0) throw new UsageError("at least one --router is required");
  return bases.map((base) => {
    try {
      return routerEndpoints(base);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  });
}

function stateDirOf(values: FlagValues): string {
  const dir = str(values, "state-dir") ?? "~/.zmtp-monitor";
  return dir.startsWith("~/") ? join(homedir(), dir.slice(2)) : dir;
}

async function runRouter(values: FlagValues, _: string[], io: MonitorIo): Promise<number> {
  let endpoints: RouterEndpoints;
  try {
    endpoints = routerEndpoints(str(values, "bind")!);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  for (const name of ["agents", "back", ...STREAMS] as const) endpoints[name] = str(values, name) ?? endpoints[name];
  const secretFile = str(values, "curve-secret-key");
  const allowFile = str(values, "curve-allow");
  if ((secretFile === undefined) !== (allowFile === undefined)) throw new UsageError("CURVE needs both --curve-secret-key and --curve-allow");
  const curve = secretFile === undefined ? undefined : { secretKey: loadOrCreateCurveKey(secretFile).secretKey, allowList: allowFile! };
  const router = await MonitorRouter.start({ endpoints, agentHeartbeatInterval: num(values, "agent-heartbeat"), ...(curve !== undefined && { curve }) });
  router.on("malformed", (reason: string) => log(io, "malformed", { reason }));
  router.on("refused", (r: Refusal) => log(io, "refused", r));
  router.on("allow-list", (keys: number) => log(io, "allow-list", { keys }));
  router.on("allow-list-error", (err: Error) => log(io, "allow-list-error", { error: err.message }));
  log(io, "router", { ...router.endpoints, ...(router.publicKey !== null && { curvePublicKey: router.publicKey, allowedKeys: router.allowedKeys }) });
  await stopped(io);
  router.close();
  log(io, "stopped", router.counters);
  return 0;
}

async function runAgent(values: FlagValues, _: string[], io: MonitorIo): Promise<number> {
  const routers = routerBases(values).map((r) => r.agents);
  const local = str(values, "local");
  const statsdPort = num(values, "statsd-port");
  const hostname = str(values, "hostname");
  const agent = await Agent.start({
    stateDir: stateDirOf(values),
    routers,
    localEndpoint: local === "none" ? null : local,
    statsdPort: statsdPort < 0 ? null : statsdPort,
    statsdHost: str(values, "statsd-host")!,
    heartbeatInterval: num(values, "heartbeat"),
    statsFlushInterval: num(values, "flush"),
    ackTimeout: num(values, "ack-timeout"),
    maxResendInterval: num(values, "max-resend"),
    fallbackAfter: num(values, "fallback-after"),
    checks: ((values.check as unknown[] | undefined) ?? []).map(parseCheck),
    ...(hostname !== undefined && { hostname }),
    ...(str(values, "curve-server-key") !== undefined && { curve: { serverKey: str(values, "curve-server-key")! } }),
  });
  agent.on("refused", (router: string) => log(io, "refused", { router, publicKey: agent.publicKey }));
  agent.on("check", (_name: string, result: unknown) => log(io, "check", result));
  agent.on("malformed", (reason: string) => log(io, "malformed", { reason }));
  log(io, "agent", { id: agent.id, routers, local: agent.localEndpoint, statsd: agent.statsdPort, outbox: agent.outboxSize, ...(agent.publicKey !== null && { curvePublicKey: agent.publicKey }) });
  await stopped(io);
  await agent.close();
  log(io, "stopped", agent.counters);
  return 0;
}

async function runSink(values: FlagValues, _: string[], io: MonitorIo): Promise<number> {
  const routers = routerBases(values);
  const typeList = str(values, "type")!;
  const streams = typeList === "all" ? [...STREAMS] : typeList.split(",").map((t) => t.trim());
  for (const s of streams) if (!(STREAMS as readonly string[]).includes(s)) throw new UsageError(`--type: unknown stream "${s}" (${STREAMS.join(", ")}, all)`);
  const db = str(values, "db");
  const store: Store = db === undefined ? new MemoryStore() : await SqliteStore.open({ path: db });
  const backChannels = routers.map((r) => r.back);
  const sinks: AnySink[] = (streams as Stream[]).map((stream) =>
    createSink(stream, { store, streams: routers.map((r) => r[stream]), backChannels, missedHeartbeats: num(values, "missed"), sweepInterval: num(values, "sweep") }),
  );
  for (const sink of sinks) {
    for (const event of ["alert", "presence", "registration", "result", "malformed", "failure"]) {
      sink.on(event, (details: unknown) => log(io, event, details instanceof Error ? { error: details.message } : details));
    }
  }
  let scheduler: Scheduler | null = null;
  if (values.scheduler === true) {
    const id = str(values, "scheduler-id");
    scheduler = new Scheduler({ store, backChannels, tickInterval: num(values, "tick"), ...(id !== undefined && { id }) });
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
  notifier?.on("failed", (_a: unknown, p: { id: string }, err: Error) => log(io, "action-failed", { notification: p.id, error: err.message }));
  let page: StatusServer | null = null;
  const http = str(values, "http");
  if (http !== undefined) {
    const match = /^(?:(.+):)?(\d+)$/.exec(http);
    if (match === null) throw new UsageError("--http [HOST:]PORT");
    const metrics = createMetrics({ store, hostOf: (a) => hosts.get(a), sinks, schedulers: scheduler === null ? [] : [scheduler], graphite, notifier });
    page = await StatusServer.start({ store, hostOf: (a) => hosts.get(a), metrics, port: Number(match[2]), ...(match[1] !== undefined && { host: match[1] }) });
  }
  log(io, "sink", { streams, routers: routers.map((r) => r.agents), scheduler: scheduler?.id ?? null, store: db ?? "memory", ...(page !== null && { page: page.url }) });
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

function notificationActions(values: FlagValues): NotificationAction[] {
  try {
    return [
      ...stringList(values, "webhook").map((v) => parseAction("webhook", v)),
      ...stringList(values, "hook").map((v) => parseAction("command", v)),
    ];
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function runDemo(values: FlagValues, _: string[], io: MonitorIo): Promise<number> {
  const duration = values.duration as number | undefined;
  if (duration !== undefined && !(duration > 0)) throw new UsageError("--duration expects seconds > 0");
  const port = values.port as number | undefined;
  const data = str(values, "data");
  const graphite = str(values, "graphite");
  return runMonitorDemo({
    out: io.out,
    tty: io.tty ?? false,
    stopped: stopped(io),
    curve: values.curve === true,
    actions: notificationActions(values),
    ...(data !== undefined && { dataDir: data }),
    ...(port !== undefined && { port }),
    ...(duration !== undefined && { duration }),
    ...(graphite !== undefined && { graphite }),
  });
}

async function runSend(values: FlagValues, positionals: string[], io: MonitorIo): Promise<number> {
  const [what, ...args] = positionals;
  const endpoint = str(values, "endpoint") ?? `ipc://${join(stateDirOf(values), "agent.ipc")}`;
  const proc = str(values, "process");
  let send: (client: MonitorClient) => Promise<void>;
  switch (what) {
    case "stat": {
      const [name, raw] = args;
      const value = Number(raw);
      if (name === undefined || raw === undefined || args.length !== 2 || !Number.isFinite(value)) throw new UsageError("send stat NAME VALUE");
      const kind = str(values, "kind");
      if (kind !== undefined && !["counter", "gauge", "timer"].includes(kind)) throw new UsageError("--kind: counter, gauge or timer");
      const unit = str(values, "unit");
      send = (c) => c.stat(name, value, { ...(kind !== undefined && { kind: kind as StatKind }), ...(unit !== undefined && { unit }), ...(proc !== undefined && { process: proc }) });
      break;
    }
    case "notify": {
      const [severity, ...words] = args;
      if (!SEVERITIES.includes(severity as Severity) || words.length === 0) throw new UsageError(`send notify SEVERITY TEXT (SEVERITY: ${SEVERITIES.join(", ")})`);
      const check = str(values, "check-name");
      send = (c) => c.notify(severity as Severity, words.join(" "), { ack: values["no-ack"] !== true, ...(proc !== undefined && { process: proc }), ...(check !== undefined && { check }) });
      break;
    }
    case "heartbeat": {
      if (args.length !== 1) throw new UsageError("send heartbeat PROCESS");
      send = (c) => c.heartbeat(args[0]!, num(values, "interval"));
      break;
    }
    case "register": {
      if (args.length !== 1) throw new UsageError("send register PROCESS");
      const version = str(values, "version");
      const pid = values.pid as number | undefined;
      const checks = ((values.check as unknown[] | undefined) ?? []).map(parseCheck);
      send = (c) => c.register({ process: args[0]!, checks, ...(version !== undefined && { version }), ...(pid !== undefined && { pid }) });
      break;
    }
    default:
      throw new UsageError(what === undefined ? "what to send? stat, notify, heartbeat or register" : `cannot send "${what}"`);
  }
  const client = new MonitorClient(endpoint, { timeout: num(values, "timeout") });
  try {
    await send(client);
  } finally {
    client.close();
  }
  io.out("ok\n");
  return 0;
}

async function runRun(values: FlagValues, _: string[], io: MonitorIo): Promise<number> {
  const routers = routerBases(values);
  const agent = str(values, "agent");
  const check = str(values, "check");
  if (!isUuid(agent)) throw new UsageError("--agent UUID is required");
  if (check === undefined) throw new UsageError("--check NAME is required");
  const timeout = num(values, "timeout");
  const channel = new BackChannel(routers.map((r) => r.back), { deliveryTimeout: timeout, attemptTimeout: Math.min(1000, timeout) });
  try {
    const outcome = await channel.deliver(agent, createMessage("run", { check, trigger: "demand" }));
    io.out(`${outcome}\n`);
    return outcome === "delivered" ? 0 : 1;
  } finally {
    channel.close();
  }
}

