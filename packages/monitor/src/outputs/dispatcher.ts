import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { ActionRunner, type AlertPayload } from "./actions.js";
import type { DeliveryJob, NotificationRecord, Store } from "../store/store.js";

export interface DispatcherOptions {
  store: Store;
  /** Names agents in payloads (a HostNames.resolve); default: the id. */
  hostOf?: (agent: string) => string | Promise<string>;
  /** This dispatcher's name in delivery leases. Default `<host name>:<pid>:<random>`. */
  owner?: string;
  /** ms between looks for due deliveries; 0: none (call pass() yourself). Default 1000. */
  pollInterval?: number;
  /** ms an attempt may take (HTTP request, command, SMTP session). Default 10000. */
  timeout?: number;
  /** ms before the first retry; doubles per attempt. Default 1000. */
  retryInterval?: number;
  /** ms between retries at most. Default 30000. */
  maxRetryInterval?: number;
  /** Deliveries attempted at once. Default 20. */
  concurrency?: number;
  /** The clock (ms since the epoch); tests inject one. Default Date.now. */
  now?: () => number;
  runner?: ActionRunner;
}

export interface DispatcherCounters {
  /** Attempts that delivered. */
  delivered: number;
  /** Attempts that failed (each is retried until it succeeds or an operator gives up). */
  failed: number;
  /** Attempts whose lease ran out before they finished: another dispatcher took over. */
  lost: number;
}

/**
 * Delivers alerts: takes the due deliveries from the store (each leased to this dispatcher for
 * the length of an attempt, so that one runs in one place at a time), runs the action, and
 * records the outcome: delivered, or due again after a backoff (retryInterval doubling up to
 * maxRetryInterval, ±20%). It never gives up by itself: a delivery stays pending until it
 * succeeds or an operator abandons it. Everything is in the store, so a dispatcher killed in the
 * middle of an attempt loses nothing: the lease runs out and any dispatcher (another process, or
 * this one restarted) tries again. Delivery is therefore at least once; payloads carry the
 * notification id for receivers that de-duplicate.
 *
 * Events: "delivered" (job), "failed" (job, error: Error), "error" is never emitted: store
 * failures become "failure" (error) and the next pass tries again.
 */
export class Dispatcher extends EventEmitter {
  readonly owner: string;
  readonly counters: DispatcherCounters = { delivered: 0, failed: 0, lost: 0 };
  private readonly store: Store;
  private readonly runner: ActionRunner;
  private readonly ownRunner: boolean;
  private readonly now: () => number;
  private readonly timeout: number;
  private readonly retryInterval: number;
  private readonly maxRetryInterval: number;
  private readonly concurrency: number;
  private readonly timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly options: DispatcherOptions) {
    super();
    this.store = options.store;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.now = options.now ?? Date.now;
    this.timeout = options.timeout ?? 10_000;
    this.retryInterval = options.retryInterval ?? 1000;
    this.maxRetryInterval = options.maxRetryInterval ?? 30_000;
    this.concurrency = options.concurrency ?? 20;
    this.ownRunner = options.runner === undefined;
    this.runner = options.runner ?? new ActionRunner(this.timeout);
    const poll = options.pollInterval ?? 1000;
    if (poll > 0) {
      this.timer = setInterval(() => this.kick(), poll);
      this.timer.unref();
    }
  }

  /** Looks for due deliveries now (a sink that just stored an alert calls this). */
  kick(): void {
    if (this.closed) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.passes().finally(() => (this.running = null));
  }

  /**
   * One pass: claims what is due at `now` (up to the concurrency), runs it, records the outcomes.
   * Resolves with the number of deliveries attempted.
   */
  async pass(now = this.now()): Promise<number> {
    let jobs: DeliveryJob[];
    try {
      jobs = await this.store.claimDeliveries({
        owner: this.owner,
        now,
        // Room for the attempt and for recording it: a lease never runs out under a live attempt.
        leaseUntil: now + 2 * this.timeout + 1000,
        limit: this.concurrency,
      });
    } catch (err) {
      this.emit("failure", err);
      return 0;
    }
    await Promise.all(jobs.map((job) => this.attempt(job)));
    return jobs.length;
  }

  /** Waits for the pass under way, if any. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.idle();
    if (this.ownRunner) this.runner.close();
  }

  /** Passes while each is full (a backlog) or another was asked for meanwhile. */
  private async passes(): Promise<number> {
    let total = 0;
    for (;;) {
      this.again = false;
      const n = await this.pass();
      total += n;
      if (this.closed || (n < this.concurrency && !this.again)) return total;
    }
  }

  private async attempt(job: DeliveryJob): Promise<void> {
    let error: Error | null = null;
    try {
      const host = await (this.options.hostOf?.(job.notification.agent) ?? job.notification.agent);
      const payload = alertPayload(job.notification, () => host);
      await this.runner.run(job.action, payload);
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    const now = this.now();
    const attempts = job.delivery.attempts;
    const backoff = Math.min(this.retryInterval * 2 ** Math.max(0, attempts - 1), this.maxRetryInterval);
    const retryAt = now + Math.round(backoff * (0.8 + Math.random() * 0.4));
    let recorded: boolean;
    try {
      recorded = await this.store.finishDelivery({
        id: job.delivery.id,
        owner: this.owner,
        now,
        ok: error === null,
        ...(error !== null && { retryAt, error: error.message.slice(0, 500) }),
      });
    } catch (err) {
      // Not recorded: the lease runs out and the delivery is tried again.
      this.emit("failure", err);
      return;
    }
    if (!recorded) this.counters.lost += 1;
    if (error === null) {
      this.counters.delivered += 1;
      this.emit("delivered", job);
    } else {
      this.counters.failed += 1;
      this.emit("failed", job, error);
    }
  }
}

/** The JSON an action receives for a notification. */
export function alertPayload(n: NotificationRecord, hostOf?: (agent: string) => string): AlertPayload {
  return {
    agent: n.agent,
    host: hostOf?.(n.agent) ?? n.agent,
    id: n.id,
    severity: n.severity,
    text: n.text,
    ...(n.process !== undefined && { process: n.process }),
    ...(n.check !== undefined && { check: n.check }),
    ...(n.kind !== undefined && { kind: n.kind }),
    time: new Date(n.time).toISOString(),
  };
}
