import { EventEmitter } from "node:events";
import { MONITOR_VERSION } from "../version.js";
import { ROLE_PROCESS, roleId, type RoleKind } from "../wire/roles.js";
import { upAlert } from "./alerts.js";
import type { Store } from "../store/store.js";
import type { Stat } from "../wire/schema.js";
import { randomUUID } from "node:crypto";

export interface RoleHeartbeatOptions {
  /** ms between heartbeats. Default 5000. */
  interval?: number;
  /** The role's counters, stored as stats under its id with each heartbeat (names `monitor.*`). */
  stats?: () => Stat[];
}

/**
 * A sink's or scheduler's presence, written straight into the store it holds (wire/roles.ts): a
 * heartbeat every interval under the role's id, so that the heartbeat sinks' sweep declares it
 * down, and pages, when it dies. It also registers the role (process, version, pid), so that
 * the store says which monitor processes run where.
 *
 * Events: "failure" (error).
 */
export class RoleHeartbeat extends EventEmitter {
  readonly id: string;
  readonly interval: number;
  private readonly timer: NodeJS.Timeout;
  private registered = false;
  private closed = false;
  private readonly stats: (() => Stat[]) | undefined;

  constructor(
    private readonly store: Store,
    readonly kind: RoleKind,
    readonly name: string,
    options: RoleHeartbeatOptions = {},
  ) {
    super();
    this.id = roleId(kind, name);
    this.interval = options.interval ?? 5000;
    this.stats = options.stats;
    this.timer = setInterval(() => void this.beat(), this.interval);
    this.timer.unref();
    void this.beat();
  }

  async beat(now = Date.now()): Promise<void> {
    if (this.closed) return;
    const key = { agent: this.id, process: ROLE_PROCESS[this.kind] };
    try {
      await this.store.heartbeat(key, now, this.interval, upAlert(key, this.name, now));
      const stats = this.stats?.();
      if (stats !== undefined && stats.length > 0)
        await this.store.addStats(
          this.id,
          randomUUID(),
          stats.map((s) => ({ ...s, time: now, process: key.process })),
        );
      if (!this.registered) {
        await this.store.touchAgent(this.id, now, this.name);
        await this.store.putRegistration({
          agent: this.id,
          process: key.process,
          pid: process.pid,
          version: MONITOR_VERSION,
          hostname: this.name,
          checks: [],
          time: now,
        });
        this.registered = true;
      }
    } catch (err) {
      if (!this.closed) this.emit("failure", err);
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }
}
