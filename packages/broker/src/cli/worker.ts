import { spawn } from "node:child_process";
import type { Frames } from "../common/frames.js";
import { MajordomoWorker } from "../mdp/worker.js";
import { NetworkWorker, type RequestInfo } from "../network/worker.js";
import { BROKER_FLAG, CURVE_KEY_FLAG, MDP_FLAG, TIMING_FLAGS, heartbeatOf, type Command } from "./command.js";
import { UsageError, bool, stringList, num, str, type FlagValues } from "zmtp-app-kit/flags";
import { log, stopped, type CliIo } from "zmtp-app-kit/io";
import { loadOrCreateCurveKey } from "./keys.js";
import { seedsOf } from "./seeds.js";

export const workerCommand: Command = {
  usage: "zmtp-broker worker --broker ENDPOINT[,KEY] --service NAME [--exec COMMAND] [options]",
  summary:
    "A worker offering one service through every broker it learns of. Without --exec it echoes each\nrequest; with --exec each request runs COMMAND (sh -c) with the request on stdin, and its\nstdout is the reply (a non-zero exit is an error for the client). Runs until SIGINT or SIGTERM.",
  flags: [
    BROKER_FLAG,
    { name: "service", kind: "string", arg: "NAME", help: "the service offered" },
    { name: "name", kind: "string", arg: "NAME", help: "this worker's id at the brokers (default: random)" },
    { name: "exec", kind: "string", arg: "COMMAND", help: "run COMMAND for each request (default: echo)" },
    { name: "quiet", kind: "boolean", help: "do not log each request" },
    ...TIMING_FLAGS,
    CURVE_KEY_FLAG,
    MDP_FLAG,
  ],
  run: runWorker,
};

async function runWorker(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const service = str(values, "service");
  if (service === undefined) throw new UsageError("--service NAME is required");
  const command = str(values, "exec");
  const quiet = bool(values, "quiet");
  const handler = async (body: Frames, info?: RequestInfo): Promise<Frames> => {
    if (!quiet) log(io, "request", info ?? { bytes: body.reduce((n, f) => n + f.length, 0) });
    return command === undefined ? body : [await run(command, Buffer.concat(body))];
  };
  const secretFile = str(values, "curve-secret-key");
  if (bool(values, "mdp")) {
    const brokers = stringList(values, "broker");
    if (brokers.length !== 1) throw new UsageError("--mdp takes exactly one --broker");
    const worker = new MajordomoWorker({
      broker: brokers[0]!,
      service,
      handler,
      heartbeatInterval: heartbeatOf(values),
      liveness: num(values, "liveness"),
    }).start();
    worker.on("reconnect", (event: unknown) => log(io, "reconnect", event));
    log(io, "worker", { protocol: "MDP/0.1", service, broker: brokers[0] });
    await stopped(io);
    worker.close();
    log(io, "stopped", { handled: worker.handled });
    return 0;
  }
  const name = str(values, "name");
  const worker = new NetworkWorker({
    brokers: seedsOf(values),
    service,
    handler,
    ...(name !== undefined && { name }),
    heartbeatInterval: heartbeatOf(values),
    liveness: num(values, "liveness"),
    ...(secretFile !== undefined && { curve: loadOrCreateCurveKey(secretFile) }),
  }).start();
  worker.on("up", (link: { endpoint: string }) => log(io, "broker-up", { endpoint: link.endpoint }));
  worker.on("down", (link: { endpoint: string }) => log(io, "broker-down", { endpoint: link.endpoint }));
  worker.on("failed", (err: Error, info: RequestInfo) => log(io, "failed", { ...info, error: err.message }));
  log(io, "worker", {
    name: worker.name,
    service,
    ...(secretFile !== undefined && { curvePublicKey: loadOrCreateCurveKey(secretFile).publicKey }),
  });
  await stopped(io);
  worker.close();
  log(io, "stopped", worker.counters);
  return 0;
}

/** Runs `sh -c command` with `input` on stdin; resolves with its stdout, rejects on a non-zero exit. */
function run(command: string, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${command} exited with ${code}${err === "" ? "" : `: ${err.trim()}`}`));
    });
    child.stdin.on("error", () => undefined); // a command that does not read its input
    child.stdin.end(input);
  });
}
