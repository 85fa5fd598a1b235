import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { MissingZeromqError } from "./implementations.js";
import { renderPlot } from "./plot.js";
import { Progress } from "./progress.js";
import { runBench, type BenchOptions, type RunResult } from "./runner.js";
import { formatTable } from "./table.js";
import { TRANSPORTS, WORKLOAD, WORKLOADS, type Transport, type WorkloadName } from "./workloads.js";

/** `zmtp bench`: parses its options, runs, prints the table (or JSON) and draws the plot. */

export const BENCH_USAGE = `Usage: zmtp bench <workload> [options]

Workloads:
  push-pull       PUSH -> PULL throughput
  pub-sub         PUB -> SUB throughput, one subscriber
  dealer-router   DEALER -> ROUTER throughput
  req-rep         REQ <-> REP round-trip latency (one request in flight)
  dealer-router-latency
                  DEALER <-> ROUTER round-trip latency (one message in flight)
  curve           PUSH -> PULL throughput with CURVE (the receiver is the server)

Options:
  --transport T       tcp, ipc, ws or inproc (default tcp; inproc runs in one process)
  --sizes LIST        message sizes in bytes, K/KiB and M/MiB allowed (default 16,256,4096,65536)
  --count N           messages (round trips for the latency workloads) per run
  --duration S        seconds per run (default 2 unless --count is given)
  --repeat N          runs per size and series, interleaved; the median is shown (default 1)
  --against LIST      zeromq (zeromq.js), libzmq (native libzmq: a C peer built with cc
                      into ~/.cache/zmtp on first use), or both: zeromq,libzmq
  --batch N           zmtp moves N messages per sendMany / receiveMany (zmtp/batch)
  --cross             zmtp -> zeromq.js and zeromq.js -> zmtp as well (needs zeromq)
  --ceiling           raw node:net carrying the same ZMTP frames: the pure-JS upper bound
  --one-process       sender and receiver in this process (default: two processes)
  --json              print the results as JSON instead of the table
  --plot FILE.svg     draw throughput against message size for every series
  --profile DIR       write CPU profiles of the worker processes to DIR (node --cpu-prof)
  -h, --help          show this help
`;

export const DEFAULT_SIZES = [16, 256, 4096, 65536];
const DEFAULT_DURATION_S = 2;

class UsageError extends Error {}

/** "16", "4K", "64KiB", "8MiB" -> bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+)\s*(k|kib|m|mib)?$/i.exec(text.trim());
  if (match === null) throw new UsageError(`bad size "${text}": expected bytes, e.g. 16, 4KiB or 8MiB`);
  const unit = (match[2] ?? "").toLowerCase();
  const bytes = Number(match[1]) * (unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 2 ** 20 : 1);
  if (bytes < 1) throw new UsageError(`bad size "${text}": messages carry at least 1 byte (the bench's tag)`);
  return bytes;
}

function positiveNumber(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`--${name} must be a positive number (got "${text}")`);
  return value;
}

export interface BenchCommand {
  options: BenchOptions;
  json: boolean;
  plot: string | null;
}

export function parseBenchArgs(argv: readonly string[]): BenchCommand | "help" {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      transport: { type: "string", default: "tcp" },
      sizes: { type: "string" },
      count: { type: "string" },
      duration: { type: "string" },
      repeat: { type: "string", default: "1" },
      against: { type: "string" },
      cross: { type: "boolean", default: false },
      batch: { type: "string" },
      ceiling: { type: "boolean", default: false },
      "one-process": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      plot: { type: "string" },
      profile: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return "help";
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0 ? "a workload is required" : `one workload at a time (got "${positionals.join(" ")}")`,
    );
  const workload = positionals[0] as WorkloadName;
  if (!WORKLOADS.includes(workload))
    throw new UsageError(`unknown workload "${workload}": expected ${WORKLOADS.join(", ")}`);
  const transport = values.transport as Transport;
  if (!TRANSPORTS.includes(transport))
    throw new UsageError(`unknown transport "${transport}": expected ${TRANSPORTS.join(", ")}`);
  const against = values.against === undefined ? [] : values.against.split(",");
  if (against.some((name) => name !== "zeromq" && name !== "libzmq"))
    throw new UsageError(`--against takes zeromq, libzmq or zeromq,libzmq (got "${values.against}")`);
  if (values.count !== undefined && values.duration !== undefined)
    throw new UsageError("give --count or --duration, not both");
  const count = values.count === undefined ? null : Math.ceil(positiveNumber(values.count, "count"));
  const durationMs =
    count !== null ? null : positiveNumber(values.duration ?? String(DEFAULT_DURATION_S), "duration") * 1000;
  const sizes = values.sizes === undefined ? DEFAULT_SIZES : values.sizes.split(",").map(parseSize);
  if (values.ceiling && (transport === "inproc" || transport === "ws"))
    throw new UsageError("--ceiling measures a byte stream between processes: use --transport tcp or ipc");
  const latency = WORKLOAD[workload].latency;
  if (values.ceiling && latency)
    throw new UsageError("--ceiling is a throughput bound: use it with push-pull, pub-sub or dealer-router");
  if (values.cross && transport === "inproc")
    throw new UsageError("--cross needs a real connection: inproc cannot join two libraries; use tcp or ipc");
  if (values.batch !== undefined && latency)
    throw new UsageError(`--batch is for throughput: ${workload} has one message in flight`);
  if (values.plot !== undefined && !values.plot.endsWith(".svg"))
    throw new UsageError(`--plot writes SVG: give a FILE.svg (got "${values.plot}")`);
  return {
    options: {
      workload,
      transport,
      sizes,
      count,
      durationMs,
      repeat: Math.ceil(positiveNumber(values.repeat, "repeat")),
      against: against.includes("zeromq"),
      libzmq: against.includes("libzmq"),
      batch: values.batch === undefined ? null : Math.ceil(positiveNumber(values.batch, "batch")),
      cross: values.cross,
      ceiling: values.ceiling,
      oneProcess: values["one-process"] || transport === "inproc",
      profileDir: values.profile ?? null,
    },
    json: values.json,
    plot: values.plot ?? null,
  };
}

/** Where and when a bench ran, for the JSON, the plot and the README table. */
export function machine(): { date: string; cpus: number; cpuModel: string; node: string; platform: string } {
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export async function runBenchCommand(argv: readonly string[]): Promise<number> {
  let command: BenchCommand | "help";
  try {
    command = parseBenchArgs(argv);
  } catch (err) {
    process.stderr.write(`zmtp bench: ${(err as Error).message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (command === "help") {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const { options } = command;
  const progress = new Progress(process.stderr.isTTY === true);
  let results: RunResult[];
  try {
    results = await runBench(
      options,
      (done, total, label) => progress.update(done, total, label),
      (message) => process.stderr.write(`zmtp bench: ${message}\n`),
    );
  } catch (err) {
    progress.stop();
    const message = err instanceof MissingZeromqError ? err.message : `the bench failed: ${(err as Error).message}`;
    process.stderr.write(`zmtp bench: ${message}\n`);
    return 1;
  }
  progress.stop();
  const about = machine();
  if (command.plot !== null) writeFileSync(command.plot, renderPlot(results, about));
  if (command.json) {
    const { profileDir: _, ...shown } = options;
    process.stdout.write(
      JSON.stringify(
        { machine: about, options: { ...shown, processes: options.oneProcess ? 1 : 2 }, results },
        null,
        2,
      ) + "\n",
    );
  } else {
    process.stdout.write(formatTable(results));
    process.stdout.write(
      `\n${about.date.slice(0, 10)}, ${about.cpus} x ${about.cpuModel}, node ${about.node}, ${options.oneProcess ? "one process" : "two processes"}\n`,
    );
    if (command.plot !== null) process.stdout.write(`plot written to ${command.plot}\n`);
  }
  return 0;
}
