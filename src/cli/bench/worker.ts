import { startCeilingReceiver, startCeilingSender } from "./ceiling.js";
import { loadImpl, type ImplName } from "./implementations.js";
import {
  Signal,
  startReceiver,
  startSender,
  type Measurement,
  type Plan,
  type ReceiverHandle,
  type SenderHandle,
  type Transport,
  type WorkloadName,
} from "./workloads.js";

/**
 * `zmtp bench-worker <json>` (hidden): one side of a two-process run. The runner spawns it with an
 * IPC channel and drives it with messages; the worker reports back the same way.
 *
 *   worker → runner: ready {endpoint}, warm, done {measurement, peakRssBytes}, error {message}
 *   runner → worker: go (start the data), stop (finish, close, exit)
 */

/** Who runs one end in a worker process: an implementation, or the raw ceiling. */
export type WorkerSide = ImplName | "ceiling";
/** Who runs one end of a series: a worker's side, or the native C peer (libzmq-peer.ts). */
export type Side = WorkerSide | "libzmq";

export interface WorkerSpec {
  role: "sender" | "receiver";
  side: WorkerSide;
  workload: WorkloadName;
  transport: Transport;
  /** The receiver binds this; the sender connects to it. */
  address: string;
  plan: Plan;
}

export type WorkerReport =
  | { type: "ready"; endpoint: string }
  | { type: "warm" }
  | { type: "done"; measurement: Measurement | null; peakRssBytes: number }
  | { type: "error"; message: string };

export type WorkerCommand = { type: "go" } | { type: "stop" };

/** Samples resident memory while a run lasts; a run's figure is its peak. */
export class RssSampler {
  peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), 100).unref();

  sample(): number {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.sample();
  }
}

function report(message: WorkerReport): void {
  process.send!(message);
}

export async function runWorker(json: string | undefined): Promise<number> {
  if (process.send === undefined || json === undefined) {
    process.stderr.write("zmtp bench-worker is started by `zmtp bench`, not by hand\n");
    return 2;
  }
  const spec = JSON.parse(json) as WorkerSpec;
  const go = new Signal();
  const stop = new Signal();
  process.on("message", (command: WorkerCommand) => {
    if (command.type === "go") go.fire();
    else if (command.type === "stop") stop.fire();
  });
  // The runner going away (killed, crashed) ends the worker too.
  process.on("disconnect", () => process.exit(1));
  const rss = new RssSampler();
  let handle: ReceiverHandle | SenderHandle | null = null;
  try {
    if (spec.role === "receiver") {
      const warm = new Signal();
      const receiver =
        spec.side === "ceiling"
          ? await startCeilingReceiver(spec.transport, spec.address)
          : await startReceiver(spec.workload, await loadImpl(spec.side), spec.address, warm, spec.plan.batch);
      handle = receiver;
      report({ type: "ready", endpoint: receiver.endpoint });
      if (spec.side === "ceiling") warm.fire();
      void warm.promise.then(() => report({ type: "warm" }));
    } else {
      handle =
        spec.side === "ceiling"
          ? startCeilingSender(spec.address, spec.plan)
          : startSender(spec.workload, await loadImpl(spec.side), spec.address, spec.plan, go, stop);
    }
    const measurement = await handle.done;
    report({ type: "done", measurement, peakRssBytes: rss.stop() });
    await stop.promise;
  } catch (err) {
    report({ type: "error", message: (err as Error).message ?? String(err) });
  } finally {
    handle?.close();
  }
  // zeromq.js keeps its context alive for a moment after close(): leave now that the run is over.
  setTimeout(() => process.exit(0), 10);
  return 0;
}
