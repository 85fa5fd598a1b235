import { createHash } from "node:crypto";
import type { NotificationAction } from "../outputs/actions.js";
import type { CheckDeclaration, CheckStatus, Severity, Stat, StatKind, Trigger } from "../wire/schema.js";

/**
 * Where sinks write and schedulers read. Every method is a single, atomic step so that a SQL
 * store implements each as one statement or transaction (the comments give the table and key),
 * and so that any number of sinks and schedulers can share one store, in one process or many:
 *
 * - writes of acknowledged messages are idempotent by (agent, message id) and say whether the
 *   message was new, which is how a resent message never raises a second alert;
 * - presence changes and check claims are compare-and-set, so that of two sinks (or schedulers)
 *   racing, exactly one wins;
 * - an alert is stored in the same step as what raised it (a new notification, a presence change,
 *   a stale check), and its deliveries (one per notification action) with it, so that a process
 *   killed at any point either raised the alert with every delivery due, or raised nothing and
 *   the step is done again by whoever comes next;
 * - deliveries are claimed with a lease (compare-and-set): each due delivery runs in exactly one
 *   dispatcher at a time, and one whose dispatcher died is taken over when its lease runs out.
 *
 * Times are ms since the epoch. `MemoryStore` is the in-process implementation, `SqliteStore` the
 * one in a file (shared by processes); test/store/store-contract.ts holds both to this contract.
 */
export interface Store {
  // agents (agent id PRIMARY KEY)
  /** Records that an agent was heard from. */
  touchAgent(agent: string, time: number, hostname?: string): Promise<void>;
  agents(): Promise<AgentRecord[]>;
  /**
   * An agent gone for good: its presence, registrations, check states and schedule are removed
   * (so it neither shows nor pages as down nor has stale checks), its pending deliveries are
   * abandoned; its history (results, stats, notifications) stays until pruned. Audited. False if
   * unknown. If it reports again, it comes back as a new host.
   */
  decommission(agent: string, by: string, time: number): Promise<boolean>;

  // registrations ((agent, process) PRIMARY KEY; a new registration replaces the old)
  putRegistration(registration: RegistrationRecord): Promise<void>;
  registrations(agent?: string): Promise<RegistrationRecord[]>;

  // presence ((agent, process) PRIMARY KEY) and presence_history (append-only)
  /**
   * A heartbeat: updates last seen and the interval; if the key was unknown or down it becomes
   * up (and a history event is appended). Returns the state before. `upAlert` is added (as by
   * addNotification) when the key was down: the "back up" alert.
   */
  heartbeat(
    key: PresenceKey,
    time: number,
    interval: number,
    upAlert?: NotificationRecord,
  ): Promise<PresenceState | "unknown">;
  /**
   * Declares a key down if it is still up and was last seen at `lastSeen` (compare-and-set);
   * `downAlert` is added with it (as by addNotification) when it succeeds.
   */
  markDown(key: PresenceKey, lastSeen: number, time: number, downAlert?: NotificationRecord): Promise<boolean>;
  presence(): Promise<PresenceRecord[]>;
  presenceHistory(agent?: string): Promise<PresenceEvent[]>;

  // check_results ((agent, id) PRIMARY KEY)
  /** Stores a result; false when (agent, id) was already stored. `alert` is added with a new result. */
  addCheckResult(result: CheckResultRecord, alert?: NotificationRecord): Promise<boolean>;
  checkResults(query?: Query & { check?: string }): Promise<CheckResultRecord[]>;
  /** The newest result of each (agent, check): the check states. */
  checkStates(agent?: string): Promise<CheckResultRecord[]>;

  // notifications ((agent, id) PRIMARY KEY; acknowledged_by / acknowledged_at NULL until acked)
  /**
   * Stores a notification; false when (agent, id) was already stored: a resend, not a new alert.
   * A new one gets, in the same step, its `group` (notificationGroup) and a pending delivery for
   * each action whose severities include its own, unless an active silence matches it (then
   * `silenced` names the silence) or it repeats an alert that paged: an unacknowledged,
   * unsilenced notification of the same group, itself no duplicate, received within the dedup
   * window (setting DEDUP_SETTING, default 15 min) before it. Then `duplicateOf` names that one,
   * and the new one is stored and counted in its group, not delivered again.
   */
  addNotification(notification: NotificationRecord): Promise<boolean>;
  notifications(query?: NotificationQuery): Promise<NotificationRecord[]>;
  /**
   * An operator acknowledges a notification; false if unknown or already acknowledged. Written to
   * the audit log in the same step.
   */
  acknowledgeNotification(agent: string, id: string, by: string, time: number): Promise<boolean>;

  // audit (append-only): what operators did (acks, given-up deliveries, removed actions, silences)
  /** The newest `limit` entries (default all), oldest first. */
  auditLog(query?: { limit?: number; since?: number }): Promise<AuditRecord[]>;

  // actions (name PRIMARY KEY): where alerts go, configured once for the whole deployment
  /** Adds or replaces an action. Later notifications get a delivery for it. */
  putAction(action: NotificationAction): Promise<void>;
  /** Removes an action (audited); its pending deliveries are abandoned. False if unknown. */
  removeAction(name: string, by: string, time: number): Promise<boolean>;
  actions(): Promise<NotificationAction[]>;

  // deliveries (id PRIMARY KEY; one per notification and action)
  /**
   * Claims up to `limit` pending deliveries that are due at `now` and not leased (or whose lease
   * ran out): each is leased to `owner` until `leaseUntil` and its attempts counted, in one step.
   * Two dispatchers asking at once never get the same delivery.
   */
  claimDeliveries(claim: DeliveryClaim): Promise<DeliveryJob[]>;
  /**
   * Ends an attempt: delivered, or due again at `retryAt` with the error. Only the lease holder
   * can (false otherwise: its lease ran out and another dispatcher took the delivery over). A
   * delivery that succeeded after failing makes the other pending deliveries of its action due
   * now: the target is back, so what waited for it goes at once.
   */
  finishDelivery(outcome: DeliveryOutcomeRecord): Promise<boolean>;
  /** An operator gives up a pending delivery (audited). False if unknown or no longer pending. */
  abandonDelivery(id: string, by: string, time: number): Promise<boolean>;
  deliveries(query?: DeliveryQuery): Promise<DeliveryRecord[]>;

  // silences (id PRIMARY KEY): alerts that match an active silence are stored and shown but not delivered
  /** Adds or replaces a silence (a maintenance window when it starts later); audited. */
  putSilence(silence: SilenceRecord): Promise<void>;
  /** Ends a silence now (audited). False if unknown or already over. */
  endSilence(id: string, by: string, time: number): Promise<boolean>;
  /** Silences, or only those active at `activeAt` (and those still to come, with `upcoming`). */
  silences(query?: { activeAt?: number; upcoming?: boolean }): Promise<SilenceRecord[]>;

  // settings (key PRIMARY KEY): deployment-wide configuration, e.g. "graphite"
  /** Sets a setting (JSON-serialisable), or removes it with null. */
  putSetting(key: string, value: unknown): Promise<void>;
  /** A setting's value, or undefined. */
  setting(key: string): Promise<unknown>;

  // stats (one row per point; (agent, message id) identifies a batch, so a resent batch is not added twice)
  addStats(agent: string, messageId: string, stats: readonly StatRecordInput[]): Promise<boolean>;
  stats(query?: Query & { name?: string }): Promise<StatRecord[]>;
  /** The newest point of each (agent, name) series (stat_latest, kept up to date on insert). */
  latestStats(agent?: string): Promise<StatRecord[]>;

  // check_schedule ((agent, check) PRIMARY KEY; the lease that keeps schedulers from double-running)
  /**
   * Claims the run of a check that is due: succeeds only if the check has no schedule yet or is
   * due at `now`, and then sets it due at `nextDue`, owned by `owner`. Two schedulers asking at
   * once: one gets true, the other false.
   */
  claimCheckRun(claim: CheckClaim): Promise<boolean>;

  close(): Promise<void>;
}

export interface Query {
  agent?: string;
  /** Only records at or after this time. */
  since?: number;
  /** Only the newest `limit` records (still returned oldest first). */
  limit?: number;
}

export interface NotificationQuery extends Query {
  unacknowledged?: boolean;
  /** Only this group's (notificationGroup). */
  group?: string;
}

export interface AgentRecord {
  id: string;
  hostname?: string;
  firstSeen: number;
  lastSeen: number;
}

export interface RegistrationRecord {
  agent: string;
  process: string;
  pid?: number;
  version?: string;
  hostname?: string;
  checks: CheckDeclaration[];
  /** When the registration was made (the message time). */
  time: number;
}

/** Presence is tracked for each agent (process null) and for each process that sends heartbeats. */
export interface PresenceKey {
  agent: string;
  process: string | null;
}

export type PresenceState = "up" | "down";

export interface PresenceRecord extends PresenceKey {
  state: PresenceState;
  lastSeen: number;
  /** The heartbeat interval the sender announced, ms. */
  interval: number;
  /** When the current state began. */
  since: number;
}

export interface PresenceEvent extends PresenceKey {
  state: PresenceState;
  time: number;
}

/** What made a check run; "stale" marks the UNKNOWN the monitor records when results stop coming. */
export type ResultTrigger = Trigger | "stale";

export interface CheckResultRecord {
  agent: string;
  /** The result message id. */
  id: string;
  check: string;
  status: CheckStatus;
  text: string;
  perfdata: string;
  duration: number;
  trigger: ResultTrigger;
  /** The run request it answers. */
  ref?: string;
  time: number;
}

export interface NotificationRecord {
  agent: string;
  id: string;
  severity: Severity;
  text: string;
  process?: string;
  check?: string;
  /** When the agent raised it. */
  time: number;
  /** When a sink first stored it. */
  received: number;
  acknowledged: { by: string; time: number } | null;
  /** What raised it: absent for an agent's notification, else the monitor's own (alerts.ts). */
  kind?: AlertKind;
  /** The silence that kept it from being delivered, if any. */
  silenced?: string;
  /** Repeated alerts share a group (notificationGroup), set when stored. */
  group?: string;
  /** The earlier notification of its group that paged, when this one was only grouped under it. */
  duplicateOf?: string;
}

/** The setting (ms) for how long a repeated alert is grouped instead of paging again; 0: never. */
export const DEDUP_SETTING = "dedup-window";
export const DEFAULT_DEDUP_WINDOW = 15 * 60_000;

/** The dedup window a DEDUP_SETTING value gives (absent or malformed: the default). */
export function dedupWindow(setting: unknown): number {
  return typeof setting === "number" && Number.isFinite(setting) && setting >= 0 ? setting : DEFAULT_DEDUP_WINDOW;
}

/**
 * What makes two notifications "the same alert": the host, what raised it (the monitor's kind,
 * the check, the process) and the severity; for an agent's own notification about no check, its
 * text too. A check's output changes from one result to the next ("disk 91% used", "92%"), and the
 * monitor's alerts say how long ago, so for those the text is left out.
 */
export function notificationGroup(
  n: Pick<NotificationRecord, "agent" | "kind" | "check" | "process" | "severity" | "text">,
): string {
  const about = n.kind !== undefined || n.check !== undefined ? "" : n.text;
  const key = [n.agent, n.kind ?? "", n.check ?? "", n.process ?? "", n.severity, about].join("\0");
  return createHash("sha256").update(key).digest("base64url").slice(0, 22);
}

/** Whether a stored notification is a head that a new one of its group (received at `at`) repeats. */
export function pagedWithin(head: NotificationRecord, group: string, at: number, window: number): boolean {
  return (
    head.group === group &&
    head.acknowledged === null &&
    head.silenced === undefined &&
    head.duplicateOf === undefined &&
    head.received <= at &&
    at - head.received < window
  );
}

/** A silence, or a maintenance window: matching alerts are stored and shown, not delivered. */
export interface SilenceRecord {
  id: string;
  /** Only this agent's alerts (a host); absent: every agent. */
  agent?: string;
  /** Only alerts about this check. */
  check?: string;
  /** Only these severities. */
  severities?: Severity[];
  /** From when to when (ms since the epoch); a window set in advance starts later. */
  starts: number;
  ends: number;
  by: string;
  reason: string;
  created: number;
}

/** Whether an active silence covers a notification. */
export function silenceCovers(s: SilenceRecord, n: NotificationRecord): boolean {
  return (
    s.starts <= n.received &&
    n.received < s.ends &&
    (s.agent === undefined || s.agent === n.agent) &&
    (s.check === undefined || s.check === n.check) &&
    (s.severities === undefined || s.severities.includes(n.severity))
  );
}

/** Alerts the monitor raises itself (sink/alerts.ts). */
export type AlertKind =
  | "host-down"
  | "host-up"
  | "process-down"
  | "process-up"
  | "role-down"
  | "role-up"
  | "stale-check"
  | "backlog"
  | "backlog-cleared"
  | "duplicate-agent"
  | "flapping"
  | "flapping-stopped";

export interface AuditRecord {
  time: number;
  /** Who: the authenticated user, or the name given. */
  actor: string;
  /** What: "ack", "give-up", "remove-action", ... */
  action: string;
  /** On what: "<agent>/<notification id>", a delivery id, an action name. */
  target: string;
  /** Anything else worth keeping (JSON). */
  detail?: string;
}

export type DeliveryState = "pending" | "delivered" | "abandoned";

export interface DeliveryRecord {
  id: string;
  /** The notification's key. */
  agent: string;
  notification: string;
  /** The action's name. */
  action: string;
  state: DeliveryState;
  /** Attempts started so far. */
  attempts: number;
  /** When it is (or was last) due. */
  dueAt: number;
  created: number;
  lastError?: string;
  /** Delivered (by the dispatcher) or abandoned (by an operator), and when. */
  done?: { by: string; time: number };
}

export interface DeliveryJob {
  delivery: DeliveryRecord;
  notification: NotificationRecord;
  action: NotificationAction;
}

export interface DeliveryClaim {
  owner: string;
  now: number;
  leaseUntil: number;
  limit: number;
}

export interface DeliveryOutcomeRecord {
  id: string;
  owner: string;
  now: number;
  ok: boolean;
  /** Required when not ok: when to try again. */
  retryAt?: number;
  error?: string;
}

export interface DeliveryQuery {
  state?: DeliveryState;
  agent?: string;
  notification?: string;
  /** The newest `limit`, oldest first. */
  limit?: number;
}

export interface StatRecordInput extends Stat {
  time: number;
}

export interface StatRecord {
  agent: string;
  name: string;
  value: number;
  time: number;
  kind?: StatKind;
  unit?: string;
  process?: string;
}

export interface CheckClaim {
  agent: string;
  check: string;
  owner: string;
  now: number;
  nextDue: number;
}
