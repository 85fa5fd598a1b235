import { curvePublicKey } from "zmtp/z85";
import { Agent } from "../agent/agent.js";
import { lookup } from "../client/lookup.js";
import { Registrar } from "../client/registrar.js";
import { Watcher } from "../client/watcher.js";
import type { Change } from "../client/watch-state.js";
import { RedisRegistry } from "../registry/redis.js";
import { clientSecurity } from "../security/curve.js";
import { Replica } from "../service/replica.js";
import { log, stopped, type CliIo } from "zmtp-app-kit/io";
import { UsageError, clientCurve, secretKeyFile } from "./keys.js";

/** Flag values as node's parseArgs gives them. */
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  usage: string;
  summary: string;
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean; default?: string; help: string }>;
  run(values: Values, positionals: string[], io: CliIo): Promise<number>;
}

const str = (v: Values, name: string): string | undefined => v[name] as string | undefined;
const list = (v: Values, name: string): string[] => (v[name] as string[] | undefined) ?? [];
function num(v: Values, name: string): number {
  const n = Number(v[name]);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} expects a positive number, got "${v[name]}"`);
  return n;
}
function servers(v: Values): string[] {
  const s = list(v, "server");
  if (s.length === 0) throw new UsageError("give at least one --server ENDPOINT (a replica or the local agent)");
  return s;
}
function connection(v: Values): { security: Record<string, unknown> } {
  return { security: clientSecurity(clientCurve(str(v, "curve-secret-key"), str(v, "server-key"))) };
}

const CLIENT_OPTIONS = {
  server: { type: "string", multiple: true, help: "a replica's or the agent's request endpoint (repeat)" },
  "curve-secret-key": { type: "string", help: "CURVE: this node's secret key file (created if missing)" },
  "server-key": { type: "string", help: "CURVE: the service's public key (Z85)" },
} as const;

export const replicaCommand: Command = {
  usage: "zmtp-names replica --bind ENDPOINT --publish ENDPOINT [--peer ENDPOINT...]",
  summary: "Run one replica of the registry.",
  options: {
    bind: { type: "string", default: "tcp://*:5670", help: "request endpoint (ROUTER)" },
    publish: { type: "string", default: "tcp://*:5671", help: "update endpoint (XPUB)" },
    peer: { type: "string", multiple: true, help: "another replica's request endpoint, to catch up from (repeat)" },
    redis: { type: "string", help: "keep registrations in Redis at this URL (redis://host:port)" },
    "redis-prefix": { type: "string", default: "zns:", help: "prefix of this replica's Redis keys" },
    "curve-secret-key": { type: "string", help: "CURVE: the service's secret key file (created if missing)" },
    allow: {
      type: "string",
      help: "CURVE: allow-list file of node public keys (followed as it changes; SIGHUP re-reads it)",
    },
    hugz: { type: "string", default: "1000", help: "ms between heartbeats to watchers" },
  },
  async run(v, _p, io) {
    const secretFile = str(v, "curve-secret-key");
    const allow = str(v, "allow");
    if ((secretFile === undefined) !== (allow === undefined))
      throw new UsageError("CURVE needs both --curve-secret-key FILE and --allow FILE");
    const url = str(v, "redis");
    const registry =
      url === undefined ? undefined : await RedisRegistry.connect({ url, prefix: str(v, "redis-prefix") });
    const replica = new Replica({
      bind: str(v, "bind")!,
      publish: str(v, "publish")!,
      peers: list(v, "peer"),
      registry,
      hugzInterval: num(v, "hugz"),
      ...(secretFile !== undefined && { curve: { secretKey: secretKeyFile(secretFile), allow: allow! } }),
    });
    replica.on("caught-up", (e) => log(io, "caught-up", e));
    replica.on("allow-list-error", (err: Error) => log(io, "allow-list-error", { error: err.message }));
    replica.on("refused", (d: { user: string; address: string }) =>
      log(io, "refused", { key: d.user, address: d.address }),
    );
    const reload = (): void => replica.reloadAllowList();
    process.on("SIGHUP", reload);
    await replica.start();
    log(io, "listening", {
      endpoint: replica.endpoint,
      publish: replica.publishEndpoint,
      epoch: replica.epoch,
      registry: url === undefined ? "memory" : "redis",
      ...(secretFile !== undefined && { serverKey: curvePublicKey(secretKeyFile(secretFile)) }),
    });
    await stopped(io);
    process.off("SIGHUP", reload);
    await replica.close();
    return 0;
  },
};

export const agentCommand: Command = {
  usage: "zmtp-names agent --replica ENDPOINT... [--bind ipc://...] [--lookup-file FILE.zpl]",
  summary: "Run the local agent: a cache of the replicas' names on ipc://, merged with a static lookup file.",
  options: {
    replica: { type: "string", multiple: true, help: "a replica's request endpoint (repeat)" },
    bind: { type: "string", default: "ipc:///tmp/zns", help: "request endpoint for local clients" },
    publish: { type: "string", default: "ipc:///tmp/zns-updates", help: "update endpoint for local watchers" },
    "lookup-file": { type: "string", help: "ZPL file of static names (re-read on SIGHUP)" },
    "curve-secret-key": CLIENT_OPTIONS["curve-secret-key"],
    "server-key": CLIENT_OPTIONS["server-key"],
  },
  async run(v, _p, io) {
    const replicas = list(v, "replica");
    if (replicas.length === 0) throw new UsageError("give at least one --replica ENDPOINT");
    const agent = new Agent({
      servers: replicas,
      bind: str(v, "bind")!,
      publish: str(v, "publish")!,
      lookupFile: str(v, "lookup-file"),
      curve: clientCurve(str(v, "curve-secret-key"), str(v, "server-key")),
    });
    agent.on("synced", (e) => log(io, "synced", e));
    agent.on("failover", (e) => log(io, "failover", e));
    agent.on("lookup-file-error", (e: Error) => log(io, "lookup-file-error", { message: e.message }));
    const reload = (): void => agent.reloadLookupFile();
    process.on("SIGHUP", reload);
    await agent.start();
    log(io, "listening", { endpoint: agent.endpoint, publish: agent.publishEndpoint });
    await stopped(io);
    process.off("SIGHUP", reload);
    await agent.close();
    return 0;
  },
};

export const registerCommand: Command = {
  usage: "zmtp-names register NAME ENDPOINT --server ENDPOINT... [--ttl MS]",
  summary: "Register ENDPOINT under NAME and keep it alive until stopped (then unregister it).",
  options: {
    ...CLIENT_OPTIONS,
    ttl: { type: "string", default: "3000", help: "ms the registration lives without a heartbeat" },
  },
  async run(v, [name, endpoint], io) {
    if (name === undefined || endpoint === undefined) throw new UsageError("expected NAME and ENDPOINT");
    const registrar = new Registrar({ ...connection(v), servers: servers(v), ttl: num(v, "ttl") });
    const acknowledged = new Set<string>();
    registrar.on("acknowledged", (e: { server: string }) => {
      if (acknowledged.has(e.server)) return;
      acknowledged.add(e.server);
      log(io, "registered", { name, endpoint, server: e.server });
    });
    registrar.register(name, endpoint);
    await stopped(io);
    await registrar.close();
    log(io, "unregistered", { name, endpoint });
    return 0;
  },
};

export const lookupCommand: Command = {
  usage: "zmtp-names lookup NAME --server ENDPOINT...",
  summary: "Print the endpoints registered under NAME, one per line.",
  options: { ...CLIENT_OPTIONS, timeout: { type: "string", default: "2000", help: "ms to wait for each server" } },
  async run(v, [name], io) {
    if (name === undefined) throw new UsageError("expected NAME");
    const endpoints = await lookup(name, { ...connection(v), servers: servers(v), timeout: num(v, "timeout") });
    for (const e of endpoints.sort()) io.out(`${e}\n`);
    return 0;
  },
};

export const watchCommand: Command = {
  usage: "zmtp-names watch [NAME] --server ENDPOINT...",
  summary: "Print `+ NAME ENDPOINT` and `- NAME ENDPOINT` as members join and leave (every name without NAME).",
  options: {
    ...CLIENT_OPTIONS,
    timeout: { type: "string", default: "3000", help: "ms of silence before failing over" },
  },
  async run(v, [name], io) {
    const watcher = new Watcher({ ...connection(v), servers: servers(v), name, timeout: num(v, "timeout") });
    watcher.on("change", (c: Change) => io.out(`${c.op} ${c.name} ${c.endpoint}\n`));
    watcher.on("failover", (e: { from: string; reason: string }) => io.err(`failover from ${e.from} (${e.reason})\n`));
    await stopped(io);
    await watcher.close();
    return 0;
  },
};

export const keyCommand: Command = {
  usage: "zmtp-names key FILE",
  summary: "Print the CURVE public key of the secret key in FILE (a new key pair when FILE is missing).",
  options: {},
  run(_v, [file], io) {
    if (file === undefined) throw new UsageError("expected FILE");
    io.out(`${curvePublicKey(secretKeyFile(file))}\n`);
    return Promise.resolve(0);
  },
};
