import { createSocket, type Socket as UdpSocket } from "node:dgram";
import type { Stat } from "../wire/schema.js";

/**
 * statsd compatibility, so existing programs report without changes: the line protocol
 * (`name:value|type[|@rate][|#tags]`, several lines per datagram), an aggregator that turns what
 * arrived during one flush interval into stats, and the UDP listener.
 */

export type StatsdType = "c" | "g" | "ms" | "h" | "s";

export interface StatsdMetric {
  name: string;
  type: StatsdType;
  /** For `s` (sets) the member as text; otherwise a number. */
  value: number | string;
  /** Gauges only: `+n` / `-n` modify the current value instead of setting it. */
  relative?: boolean;
  /** Sample rate from `|@rate` (counters are scaled by 1/rate). */
  rate: number;
}

const NAME_RE = /^[^\s:|@#]{1,200}$/;
const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parses one line; null when it is malformed. */
export function parseStatsdLine(line: string): StatsdMetric | null {
  const colon = line.indexOf(":");
  if (colon <= 0) return null;
  const name = line.slice(0, colon);
  if (!NAME_RE.test(name)) return null;
  const [raw = "", type = "", ...extras] = line.slice(colon + 1).split("|");
  let rate = 1;
  for (const extra of extras) {
    if (extra.startsWith("@")) {
      rate = Number(extra.slice(1));
      if (!Number.isFinite(rate) || rate <= 0 || rate > 1) return null;
    } else if (!extra.startsWith("#")) {
      return null; // DogStatsD tags (#) are accepted and ignored; anything else is not statsd
    }
  }
  if (type === "s") return raw.length > 0 ? { name, type, value: raw, rate } : null;
  if (type !== "c" && type !== "g" && type !== "ms" && type !== "h") return null;
  if (!NUMBER_RE.test(raw)) return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) return null;
  const metric: StatsdMetric = { name, type, value, rate };
  if (type === "g" && (raw.startsWith("+") || raw.startsWith("-"))) metric.relative = true;
  return metric;
}

/** Parses a datagram: one metric per line. */
export function parseStatsd(packet: string): { metrics: StatsdMetric[]; malformed: number } {
  const metrics: StatsdMetric[] = [];
  let malformed = 0;
  for (const line of packet.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.length === 0) continue;
    const metric = parseStatsdLine(trimmed);
    if (metric === null) malformed++;
    else metrics.push(metric);
  }
  return { metrics, malformed };
}

/**
 * Folds metrics over one flush interval, as statsd does: counters are summed (and scaled by their
 * sample rate), gauges keep their last value (and remember it across flushes, for `+n` / `-n`),
 * timers give `.count`, `.min`, `.max` and `.mean`, sets give the number of distinct members.
 * Only names that received something in the interval are flushed.
 */
export class StatsdAggregator {
  private counters = new Map<string, number>();
  private timers = new Map<string, number[]>();
  private sets = new Map<string, Set<string>>();
  private readonly gauges = new Map<string, number>();
  private touchedGauges = new Set<string>();
  /** Bound on distinct names per interval: a runaway program cannot exhaust memory. */
  constructor(private readonly maxNames = 10_000) {}

  private get size(): number {
    return this.counters.size + this.timers.size + this.sets.size + this.touchedGauges.size;
  }

  /** Adds a metric; false when it was dropped because the interval already has too many names. */
  add(m: StatsdMetric): boolean {
    const known =
      this.counters.has(m.name) || this.timers.has(m.name) || this.sets.has(m.name) || this.touchedGauges.has(m.name);
    if (!known && this.size >= this.maxNames) return false;
    switch (m.type) {
      case "c":
        this.counters.set(m.name, (this.counters.get(m.name) ?? 0) + (m.value as number) / m.rate);
        break;
      case "g": {
        const v = m.value as number;
        this.gauges.set(m.name, m.relative === true ? (this.gauges.get(m.name) ?? 0) + v : v);
        this.touchedGauges.add(m.name);
        break;
      }
      case "ms":
      case "h": {
        let list = this.timers.get(m.name);
        if (list === undefined) this.timers.set(m.name, (list = []));
        if (list.length < 100_000) list.push(m.value as number);
        break;
      }
      case "s": {
        let set = this.sets.get(m.name);
        if (set === undefined) this.sets.set(m.name, (set = new Set()));
        set.add(m.value as string);
        break;
      }
    }
    return true;
  }

  /** The interval's stats (possibly none); starts a new interval. */
  flush(time = Date.now()): Stat[] {
    const stats: Stat[] = [];
    for (const [name, value] of this.counters) stats.push({ name, value, time, kind: "counter" });
    for (const name of this.touchedGauges) stats.push({ name, value: this.gauges.get(name)!, time, kind: "gauge" });
    for (const [name, values] of this.timers) {
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
      stats.push({ name: `${name}.count`, value: values.length, time, kind: "counter" });
      stats.push({ name: `${name}.min`, value: min, time, kind: "timer", unit: "ms" });
      stats.push({ name: `${name}.max`, value: max, time, kind: "timer", unit: "ms" });
      stats.push({ name: `${name}.mean`, value: sum / values.length, time, kind: "timer", unit: "ms" });
    }
    for (const [name, set] of this.sets) stats.push({ name, value: set.size, time, kind: "gauge" });
    this.counters = new Map();
    this.timers = new Map();
    this.sets = new Map();
    this.touchedGauges = new Set();
    return stats;
  }
}

/** A UDP statsd listener (default 127.0.0.1:8125): parsed metrics go to `onMetrics`. */
export class StatsdListener {
  private readonly socket: UdpSocket;
  malformed = 0;

  private constructor(socket: UdpSocket) {
    this.socket = socket;
  }

  static async listen(
    host: string,
    port: number,
    onMetrics: (metrics: StatsdMetric[]) => void,
  ): Promise<StatsdListener> {
    const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
    const listener = new StatsdListener(socket);
    socket.on("message", (packet) => {
      const { metrics, malformed } = parseStatsd(packet.toString("utf8"));
      listener.malformed += malformed;
      if (metrics.length > 0) onMetrics(metrics);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, host, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    // After binding, a socket error (rare for UDP) must not crash the agent.
    socket.on("error", () => undefined);
    return listener;
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): void {
    this.socket.close();
  }
}
