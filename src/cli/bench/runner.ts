import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { cliPath } from "../cli-path.js";
import { startCeilingReceiver, startCeilingSender } from "./ceiling.js";
import { IMPL_LABEL, loadImpl, type ImplName } from "./implementations.js";
import { LIBZMQ_WORKLOADS, LibzmqUnavailableError, libzmqPeer, runLibzmq } from "./libzmq-peer.js";
import { formatSize } from "./size.js";
import {
  RssSampler,
  type Side,
  type WorkerCommand,
  type WorkerReport,
  type WorkerSide,
  type WorkerSpec,
} from "./worker.js";
import {
  Signal,
  WORKLOAD,
  bindAddress,
  startReceiver,
  startSender,
  type Measurement,
  type Plan,
  type Transport,
  type WorkloadName,
} from "./workloads.js";

/**
 * Runs the measurements a `zmtp bench` asks for: for each message size, each series in turn
 * (zmtp, then zeromq.js, then the cross pairings and the ceiling), so the implementations
 * alternate and share whatever the machine is doing at the time.
 */

export interface BenchOptions {
  workload: WorkloadName;
  transport: Transport;
  sizes: number[];
  /** Messages per run, or null to run for durationMs. */
  count: number | null;
  durationMs: number | null;
  /** Runs per size and series; the median is reported. Runs of different series interleave. */
  repeat: number;
  against: boolean;
  /** zmtp sends and receives through zmtp/batch, this many messages per sendMany (null: send()/receive()). */
  batch: number | null;
  /** Native libzmq (a C peer) as a series of its own. */
  libzmq: boolean;
  cross: boolean;
  ceiling: boolean;
  oneProcess: boolean;
  /** Write CPU profiles of the worker processes here (node --cpu-prof). */
  profileDir: string | null;
}

/** Who sends and who receives in one series. */
export interface Series {
  name: string;
  sender: Side;
  receiver: Side;
}

export const SERIES = {
  zmtp: { name: "zmtp", sender: "zmtp", receiver: "zmtp" },
  zeromq: { name: IMPL_LABEL.zeromq, sender: "zeromq", receiver: "zeromq" },
  zmtpToZeromq: { name: "zmtp->zeromq.js", sender: "zmtp", receiver: "zeromq" },
  zeromqToZmtp: { name: "zeromq.js->zmtp", sender: "zeromq", receiver: "zmtp" },
  ceiling: { name: "ceiling", sender: "ceiling", receiver: "ceiling" },
  libzmq: { name: "libzmq (C)", sender: "libzmq", receiver: "libzmq" },
} as const satisfies Record<string, Series>;

export interface RunResult {
  series: string;
  workload: WorkloadName;
  transport: Transport;
  size: number;
  messages: number;
  seconds: number;
  /** How many runs the figures are the median of. */
  runs: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  p50Us: number | null;
  p99Us: number | null;
  /**
   * CPU time per message (all threads, user + system) of the sending and the receiving process
   * over the measured interval; with --one-process the receiver's figure is the whole process's.
   * Steadier than rates on a busy machine.
   */
  cpuNsPerMessage: { sender: number | null; receiver: number | null };
  /** Peak resident memory of the largest process of the run (the only one with --one-process). */
  peakRssMB: number;
  /** The same per process (null for the side that shares the runner's process with --one-process). */
  peakRssMBBySide: { sender: number | null; receiver: number | null };
  /** zmtp ÷ zeromq.js at this size: messages/s for throughput, p50 for latency (zmtp rows only). */
  vsZeromq: number | null;
  /** zmtp ÷ native libzmq (C) at this size, the same way (zmtp rows only). */
  vsLibzmq: number | null;
  /** messages/s as a fraction of the ceiling's at this size (zmtp rows only). */
  ofCeiling: number | null;
}

export function seriesFor(options: BenchOptions): Series[] {
  const list: Series[] = [SERIES.zmtp];
  if (options.against) list.push(SERIES.zeromq);
  if (options.libzmq) list.push(SERIES.libzmq);
  if (options.cross) list.push(SERIES.zmtpToZeromq, SERIES.zeromqToZmtp);
  if (options.ceiling) list.push(SERIES.ceiling);
  return list;
}

/**
 * Whether the native libzmq series can run here, building its C peer on first use; when it
 * cannot, says why in one line (the rest of the bench runs without it).
 */
function libzmqAvailable(options: BenchOptions, warn: (message: string) => void): boolean {
  if (!LIBZMQ_WORKLOADS.includes(options.workload)) {
    warn(`--against libzmq runs ${LIBZMQ_WORKLOADS.join(", ")}; ${options.workload} runs without it`);
    return false;
  }
  // Over ipc the C dealer-router run stalled (the ROUTER never saw the end marker): tcp only for now.
  if (options.transport !== "tcp") {
    warn(`--against libzmq runs over tcp; ${options.transport} runs without it`);
    return false;
  }
  try {
    libzmqPeer();
    return true;
  } catch (err) {
    if (!(err instanceof LibzmqUnavailableError)) throw err;
    warn(`skipping native libzmq: ${err.message}`);
    return false;
  }
}

/** Runs every size x series; `progress` is called after each run with the number done. */
export async function runBench(
  options: BenchOptions,
  progress: (done: number, total: number, label: string) => void,
  warn: (message: string) => void = () => {},
): Promise<RunResult[]> {
  const series = seriesFor(options).filter((s) => s !== SERIES.libzmq || libzmqAvailable(options, warn));
  // Fail before any run when zeromq.js is asked for and missing (the workers would each fail later).
  if (series.some((s) => s.sender === "zeromq" || s.receiver === "zeromq")) await loadImpl("zeromq");
  const total = series.length * options.sizes.length * options.repeat;
  const results: RunResult[] = [];
  let done = 0;
  for (const size of options.sizes) {
    const plan: Plan = { size, count: options.count, durationMs: options.durationMs, batch: options.batch };
    const runs = new Map<Series, RunResult[]>(series.map((s) => [s, []]));
    for (let round = 0; round < options.repeat; round++) {
      for (const s of series) {
        progress(done++, total, `${s.name} ${formatSize(size)}`);
        const figures =
          s.sender === "libzmq" || s.receiver === "libzmq"
            ? await runNative(options, plan)
            : options.oneProcess || options.transport === "inproc"
              ? await runInProcess(options, { ...s, sender: s.sender, receiver: s.receiver }, plan)
              : await runInWorkers(options, { ...s, sender: s.sender, receiver: s.receiver }, plan);
        runs.get(s)!.push(toResult(options, s, size, figures));
      }
    }
    for (const s of series) results.push(median(runs.get(s)!));
  }
  progress(total, total, "done");
  return annotate(results);
}

/** The middle run by messages/s (by p50 for latency, lower half preferred), with the peak RSS of all. */
function median(runs: RunResult[]): RunResult {
  const sorted = [...runs].sort((a, b) =>
    a.p50Us !== null && b.p50Us !== null ? a.p50Us - b.p50Us : b.messagesPerSecond - a.messagesPerSecond,
  );
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const worst = (side: "sender" | "receiver"): number | null => {
    const values = runs.map((r) => r.peakRssMBBySide[side]).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.max(...values);
  };
  return {
    ...middle,
    runs: runs.length,
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    peakRssMBBySide: { sender: worst("sender"), receiver: worst("receiver") },
  };
}

interface RunFigures {
  measurement: Measurement;
  /** The other side's own figures (its CPU time), when it ran in a process of its own. */
  other: Measurement | null;
  peakRssBytes: number;
  /** Per process, in two-process runs. */
  senderRssBytes: number | null;
  receiverRssBytes: number | null;
}

function toResult(options: BenchOptions, s: Series, size: number, figures: RunFigures): RunResult {
  const m = figures.measurement;
  const rate = m.seconds > 0 ? m.messages / m.seconds : 0;
  const perMessage = (x: Measurement | null): number | null =>
    x === null || x.cpuMicros === null || m.messages === 0 ? null : (x.cpuMicros * 1000) / m.messages;
  const latency = WORKLOAD[options.workload].latency;
  return {
    series: s.name,
    workload: options.workload,
    transport: options.transport,
    size,
    messages: m.messages,
    seconds: m.seconds,
    runs: 1,
    messagesPerSecond: rate,
    megabytesPerSecond: (rate * size) / 1e6,
    p50Us: m.p50Us,
    p99Us: m.p99Us,
    cpuNsPerMessage: latency
      ? { sender: perMessage(m), receiver: perMessage(figures.other) }
      : { sender: perMessage(figures.other), receiver: perMessage(m) },
    peakRssMB: figures.peakRssBytes / 2 ** 20,
    peakRssMBBySide: {
      sender: figures.senderRssBytes === null ? null : figures.senderRssBytes / 2 ** 20,
      receiver: figures.receiverRssBytes === null ? null : figures.receiverRssBytes / 2 ** 20,
    },
    vsZeromq: null,
    vsLibzmq: null,
    ofCeiling: null,
  };
}

/** Fills in the zmtp rows' ratios against zeromq.js and the ceiling at the same size. */
function annotate(results: RunResult[]): RunResult[] {
  for (const r of results) {
    if (r.series !== SERIES.zmtp.name) continue;
    const ratio = (series: string): number | null => {
      const theirs = results.find((o) => o.size === r.size && o.series === series);
      if (theirs === undefined) return null;
      return r.p50Us !== null && theirs.p50Us !== null
        ? r.p50Us / theirs.p50Us
        : r.messagesPerSecond / theirs.messagesPerSecond;
    };
    const ceiling = results.find((o) => o.size === r.size && o.series === SERIES.ceiling.name);
    r.vsZeromq = ratio(SERIES.zeromq.name);
    r.vsLibzmq = ratio(SERIES.libzmq.name);
    if (ceiling !== undefined && ceiling.messagesPerSecond > 0)
      r.ofCeiling = r.messagesPerSecond / ceiling.messagesPerSecond;
  }
  return results;
}

// ---- one process ----

/** A series run by workers (or in this process): every series but the native one. */
interface WorkerSeries {
  name: string;
  sender: WorkerSide;
  receiver: WorkerSide;
}

async function runInProcess(options: BenchOptions, s: WorkerSeries, plan: Plan): Promise<RunFigures> {
  const rss = new RssSampler();
  const warm = new Signal();
  const go = new Signal();
  const stop = new Signal();
  const address = bindAddress(options.transport);
  const cleanUp = (): void => removeIpcPath(address);
  const receiver =
    s.receiver === "ceiling"
      ? await startCeilingReceiver(options.transport, address)
      : await startReceiver(options.workload, await loadImpl(s.receiver), address, warm, plan.batch);
  let sender;
  try {
    sender =
      s.sender === "ceiling"
        ? startCeilingSender(receiver.endpoint, plan)
        : startSender(options.workload, await loadImpl(s.sender as ImplName), receiver.endpoint, plan, go, stop);
  } catch (err) {
    receiver.close();
    throw err;
  }
  void warm.promise.then(() => go.fire());
  try {
    const measured = WORKLOAD[options.workload].latency ? sender.done : receiver.done;
    const measurement = await withTimeout(measured, runTimeout(plan), "the run did not finish");
    stop.fire();
    await withTimeout(Promise.all([sender.done, receiver.done]), 10_000, "the run did not wind down");
    return {
      measurement: measurement!,
      other: null,
      peakRssBytes: rss.stop(),
      senderRssBytes: null,
      receiverRssBytes: null,
    };
  } finally {
    rss.stop();
    sender.close();
    receiver.close();
    cleanUp();
  }
}

/** zeromq.js unlinks its ipc file on its I/O thread after close(), which a worker's exit can cut short. */
function removeIpcPath(address: string): void {
  if (address.startsWith("ipc://")) rmSync(address.slice("ipc://".length), { force: true });
}

/** Generous: a run that takes this long is stuck, not slow. */
function runTimeout(plan: Plan): number {
  return (plan.durationMs ?? 0) + 120_000;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---- native libzmq ----

async function runNative(options: BenchOptions, plan: Plan): Promise<RunFigures> {
  const address = bindAddress(options.transport);
  try {
    const run = await runLibzmq(options.workload, address, plan, runTimeout(plan));
    return {
      measurement: run.measurement,
      other: run.other,
      peakRssBytes: Math.max(run.senderRssBytes, run.receiverRssBytes),
      senderRssBytes: run.senderRssBytes,
      receiverRssBytes: run.receiverRssBytes,
    };
  } finally {
    removeIpcPath(address);
  }
}

// ---- two processes ----

/** One worker process and the reports it has sent. */
class Worker {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<WorkerReport["type"], (report: WorkerReport) => void>();
  private readonly seen = new Map<WorkerReport["type"], WorkerReport>();
  private fail: (err: Error) => void = () => {};
  /** Rejects when the worker reports an error or exits before it is done. */
  readonly failed = new Promise<never>((_, reject) => (this.fail = reject));
  readonly exited: Promise<void>;

  constructor(spec: WorkerSpec, profileDir: string | null) {
    this.failed.catch(() => {});
    const nodeArgs = profileDir === null ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDir];
    this.child = spawn(process.execPath, [...nodeArgs, cliPath(), "bench-worker", JSON.stringify(spec)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
    this.child.on("message", (report: WorkerReport) => {
      if (report.type === "error") return this.fail(new Error(`${spec.role} (${spec.side}): ${report.message}`));
      this.seen.set(report.type, report);
      this.waiting.get(report.type)?.(report);
    });
    this.child.once("exit", (code) => {
      if (!this.seen.has("done"))
        this.fail(new Error(`${spec.role} (${spec.side}) exited with code ${code} before finishing`));
    });
  }

  /** Resolves with the first report of `type`; rejects if the worker fails first. */
  next<T extends WorkerReport["type"]>(type: T): Promise<Extract<WorkerReport, { type: T }>> {
    const prior = this.seen.get(type);
    if (prior !== undefined) return Promise.resolve(prior as Extract<WorkerReport, { type: T }>);
    const report = new Promise<WorkerReport>((resolve) => this.waiting.set(type, resolve));
    return Promise.race([report, this.failed]) as Promise<Extract<WorkerReport, { type: T }>>;
  }

  send(command: WorkerCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}

async function runInWorkers(options: BenchOptions, s: WorkerSeries, plan: Plan): Promise<RunFigures> {
  const base = { workload: options.workload, transport: options.transport, plan };
  const address = bindAddress(options.transport);
  const receiver = new Worker({ ...base, role: "receiver", side: s.receiver, address }, options.profileDir);
  let sender: Worker | null = null;
  try {
    const { endpoint } = await withTimeout(receiver.next("ready"), 30_000, "the receiver did not start");
    sender = new Worker({ ...base, role: "sender", side: s.sender, address: endpoint }, options.profileDir);
    const started = sender;
    void receiver.next("warm").then(
      () => started.send({ type: "go" }),
      () => {},
    );
    const latency = WORKLOAD[options.workload].latency;
    const [measured, other] = latency ? [sender, receiver] : [receiver, sender];
    const result = await withTimeout(
      Promise.race([measured.next("done"), other.failed]),
      runTimeout(plan),
      "the run did not finish",
    );
    // A lossy sender repeats its end marker until told to stop, and reports only then.
    sender.send({ type: "stop" });
    receiver.send({ type: "stop" });
    const rest = await withTimeout(other.next("done"), 10_000, "the run did not wind down");
    await withTimeout(Promise.all([sender.exited, receiver.exited]), 10_000, "the workers did not exit");
    const [sent, received] = latency ? [result, rest] : [rest, result];
    return {
      measurement: result.measurement!,
      other: rest.measurement,
      peakRssBytes: Math.max(sent.peakRssBytes, received.peakRssBytes),
      senderRssBytes: sent.peakRssBytes,
      receiverRssBytes: received.peakRssBytes,
    };
  } finally {
    sender?.kill();
    receiver.kill();
    removeIpcPath(address);
  }
}
