import { Agent } from "../agent/agent.js";
import { UsageError, parseCheck, type FlagValues } from "./flags.js";
import { log, runUntilStopped, type CliIo } from "zmtp-app-kit/io";
import type { RoleServer } from "../web/role-server.js";
import { ROUTER_FLAG, num, routerBases, stateDirOf, str, type Role } from "./role.js";

export const agentRole: Role = {
  usage: "zmtp-monitor agent --router BASE [--router BASE ...] [options]",
  summary: "The agent of this machine. Its UUID is kept in the state directory.",
  flags: [
    ROUTER_FLAG,
    {
      name: "jit",
      kind: "boolean",
      help: "keep V8's optimising compilers (about 4 MB more memory; an agent's code is rarely hot)",
    },
    {
      name: "state-dir",
      kind: "string",
      arg: "DIR",
      help: "agent id, outbox and registry",
      default: "~/.zmtp-monitor",
    },
    {
      name: "local",
      kind: "string",
      arg: "ENDPOINT",
      help: 'local endpoint for MonitorClient and `send` ("none": off)',
      shown: "ipc://<state-dir>/agent.ipc",
    },
    {
      name: "statsd-port",
      kind: "number",
      arg: "PORT",
      help: "statsd UDP port (0: any free port, -1: off)",
      default: "8125",
    },
    { name: "statsd-host", kind: "string", arg: "HOST", help: "statsd UDP address", default: "127.0.0.1" },
    { name: "heartbeat", kind: "number", arg: "MS", help: "heartbeat interval", default: "5000" },
    { name: "flush", kind: "number", arg: "MS", help: "stats flush interval", default: "1000" },
    {
      name: "ack-timeout",
      kind: "number",
      arg: "MS",
      help: "first resend of an unacked message; doubles per resend",
      default: "2000",
    },
    { name: "max-resend", kind: "number", arg: "MS", help: "longest resend interval", default: "60000" },
    {
      name: "fallback-after",
      kind: "number",
      arg: "N",
      help: "run a check itself when no scheduler did for N intervals (0: never)",
      default: "3",
    },
    {
      name: "check",
      kind: "list",
      arg: "NAME:INTERVAL_MS:COMMAND",
      help: "a Nagios plugin of the agent's own (command runs with /bin/sh -c)",
    },
    { name: "hostname", kind: "string", arg: "NAME", help: "reported host name", shown: "os.hostname()" },
    {
      name: "http",
      kind: "string",
      arg: "[HOST:]PORT",
      help: "serve /metrics (Prometheus) and /health here (HOST default 127.0.0.1)",
    },
    {
      name: "curve-server-key",
      kind: "string",
      arg: "Z85",
      help: "CURVE to the routers (their public key); the agent's key is <state-dir>/curve.key",
    },
  ],
  run: (values, _, io) => runUntilStopped(io, (stop) => startAgent(values, io, stop)),
};

async function startAgent(values: FlagValues, io: CliIo, stop: Promise<void>): Promise<number> {
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
  const http = str(values, "http");
  let server: RoleServer | null = null;
  if (http !== undefined) {
    // Loaded only with --http: an agent without it does not carry prom-client.
    const [{ createMetrics }, { RoleServer, parseHttp }] = await Promise.all([
      import("../outputs/prometheus.js"),
      import("../web/role-server.js"),
    ]);
    let at: { host?: string; port: number };
    try {
      at = parseHttp(http);
    } catch (err) {
      await agent.close();
      throw new UsageError((err as Error).message);
    }
    server = await RoleServer.start({
      ...at,
      metrics: createMetrics({ agents: [agent] }),
      health: () => ({
        role: "agent",
        status: agent.duplicateOf !== null ? "failing" : agent.connectedRouters === 0 ? "degraded" : "ok",
        id: agent.id,
        routers: agent.connectedRouters,
        outbox: agent.outboxSize,
        counters: agent.counters,
      }),
    });
  }
  let duplicate = false;
  const stopping = new Promise<void>((resolve) =>
    agent.on("duplicate", (other: string) => {
      duplicate = true;
      io.err(
        `zmtp-monitor agent: another live agent has this id (${agent.id}, on ${other}): stopping. Give this machine a state directory of its own (a cloned image copies the id).\n`,
      );
      resolve();
    }),
  );
  log(io, "agent", {
    id: agent.id,
    routers,
    local: agent.localEndpoint,
    statsd: agent.statsdPort,
    outbox: agent.outboxSize,
    ...(agent.publicKey !== null && { curvePublicKey: agent.publicKey }),
    ...(server !== null && { http: server.url }),
  });
  await Promise.race([stop, stopping]);
  await server?.close();
  await agent.close();
  log(io, "stopped", agent.counters);
  return duplicate ? 1 : 0;
}
