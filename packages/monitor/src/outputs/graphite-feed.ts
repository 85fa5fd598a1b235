import { EventEmitter } from "node:events";
import { GraphiteOutput, type GraphiteCounters, type HostNamer } from "./graphite.js";
import type { StatsSink } from "../sink/sinks.js";
import type { StatRecordInput, Store } from "../store/store.js";

/** The deployment's Graphite target, the store's "graphite" setting. */
export interface GraphiteTarget {
  host: string;
  port: number;
  /** Path prefix; default "zmtp". */
  prefix?: string;
}

export const GRAPHITE_SETTING = "graphite";

/** `HOST:PORT` (the CLI's --graphite). */
export function parseGraphiteTarget(value: string, prefix?: string): GraphiteTarget {
  const match = /^(.+):(\d+)$/.exec(value);
  if (match === null || Number(match[2]) > 65535) throw new TypeError(`"${value}": expected HOST:PORT`);
  return { host: match[1]!, port: Number(match[2]), ...(prefix !== undefined && { prefix }) };
}

function validTarget(value: unknown): GraphiteTarget | null {
  const o = value as Partial<GraphiteTarget> | null | undefined;
  if (typeof o !== "object" || o === null || typeof o.host !== "string" || !Number.isInteger(o.port)) return null;
  return { host: o.host, port: o.port!, ...(typeof o.prefix === "string" && { prefix: o.prefix }) };
}

export interface GraphiteFeedOptions {
  store: Store;
  hosts: HostNamer;
  /** ms between looks at the setting. Default 5000. */
  pollInterval?: number;
  /** Passed to each GraphiteOutput (reconnect, buffer, name wait). */
  output?: { maxBuffered?: number; reconnectInterval?: number; maxReconnectInterval?: number; nameWait?: number };
}

/**
 * Every stats sink writes its own share of the stats to Graphite, wherever it runs: the target is
 * the store's "graphite" setting (configured once for the deployment), which each feed follows
 * (polled), so no layout of sinks can leave some of the stats out. Each stat a sink stores is
 * written once, by that sink.
 *
 * Events: "target" (GraphiteTarget | null) when it changes.
 */
export class GraphiteFeed extends EventEmitter {
  private output: GraphiteOutput | null = null;
  private target: GraphiteTarget | null = null;
  private readonly retired: GraphiteCounters = { sent: 0, dropped: 0, connects: 0, failures: 0 };
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: GraphiteFeedOptions) {
    super();
    this.timer = setInterval(() => void this.refresh(), options.pollInterval ?? 5000);
    this.timer.unref();
  }

  /** Writes what these sinks store. */
  attach(...sinks: StatsSink[]): this {
    for (const sink of sinks) sink.on("stats", (agent: string, stats: StatRecordInput[]) => this.write(agent, stats));
    return this;
  }

  write(agent: string, stats: readonly StatRecordInput[]): void {
    this.output?.writeAgent(agent, stats);
  }

  /** Reads the setting now and follows it. */
  async refresh(): Promise<GraphiteTarget | null> {
    let target: GraphiteTarget | null;
    try {
      target = validTarget(await this.options.store.setting(GRAPHITE_SETTING));
    } catch {
      return this.target; // the store failed this once: keep the current target
    }
    if (this.closed || JSON.stringify(target) === JSON.stringify(this.target)) return this.target;
    this.retire();
    this.target = target;
    if (target !== null)
      this.output = new GraphiteOutput({ ...this.options.output, ...target, hosts: this.options.hosts });
    this.emit("target", target);
    return target;
  }

  get current(): GraphiteTarget | null {
    return this.target;
  }

  /** Lines sent and dropped, connections, across every target followed so far. */
  get counters(): GraphiteCounters {
    const c = this.output?.counters;
    return {
      sent: this.retired.sent + (c?.sent ?? 0),
      dropped: this.retired.dropped + (c?.dropped ?? 0),
      connects: this.retired.connects + (c?.connects ?? 0),
      failures: this.retired.failures + (c?.failures ?? 0),
    };
  }

  get buffered(): number {
    return (this.output?.buffered ?? 0) + (this.output?.waitingForNames ?? 0);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.retire();
  }

  private retire(): void {
    const old = this.output;
    if (old === null) return;
    for (const key of ["sent", "dropped", "connects", "failures"] as const) this.retired[key] += old.counters[key];
    old.close();
    this.output = null;
  }
}
