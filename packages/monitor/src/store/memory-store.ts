import { randomUUID } from "node:crypto";
import { actionMatches, type NotificationAction } from "../outputs/actions.js";
import { DEDUP_SETTING, dedupWindow, notificationGroup, pagedWithin, silenceCovers } from "./store.js";
import type {
  AgentRecord,
  AuditRecord,
  CheckClaim,
  CheckResultRecord,
  DeliveryClaim,
  DeliveryJob,
  DeliveryOutcomeRecord,
  DeliveryQuery,
  DeliveryRecord,
  NotificationQuery,
  NotificationRecord,
  PresenceEvent,
  PresenceKey,
  PresenceRecord,
  PresenceState,
  Query,
  RegistrationRecord,
  SilenceRecord,
  StatRecord,
  StatRecordInput,
  Store,
} from "./store.js";

export interface MemoryStoreOptions {
  /** Rows kept per table (stats points, check results, notifications, presence events); the oldest go first. Default 100000. */
  maxRows?: number;
}

const keyOf = (agent: string, second: string | null): string => `${agent}\u0000${second ?? ""}`;

function matches(record: { agent: string; time: number }, query: Query | undefined): boolean {
  if (query?.agent !== undefined && record.agent !== query.agent) return false;
  if (query?.since !== undefined && record.time < query.since) return false;
  return true;
}

/** The newest `limit` entries of a list (all when no limit). */
function newest<T>(list: T[], query: Query | undefined): T[] {
  return query?.limit !== undefined && list.length > query.limit ? list.slice(list.length - query.limit) : list;
}

/** Keeps a Map at most `max` entries by dropping the oldest insertions. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}

function deliveryOut(d: DeliveryRecord & { lease?: unknown }): DeliveryRecord {
  const { lease: _lease, ...out } = d;
  return structuredClone(out);
}

/**
 * The in-memory Store: one process's sinks and schedulers share it by sharing the object. Each
 * method runs to completion without awaiting, so its check-then-set steps are atomic. Records
 * handed out are copies.
 */
export class MemoryStore implements Store {
  private readonly maxRows: number;
  private readonly agentTable = new Map<string, AgentRecord>();
  private readonly registrationTable = new Map<string, RegistrationRecord>();
  private readonly presenceTable = new Map<string, PresenceRecord>();
  private readonly historyTable: PresenceEvent[] = [];
  private readonly resultTable = new Map<string, CheckResultRecord>();
  private readonly notificationTable = new Map<string, NotificationRecord>();
  private readonly statTable: StatRecord[] = [];
  private readonly statLatest = new Map<string, StatRecord>();
  private readonly checkStateTable = new Map<string, CheckResultRecord>();
  /** (agent, message id) of the stat batches stored, for de-duplication. */
  private readonly statBatches = new Map<string, true>();
  private readonly scheduleTable = new Map<string, { dueAt: number; owner: string }>();
  private readonly actionTable = new Map<string, NotificationAction>();
  private readonly settingTable = new Map<string, unknown>();
  private readonly auditTable: AuditRecord[] = [];
  private readonly silenceTable = new Map<string, SilenceRecord>();
  private readonly deliveryTable = new Map<
    string,
    DeliveryRecord & { lease: { owner: string; until: number } | null }
  >();

  constructor(options: MemoryStoreOptions = {}) {
    this.maxRows = options.maxRows ?? 100_000;
  }

  async touchAgent(agent: string, time: number, hostname?: string): Promise<void> {
    const record = this.agentTable.get(agent);
    if (record === undefined) {
      this.agentTable.set(agent, {
        id: agent,
        firstSeen: time,
        lastSeen: time,
        ...(hostname !== undefined && { hostname }),
      });
      return;
    }
    record.lastSeen = Math.max(record.lastSeen, time);
    if (hostname !== undefined) record.hostname = hostname;
  }

  async agents(): Promise<AgentRecord[]> {
    return [...this.agentTable.values()].map((r) => ({ ...r }));
  }

  async decommission(agent: string, by: string, time: number): Promise<boolean> {
    if (!this.agentTable.delete(agent)) return false;
    const mine = (key: string): boolean => key.startsWith(`${agent}\u0000`);
    for (const table of [this.registrationTable, this.presenceTable, this.checkStateTable, this.scheduleTable])
      for (const key of [...table.keys()]) if (mine(key)) table.delete(key);
    for (const d of this.deliveryTable.values())
      if (d.agent === agent && d.state === "pending") this.abandon(d, by, time, "decommissioned");
    this.audit({ time, actor: by, action: "decommission", target: agent });
    return true;
  }

  async putRegistration(registration: RegistrationRecord): Promise<void> {
    const key = keyOf(registration.agent, registration.process);
    const existing = this.registrationTable.get(key);
    // A late resend of an older registration must not undo a newer one.
    if (existing !== undefined && existing.time > registration.time) return;
    this.registrationTable.set(key, structuredClone(registration));
  }

  async registrations(agent?: string): Promise<RegistrationRecord[]> {
    const list = [...this.registrationTable.values()].filter((r) => agent === undefined || r.agent === agent);
    return structuredClone(list);
  }

  async heartbeat(
    key: PresenceKey,
    time: number,
    interval: number,
    upAlert?: NotificationRecord,
  ): Promise<PresenceState | "unknown"> {
    const id = keyOf(key.agent, key.process);
    const record = this.presenceTable.get(id);
    const before = record?.state ?? "unknown";
    if (record === undefined) {
      this.presenceTable.set(id, { ...key, state: "up", lastSeen: time, interval, since: time });
    } else {
      record.lastSeen = Math.max(record.lastSeen, time);
      record.interval = interval;
      if (record.state === "up") return before;
      record.state = "up";
      record.since = time;
      if (upAlert !== undefined) this.insertNotification(upAlert);
    }
    this.appendHistory({ ...key, state: "up", time });
    return before;
  }

  async markDown(key: PresenceKey, lastSeen: number, time: number, downAlert?: NotificationRecord): Promise<boolean> {
    const record = this.presenceTable.get(keyOf(key.agent, key.process));
    if (record === undefined || record.state !== "up" || record.lastSeen !== lastSeen) return false;
    record.state = "down";
    record.since = time;
    this.appendHistory({ ...key, state: "down", time });
    if (downAlert !== undefined) this.insertNotification(downAlert);
    return true;
  }

  async presence(): Promise<PresenceRecord[]> {
    return [...this.presenceTable.values()].map((r) => ({ ...r }));
  }

  async presenceHistory(agent?: string): Promise<PresenceEvent[]> {
    return this.historyTable.filter((e) => agent === undefined || e.agent === agent).map((e) => ({ ...e }));
  }

  async addCheckResult(result: CheckResultRecord, alert?: NotificationRecord): Promise<boolean> {
    const key = keyOf(result.agent, result.id);
    if (this.resultTable.has(key)) return false;
    if (alert !== undefined) this.insertNotification(alert);
    this.resultTable.set(key, { ...result });
    trim(this.resultTable, this.maxRows);
    const state = keyOf(result.agent, result.check);
    const current = this.checkStateTable.get(state);
    if (current === undefined || current.time <= result.time) this.checkStateTable.set(state, { ...result });
    return true;
  }

  async checkStates(agent?: string): Promise<CheckResultRecord[]> {
    return [...this.checkStateTable.values()]
      .filter((r) => agent === undefined || r.agent === agent)
      .map((r) => ({ ...r }));
  }

  async checkResults(query?: Query & { check?: string }): Promise<CheckResultRecord[]> {
    const list: CheckResultRecord[] = [];
    for (const r of this.resultTable.values()) {
      if (matches(r, query) && (query?.check === undefined || r.check === query.check)) list.push({ ...r });
    }
    return newest(list, query);
  }

  async addNotification(notification: NotificationRecord): Promise<boolean> {
    return this.insertNotification(notification);
  }

  async notifications(query?: NotificationQuery): Promise<NotificationRecord[]> {
    const list: NotificationRecord[] = [];
    for (const n of this.notificationTable.values()) {
      if (!matches(n, query)) continue;
      if (query?.unacknowledged === true && n.acknowledged !== null) continue;
      if (query?.group !== undefined && n.group !== query.group) continue;
      list.push(structuredClone(n));
    }
    return newest(list, query);
  }

  async acknowledgeNotification(agent: string, id: string, by: string, time: number): Promise<boolean> {
    const record = this.notificationTable.get(keyOf(agent, id));
    if (record === undefined || record.acknowledged !== null) return false;
    record.acknowledged = { by, time };
    this.audit({ time, actor: by, action: "ack", target: `${agent}/${id}` });
    return true;
  }

  async addStats(agent: string, messageId: string, stats: readonly StatRecordInput[]): Promise<boolean> {
    const batch = keyOf(agent, messageId);
    if (this.statBatches.has(batch)) return false;
    this.statBatches.set(batch, true);
    trim(this.statBatches, this.maxRows);
    for (const s of stats) {
      const record: StatRecord = { agent, name: s.name, value: s.value, time: s.time };
      if (s.kind !== undefined) record.kind = s.kind;
      if (s.unit !== undefined) record.unit = s.unit;
      if (s.process !== undefined) record.process = s.process;
      this.statTable.push(record);
      const series = keyOf(agent, s.name);
      const latest = this.statLatest.get(series);
      if (latest === undefined || latest.time <= record.time) this.statLatest.set(series, record);
    }
    if (this.statTable.length > this.maxRows) this.statTable.splice(0, this.statTable.length - this.maxRows);
    return true;
  }

  async stats(query?: Query & { name?: string }): Promise<StatRecord[]> {
    const list = this.statTable.filter(
      (s) => matches(s, query) && (query?.name === undefined || s.name === query.name),
    );
    return newest(list, query).map((s) => ({ ...s }));
  }

  async latestStats(agent?: string): Promise<StatRecord[]> {
    return [...this.statLatest.values()].filter((s) => agent === undefined || s.agent === agent).map((s) => ({ ...s }));
  }

  async claimCheckRun(claim: CheckClaim): Promise<boolean> {
    const key = keyOf(claim.agent, claim.check);
    const row = this.scheduleTable.get(key);
    if (row !== undefined && row.dueAt > claim.now) return false;
    this.scheduleTable.set(key, { dueAt: claim.nextDue, owner: claim.owner });
    return true;
  }

  async putAction(action: NotificationAction): Promise<void> {
    this.actionTable.set(action.name, structuredClone(action));
  }

  async removeAction(name: string, by: string, time: number): Promise<boolean> {
    if (!this.actionTable.delete(name)) return false;
    this.audit({ time, actor: by, action: "remove-action", target: name });
    for (const d of this.deliveryTable.values())
      if (d.action === name && d.state === "pending") this.abandon(d, by, time, "action removed");
    return true;
  }

  async actions(): Promise<NotificationAction[]> {
    return structuredClone(
      [...this.actionTable.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
  }

  async claimDeliveries(claim: DeliveryClaim): Promise<DeliveryJob[]> {
    const jobs: DeliveryJob[] = [];
    const due = [...this.deliveryTable.values()]
      .filter((d) => d.state === "pending" && d.dueAt <= claim.now && (d.lease === null || d.lease.until <= claim.now))
      .sort((a, b) => a.dueAt - b.dueAt);
    for (const d of due) {
      if (jobs.length >= claim.limit) break;
      const action = this.actionTable.get(d.action);
      const notification = this.notificationTable.get(keyOf(d.agent, d.notification));
      if (action === undefined || notification === undefined) {
        this.abandon(d, "store", claim.now, action === undefined ? "action removed" : "notification pruned");
        continue;
      }
      if (notification.acknowledged !== null && (action.after !== undefined || action.repeat !== undefined)) {
        // An escalation or a repeat is for alerts nobody has acknowledged.
        this.abandon(d, "store", claim.now, "acknowledged");
        continue;
      }
      d.lease = { owner: claim.owner, until: claim.leaseUntil };
      d.attempts += 1;
      jobs.push({
        delivery: deliveryOut(d),
        notification: structuredClone(notification),
        action: structuredClone(action),
      });
    }
    return jobs;
  }

  async finishDelivery(o: DeliveryOutcomeRecord): Promise<boolean> {
    const d = this.deliveryTable.get(o.id);
    if (d === undefined || d.state !== "pending" || d.lease?.owner !== o.owner) return false;
    d.lease = null;
    if (!o.ok) {
      d.dueAt = o.retryAt ?? o.now;
      if (o.error !== undefined) d.lastError = o.error;
      return true;
    }
    d.state = "delivered";
    d.done = { by: o.owner, time: o.now };
    if (d.attempts > 1) {
      // Only those that failed: escalations and repeats keep their time.
      for (const other of this.deliveryTable.values())
        if (other.action === d.action && other.state === "pending" && other.attempts > 0 && other.dueAt > o.now)
          other.dueAt = o.now;
    }
    const action = this.actionTable.get(d.action);
    const n = this.notificationTable.get(keyOf(d.agent, d.notification));
    if (action?.repeat !== undefined && n !== undefined && n.acknowledged === null)
      this.addDelivery(n, action.name, o.now + action.repeat);
    return true;
  }

  async abandonDelivery(id: string, by: string, time: number): Promise<boolean> {
    const d = this.deliveryTable.get(id);
    if (d === undefined || d.state !== "pending") return false;
    this.abandon(d, by, time);
    this.audit({ time, actor: by, action: "give-up", target: id, detail: JSON.stringify({ action: d.action }) });
    return true;
  }

  async deliveries(query: DeliveryQuery = {}): Promise<DeliveryRecord[]> {
    const list = [...this.deliveryTable.values()].filter(
      (d) =>
        (query.state === undefined || d.state === query.state) &&
        (query.agent === undefined || d.agent === query.agent) &&
        (query.notification === undefined || d.notification === query.notification),
    );
    return newest(list, query).map(deliveryOut);
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    if (value === null) this.settingTable.delete(key);
    else this.settingTable.set(key, structuredClone(value));
  }

  async setting(key: string): Promise<unknown> {
    return structuredClone(this.settingTable.get(key));
  }

  async putSilence(silence: SilenceRecord): Promise<void> {
    this.silenceTable.set(silence.id, structuredClone(silence));
    this.audit({
      time: silence.created,
      actor: silence.by,
      action: "silence",
      target: silence.id,
      detail: JSON.stringify(silence),
    });
  }

  async endSilence(id: string, by: string, time: number): Promise<boolean> {
    const s = this.silenceTable.get(id);
    if (s === undefined || s.ends <= time) return false;
    s.ends = time;
    this.audit({ time, actor: by, action: "end-silence", target: id });
    return true;
  }

  async silences(query: { activeAt?: number; upcoming?: boolean } = {}): Promise<SilenceRecord[]> {
    const at = query.activeAt;
    return structuredClone(
      [...this.silenceTable.values()]
        .filter((s) => at === undefined || (s.ends > at && (query.upcoming === true || s.starts <= at)))
        .sort((a, b) => a.starts - b.starts || (a.id < b.id ? -1 : 1)),
    );
  }

  async auditLog(query: { limit?: number; since?: number } = {}): Promise<AuditRecord[]> {
    const list = this.auditTable.filter((a) => query.since === undefined || a.time >= query.since);
    return structuredClone(newest(list, query));
  }

  async close(): Promise<void> {}

  private audit(entry: AuditRecord): void {
    this.auditTable.push(entry);
    if (this.auditTable.length > this.maxRows) this.auditTable.splice(0, this.auditTable.length - this.maxRows);
  }

  /** addNotification, and the deliveries of a new notification. */
  private insertNotification(notification: NotificationRecord): boolean {
    const key = keyOf(notification.agent, notification.id);
    if (this.notificationTable.has(key)) return false;
    const silence = [...this.silenceTable.values()].find((s) => silenceCovers(s, notification));
    const stored = structuredClone(notification);
    stored.group = notificationGroup(notification);
    if (silence !== undefined) stored.silenced = silence.id;
    else {
      const window = dedupWindow(this.settingTable.get(DEDUP_SETTING));
      let head: NotificationRecord | undefined;
      for (const n of this.notificationTable.values())
        if (n.agent === stored.agent && pagedWithin(n, stored.group, stored.received, window)) head = n;
      if (head !== undefined) stored.duplicateOf = head.id;
    }
    this.notificationTable.set(key, stored);
    trim(this.notificationTable, this.maxRows);
    if (stored.silenced !== undefined || stored.duplicateOf !== undefined) return true;
    for (const action of this.actionTable.values()) {
      if (actionMatches(action, notification.severity))
        this.addDelivery(notification, action.name, notification.received + (action.after ?? 0));
    }
    return true;
  }

  private addDelivery(n: NotificationRecord, action: string, dueAt: number): void {
    const id = randomUUID();
    this.deliveryTable.set(id, {
      id,
      agent: n.agent,
      notification: n.id,
      action,
      state: "pending",
      attempts: 0,
      dueAt,
      created: dueAt,
      lease: null,
    });
    trim(this.deliveryTable, this.maxRows);
  }

  private abandon(d: DeliveryRecord & { lease: unknown }, by: string, time: number, error?: string): void {
    d.state = "abandoned";
    d.lease = null;
    d.done = { by, time };
    if (error !== undefined) d.lastError = error;
  }

  private appendHistory(event: PresenceEvent): void {
    this.historyTable.push(event);
    if (this.historyTable.length > this.maxRows) this.historyTable.splice(0, this.historyTable.length - this.maxRows);
  }
}
