import { randomUUID } from "node:crypto";
import { rollBackHotJournal } from "./sqlite-recovery.js";
import { SqliteLock } from "./sqlite-lock.js";
import { deliveryFrom, notificationFrom, num, put, resultFrom, statFrom, str } from "./rows.js";
import { DEDUP_SETTING, dedupWindow, notificationGroup, silenceCovers } from "./store.js";
import { actionMatches, validAction, type NotificationAction } from "../outputs/actions.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Database as SqliteDatabase, SQLiteValue, Statement } from "node-sqlite3-wasm";
import { MIGRATIONS, SCHEMA_VERSION } from "./sqlite-schema.js";
import type { CheckDeclaration } from "../wire/schema.js";
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

type SqliteModule = typeof import("node-sqlite3-wasm");

/**
 * node-sqlite3-wasm (SQLite compiled to WebAssembly, with a VFS over node:fs: no addon) is
 * CommonJS and compiles its WebAssembly when loaded, so it is loaded on first use only.
 */
async function loadSqlite(): Promise<SqliteModule> {
  const mod = (await import("node-sqlite3-wasm")) as SqliteModule & { default?: SqliteModule };
  return mod.default ?? mod;
}

export interface SqliteStoreOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  /** Operations per transaction at most. Default 500. */
  maxBatch?: number;
  /**
   * ms an operation may wait for others to share its transaction (group commit: one fsync for
   * many operations). 0: only those queued in the same event-loop turn. Default 5.
   */
  batchDelay?: number;
  /** How long points are kept: stats, check results and presence history older than this are pruned. Default 7 days (ms). */
  retention?: number;
  /** ms between prunes. Default 60000. */
  pruneInterval?: number;
  /**
   * A lock whose holder cannot be told (no owner recorded) is broken once older than this (ms);
   * a lock whose holder died is broken at once, one whose holder lives never (sqlite-lock.ts).
   * Default 5000.
   */
  staleLockAfter?: number;
  /** ms open() waits for other processes' locks (their migrations, their batches) before failing. Default 60000. */
  openTimeout?: number;
}

export interface SqliteStoreCounters {
  /** Transactions committed. */
  transactions: number;
  /** Operations carried by them. */
  operations: number;
  /** Times the database was locked by another process (the batch, or the opening, is retried). */
  busy: number;
  /** Stale locks broken (left by a process killed mid-transaction). */
  staleLocks: number;
  /** Transactions that failed (their operations rejected). */
  failed: number;
  /** Hot journals of a dead writer rolled back on open (see sqlite-recovery.ts). */
  recoveredJournals: number;
}

type Row = Record<string, SQLiteValue>;

/**
 * What operations run their SQL through: prepared statements kept per SQL text (preparing is a
 * large share of a statement's cost in WebAssembly SQLite).
 */
class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: SqliteDatabase) {}

  run(sql: string, values: SQLiteValue[] = []): { changes: number; lastInsertRowid: number | bigint } {
    return this.prepared(sql).run(values);
  }

  /** The first row. Read to the end (single-row queries): a statement left mid-way would hold its lock. */
  get(sql: string, values: SQLiteValue[] = []): Row | null {
    return (this.prepared(sql).all(values)[0] as Row | undefined) ?? null;
  }

  all(sql: string, values: SQLiteValue[] = []): Row[] {
    return this.prepared(sql).all(values) as Row[];
  }

  finalize(): void {
    for (const statement of this.cache.values()) statement.finalize();
    this.cache.clear();
  }

  private prepared(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      // Queries built from a Query (where/limited) vary: keep the cache bounded.
      if (this.cache.size >= 200) this.finalize();
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

interface Operation {
  run(db: Statements): unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

const DAY = 24 * 3600 * 1000;
/** Rows per multi-row INSERT of stats (7 values each; SQLite allows 32766 parameters). */
const STAT_ROWS = 50;

/** `(?, ?, ?, ?, ?, ?, ?), ...` for `rows` stat rows. */
function placeholders(rows: number): string {
  return Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
}

const schemaVersion = (db: SqliteDatabase): number => Number((db.get("PRAGMA user_version") as Row).user_version);

/**
 * Applies the migrations missing from `db`, up to `target`, each in its own transaction with its
 * version bump. The version is read again inside each transaction: processes opening a new file
 * together apply each migration once. Returns the version before.
 */
export function migrate(db: SqliteDatabase, target = SCHEMA_VERSION): number {
  const before = schemaVersion(db);
  if (before > SCHEMA_VERSION)
    throw new Error(
      `The database has schema version ${before}, newer than this program's ${SCHEMA_VERSION}: upgrade zmtp`,
    );
  for (const m of MIGRATIONS) {
    if (m.version <= before || m.version > target) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      if (schemaVersion(db) < m.version) {
        db.exec(m.sql);
        db.exec(`PRAGMA user_version = ${m.version}`);
      }
      db.exec("COMMIT");
    } catch (err) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw err;
    }
  }
  return before;
}

const isBusy = (err: unknown): boolean => err instanceof Error && /database is locked|SQLITE_BUSY/i.test(err.message);
/** An audit log entry, inside the transaction of what it records. */
function audit(db: Statements, a: AuditRecord): void {
  db.run("INSERT INTO audit (time, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", [
    a.time,
    a.actor,
    a.action,
    a.target,
    a.detail ?? null,
  ]);
}

/** A pending delivery of a notification by an action, due at `dueAt`. */
function addDelivery(db: Statements, n: { agent: string; id: string }, action: string, dueAt: number): void {
  db.run(
    `INSERT INTO deliveries (id, agent, notification, action, state, attempts, due_at, created)
     VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
    [randomUUID(), n.agent, n.id, action, dueAt, dueAt],
  );
}

/** addNotification inside a transaction: the notification, and a delivery per matching action. */
function insertNotification(db: Statements, n: NotificationRecord): boolean {
  const silence = db
    .all("SELECT spec FROM silences WHERE starts <= ? AND ends > ?", [n.received, n.received])
    .map((r) => JSON.parse(str(r.spec)) as SilenceRecord)
    .find((s) => silenceCovers(s, n));
  const group = notificationGroup(n);
  let duplicateOf: string | null = null;
  if (silence === undefined) {
    const setting = db.get("SELECT value FROM settings WHERE key = ?", [DEDUP_SETTING]);
    const window = dedupWindow(setting === null ? undefined : JSON.parse(str(setting.value)));
    const head = db.get(
      `SELECT id FROM notifications WHERE agent = ? AND group_key = ? AND received <= ? AND received > ?
         AND acknowledged_by IS NULL AND silenced IS NULL AND duplicate_of IS NULL AND id <> ?
       ORDER BY received DESC LIMIT 1`,
      [n.agent, group, n.received, n.received - window, n.id],
    );
    duplicateOf = head === null ? null : str(head.id);
  }
  const { changes } = db.run(
    `INSERT INTO notifications (agent, id, severity, text, process, check_name, time, received, acknowledged_by, acknowledged_at, kind, silenced, group_key, duplicate_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent, id) DO NOTHING`,
    [
      n.agent,
      n.id,
      n.severity,
      n.text,
      n.process ?? null,
      n.check ?? null,
      n.time,
      n.received,
      n.acknowledged?.by ?? null,
      n.acknowledged?.time ?? null,
      n.kind ?? null,
      silence?.id ?? null,
      group,
      duplicateOf,
    ],
  );
  if (changes === 0) return false;
  if (silence !== undefined || duplicateOf !== null) return true; // stored and shown, not delivered
  for (const row of db.all("SELECT spec FROM actions")) {
    const action = JSON.parse(str(row.spec)) as NotificationAction;
    if (!actionMatches(action, n.severity)) continue;
    addDelivery(db, n, action.name, n.received + (action.after ?? 0));
  }
  return true;
}

/** WHERE clause and values for a Query. */
function where(
  query: Query | undefined,
  extra: Array<[string, string, SQLiteValue]> = [],
): { sql: string; values: SQLiteValue[] } {
  const parts: string[] = [];
  const values: SQLiteValue[] = [];
  if (query?.agent !== undefined) {
    parts.push("agent = ?");
    values.push(query.agent);
  }
  if (query?.since !== undefined) {
    parts.push("time >= ?");
    values.push(query.since);
  }
  for (const [column, op, value] of extra) {
    parts.push(`${column} ${op} ?`);
    values.push(value);
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "", values };
}

/** Newest `limit` rows, oldest first: the query ordered by seq. */
function limited(
  table: string,
  query: Query | undefined,
  w: { sql: string; values: SQLiteValue[] },
): { sql: string; values: SQLiteValue[] } {
  if (query?.limit === undefined) return { sql: `SELECT * FROM ${table} ${w.sql} ORDER BY seq`, values: w.values };
  return {
    sql: `SELECT * FROM (SELECT * FROM ${table} ${w.sql} ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
    values: [...w.values, query.limit],
  };
}

/**
 * The Store in an SQLite file, through SQLite compiled to WebAssembly (node-sqlite3-wasm: direct
 * file access, no native addon). The schema is versioned (sqlite-schema.ts) and migrated on open.
 *
 * Every method queues an operation; queued operations run together in one transaction (group
 * commit: up to `maxBatch` operations, gathered for at most `batchDelay` ms), and each promise
 * settles only after that COMMIT returned: with
 * `synchronous = FULL` and a rollback journal, whatever a sink acknowledged is on disk, and a
 * process killed at any point (SIGKILL) loses only operations nobody was told about. The
 * compare-and-set methods run inside the transaction, so they are atomic across processes too.
 *
 * Several processes may share the file: the WebAssembly VFS locks with a `<file>.lock` directory,
 * a process that finds it taken retries the batch later, and a lock left by a process killed
 * mid-transaction is broken after `staleLockAfter` ms (at once on open when no other process
 * has the store open).
 */
export class SqliteStore implements Store {
  readonly path: string;
  readonly counters: SqliteStoreCounters = {
    transactions: 0,
    operations: 0,
    busy: 0,
    staleLocks: 0,
    failed: 0,
    recoveredJournals: 0,
  };
  private readonly db: SqliteDatabase;
  private statements!: Statements;
  private readonly maxBatch: number;
  private readonly batchDelay: number;
  private readonly retention: number;
  private readonly lock: SqliteLock;
  private queue: Operation[] = [];
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private pruner: NodeJS.Timeout | null = null;
  private closed = false;

  /**
   * Opens (creating it if needed) and migrates the database. Other processes holding the file
   * make it wait (up to `openTimeout`), never fail: any number of sinks and schedulers may start
   * together on one file.
   */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const store = new SqliteStore(await loadSqlite(), options);
    try {
      await store.prepare(options.openTimeout ?? 60_000);
    } catch (err) {
      store.db.close();
      store.lock.unregister();
      throw err;
    }
    store.pruner = setInterval(() => void store.prune().catch(() => undefined), options.pruneInterval ?? 60_000);
    store.pruner.unref();
    return store;
  }

  private constructor(sqlite: SqliteModule, options: SqliteStoreOptions) {
    this.path = options.path;
    this.maxBatch = options.maxBatch ?? 500;
    this.batchDelay = options.batchDelay ?? 5;
    this.retention = options.retention ?? 7 * DAY;
    mkdirSync(dirname(this.path), { recursive: true });
    this.lock = new SqliteLock(this.path, options.staleLockAfter ?? 5000);
    this.lock.register();
    if (!this.lock.otherUserAlive() && this.lock.breakIfStale(Infinity)) this.counters.staleLocks += 1;
    // Nobody else has the file open: a journal left now is a dead writer's.
    if (!this.lock.otherUserAlive() && rollBackHotJournal(this.path)) this.counters.recoveredJournals += 1;
    this.db = new sqlite.Database(this.path);
  }

  /** Pragmas and migrations, retried while another process holds the lock. */
  private async prepare(timeout: number): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        this.db.exec("PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF");
        migrate(this.db);
        this.statements = new Statements(this.db);
        return;
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (Date.now() > deadline)
          throw new Error(`${this.path} stayed locked by another process for ${timeout} ms`, { cause: err });
        this.counters.busy += 1;
        if (this.lock.breakIfStale()) this.counters.staleLocks += 1;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20)));
      }
    }
  }

  /** The schema version of the open database. */
  get schemaVersion(): number {
    return SCHEMA_VERSION;
  }

  // ---- agents ----

  touchAgent(agent: string, time: number, hostname?: string): Promise<void> {
    return this.op((db) => {
      db.run(
        `INSERT INTO agents (id, hostname, first_seen, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen), hostname = coalesce(excluded.hostname, hostname)`,
        [agent, hostname ?? null, time, time],
      );
    });
  }

  agents(): Promise<AgentRecord[]> {
    return this.op((db) =>
      (db.all("SELECT * FROM agents ORDER BY rowid") as Row[]).map((r) => {
        const out: AgentRecord = { id: str(r.id), firstSeen: num(r.first_seen), lastSeen: num(r.last_seen) };
        put(out, "hostname", r.hostname);
        return out;
      }),
    );
  }

  decommission(agent: string, by: string, time: number): Promise<boolean> {
    return this.op((db) => {
      if (db.run("DELETE FROM agents WHERE id = ?", [agent]).changes === 0) return false;
      for (const table of ["registrations", "presence", "check_state", "check_schedule"])
        db.run(`DELETE FROM ${table} WHERE agent = ?`, [agent]);
      db.run(
        "UPDATE deliveries SET state = 'abandoned', done_by = ?, done_at = ?, lease_owner = NULL, lease_until = NULL, last_error = 'decommissioned' WHERE agent = ? AND state = 'pending'",
        [by, time, agent],
      );
      audit(db, { time, actor: by, action: "decommission", target: agent });
      return true;
    });
  }

  // ---- registrations ----

  putRegistration(reg: RegistrationRecord): Promise<void> {
    return this.op((db) => {
      // A late resend of an older registration must not undo a newer one.
      db.run(
        `INSERT INTO registrations (agent, process, pid, version, hostname, checks, time) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (agent, process) DO UPDATE SET pid = excluded.pid, version = excluded.version,
           hostname = excluded.hostname, checks = excluded.checks, time = excluded.time
         WHERE excluded.time >= registrations.time`,
        [
          reg.agent,
          reg.process,
          reg.pid ?? null,
          reg.version ?? null,
          reg.hostname ?? null,
          JSON.stringify(reg.checks),
          reg.time,
        ],
      );
    });
  }

  registrations(agent?: string): Promise<RegistrationRecord[]> {
    return this.op((db) => {
      const rows = (
        agent === undefined
          ? db.all("SELECT * FROM registrations ORDER BY rowid")
          : db.all("SELECT * FROM registrations WHERE agent = ? ORDER BY rowid", [agent])
      ) as Row[];
      return rows.map((r) => {
        const out: RegistrationRecord = {
          agent: str(r.agent),
          process: str(r.process),
          checks: JSON.parse(str(r.checks)) as CheckDeclaration[],
          time: num(r.time),
        };
        put(out, "pid", r.pid, num);
        put(out, "version", r.version);
        put(out, "hostname", r.hostname);
        return out;
      });
    });
  }

  // ---- presence ----

  heartbeat(
    key: PresenceKey,
    time: number,
    interval: number,
    upAlert?: NotificationRecord,
  ): Promise<PresenceState | "unknown"> {
    return this.op((db) => {
      const process = key.process ?? "";
      const row = db.get("SELECT state, last_seen FROM presence WHERE agent = ? AND process = ?", [
        key.agent,
        process,
      ]) as Row | null;
      if (row === null) {
        db.run(
          "INSERT INTO presence (agent, process, state, last_seen, interval, since) VALUES (?, ?, 'up', ?, ?, ?)",
          [key.agent, process, time, interval, time],
        );
      } else if (row.state === "up") {
        db.run("UPDATE presence SET last_seen = max(last_seen, ?), interval = ? WHERE agent = ? AND process = ?", [
          time,
          interval,
          key.agent,
          process,
        ]);
        return "up";
      } else {
        db.run(
          "UPDATE presence SET state = 'up', last_seen = max(last_seen, ?), interval = ?, since = ? WHERE agent = ? AND process = ?",
          [time, interval, time, key.agent, process],
        );
        if (upAlert !== undefined) insertNotification(db, upAlert);
      }
      db.run("INSERT INTO presence_history (agent, process, state, time) VALUES (?, ?, 'up', ?)", [
        key.agent,
        process,
        time,
      ]);
      return row === null ? "unknown" : (row.state as PresenceState);
    });
  }

  markDown(key: PresenceKey, lastSeen: number, time: number, downAlert?: NotificationRecord): Promise<boolean> {
    return this.op((db) => {
      const process = key.process ?? "";
      const { changes } = db.run(
        "UPDATE presence SET state = 'down', since = ? WHERE agent = ? AND process = ? AND state = 'up' AND last_seen = ?",
        [time, key.agent, process, lastSeen],
      );
      if (changes === 0) return false;
      db.run("INSERT INTO presence_history (agent, process, state, time) VALUES (?, ?, 'down', ?)", [
        key.agent,
        process,
        time,
      ]);
      if (downAlert !== undefined) insertNotification(db, downAlert);
      return true;
    });
  }

  presence(): Promise<PresenceRecord[]> {
    return this.op((db) =>
      (db.all("SELECT * FROM presence ORDER BY rowid") as Row[]).map((r) => ({
        agent: str(r.agent),
        process: r.process === "" ? null : str(r.process),
        state: str(r.state) as PresenceState,
        lastSeen: num(r.last_seen),
        interval: num(r.interval),
        since: num(r.since),
      })),
    );
  }

  presenceHistory(agent?: string): Promise<PresenceEvent[]> {
    return this.op((db) => {
      const rows = (
        agent === undefined
          ? db.all("SELECT * FROM presence_history ORDER BY seq")
          : db.all("SELECT * FROM presence_history WHERE agent = ? ORDER BY seq", [agent])
      ) as Row[];
      return rows.map((r) => ({
        agent: str(r.agent),
        process: r.process === "" ? null : str(r.process),
        state: str(r.state) as PresenceState,
        time: num(r.time),
      }));
    });
  }

  // ---- check results ----

  addCheckResult(r: CheckResultRecord, alert?: NotificationRecord): Promise<boolean> {
    return this.op((db) => {
      const { changes, lastInsertRowid } = db.run(
        `INSERT INTO check_results (agent, id, check_name, status, text, perfdata, duration, trigger, ref, time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent, id) DO NOTHING`,
        [r.agent, r.id, r.check, r.status, r.text, r.perfdata, r.duration, r.trigger, r.ref ?? null, r.time],
      );
      if (changes === 0) return false;
      db.run(
        `INSERT INTO check_state (agent, check_name, result_seq, time) VALUES (?, ?, ?, ?)
         ON CONFLICT (agent, check_name) DO UPDATE SET result_seq = excluded.result_seq, time = excluded.time WHERE excluded.time >= check_state.time`,
        [r.agent, r.check, lastInsertRowid, r.time],
      );
      if (alert !== undefined) insertNotification(db, alert);
      return true;
    });
  }

  checkResults(query?: Query & { check?: string }): Promise<CheckResultRecord[]> {
    return this.op((db) => {
      const w = where(query, query?.check !== undefined ? [["check_name", "=", query.check]] : []);
      const q = limited("check_results", query, w);
      return (db.all(q.sql, q.values) as Row[]).map(resultFrom);
    });
  }

  checkStates(agent?: string): Promise<CheckResultRecord[]> {
    return this.op((db) => {
      const sql = `SELECT r.* FROM check_state s JOIN check_results r ON r.seq = s.result_seq ${agent === undefined ? "" : "WHERE s.agent = ?"} ORDER BY s.agent, s.check_name`;
      return (db.all(sql, agent === undefined ? [] : [agent]) as Row[]).map(resultFrom);
    });
  }

  // ---- notifications ----

  addNotification(n: NotificationRecord): Promise<boolean> {
    return this.op((db) => insertNotification(db, n));
  }

  notifications(query?: NotificationQuery): Promise<NotificationRecord[]> {
    return this.op((db) => {
      const w = where(query, query?.group === undefined ? [] : [["group_key", "=", query.group]]);
      if (query?.unacknowledged === true)
        w.sql = w.sql === "" ? "WHERE acknowledged_by IS NULL" : `${w.sql} AND acknowledged_by IS NULL`;
      const q = limited("notifications", query, w);
      return (db.all(q.sql, q.values) as Row[]).map(notificationFrom);
    });
  }

  acknowledgeNotification(agent: string, id: string, by: string, time: number): Promise<boolean> {
    return this.op((db) => {
      const { changes } = db.run(
        "UPDATE notifications SET acknowledged_by = ?, acknowledged_at = ? WHERE agent = ? AND id = ? AND acknowledged_by IS NULL",
        [by, time, agent, id],
      );
      if (changes > 0) audit(db, { time, actor: by, action: "ack", target: `${agent}/${id}` });
      return changes > 0;
    });
  }

  putSilence(silence: SilenceRecord): Promise<void> {
    return this.op((db) => {
      db.run(
        "INSERT INTO silences (id, spec, starts, ends) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, starts = excluded.starts, ends = excluded.ends",
        [silence.id, JSON.stringify(silence), silence.starts, silence.ends],
      );
      audit(db, {
        time: silence.created,
        actor: silence.by,
        action: "silence",
        target: silence.id,
        detail: JSON.stringify(silence),
      });
    });
  }

  endSilence(id: string, by: string, time: number): Promise<boolean> {
    return this.op((db) => {
      const row = db.get("SELECT spec FROM silences WHERE id = ? AND ends > ?", [id, time]);
      if (row === null) return false;
      const silence = { ...(JSON.parse(str(row.spec)) as SilenceRecord), ends: time };
      db.run("UPDATE silences SET spec = ?, ends = ? WHERE id = ?", [JSON.stringify(silence), time, id]);
      audit(db, { time, actor: by, action: "end-silence", target: id });
      return true;
    });
  }

  silences(query: { activeAt?: number; upcoming?: boolean } = {}): Promise<SilenceRecord[]> {
    return this.op((db) => {
      const at = query.activeAt;
      const rows =
        at === undefined
          ? db.all("SELECT spec FROM silences ORDER BY starts, id")
          : query.upcoming === true
            ? db.all("SELECT spec FROM silences WHERE ends > ? ORDER BY starts, id", [at])
            : db.all("SELECT spec FROM silences WHERE starts <= ? AND ends > ? ORDER BY starts, id", [at, at]);
      return rows.map((r) => JSON.parse(str(r.spec)) as SilenceRecord);
    });
  }

  auditLog(query: { limit?: number; since?: number } = {}): Promise<AuditRecord[]> {
    return this.op((db) => {
      const w = where(query.since === undefined ? undefined : { since: query.since });
      const q = limited("audit", query, w);
      return db.all(q.sql, q.values).map((r) => {
        const out: AuditRecord = {
          time: num(r.time),
          actor: str(r.actor),
          action: str(r.action),
          target: str(r.target),
        };
        put(out, "detail", r.detail);
        return out;
      });
    });
  }

  // ---- actions and deliveries ----

  putAction(action: NotificationAction): Promise<void> {
    return this.op((db) => {
      db.run(
        "INSERT INTO actions (name, spec, updated) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated = excluded.updated",
        [action.name, JSON.stringify(action), Date.now()],
      );
    });
  }

  removeAction(name: string, by: string, time: number): Promise<boolean> {
    return this.op((db) => {
      if (db.run("DELETE FROM actions WHERE name = ?", [name]).changes === 0) return false;
      audit(db, { time, actor: by, action: "remove-action", target: name });
      db.run(
        "UPDATE deliveries SET state = 'abandoned', done_by = ?, done_at = ?, lease_owner = NULL, lease_until = NULL, last_error = 'action removed' WHERE action = ? AND state = 'pending'",
        [by, time, name],
      );
      return true;
    });
  }

  actions(): Promise<NotificationAction[]> {
    return this.op((db) =>
      db.all("SELECT spec FROM actions ORDER BY name").map((r) => validAction(JSON.parse(str(r.spec)))),
    );
  }

  claimDeliveries(claim: DeliveryClaim): Promise<DeliveryJob[]> {
    return this.op((db) => {
      const rows = db.all(
        `SELECT d.*, a.spec FROM deliveries d LEFT JOIN actions a ON a.name = d.action
         WHERE d.state = 'pending' AND d.due_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)
         ORDER BY d.due_at LIMIT ?`,
        [claim.now, claim.now, claim.limit],
      );
      const jobs: DeliveryJob[] = [];
      for (const r of rows) {
        const n = db.get("SELECT * FROM notifications WHERE agent = ? AND id = ?", [r.agent, r.notification]);
        if (r.spec === null || n === null) {
          db.run(
            "UPDATE deliveries SET state = 'abandoned', done_by = 'store', done_at = ?, last_error = ? WHERE seq = ?",
            [claim.now, r.spec === null ? "action removed" : "notification pruned", r.seq],
          );
          continue;
        }
        const action = validAction(JSON.parse(str(r.spec)));
        if (n.acknowledged_by !== null && (action.after !== undefined || action.repeat !== undefined)) {
          // An escalation or a repeat is for alerts nobody has acknowledged.
          db.run(
            "UPDATE deliveries SET state = 'abandoned', done_by = 'store', done_at = ?, last_error = 'acknowledged' WHERE seq = ?",
            [claim.now, r.seq],
          );
          continue;
        }
        db.run("UPDATE deliveries SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE seq = ?", [
          claim.owner,
          claim.leaseUntil,
          r.seq,
        ]);
        jobs.push({
          delivery: deliveryFrom({ ...r, attempts: num(r.attempts) + 1 }),
          notification: notificationFrom(n),
          action: validAction(JSON.parse(str(r.spec))),
        });
      }
      return jobs;
    });
  }

  finishDelivery(o: DeliveryOutcomeRecord): Promise<boolean> {
    return this.op((db) => {
      const row = db.get(
        "SELECT seq, action, attempts, agent, notification FROM deliveries WHERE id = ? AND state = 'pending' AND lease_owner = ?",
        [o.id, o.owner],
      );
      if (row === null) return false;
      if (!o.ok) {
        db.run(
          "UPDATE deliveries SET due_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE seq = ?",
          [o.retryAt ?? o.now, o.error ?? null, row.seq],
        );
        return true;
      }
      db.run(
        "UPDATE deliveries SET state = 'delivered', done_by = ?, done_at = ?, lease_owner = NULL, lease_until = NULL WHERE seq = ?",
        [o.owner, o.now, row.seq],
      );
      // The target is back: what waited for it (having failed) goes now.
      if (num(row.attempts) > 1)
        db.run(
          "UPDATE deliveries SET due_at = ? WHERE action = ? AND state = 'pending' AND attempts > 0 AND due_at > ?",
          [o.now, row.action, o.now],
        );
      const spec = db.get("SELECT spec FROM actions WHERE name = ?", [row.action]);
      const repeat = spec === null ? undefined : validAction(JSON.parse(str(spec.spec))).repeat;
      if (repeat !== undefined) {
        const n = db.get("SELECT agent, id FROM notifications WHERE agent = ? AND id = ? AND acknowledged_by IS NULL", [
          row.agent,
          row.notification,
        ]);
        if (n !== null) addDelivery(db, { agent: str(n.agent), id: str(n.id) }, str(row.action), o.now + repeat);
      }
      return true;
    });
  }

  abandonDelivery(id: string, by: string, time: number): Promise<boolean> {
    return this.op((db) => {
      const row = db.get("SELECT action FROM deliveries WHERE id = ? AND state = 'pending'", [id]);
      if (row === null) return false;
      db.run(
        "UPDATE deliveries SET state = 'abandoned', done_by = ?, done_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
        [by, time, id],
      );
      audit(db, { time, actor: by, action: "give-up", target: id, detail: JSON.stringify({ action: row.action }) });
      return true;
    });
  }

  deliveries(query: DeliveryQuery = {}): Promise<DeliveryRecord[]> {
    return this.op((db) => {
      const parts: string[] = [];
      const values: SQLiteValue[] = [];
      for (const [column, value] of [
        ["state", query.state],
        ["agent", query.agent],
        ["notification", query.notification],
      ] as const) {
        if (value === undefined) continue;
        parts.push(`${column} = ?`);
        values.push(value);
      }
      const q = limited("deliveries", query, { sql: parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "", values });
      return db.all(q.sql, q.values).map(deliveryFrom);
    });
  }

  // ---- settings ----

  putSetting(key: string, value: unknown): Promise<void> {
    return this.op((db) => {
      if (value === null) db.run("DELETE FROM settings WHERE key = ?", [key]);
      else
        db.run(
          "INSERT INTO settings (key, value, updated) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated",
          [key, JSON.stringify(value), Date.now()],
        );
    });
  }

  setting(key: string): Promise<unknown> {
    return this.op((db) => {
      const row = db.get("SELECT value FROM settings WHERE key = ?", [key]);
      return row === null ? undefined : (JSON.parse(str(row.value)) as unknown);
    });
  }

  // ---- stats ----

  addStats(agent: string, messageId: string, stats: readonly StatRecordInput[]): Promise<boolean> {
    return this.op((db) => {
      const { changes } = db.run(
        "INSERT INTO stat_batches (agent, id, received) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [agent, messageId, Date.now()],
      );
      if (changes === 0) return false;
      // Multi-row statements, STAT_ROWS rows each: far fewer statements than one per point.
      const latest = new Map<string, StatRecordInput>();
      for (const s of stats) {
        const seen = latest.get(s.name);
        if (seen === undefined || s.time >= seen.time) latest.set(s.name, s);
      }
      const row = (s: StatRecordInput): SQLiteValue[] => [
        agent,
        s.name,
        s.value,
        s.time,
        s.kind ?? null,
        s.unit ?? null,
        s.process ?? null,
      ];
      for (let i = 0; i < stats.length; i += STAT_ROWS) {
        const chunk = stats.slice(i, i + STAT_ROWS);
        db.run(
          `INSERT INTO stats (agent, name, value, time, kind, unit, process) VALUES ${placeholders(chunk.length)}`,
          chunk.flatMap(row),
        );
      }
      // One row per name: an upsert may not touch the same row twice in one statement.
      const newest = [...latest.values()];
      for (let i = 0; i < newest.length; i += STAT_ROWS) {
        const chunk = newest.slice(i, i + STAT_ROWS);
        db.run(
          `INSERT INTO stat_latest (agent, name, value, time, kind, unit, process) VALUES ${placeholders(chunk.length)}
           ON CONFLICT (agent, name) DO UPDATE SET value = excluded.value, time = excluded.time, kind = excluded.kind,
             unit = excluded.unit, process = excluded.process WHERE excluded.time >= stat_latest.time`,
          chunk.flatMap(row),
        );
      }
      return true;
    });
  }

  stats(query?: Query & { name?: string }): Promise<StatRecord[]> {
    return this.op((db) => {
      const w = where(query, query?.name !== undefined ? [["name", "=", query.name]] : []);
      const q = limited("stats", query, w);
      return (db.all(q.sql, q.values) as Row[]).map(statFrom);
    });
  }

  latestStats(agent?: string): Promise<StatRecord[]> {
    return this.op((db) => {
      const rows = (
        agent === undefined
          ? db.all("SELECT * FROM stat_latest")
          : db.all("SELECT * FROM stat_latest WHERE agent = ?", [agent])
      ) as Row[];
      return rows.map(statFrom);
    });
  }

  // ---- schedule ----

  claimCheckRun(claim: CheckClaim): Promise<boolean> {
    return this.op(
      (db) =>
        db.run(
          `INSERT INTO check_schedule (agent, check_name, due_at, owner) VALUES (?, ?, ?, ?)
           ON CONFLICT (agent, check_name) DO UPDATE SET due_at = excluded.due_at, owner = excluded.owner WHERE check_schedule.due_at <= ?`,
          [claim.agent, claim.check, claim.nextDue, claim.owner, claim.now],
        ).changes > 0,
    );
  }

  /** Deletes points older than the retention (stats, check results that are no check's latest, presence history). */
  prune(now = Date.now()): Promise<void> {
    const before = now - this.retention;
    return this.op((db) => {
      db.run("DELETE FROM stats WHERE time < ?", [before]);
      db.run("DELETE FROM stat_batches WHERE received < ?", [before]);
      db.run("DELETE FROM check_results WHERE time < ? AND seq NOT IN (SELECT result_seq FROM check_state)", [before]);
      db.run("DELETE FROM presence_history WHERE time < ?", [before]);
      db.run("DELETE FROM deliveries WHERE state <> 'pending' AND done_at < ?", [before]);
    });
  }

  /** Commits what is queued, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.op(() => undefined).catch(() => undefined);
    this.closed = true;
    if (this.pruner !== null) clearInterval(this.pruner);
    this.cancelFlush();
    for (const op of this.queue.splice(0)) op.reject(new Error("The store is closed"));
    this.statements.finalize();
    this.db.close();
    this.lock.unregister();
  }

  // ---- the batch ----

  private op<T>(run: (db: Statements) => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error("The store is closed"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      // A full batch does not wait for the delay.
      if (this.queue.length >= this.maxBatch) this.cancelFlush();
      if (this.scheduled === null) {
        this.scheduled =
          this.batchDelay > 0 && this.queue.length < this.maxBatch
            ? setTimeout(() => this.flush(), this.batchDelay)
            : setImmediate(() => this.flush());
      }
    });
  }

  private cancelFlush(): void {
    const scheduled = this.scheduled;
    this.scheduled = null;
    if (scheduled === null) return;
    if ("refresh" in scheduled) clearTimeout(scheduled);
    else clearImmediate(scheduled);
  }

  private flush(): void {
    this.scheduled = null;
    if (this.closed || this.queue.length === 0) return;
    const batch = this.queue.slice(0, this.maxBatch);
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db.exec("BEGIN IMMEDIATE");
    } catch (err) {
      if (isBusy(err)) return this.retryBusy();
      return this.fail(batch, err);
    }
    this.lock.held();
    try {
      for (const op of batch) {
        // A savepoint per operation: one that fails is undone alone and rejected alone.
        this.db.exec("SAVEPOINT op");
        try {
          results.push({ ok: true, value: op.run(this.statements) });
          this.db.exec("RELEASE op");
        } catch (error) {
          this.db.exec("ROLLBACK TO op; RELEASE op");
          results.push({ ok: false, error });
        }
      }
      this.db.exec("COMMIT");
    } catch (err) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      this.lock.released();
      return this.fail(batch, err);
    }
    this.lock.released();
    this.queue.splice(0, batch.length);
    this.counters.transactions += 1;
    this.counters.operations += batch.length;
    // Settled only now: COMMIT has returned, so the data is on disk.
    batch.forEach((op, i) => {
      const r = results[i]!;
      if (r.ok) op.resolve(r.value);
      else op.reject(r.error);
    });
    if (this.queue.length > 0) this.scheduled = setImmediate(() => this.flush());
  }

  private fail(batch: Operation[], err: unknown): void {
    this.counters.failed += 1;
    this.queue.splice(0, batch.length);
    for (const op of batch) op.reject(err);
    if (this.queue.length > 0) this.scheduled = setImmediate(() => this.flush());
  }

  /** Another process holds the lock: try again soon, breaking the lock if its holder died. */
  private retryBusy(): void {
    this.counters.busy += 1;
    if (this.lock.breakIfStale()) this.counters.staleLocks += 1;
    this.scheduled = setTimeout(() => this.flush(), 2 + Math.floor(Math.random() * 10));
  }
}
