import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { SEVERITIES, type Severity } from "../wire/schema.js";
import type { NotificationSink } from "../sink/sinks.js";
import type { NotificationRecord } from "../store/store.js";

/** Where an alert goes: an HTTP POST of its JSON, or a command given the JSON on stdin. */
export type NotificationAction =
  | { type: "webhook"; url: string; severities?: readonly Severity[] }
  | { type: "command"; command: string; severities?: readonly Severity[] };

export interface NotifierOptions {
  actions: readonly NotificationAction[];
  /** Names agents in the payload (a HostNames.get); default: the id. */
  hostOf?: (agent: string) => string;
  /** Attempts per action and alert. Default 5. */
  attempts?: number;
  /** ms before the first retry; doubles per retry. Default 1000. */
  retryInterval?: number;
  /** ms a webhook request or a command may take. Default 10000. */
  timeout?: number;
}

export interface NotifierCounters {
  alerts: number;
  /** Actions that succeeded. */
  delivered: number;
  retries: number;
  /** Actions given up after every attempt failed. */
  failed: number;
}

/** The JSON an action receives. */
export interface AlertPayload {
  agent: string;
  host: string;
  id: string;
  severity: Severity;
  text: string;
  process?: string;
  check?: string;
  /** ISO time the agent raised it. */
  time: string;
}

/**
 * Runs the notification actions for each alert: the ones whose `severities` include the alert's
 * (all when absent), each retried with exponential backoff until it succeeds or runs out of
 * attempts. The notification sink emits "alert" once per notification (resends are recognised in
 * the store), and the notifier also ignores an id it has seen, so an alert runs its actions once.
 *
 * Events: "delivered" (action, payload), "failed" (action, payload, error).
 */
export class Notifier extends EventEmitter {
  readonly counters: NotifierCounters = { alerts: 0, delivered: 0, retries: 0, failed: 0 };
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts: number;
  private readonly retryInterval: number;
  private readonly timeout: number;
  private closed = false;

  constructor(private readonly options: NotifierOptions) {
    super();
    this.attempts = options.attempts ?? 5;
    this.retryInterval = options.retryInterval ?? 1000;
    this.timeout = options.timeout ?? 10_000;
  }

  attach(sink: NotificationSink): this {
    sink.on("alert", (n: NotificationRecord) => this.alert(n));
    return this;
  }

  alert(n: NotificationRecord): void {
    const key = `${n.agent}/${n.id}`;
    if (this.closed || this.seen.has(key)) return;
    this.seen.add(key);
    if (this.seen.size > 100_000) this.seen.delete(this.seen.values().next().value as string);
    this.counters.alerts += 1;
    const payload: AlertPayload = {
      agent: n.agent,
      host: this.options.hostOf?.(n.agent) ?? n.agent,
      id: n.id,
      severity: n.severity,
      text: n.text,
      ...(n.process !== undefined && { process: n.process }),
      ...(n.check !== undefined && { check: n.check }),
      time: new Date(n.time).toISOString(),
    };
    for (const action of this.options.actions) {
      if (action.severities === undefined || action.severities.includes(n.severity)) this.attempt(action, payload, 1);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private attempt(action: NotificationAction, payload: AlertPayload, n: number): void {
    const run = action.type === "webhook" ? this.post(action.url, payload) : this.command(action.command, payload);
    run.then(
      () => {
        this.counters.delivered += 1;
        this.emit("delivered", action, payload);
      },
      (err: Error) => {
        if (this.closed) return;
        if (n >= this.attempts) {
          this.counters.failed += 1;
          this.emit("failed", action, payload, err);
          return;
        }
        this.counters.retries += 1;
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.attempt(action, payload, n + 1);
          },
          this.retryInterval * 2 ** (n - 1),
        );
        this.timers.add(timer);
      },
    );
  }

  private async post(url: string, payload: AlertPayload): Promise<void> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(this.timeout),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  }

  private command(command: string, payload: AlertPayload): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn("/bin/sh", ["-c", command], {
        stdio: ["pipe", "ignore", "ignore"],
        timeout: this.timeout,
        killSignal: "SIGKILL",
      });
      child.on("error", reject);
      child.on("close", (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`${command}: ${signal ?? `exit code ${code}`}`)),
      );
      child.stdin.on("error", () => undefined); // a command that does not read its input
      child.stdin.end(`${JSON.stringify(payload)}\n`);
    });
  }
}

/** `SEVERITIES=URL` or `URL` (all severities): the CLI's --webhook and --hook values. */
export function parseAction(type: "webhook" | "command", value: string): NotificationAction {
  const match = /^([a-z,]+)=(.+)$/s.exec(value);
  const target = match === null ? value : match[2]!;
  const severities = match === null ? undefined : (match[1]!.split(",") as Severity[]);
  for (const s of severities ?? [])
    if (!SEVERITIES.includes(s)) throw new TypeError(`"${s}" is not a severity (${SEVERITIES.join(", ")})`);
  const base = severities === undefined ? {} : { severities };
  return type === "webhook" ? { type, url: target, ...base } : { type, command: target, ...base };
}
