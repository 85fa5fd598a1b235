import { rollBackHotJournal } from "./sqlite-recovery.js";
import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Database as SqliteDatabase, SQLiteValue, Statement } from "node-sqlite3-wasm";
import { MIGRATIONS, SCHEMA_VERSION } from "./sqlite-schema.js";
import type { CheckDeclaration, CheckStatus, Severity, StatKind, Trigger } from "../wire/schema.js";
import type {
  AgentRecord,
  CheckClaim,
  CheckResultRecord,
  NotificationRecord,
  PresenceEvent,
  PresenceKey,
  PresenceRecord,
  PresenceState,
  Query,
  RegistrationRecord,
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
  /** A lock older than this (ms) left by a process that died mid-transaction is broken. Default 5000. */
  staleLockAfter?: number;
}

export interface SqliteStoreCounters {
  /** Transactions committed. */
  transactions: number;
  /** Operations carried by them. */
  operations: number;
  /** Times the database was locked by another process (the batch is retried). */
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

/** Runs `fn` in a transaction: the schema migrations, each with its version bump. */
function transaction(db: SqliteDatabase, fn: () => void): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    fn();
    db.exec("COMMIT");
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

/** Applies the migrations missing from `db`, up to `target`. Returns the version before. */
export function migrate(db: SqliteDatabase, target = SCHEMA_VERSION): number {
  const before = Number((db.get("PRAGMA user_version") as Row).user_version);
  if (before > SCHEMA_VERSION)
    throw new Error(
      `The database has schema version ${before}, newer than this program's ${SCHEMA_VERSION}: upgrade zmtp`,
    );
  for (const m of MIGRATIONS) {
    if (m.version <= before || m.version > target) continue;
    transaction(db, () => {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
    });
  }
  return before;
}

const isBusy = (err: unknown): boolean => err instanceof Error && /database is locked|SQLITE_BUSY/i.test(err.message);
const str = (v: SQLiteValue): string => v as string;
const num = (v: SQLiteValue): number => Number(v);
/** Optional columns: NULL becomes an absent field. */
function put<T extends object>(
  out: T,
  key: keyof T & string,
  value: SQLiteValue,
  map: (v: SQLiteValue) => unknown = (v) => v,
): void {
  if (value !== null) (out as Record<string, unknown>)[key] = map(value);
}

function resultFrom(r: Row): CheckResultRecord {
  const out: CheckResultRecord = {
    agent: str(r.agent),
    id: str(r.id),
    check: str(r.check_name),
    status: num(r.status) as CheckStatus,
    text: str(r.text),
    perfdata: str(r.perfdata),
    duration: num(r.duration),
    trigger: str(r.trigger) as Trigger,
    time: num(r.time),
  };
  put(out, "ref", r.ref);
  return out;
}

function statFrom(r: Row): StatRecord {
  const out: StatRecord = { agent: str(r.agent), name: str(r.name), value: num(r.value), time: num(r.time) };
  put(out, "kind", r.kind, (v) => v as StatKind);
  put(out, "unit", r.unit);
  put(out, "process", r.process);
  return out;
}

function notificationFrom(r: Row): NotificationRecord {
  const out: NotificationRecord = {
    agent: str(r.agent),
    id: str(r.id),
    severity: str(r.severity) as Severity,
    text: str(r.text),
    time: num(r.time),
    received: num(r.received),
    acknowledged: r.acknowledged_by === null ? null : { by: str(r.acknowledged_by), time: num(r.acknowledged_at) },
  };
  put(out, "process", r.process);
  put(out, "check", r.check_name);
  return out;
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
  private readonly statements: Statements;
  private readonly maxBatch: number;
  private readonly batchDelay: number;
  private readonly retention: number;
  private readonly staleLockAfter: number;
  private readonly users: string;
  private queue: Operation[] = [];
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private busySince = 0;
  private readonly pruner: NodeJS.Timeout;
  private closed = false;

  /** Opens (creating it if needed) and migrates the database. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    return new SqliteStore(await loadSqlite(), options);
  }

  private constructor(sqlite: SqliteModule, options: SqliteStoreOptions) {
    this.path = options.path;
    this.maxBatch = options.maxBatch ?? 500;
    this.batchDelay = options.batchDelay ?? 5;
    this.retention = options.retention ?? 7 * DAY;
    this.staleLockAfter = options.staleLockAfter ?? 5000;
    mkdirSync(dirname(this.path), { recursive: true });
    // Which processes have the store open: a lock is stale at once when none but us is alive.
    this.users = `${this.path}.users`;
    mkdirSync(this.users, { recursive: true });
    if (!this.otherUserAlive()) {
      // Nobody else has the file open: a lock and a journal left now are a dead writer's.
      this.breakLock(0);
      if (rollBackHotJournal(this.path)) this.counters.recoveredJournals += 1;
    }
    writeFileSync(join(this.users, String(process.pid)), "");
    this.db = new sqlite.Database(this.path);
    try {
      this.db.exec("PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF");
      migrate(this.db);
      this.statements = new Statements(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.pruner = setInterval(() => void this.prune().catch(() => undefined), options.pruneInterval ?? 60_000);
    this.pruner.unref();
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

  heartbeat(key: PresenceKey, time: number, interval: number): Promise<PresenceState | "unknown"> {
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
      }
      db.run("INSERT INTO presence_history (agent, process, state, time) VALUES (?, ?, 'up', ?)", [
        key.agent,
        process,
        time,
      ]);
      return row === null ? "unknown" : (row.state as PresenceState);
    });
  }

  markDown(key: PresenceKey, lastSeen: number, time: number): Promise<boolean> {
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

  addCheckResult(r: CheckResultRecord): Promise<boolean> {
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
    return this.op((db) => {
      const { changes } = db.run(
        `INSERT INTO notifications (agent, id, severity, text, process, check_name, time, received, acknowledged_by, acknowledged_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent, id) DO NOTHING`,
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
        ],
      );
      return changes > 0;
    });
  }

  notifications(query?: Query & { unacknowledged?: boolean }): Promise<NotificationRecord[]> {
    return this.op((db) => {
      const w = where(query);
      if (query?.unacknowledged === true)
        w.sql = w.sql === "" ? "WHERE acknowledged_by IS NULL" : `${w.sql} AND acknowledged_by IS NULL`;
      const q = limited("notifications", query, w);
      return (db.all(q.sql, q.values) as Row[]).map(notificationFrom);
    });
  }

  acknowledgeNotification(agent: string, id: string, by: string, time: number): Promise<boolean> {
    return this.op(
      (db) =>
        db.run(
          "UPDATE notifications SET acknowledged_by = ?, acknowledged_at = ? WHERE agent = ? AND id = ? AND acknowledged_by IS NULL",
          [by, time, agent, id],
        ).changes > 0,
    );
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
    });
  }

  /** Commits what is queued, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.op(() => undefined).catch(() => undefined);
    this.closed = true;
    clearInterval(this.pruner);
    this.cancelFlush();
    for (const op of this.queue.splice(0)) op.reject(new Error("The store is closed"));
    this.statements.finalize();
    this.db.close();
    rmSync(join(this.users, String(process.pid)), { force: true });
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
    this.busySince = 0;
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
      return this.fail(batch, err);
    }
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
    const now = Date.now();
    if (this.busySince === 0) this.busySince = now;
    if (now - this.busySince > this.staleLockAfter) this.breakLock(this.staleLockAfter);
    this.scheduled = setTimeout(() => this.flush(), 2 + Math.floor(Math.random() * 10));
  }

  /** Removes the VFS lock directory if it is older than `age` ms. */
  private breakLock(age: number): void {
    try {
      const lock = `${this.path}.lock`;
      if (Date.now() - statSync(lock).mtimeMs < age) return;
      rmdirSync(lock);
      this.counters.staleLocks += 1;
      this.busySince = 0;
    } catch {
      // no lock, or another process took it meanwhile
    }
  }

  private otherUserAlive(): boolean {
    let alive = false;
    for (const name of readdirSync(this.users)) {
      const pid = Number(name);
      if (pid === process.pid) continue;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EPERM") alive = true;
        else rmSync(join(this.users, name), { force: true });
      }
    }
    return alive;
  }
}
