import { isBrokerError } from "../common/errors.js";
import type { Frames } from "../common/frames.js";
import { MajordomoClient } from "../mdp/client.js";
import { NetworkClient } from "../network/client.js";
import { BROKER_FLAG, CURVE_KEY_FLAG, MDP_FLAG, TIMING_FLAGS, heartbeatOf, type Command } from "./command.js";
import { UsageError, bool, stringList, num, str, type FlagValues } from "zmtp-app-kit/flags";
import type { CliIo } from "zmtp-app-kit/io";
import { loadOrCreateCurveKey } from "./keys.js";
import { seedsOf } from "./seeds.js";

export const callCommand: Command = {
  usage: "zmtp-broker call --broker ENDPOINT[,KEY] --service NAME [options] [FRAME ...]",
  summary:
    "Sends one request (its frames from the arguments, or stdin when there are none) and prints the\nreply's frames, one per line. Exit 0 with a reply, 1 on an error (its code and message on stderr).",
  flags: [
    BROKER_FLAG,
    { name: "service", kind: "string", arg: "NAME", help: "the service asked for" },
    {
      name: "timeout",
      kind: "number",
      arg: "MS",
      help: "ms to wait for each answer before resending",
      default: "1000",
    },
    { name: "retries", kind: "number", arg: "N", help: "resends before giving up", default: "3" },
    ...TIMING_FLAGS,
    CURVE_KEY_FLAG,
    MDP_FLAG,
  ],
  run: runCall,
};

async function runCall(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  const service = str(values, "service");
  if (service === undefined) throw new UsageError("--service NAME is required");
  const body =
    positionals.length > 0 ? positionals.map((p) => Buffer.from(p)) : [(await io.stdin?.()) ?? Buffer.alloc(0)];
  const timeout = num(values, "timeout");
  const retries = num(values, "retries");
  let reply: Frames;
  try {
    if (bool(values, "mdp")) {
      const brokers = stringList(values, "broker");
      if (brokers.length !== 1) throw new UsageError("--mdp takes exactly one --broker");
      const client = new MajordomoClient({ broker: brokers[0]!, timeout, retries });
      try {
        reply = await client.request(service, body);
      } finally {
        client.close();
      }
    } else {
      const secretFile = str(values, "curve-secret-key");
      const client = new NetworkClient({
        brokers: seedsOf(values),
        timeout,
        retries,
        heartbeatInterval: heartbeatOf(values),
        liveness: num(values, "liveness"),
        ...(secretFile !== undefined && { curve: loadOrCreateCurveKey(secretFile) }),
      });
      try {
        reply = await client.request(service, body);
      } finally {
        client.close();
      }
    }
  } catch (err) {
    if (err instanceof UsageError || !isBrokerError(err)) throw err;
    io.err(`zmtp-broker call: ${err.code}: ${err.message}\n`);
    return 1;
  }
  io.out(reply.map((frame) => `${frame.toString()}\n`).join(""));
  return 0;
}
