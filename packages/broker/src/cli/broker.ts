import { MajordomoBroker } from "../mdp/broker.js";
import { parseBrokerAddress } from "../network/address.js";
import { NetworkBroker } from "../network/broker.js";
import type { BrokerAddress } from "../network/protocol.js";
import { CURVE_KEY_FLAG, MDP_FLAG, TIMING_FLAGS, heartbeatOf, type Command } from "./command.js";
import { UsageError, bool, stringList, num, str, type FlagValues } from "zmtp-app-kit/flags";
import { log, stopped, type CliIo } from "zmtp-app-kit/io";
import { loadOrCreateCurveKey } from "./keys.js";

export const brokerCommand: Command = {
  usage: "zmtp-broker broker [--bind ENDPOINT] [--peer ENDPOINT[,KEY] ...] [options]",
  summary:
    "A broker of the network: clients and workers connect to it, and it gossips with its peers (give\none or more; the rest are learned). With --mdp, a Majordomo broker instead. Runs until SIGINT\nor SIGTERM; SIGHUP reloads the CURVE allow-list.",
  flags: [
    { name: "bind", kind: "string", arg: "ENDPOINT", help: "where to listen", default: "tcp://*:5555" },
    {
      name: "advertise",
      kind: "string",
      arg: "ENDPOINT",
      help: "the address others dial (default: the bound one, 0.0.0.0 as 127.0.0.1)",
    },
    { name: "peer", kind: "list", arg: "ENDPOINT[,KEY]", help: "another broker (repeat for more)" },
    { name: "gossip", kind: "number", arg: "MS", help: "ms between gossip messages to each peer", default: "1000" },
    ...TIMING_FLAGS,
    {
      name: "queue-timeout",
      kind: "number",
      arg: "MS",
      help: "how long a request may wait for an idle worker",
      default: "1000",
    },
    CURVE_KEY_FLAG,
    {
      name: "curve-allow",
      kind: "string",
      arg: "FILE",
      help: "with CURVE: public keys allowed in, one per line (reloaded on change and SIGHUP)",
    },
    MDP_FLAG,
  ],
  run: runBroker,
};

async function runBroker(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const bind = str(values, "bind")!;
  if (bool(values, "mdp")) return runMajordomo(bind, values, io);
  const secretFile = str(values, "curve-secret-key");
  const allowFile = str(values, "curve-allow");
  if ((secretFile === undefined) !== (allowFile === undefined))
    throw new UsageError("CURVE needs both --curve-secret-key and --curve-allow");
  let peers: BrokerAddress[];
  try {
    peers = stringList(values, "peer").map(parseBrokerAddress);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const advertise = str(values, "advertise");
  const broker = await NetworkBroker.start({
    bind,
    ...(advertise !== undefined && { advertise }),
    peers,
    gossipInterval: num(values, "gossip"),
    heartbeatInterval: heartbeatOf(values),
    liveness: num(values, "liveness"),
    queueTimeout: num(values, "queue-timeout"),
    ...(secretFile !== undefined && {
      curve: { secretKey: loadOrCreateCurveKey(secretFile).secretKey, allow: allowFile! },
    }),
  });
  for (const event of ["worker", "worker-gone", "peer-up", "peer-down", "refused", "allow-list"])
    broker.on(event, (details: unknown) => log(io, event, details));
  broker.on("allow-list-error", (err: Error) => log(io, "allow-list-error", { error: err.message }));
  broker.on("malformed", (reason: string) => log(io, "malformed", { reason }));
  const reload = (): void => broker.security?.reload();
  process.on("SIGHUP", reload);
  log(io, "broker", {
    ...broker.address,
    id: broker.id,
    ...(broker.security !== null && { allowedKeys: broker.security.allowedKeys }),
  });
  await stopped(io);
  process.off("SIGHUP", reload);
  broker.close();
  log(io, "stopped", broker.counters);
  return 0;
}

async function runMajordomo(bind: string, values: FlagValues, io: CliIo): Promise<number> {
  const broker = await MajordomoBroker.start({
    endpoints: bind,
    heartbeatInterval: heartbeatOf(values),
    liveness: num(values, "liveness"),
  });
  broker.on("worker", ({ id, service }: { id: Buffer; service: string }) =>
    log(io, "worker", { id: id.toString("hex"), service }),
  );
  broker.on("expired", (id: Buffer) => log(io, "worker-gone", { id: id.toString("hex"), reason: "silent" }));
  log(io, "broker", { protocol: "MDP/0.1", endpoint: broker.endpoints[0] });
  await stopped(io);
  broker.close();
  log(io, "stopped", broker.counters);
  return 0;
}
