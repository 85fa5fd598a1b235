import { loadOrCreateCurveKey } from "../agent/state-dir.js";
import { MonitorRouter, type Refusal } from "../router/router.js";
import { routerEndpoints, type RouterEndpoints } from "../wire/endpoints.js";
import { STREAMS } from "../wire/protocol.js";
import { UsageError, type FlagSpec, type FlagValues } from "./flags.js";
import { log, runUntilStopped, type CliIo } from "zmtp-app-kit/io";
import { num, str, type Role } from "./role.js";
import type { RoleServer } from "../web/role-server.js";

export const routerRole: Role = {
  usage: "zmtp-monitor router [--bind BASE] [options]",
  summary:
    "A stateless router. From BASE tcp://host:P it binds agents on P, the back channel on P+1 and the\nheartbeat, registration, stats and notification streams on P+2..P+5 (ipc://path: path, path.back, ...).",
  flags: [
    { name: "bind", kind: "string", arg: "BASE", help: "base address of the six endpoints", default: "tcp://*:5570" },
    ...(["agents", "back", ...STREAMS] as const).map((name): FlagSpec => ({
      name,
      kind: "string",
      arg: "ENDPOINT",
      help: `bind the ${name} endpoint here instead`,
    })),
    { name: "agent-heartbeat", kind: "number", arg: "MS", help: "ZMTP heartbeat to agents (0: off)", default: "10000" },
    {
      name: "role-heartbeat",
      kind: "number",
      arg: "MS",
      help: "the router's own heartbeat to the sinks, so that its death pages (0: off)",
      default: "5000",
    },
    {
      name: "name",
      kind: "string",
      arg: "NAME",
      help: "the router's name in alerts (its id derives from it)",
      shown: "<host name> <agents endpoint>",
    },
    {
      name: "http",
      kind: "string",
      arg: "[HOST:]PORT",
      help: "serve /metrics (Prometheus) and /health here (HOST default 127.0.0.1)",
    },
    {
      name: "curve-secret-key",
      kind: "string",
      arg: "FILE",
      help: "CURVE on the agent endpoint: the router's secret key (Z85; created if missing)",
    },
    {
      name: "curve-allow",
      kind: "string",
      arg: "FILE",
      help: "with CURVE: agents' public keys allowed in, one per line (reloaded on change)",
    },
  ],
  run: (values, _, io) => runUntilStopped(io, (stop) => startRouter(values, io, stop)),
};

async function startRouter(values: FlagValues, io: CliIo, stop: Promise<void>): Promise<number> {
  let endpoints: RouterEndpoints;
  try {
    endpoints = routerEndpoints(str(values, "bind")!);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  for (const name of ["agents", "back", ...STREAMS] as const) endpoints[name] = str(values, name) ?? endpoints[name];
  const secretFile = str(values, "curve-secret-key");
  const allowFile = str(values, "curve-allow");
  if ((secretFile === undefined) !== (allowFile === undefined))
    throw new UsageError("CURVE needs both --curve-secret-key and --curve-allow");
  const curve =
    secretFile === undefined
      ? undefined
      : { secretKey: loadOrCreateCurveKey(secretFile).secretKey, allowList: allowFile! };
  const router = await MonitorRouter.start({
    endpoints,
    agentHeartbeatInterval: num(values, "agent-heartbeat"),
    heartbeat:
      num(values, "role-heartbeat") > 0
        ? {
            interval: num(values, "role-heartbeat"),
            ...(str(values, "name") !== undefined && { name: str(values, "name")! }),
          }
        : false,
    ...(curve !== undefined && { curve }),
  });
  router.on("malformed", (reason: string) => log(io, "malformed", { reason }));
  router.on("duplicate", (agent: string) => log(io, "duplicate", { agent }));
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
      router.close();
      throw new UsageError((err as Error).message);
    }
    server = await RoleServer.start({
      ...at,
      metrics: createMetrics({ routers: [router] }),
      health: () => {
        const sinks = router.sinks;
        const missing = STREAMS.filter((s) => sinks[s] === 0);
        return {
          role: "router",
          status: missing.length === 0 ? "ok" : "degraded",
          ...(router.id !== null && { id: router.id, name: router.name }),
          agents: router.connectedAgents,
          sinks,
          ...(missing.length > 0 && { problem: `no sink for ${missing.join(", ")}: those messages are dropped` }),
          counters: router.counters,
        };
      },
    });
  }
  router.on("refused", (r: Refusal) => log(io, "refused", r));
  router.on("allow-list", (keys: number) => log(io, "allow-list", { keys }));
  router.on("allow-list-error", (err: Error) => log(io, "allow-list-error", { error: err.message }));
  log(io, "router", {
    ...router.endpoints,
    ...(router.id !== null && { id: router.id, name: router.name }),
    ...(router.publicKey !== null && { curvePublicKey: router.publicKey, allowedKeys: router.allowedKeys }),
    ...(server !== null && { http: server.url }),
  });
  await stop;
  await server?.close();
  router.close();
  log(io, "stopped", router.counters);
  return 0;
}
