import type { CheckDeclaration, CheckStatus, Severity, Stat, StatKind, Trigger } from "../wire/schema.js";

/**
 * Where sinks write and schedulers read. Every method is a single, atomic step so that a SQL
 * store implements each as one statement or transaction (the comments give the table and key),
 * and so that any number of sinks and schedulers can share one store, in one process or many:
 *
 * - writes of acknowledged messages are idempotent by (agent, message id) and say whether the
 *   message was new, which is how a resent message never raises a second alert;
 * - presence changes and check claims are compare-and-set, so that of two sinks (or schedulers)
 *   racing, exactly one wins.
 *
 * Times are ms since the epoch. `MemoryStore` is the in-process implementation, `SqliteStore` the
 * one in a file (shared by processes); test/store/store-contract.ts holds both to this contract.
 */
export interface Store {
  // agents (agent id PRIMARY KEY)
  /** Records that an agent was heard from. */
  touchAgent(agent: string, time: number, hostname?: string): Promise<void>;
  agents(): Promise<AgentRecord[]>;

  // registrations ((agent, process) PRIMARY KEY; a new registration replaces the old)
  putRegistration(registration: RegistrationRecord): Promise<void>;
  registrations(agent?: string): Promise<RegistrationRecord[]>;

  // presence ((agent, process) PRIMARY KEY) and presence_history (append-only)
  /**
   * A heartbeat: updates last seen and the interval; if the key was unknown or down it becomes
   * up (and a history event is appended). Returns the state before.
   */
  heartbeat(key: PresenceKey, time: number, interval: number): Promise<PresenceState | "unknown">;
  /** Declares a key down if it is still up and was last seen at `lastSeen` (compare-and-set). */
  markDown(key: PresenceKey, lastSeen: number, time: number): Promise<boolean>;
  presence(): Promise<PresenceRecord[]>;
  presenceHistory(agent?: string): Promise<PresenceEvent[]>;

  // check_results ((agent, id) PRIMARY KEY)
  /** Stores a result; false when (agent, id) was already stored. */
  addCheckResult(result: CheckResultRecord): Promise<boolean>;
  checkResults(query?: Query & { check?: string }): Promise<CheckResultRecord[]>;
  /** The newest result of each (agent, check): the check states. */
  checkStates(agent?: string): Promise<CheckResultRecord[]>;

  // notifications ((agent, id) PRIMARY KEY; acknowledged_by / acknowledged_at NULL until acked)
  /** Stores a notification; false when (agent, id) was already stored: a resend, not a new alert. */
  addNotification(notification: NotificationRecord): Promise<boolean>;
  notifications(query?: Query & { unacknowledged?: boolean }): Promise<NotificationRecord[]>;
  /** An operator acknowledges a notification; false if unknown or already acknowledged. */
  acknowledgeNotification(agent: string, id: string, by: string, time: number): Promise<boolean>;

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

export interface CheckResultRecord {
  agent: string;
  /** The result message id. */
  id: string;
  check: string;
  status: CheckStatus;
  text: string;
  perfdata: string;
  duration: number;
  trigger: Trigger;
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
