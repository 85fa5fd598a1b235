import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { LIBZMQ_PEER_SOURCE } from "./libzmq-peer-source.js";
import { WORKLOAD, type Measurement, type Plan, type WorkloadName } from "./workloads.js";

/**
 * `--against libzmq`: native libzmq in the same run, as a C program (libzmq-peer-source.ts)
 * compiled once into a cache directory with the system's C compiler and libzmq. Where either is
 * missing the bench says so once and runs without it.
 */

/** The workloads the C peer runs (pub-sub has no way to know when its subscriber is there). */
export const LIBZMQ_WORKLOADS: readonly WorkloadName[] = [
  "push-pull",
  "dealer-router",
  "req-rep",
  "dealer-router-latency",
];

export class LibzmqUnavailableError extends Error {}

/** Where the compiled peer is kept: $XDG_CACHE_HOME/zmtp (or ~/.cache/zmtp), keyed by its source. */
function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  return join(base, "zmtp");
}

/**
 * Link flags to try: -lzmq where the -dev package's libzmq.so link exists, else the runtime
 * library by its soname (Debian's libzmq5 alone has only libzmq.so.5).
 */
const LINK_FLAGS = [["-lzmq"], ["-l:libzmq.so.5"]];

let built: string | null = null;

/** The path of the compiled peer, building it on first use; throws LibzmqUnavailableError. */
export function libzmqPeer(): string {
  if (built !== null) return built;
  const hash = createHash("sha256").update(LIBZMQ_PEER_SOURCE).digest("hex").slice(0, 12);
  const dir = cacheDir();
  const binary = join(dir, `libzmq-peer-${hash}`);
  if (existsSync(binary)) return (built = binary);
  const compiler = process.env.CC ?? "cc";
  const source = join(tmpdir(), `zmtp-libzmq-peer-${process.pid}.c`);
  writeFileSync(source, LIBZMQ_PEER_SOURCE);
  const errors: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const flags of LINK_FLAGS) {
      const partial = `${binary}.${process.pid}`;
      const cc = spawnSync(compiler, ["-O2", "-o", partial, source, ...flags], { encoding: "utf8" });
      if (cc.error !== undefined) {
        throw new LibzmqUnavailableError(`no C compiler (${compiler}: ${cc.error.message}); set CC or install gcc`);
      }
      if (cc.status === 0) {
        renameSync(partial, binary);
        return (built = binary);
      }
      errors.push(cc.stderr.trim().split("\n").pop() ?? `exit ${cc.status}`);
    }
  } finally {
    rmSync(source, { force: true });
  }
  throw new LibzmqUnavailableError(
    `could not link against libzmq (install libzmq5 or libzmq3-dev): ${errors.join("; ")}`,
  );
}

/** What one libzmq run measured, per side. */
export interface NativeRun {
  measurement: Measurement;
  other: Measurement | null;
  senderRssBytes: number;
  receiverRssBytes: number;
}

interface PeerResult extends Measurement {
  peakRssKB: number;
}

/** One C process; resolves with its result line, rejects if it exits without one. */
class PeerProcess {
  readonly result: Promise<PeerResult>;
  private endpointSeen: (endpoint: string) => void = () => {};
  readonly endpoint = new Promise<string>((resolve) => (this.endpointSeen = resolve));
  private readonly child;

  constructor(binary: string, args: string[]) {
    this.child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    this.child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let last: PeerResult | null = null;
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      if (line.startsWith("endpoint ")) this.endpointSeen(line.slice("endpoint ".length));
      else if (line.startsWith("{")) last = JSON.parse(line) as PeerResult;
    });
    this.result = new Promise((resolve, reject) => {
      this.child.once("error", reject);
      this.child.once("close", (code) => {
        if (last !== null) resolve(last);
        else reject(new Error(`the libzmq peer (${args[0]}) exited with code ${code}: ${stderr.trim()}`));
      });
    });
    this.result.catch(() => {});
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}

/** Runs the workload with both ends in C: the receiver binds `address`, the sender connects. */
export async function runLibzmq(
  workload: WorkloadName,
  address: string,
  plan: Plan,
  timeoutMs: number,
): Promise<NativeRun> {
  const binary = libzmqPeer();
  const receiver = new PeerProcess(binary, ["recv", workload, address]);
  let sender: PeerProcess | null = null;
  const timer = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`the libzmq run did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    ).unref(),
  );
  try {
    const endpoint = await Promise.race([receiver.endpoint, receiver.result.then(() => ""), timer]);
    sender = new PeerProcess(binary, [
      "send",
      workload,
      endpoint,
      String(plan.size),
      String(plan.count ?? 0),
      String(plan.durationMs ?? 0),
    ]);
    const [sent, received] = await Promise.race([Promise.all([sender.result, receiver.result]), timer]);
    const latency = WORKLOAD[workload].latency;
    const strip = (r: PeerResult): Measurement => ({
      messages: r.messages,
      seconds: r.seconds,
      p50Us: r.p50Us,
      p99Us: r.p99Us,
      cpuMicros: r.cpuMicros,
    });
    return {
      measurement: strip(latency ? sent : received),
      other: strip(latency ? received : sent),
      senderRssBytes: sent.peakRssKB * 1024,
      receiverRssBytes: received.peakRssKB * 1024,
    };
  } finally {
    sender?.kill();
    receiver.kill();
  }
}
