import { homedir } from "node:os";
import { join } from "node:path";
import { Agent } from "./agent.js";
import { BackChannel } from "./back-channel.js";
import { UsageError, formatHelp, parseCheck, parseFlags, stringList, type FlagSpec, type FlagValues } from "./cli-flags.js";
import { MonitorClient } from "./client.js";
import { routerEndpoints, type RouterEndpoints } from "./endpoints.js";
import { MemoryStore } from "./memory-store.js";
import { STREAMS, createMessage, isUuid, type Stream } from "./protocol.js";
import { MonitorRouter } from "./router.js";
import { Scheduler } from "./scheduler.js";
import { SEVERITIES, type Severity, type StatKind } from "./schema.js";
import { createSink, type AnySink } from "./sinks.js";

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
}

const USAGE = `Usage: zmtp monitor <role> [options]     (zmtp monitor <role> --help for its options)

Roles:
  router     bind the agent, back-channel and per-stream endpoints; forward, never store
  agent      run on each monitored machine: heartbeats, stats (statsd), checks, notifications
  sink       store one or more streams (heartbeat, registration, stats, notification);
             with --scheduler, also schedule checks from the same store
  scheduler  a scheduler with its own registration sink (same as sink --type registration --scheduler)
  send       hand the local agent a stat, notification, heartbeat or registration
  run        ask an agent, through any router, to run a check now
`;

const ROUTER_FLAG: FlagSpec = { name: "router", kind: "list", arg: "BASE", help: "a router's base address (tcp://host:port or ipc://path; repeat for each router)" };

const ROLES: Record<string, { usage: string; summary: string; flags: FlagSpec[]; run(values: FlagValues, positionals: string[], io: MonitorIo): Promise<number> }> = {
  router: {
    usage: "zmtp monitor router [--bind BASE] [options]",
    summary: "A stateless router. From BASE tcp://host:P it binds agents on P, the back channel on P+1 and the\nheartbeat, registration, stats and notification streams on P+2..P+5 (ipc://path: path, path.back, ...).",
    flags: [
      { name: "bind", kind: "string", arg: "BASE", help: "base address of the six endpoints", default: "tcp://*:5570" },
      ...(["agents", "back", ...STREAMS] as const).map((name): FlagSpec => ({ name, kind: "string", arg: "ENDPOINT", help: `bind the ${name} endpoint here instead` })),
      { name: "agent-heartbeat", kind: "number", arg: "MS", help: "ZMTP heartbeat to agents (0: off)", default: "10000" },
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
    ],
    run: runAgent,
  },
  sink: {
    usage: "zmtp monitor sink --router BASE [--router BASE ...] [--type TYPES] [--scheduler]",
    summary: "Typed sinks over one in-memory store, PULLing from every router; prints alerts, presence changes,\nregistrations and check results. Sinks and schedulers that must share a store run in one process.",
    flags: [
      ROUTER_FLAG,
      { name: "type", kind: "string", arg: "TYPES", help: "comma-separated streams, or all", default: "all" },
      { name: "missed", kind: "number", arg: "N", help: "heartbeats missed before down", default: "3" },
      { name: "sweep", kind: "number", arg: "MS", help: "how often presence is checked", default: "1000" },
      { name: "scheduler", kind: "boolean", help: "also run a scheduler on the same store" },
      { name: "tick", kind: "number", arg: "MS", help: "scheduler pass interval", default: "1000" },
      { name: "scheduler-id", kind: "string", arg: "NAME", help: "the scheduler's name in check claims", shown: "scheduler-<random>" },
    ],
    run: runSink,
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
  summary: "A scheduler with a registration sink feeding its own in-memory store. Until the store is shared\n(SQLite, part 2), run exactly one process with registration sinks and schedulers: this, or sink --scheduler.",
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
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
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
  const router = await MonitorRouter.start({ endpoints, agentHeartbeatInterval: num(values, "agent-heartbeat") });
  router.on("malformed", (reason: string) => log(io, "malformed", { reason }));
  log(io, "router", router.endpoints);
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
  });
  agent.on("check", (_name: string, result: unknown) => log(io, "check", result));
  agent.on("malformed", (reason: string) => log(io, "malformed", { reason }));
  log(io, "agent", { id: agent.id, routers, local: agent.localEndpoint, statsd: agent.statsdPort, outbox: agent.outboxSize });
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
  const store = new MemoryStore();
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
  log(io, "sink", { streams, routers: routers.map((r) => r.agents), scheduler: scheduler?.id ?? null });
  await stopped(io);
  scheduler?.close();
  for (const sink of sinks) await sink.close();
  log(io, "stopped", Object.fromEntries(sinks.map((s) => [s.stream, s.counters])));
  return 0;
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

