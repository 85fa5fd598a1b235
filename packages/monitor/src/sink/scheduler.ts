import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { BackChannel, type BackChannelOptions, type DeliveryOutcome } from "../wire/back-channel.js";
import { createMessage } from "../wire/protocol.js";
import type { CheckResultRecord, Store } from "../store/store.js";
import { RoleHeartbeat } from "./role-heartbeat.js";

export interface SchedulerOptions {
  /** The store the registration sink writes (shared: same object, or same database). */
  store: Store;
  /** Every router's back channel. */
  backChannels: readonly string[];
  /** This scheduler's name in the store's check claims. Default "scheduler-<random>". */
  id?: string;
  /** ms between scheduling passes. Default 1000. */
  tickInterval?: number;
  backChannel?: BackChannelOptions;
  /**
   * The scheduler's presence in the store (wire/roles.ts), so that its death pages: `name`
   * defaults to `id` when given, else `<host name>/scheduler`; `interval` to 5000 ms. false: none.
   */
  heartbeat?: { name?: string; interval?: number } | false;
}

export interface SchedulerCounters {
  /** Runs this scheduler claimed and sent. */
  scheduled: number;
  delivered: number;
  /** Runs no router could deliver (agent unknown everywhere, or no router answered). */
  undelivered: number;
  onDemand: number;
}

export interface RunEvent {
  agent: string;
  check: string;
  trigger: "schedule" | "demand";
  outcome: DeliveryOutcome;
}

/**
 * Decides which checks are due, from the registrations in the store, and asks their agents to
 * run them through any router (the back channel tries the next router on "unknown-agent" or
 * silence). Results come back through the agents' stats stream and are stored by the stats sinks.
 *
 * Several schedulers may run at once: before sending, a scheduler claims the run in the store
 * (`claimCheckRun`, a compare-and-set that also sets the next due time), so each due run is
 * claimed by exactly one of them, and any of them carries on when another dies. Agents declared
 * down by the heartbeat sink are skipped.
 *
 * Events: "run" (RunEvent), "failure" (error).
 */
export class Scheduler extends EventEmitter {
  readonly id: string;
  readonly counters: SchedulerCounters = { scheduled: 0, delivered: 0, undelivered: 0, onDemand: 0 };
  private readonly store: Store;
  private readonly backChannel: BackChannel;
  private readonly timer: NodeJS.Timeout;
  /** The scheduler's presence, unless heartbeat: false. */
  readonly role: RoleHeartbeat | null;
  private ticking = false;
  private closed = false;

  constructor(options: SchedulerOptions) {
    super();
    this.id = options.id ?? `scheduler-${randomBytes(4).toString("hex")}`;
    this.store = options.store;
    this.backChannel = new BackChannel(options.backChannels, options.backChannel);
    this.timer = setInterval(() => void this.tick(), options.tickInterval ?? 1000);
    const beat = options.heartbeat ?? {};
    this.role =
      beat === false
        ? null
        : new RoleHeartbeat(this.store, "scheduler", beat.name ?? options.id ?? `${hostname()}/scheduler`, {
            ...beat,
            stats: () =>
              (["scheduled", "delivered", "undelivered", "onDemand"] as const).map((k) => ({
                name: `monitor.runs.${k}`,
                value: this.counters[k],
                kind: "counter" as const,
              })),
          });
    this.role?.on("failure", (err: unknown) => this.emit("failure", err));
  }

  /** One scheduling pass: claims and sends every due check. */
  async tick(now = Date.now()): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      const down = new Set<string>();
      for (const p of await this.store.presence()) if (p.process === null && p.state === "down") down.add(p.agent);
      for (const registration of await this.store.registrations()) {
        if (down.has(registration.agent)) continue;
        for (const check of registration.checks) {
          const claim = {
            agent: registration.agent,
            check: check.name,
            owner: this.id,
            now,
            nextDue: now + check.interval,
          };
          if (!(await this.store.claimCheckRun(claim))) continue;
          this.counters.scheduled += 1;
          void this.dispatch(registration.agent, check.name, "schedule");
        }
      }
    } catch (err) {
      this.emit("failure", err);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Runs a check now, whatever its schedule, and resolves with its result once a stats sink has
   * stored it. Rejects if no router can reach the agent or no result comes within `timeout` ms.
   */
  async runNow(agent: string, check: string, options: { timeout?: number } = {}): Promise<CheckResultRecord> {
    this.counters.onDemand += 1;
    const deadline = Date.now() + (options.timeout ?? 15_000);
    const { outcome, id } = await this.dispatch(agent, check, "demand");
    if (outcome !== "delivered") throw new Error(`Cannot reach agent ${agent}: ${outcome}`);
    while (Date.now() < deadline && !this.closed) {
      const results = await this.store.checkResults({ agent, check });
      const result = results.find((r) => r.ref === id);
      if (result !== undefined) return result;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`No result for check ${check} on agent ${agent} within the timeout`);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.role?.close();
    this.backChannel.close();
  }

  private async dispatch(
    agent: string,
    check: string,
    trigger: "schedule" | "demand",
  ): Promise<{ outcome: DeliveryOutcome; id: string }> {
    const message = createMessage("run", { check, trigger });
    const outcome = await this.backChannel.deliver(agent, message);
    if (outcome === "delivered") this.counters.delivered += 1;
    else this.counters.undelivered += 1;
    this.emit("run", { agent, check, trigger, outcome } satisfies RunEvent);
    return { outcome, id: message.header.id };
  }
}
