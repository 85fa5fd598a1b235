import { randomUUID } from "node:crypto";
import type { Pool, PoolClient, PoolConfig } from "pg";
import { actionMatches, validAction, type NotificationAction } from "../outputs/actions.js";
import type { CheckDeclaration } from "../wire/schema.js";
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from "./postgres-schema.js";
import { deliveryFrom, notificationFrom, num, put, resultFrom, statFrom, str } from "./rows.js";
import { DEDUP_SETTING, dedupWindow, notificationGroup, silenceCovers } from "./store.js";
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

export interface PostgresStoreOptions {
  /** postgresql://user:password@host:port/database (or ?host=/socket/dir), or a pg PoolConfig. */
  connection: string | PoolConfig;
  /** A schema of its own (created if missing): several deployments, or tests, in one database. Default public. */
  schema?: string;
  /** Operations per transaction at most. Default 1000. */
  maxBatch?: number;
  /** ms an operation may wait for others to share its transaction (group commit). Default 5. */
  batchDelay?: number;
  /** Transactions in flight at once (connections). Default 2. */
  concurrency?: number;
  /** How long points are kept (ms). Default 7 days. */
  retention?: number;
  /** ms between prunes. Default 60000. */
  pruneInterval?: number;
}

export interface PostgresStoreCounters {
  transactions: number;
  operations: number;
  /** Transactions retried after a deadlock or serialization failure with another process. */
  retried: number;
  failed: number;
  /** Statements run inside transactions (BEGIN and COMMIT aside). */
  statements: number;
}

type Row = Record<string, unknown>;

/** One client inside a transaction; what an operation runs its SQL through. */
class Tx {
  constructor(
    private readonly client: PoolClient,
    private readonly counted: () => void = () => undefined,
  ) {}

  async rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    this.counted();
    return (await this.client.query(sql, values)).rows as Row[];
  }

  async row(sql: string, values: unknown[] = []): Promise<Row | null> {
    return (await this.rows(sql, values))[0] ?? null;
  }

  async run(sql: string, values: unknown[] = []): Promise<number> {
    this.counted();
    return (await this.client.query(sql, values)).rowCount ?? 0;
  }
}

interface Operation {
  run(tx: Tx): Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** Stats batches are merged across the operations of a transaction (addStats). */
  stats?: { agent: string; id: string; points: readonly StatRecordInput[] };
  /**
   * So are heartbeats of keys that are up (one UPDATE for all; the others run alone) and agents'
   * last-seen times (one upsert): a heartbeat sink's load is mostly these two.
   */
  heartbeat?: { agent: string; process: string; time: number; interval: number };
  touch?: { agent: string; time: number; hostname: string | null };
}

const DAY = 24 * 3600 * 1000;
/** Advisory lock key for migrations (any constant of our own). */
const MIGRATION_LOCK = 7_301_975_221;
/** SQLSTATEs worth a retry: another transaction got in the way. */
const RETRYABLE = new Set(["40001", "40P01"]);

function limitedSql(table: string, where: string, values: unknown[], limit: number | undefined): [string, unknown[]] {
  if (limit === undefined) return [`SELECT * FROM ${table} ${where} ORDER BY seq`, values];
  return [
    `SELECT * FROM (SELECT * FROM ${table} ${where} ORDER BY seq DESC LIMIT $${values.length + 1}) t ORDER BY seq`,
    [...values, limit],
  ];
}

/** WHERE for a Query and extra equalities, with $n placeholders. */
function whereOf(query: Query | undefined, extra: Array<[string, unknown]> = []): [string, unknown[]] {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    values.push(value);
    parts.push(sql.replace("?", `$${values.length}`));
  };
  if (query?.agent !== undefined) add("agent = ?", query.agent);
  if (query?.since !== undefined) add("time >= ?", query.since);
  for (const [column, value] of extra) add(`${column} = ?`, value);
  return [parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "", values];
}

async function insertNotification(tx: Tx, n: NotificationRecord): Promise<boolean> {
  const silence = (await tx.rows("SELECT spec FROM silences WHERE starts <= $1 AND ends > $1", [n.received]))
    .map((r) => JSON.parse(str(r.spec)) as SilenceRecord)
    .find((s) => silenceCovers(s, n));
  const group = notificationGroup(n);
  let duplicateOf: string | null = null;
  if (silence === undefined) {
    const setting = await tx.row("SELECT value FROM settings WHERE key = $1", [DEDUP_SETTING]);
    const window = dedupWindow(setting === null ? undefined : JSON.parse(str(setting.value)));
    const head = await tx.row(
      `SELECT id FROM notifications WHERE agent = $1 AND group_key = $2 AND received <= $3 AND received > $4
         AND acknowledged_by IS NULL AND silenced IS NULL AND duplicate_of IS NULL AND id <> $5
       ORDER BY received DESC LIMIT 1`,
      [n.agent, group, n.received, n.received - window, n.id],
    );
    duplicateOf = head === null ? null : str(head.id);
  }
  const inserted = await tx.run(
    `INSERT INTO notifications (agent, id, severity, text, process, check_name, time, received, acknowledged_by, acknowledged_at, kind, silenced, group_key, duplicate_of)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (agent, id) DO NOTHING`,
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
  if (inserted === 0) return false;
  if (silence !== undefined || duplicateOf !== null) return true; // stored and shown, not delivered
  for (const row of await tx.rows("SELECT spec FROM actions")) {
    const action = JSON.parse(str(row.spec)) as NotificationAction;
    if (!actionMatches(action, n.severity)) continue;
    await addDelivery(tx, n, action.name, n.received + (action.after ?? 0));
  }
  return true;
}

/** A pending delivery of a notification by an action, due at `dueAt`. */
function addDelivery(tx: Tx, n: { agent: string; id: string }, action: string, dueAt: number): Promise<number> {
  return tx.run(
    `INSERT INTO deliveries (id, agent, notification, action, state, attempts, due_at, created)
     VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)`,
    [randomUUID(), n.agent, n.id, action, dueAt],
  );
}

function audit(tx: Tx, a: AuditRecord): Promise<number> {
  return tx.run("INSERT INTO audit (time, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)", [
    a.time,
    a.actor,
    a.action,
    a.target,
    a.detail ?? null,
  ]);
}

/**
 * The Store on a PostgreSQL server, through the pure-JavaScript `pg` client: the shared store for
 * deployments whose sinks and schedulers run on several hosts. It keeps the same contract as the
 * SQLite store (test/store/store-contract.ts runs against both):
 *
 * - operations queue and run together in transactions (group commit: up to `maxBatch`, gathered
 *   for at most `batchDelay` ms), and each promise settles after COMMIT; the stats of all the
 *   batches in a transaction go in one multi-row INSERT (unnest of arrays), so a busy stats sink
 *   costs a few statements per transaction, not per point;
 * - compare-and-set steps are single statements (INSERT ... ON CONFLICT ... WHERE, UPDATE ...
 *   WHERE) or row locks (SELECT ... FOR UPDATE SKIP LOCKED for delivery leases), so they hold
 *   across processes and hosts: check claims are the schedulers' leases wherever they run;
 * - a transaction that fails with a deadlock or serialization failure is retried; one that fails
 *   otherwise is run again one operation per transaction, so that only the bad one is rejected.
 */
export class PostgresStore implements Store {
  readonly counters: PostgresStoreCounters = { transactions: 0, operations: 0, retried: 0, failed: 0, statements: 0 };
  private readonly maxBatch: number;
  private readonly batchDelay: number;
  private readonly concurrency: number;
  private readonly retention: number;
  private queue: Operation[] = [];
  private scheduled: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private running = 0;
  private pruner: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    options: PostgresStoreOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.batchDelay = options.batchDelay ?? 5;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.retention = options.retention ?? 7 * DAY;
  }

  /** Connects and migrates (several processes opening one database at once migrate it once). */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pg = (await import("pg")).default;
    const base: PoolConfig =
      typeof options.connection === "string" ? { connectionString: options.connection } : { ...options.connection };
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new TypeError(`schema "${schema}": lower-case letters, digits and _`);
    const pool = new pg.Pool({
      ...base,
      max: Math.max(2, (options.concurrency ?? 2) + 1),
      ...(schema !== undefined && { options: `-c search_path=${schema}` }),
    });
    pool.on("error", () => undefined); // an idle client's connection dropped: the pool replaces it
    const store = new PostgresStore(pool, options);
    try {
      await store.migrate(schema);
    } catch (err) {
      await pool.end();
      throw err;
    }
    store.pruner = setInterval(() => void store.prune().catch(() => undefined), options.pruneInterval ?? 60_000);
    store.pruner.unref();
    return store;
  }

  get schemaVersion(): number {
    return PG_SCHEMA_VERSION;
  }

  private async migrate(schema: string | undefined): Promise<void> {
    const client = await this.pool.connect();
    try {
      if (schema !== undefined) {
        // Under the lock too: two CREATE SCHEMA IF NOT EXISTS at once can still collide.
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query("COMMIT");
      }
      for (const m of PG_MIGRATIONS) {
        await client.query("BEGIN");
        try {
          // One migrator at a time, whichever host it runs on; the version read under the lock.
          await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
          await client.query("CREATE TABLE IF NOT EXISTS zmtp_monitor_schema (version integer NOT NULL)");
          const row = (await client.query("SELECT max(version) AS v FROM zmtp_monitor_schema")).rows[0] as Row;
          const version = row.v === null ? 0 : num(row.v);
          if (version > PG_SCHEMA_VERSION)
            throw new Error(
              `The database has schema version ${version}, newer than this program's ${PG_SCHEMA_VERSION}: upgrade zmtp`,
            );
          if (version < m.version) {
            await client.query(m.sql);
            await client.query("INSERT INTO zmtp_monitor_schema (version) VALUES ($1)", [m.version]);
          }
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw err;
        }
      }
    } finally {
      client.release();
    }
  }

  // ---- agents ----

  touchAgent(agent: string, time: number, hostname?: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error("The store is closed"));
    const touch = { agent, time, hostname: hostname ?? null };
    return new Promise<void>((resolve, reject) =>
      // Run by the batch as a group (touchAgents), not alone: see commit().
      this.enqueue({ run: (tx) => touchAgents(tx, [touch]), resolve: resolve as (v: unknown) => void, reject, touch }),
    );
  }

  agents(): Promise<AgentRecord[]> {
    return this.op(async (tx) =>
      (await tx.rows("SELECT * FROM agents ORDER BY first_seen, id")).map((r) => {
        const out: AgentRecord = { id: str(r.id), firstSeen: num(r.first_seen), lastSeen: num(r.last_seen) };
        put(out, "hostname", r.hostname);
        return out;
      }),
    );
  }

  decommission(agent: string, by: string, time: number): Promise<boolean> {
    return this.op(async (tx) => {
      if ((await tx.run("DELETE FROM agents WHERE id = $1", [agent])) === 0) return false;
      for (const table of ["registrations", "presence", "check_state", "check_schedule"])
        await tx.run(`DELETE FROM ${table} WHERE agent = $1`, [agent]);
      await tx.run(
        "UPDATE deliveries SET state = 'abandoned', done_by = $1, done_at = $2, lease_owner = NULL, lease_until = NULL, last_error = 'decommissioned' WHERE agent = $3 AND state = 'pending'",
        [by, time, agent],
      );
      await audit(tx, { time, actor: by, action: "decommission", target: agent });
      return true;
    });
  }

  // ---- registrations ----

  putRegistration(reg: RegistrationRecord): Promise<void> {
    return this.op(async (tx) => {
      await tx.run(
        `INSERT INTO registrations (agent, process, pid, version, hostname, checks, time) VALUES ($1, $2, $3, $4, $5, $6, $7)
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
    return this.op(async (tx) => {
      const rows =
        agent === undefined
          ? await tx.rows("SELECT * FROM registrations ORDER BY agent, process")
          : await tx.rows("SELECT * FROM registrations WHERE agent = $1 ORDER BY process", [agent]);
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
    if (this.closed) return Promise.reject(new Error("The store is closed"));
    return new Promise((resolve, reject) =>
      this.enqueue({
        // A key that was up is refreshed with the batch's others (refreshPresence); this runs for the rest.
        run: (tx) => this.heartbeatAlone(tx, key, time, interval, upAlert),
        resolve: resolve as (v: unknown) => void,
        reject,
        heartbeat: { agent: key.agent, process: key.process ?? "", time, interval },
      }),
    );
  }

  private heartbeatAlone(
    tx: Tx,
    key: PresenceKey,
    time: number,
    interval: number,
    upAlert?: NotificationRecord,
  ): Promise<PresenceState | "unknown"> {
    return (async () => {
      const process = key.process ?? "";
      const history = (): Promise<number> =>
        tx.run("INSERT INTO presence_history (agent, process, state, time) VALUES ($1, $2, 'up', $3)", [
          key.agent,
          process,
          time,
        ]);
      const inserted = await tx.run(
        `INSERT INTO presence (agent, process, state, last_seen, interval, since) VALUES ($1, $2, 'up', $3, $4, $3)
         ON CONFLICT (agent, process) DO NOTHING`,
        [key.agent, process, time, interval],
      );
      if (inserted > 0) {
        await history();
        return "unknown";
      }
      const row = await tx.row("SELECT state FROM presence WHERE agent = $1 AND process = $2 FOR UPDATE", [
        key.agent,
        process,
      ]);
      if (row!.state === "up") {
        await tx.run(
          "UPDATE presence SET last_seen = GREATEST(last_seen, $1), interval = $2 WHERE agent = $3 AND process = $4",
          [time, interval, key.agent, process],
        );
        return "up";
      }
      await tx.run(
        "UPDATE presence SET state = 'up', last_seen = GREATEST(last_seen, $1), interval = $2, since = $1 WHERE agent = $3 AND process = $4",
        [time, interval, key.agent, process],
      );
      await history();
      if (upAlert !== undefined) await insertNotification(tx, upAlert);
      return "down" as const;
    })();
  }

  markDown(key: PresenceKey, lastSeen: number, time: number, downAlert?: NotificationRecord): Promise<boolean> {
    return this.op(async (tx) => {
      const process = key.process ?? "";
      const changed = await tx.run(
        "UPDATE presence SET state = 'down', since = $1 WHERE agent = $2 AND process = $3 AND state = 'up' AND last_seen = $4",
        [time, key.agent, process, lastSeen],
      );
      if (changed === 0) return false;
      await tx.run("INSERT INTO presence_history (agent, process, state, time) VALUES ($1, $2, 'down', $3)", [
        key.agent,
        process,
        time,
      ]);
      if (downAlert !== undefined) await insertNotification(tx, downAlert);
      return true;
    });
  }

  presence(): Promise<PresenceRecord[]> {
    return this.op(async (tx) =>
      (await tx.rows("SELECT * FROM presence ORDER BY agent, process")).map((r) => ({
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
    return this.op(async (tx) => {
      const rows =
        agent === undefined
          ? await tx.rows("SELECT * FROM presence_history ORDER BY seq")
          : await tx.rows("SELECT * FROM presence_history WHERE agent = $1 ORDER BY seq", [agent]);
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
    return this.op(async (tx) => {
      const inserted = await tx.rows(
        `INSERT INTO check_results (agent, id, check_name, status, text, perfdata, duration, trigger, ref, time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (agent, id) DO NOTHING RETURNING seq`,
        [r.agent, r.id, r.check, r.status, r.text, r.perfdata, r.duration, r.trigger, r.ref ?? null, r.time],
      );
      if (inserted.length === 0) return false;
      await tx.run(
        `INSERT INTO check_state (agent, check_name, result_seq, time) VALUES ($1, $2, $3, $4)
         ON CONFLICT (agent, check_name) DO UPDATE SET result_seq = excluded.result_seq, time = excluded.time
         WHERE excluded.time >= check_state.time`,
        [r.agent, r.check, inserted[0]!.seq, r.time],
      );
      if (alert !== undefined) await insertNotification(tx, alert);
      return true;
    });
  }

  checkResults(query?: Query & { check?: string }): Promise<CheckResultRecord[]> {
    return this.op(async (tx) => {
      const [where, values] = whereOf(query, query?.check !== undefined ? [["check_name", query.check]] : []);
      const [sql, all] = limitedSql("check_results", where, values, query?.limit);
      return (await tx.rows(sql, all)).map(resultFrom);
    });
  }

  checkStates(agent?: string): Promise<CheckResultRecord[]> {
    return this.op(async (tx) => {
      const sql = `SELECT r.* FROM check_state s JOIN check_results r ON r.seq = s.result_seq ${agent === undefined ? "" : "WHERE s.agent = $1"} ORDER BY s.agent, s.check_name`;
      return (await tx.rows(sql, agent === undefined ? [] : [agent])).map(resultFrom);
    });
  }

  // ---- notifications ----

  addNotification(n: NotificationRecord): Promise<boolean> {
    return this.op((tx) => insertNotification(tx, n));
  }

  notifications(query?: NotificationQuery): Promise<NotificationRecord[]> {
    return this.op(async (tx) => {
      const [base, values] = whereOf(query, query?.group === undefined ? [] : [["group_key", query.group]]);
      const where =
        query?.unacknowledged !== true
          ? base
          : base === ""
            ? "WHERE acknowledged_by IS NULL"
            : `${base} AND acknowledged_by IS NULL`;
      const [sql, all] = limitedSql("notifications", where, values, query?.limit);
      return (await tx.rows(sql, all)).map(notificationFrom);
    });
  }

  acknowledgeNotification(agent: string, id: string, by: string, time: number): Promise<boolean> {
    return this.op(async (tx) => {
      const changed = await tx.run(
        "UPDATE notifications SET acknowledged_by = $1, acknowledged_at = $2 WHERE agent = $3 AND id = $4 AND acknowledged_by IS NULL",
        [by, time, agent, id],
      );
      if (changed > 0) await audit(tx, { time, actor: by, action: "ack", target: `${agent}/${id}` });
      return changed > 0;
    });
  }

  putSilence(silence: SilenceRecord): Promise<void> {
    return this.op(async (tx) => {
      await tx.run(
        "INSERT INTO silences (id, spec, starts, ends) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, starts = excluded.starts, ends = excluded.ends",
        [silence.id, JSON.stringify(silence), silence.starts, silence.ends],
      );
      await audit(tx, {
        time: silence.created,
        actor: silence.by,
        action: "silence",
        target: silence.id,
        detail: JSON.stringify(silence),
      });
    });
  }

  endSilence(id: string, by: string, time: number): Promise<boolean> {
    return this.op(async (tx) => {
      const row = await tx.row("SELECT spec FROM silences WHERE id = $1 AND ends > $2 FOR UPDATE", [id, time]);
      if (row === null) return false;
      const silence = { ...(JSON.parse(str(row.spec)) as SilenceRecord), ends: time };
      await tx.run("UPDATE silences SET spec = $1, ends = $2 WHERE id = $3", [JSON.stringify(silence), time, id]);
      await audit(tx, { time, actor: by, action: "end-silence", target: id });
      return true;
    });
  }

  silences(query: { activeAt?: number; upcoming?: boolean } = {}): Promise<SilenceRecord[]> {
    return this.op(async (tx) => {
      const at = query.activeAt;
      const rows =
        at === undefined
          ? await tx.rows("SELECT spec FROM silences ORDER BY starts, id")
          : query.upcoming === true
            ? await tx.rows("SELECT spec FROM silences WHERE ends > $1 ORDER BY starts, id", [at])
            : await tx.rows("SELECT spec FROM silences WHERE starts <= $1 AND ends > $1 ORDER BY starts, id", [at]);
      return rows.map((r) => JSON.parse(str(r.spec)) as SilenceRecord);
    });
  }

  auditLog(query: { limit?: number; since?: number } = {}): Promise<AuditRecord[]> {
    return this.op(async (tx) => {
      const [where, values] = whereOf(query.since === undefined ? undefined : { since: query.since });
      const [sql, all] = limitedSql("audit", where, values, query.limit);
      return (await tx.rows(sql, all)).map((r) => {
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
    return this.op(async (tx) => {
      await tx.run(
        "INSERT INTO actions (name, spec, updated) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated = excluded.updated",
        [action.name, JSON.stringify(action), Date.now()],
      );
    });
  }

  removeAction(name: string, by: string, time: number): Promise<boolean> {
    return this.op(async (tx) => {
      if ((await tx.run("DELETE FROM actions WHERE name = $1", [name])) === 0) return false;
      await audit(tx, { time, actor: by, action: "remove-action", target: name });
      await tx.run(
        "UPDATE deliveries SET state = 'abandoned', done_by = $1, done_at = $2, lease_owner = NULL, lease_until = NULL, last_error = 'action removed' WHERE action = $3 AND state = 'pending'",
        [by, time, name],
      );
      return true;
    });
  }

  actions(): Promise<NotificationAction[]> {
    return this.op(async (tx) =>
      (await tx.rows("SELECT spec FROM actions ORDER BY name")).map((r) => validAction(JSON.parse(str(r.spec)))),
    );
  }

  claimDeliveries(claim: DeliveryClaim): Promise<DeliveryJob[]> {
    return this.op(async (tx) => {
      // Rows another dispatcher is claiming right now are skipped, not waited for.
      const rows = await tx.rows(
        `SELECT d.*, a.spec FROM deliveries d LEFT JOIN actions a ON a.name = d.action
         WHERE d.state = 'pending' AND d.due_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
         ORDER BY d.due_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED`,
        [claim.now, claim.limit],
      );
      const jobs: DeliveryJob[] = [];
      for (const r of rows) {
        const n = await tx.row("SELECT * FROM notifications WHERE agent = $1 AND id = $2", [r.agent, r.notification]);
        if (r.spec === null || n === null) {
          await tx.run(
            "UPDATE deliveries SET state = 'abandoned', done_by = 'store', done_at = $1, last_error = $2 WHERE seq = $3",
            [claim.now, r.spec === null ? "action removed" : "notification pruned", r.seq],
          );
          continue;
        }
        const action = validAction(JSON.parse(str(r.spec)));
        if (n.acknowledged_by !== null && (action.after !== undefined || action.repeat !== undefined)) {
          // An escalation or a repeat is for alerts nobody has acknowledged.
          await tx.run(
            "UPDATE deliveries SET state = 'abandoned', done_by = 'store', done_at = $1, last_error = 'acknowledged' WHERE seq = $2",
            [claim.now, r.seq],
          );
          continue;
        }
        await tx.run(
          "UPDATE deliveries SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 WHERE seq = $3",
          [claim.owner, claim.leaseUntil, r.seq],
        );
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
    return this.op(async (tx) => {
      const row = await tx.row(
        "SELECT seq, action, attempts, agent, notification FROM deliveries WHERE id = $1 AND state = 'pending' AND lease_owner = $2 FOR UPDATE",
        [o.id, o.owner],
      );
      if (row === null) return false;
      if (!o.ok) {
        await tx.run(
          "UPDATE deliveries SET due_at = $1, last_error = $2, lease_owner = NULL, lease_until = NULL WHERE seq = $3",
          [o.retryAt ?? o.now, o.error ?? null, row.seq],
        );
        return true;
      }
      await tx.run(
        "UPDATE deliveries SET state = 'delivered', done_by = $1, done_at = $2, lease_owner = NULL, lease_until = NULL WHERE seq = $3",
        [o.owner, o.now, row.seq],
      );
      // The target is back: what waited for it (having failed) goes now.
      if (num(row.attempts) > 1)
        await tx.run(
          "UPDATE deliveries SET due_at = $1 WHERE action = $2 AND state = 'pending' AND attempts > 0 AND due_at > $1",
          [o.now, row.action],
        );
      const spec = await tx.row("SELECT spec FROM actions WHERE name = $1", [row.action]);
      const repeat = spec === null ? undefined : validAction(JSON.parse(str(spec.spec))).repeat;
      if (repeat !== undefined) {
        const n = await tx.row(
          "SELECT agent, id FROM notifications WHERE agent = $1 AND id = $2 AND acknowledged_by IS NULL",
          [row.agent, row.notification],
        );
        if (n !== null) await addDelivery(tx, { agent: str(n.agent), id: str(n.id) }, str(row.action), o.now + repeat);
      }
      return true;
    });
  }

  abandonDelivery(id: string, by: string, time: number): Promise<boolean> {
    return this.op(async (tx) => {
      const row = await tx.row("SELECT action FROM deliveries WHERE id = $1 AND state = 'pending' FOR UPDATE", [id]);
      if (row === null) return false;
      await tx.run(
        "UPDATE deliveries SET state = 'abandoned', done_by = $1, done_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = $3",
        [by, time, id],
      );
      await audit(tx, {
        time,
        actor: by,
        action: "give-up",
        target: id,
        detail: JSON.stringify({ action: row.action }),
      });
      return true;
    });
  }

  deliveries(query: DeliveryQuery = {}): Promise<DeliveryRecord[]> {
    return this.op(async (tx) => {
      const extra: Array<[string, unknown]> = [];
      if (query.state !== undefined) extra.push(["state", query.state]);
      if (query.agent !== undefined) extra.push(["agent", query.agent]);
      if (query.notification !== undefined) extra.push(["notification", query.notification]);
      const [where, values] = whereOf(undefined, extra);
      const [sql, all] = limitedSql("deliveries", where, values, query.limit);
      return (await tx.rows(sql, all)).map(deliveryFrom);
    });
  }

  // ---- settings ----

  putSetting(key: string, value: unknown): Promise<void> {
    return this.op(async (tx) => {
      if (value === null) await tx.run("DELETE FROM settings WHERE key = $1", [key]);
      else
        await tx.run(
          "INSERT INTO settings (key, value, updated) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated",
          [key, JSON.stringify(value), Date.now()],
        );
    });
  }

  setting(key: string): Promise<unknown> {
    return this.op(async (tx) => {
      const row = await tx.row("SELECT value FROM settings WHERE key = $1", [key]);
      return row === null ? undefined : (JSON.parse(str(row.value)) as unknown);
    });
  }

  // ---- stats ----

  addStats(agent: string, messageId: string, stats: readonly StatRecordInput[]): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error("The store is closed"));
    return new Promise<boolean>((resolve, reject) => {
      // Run by the batch as a group (writeStats), not alone: see flush().
      this.enqueue({
        run: (tx) => writeStats(tx, [{ agent, id: messageId, points: stats }]).then((fresh) => fresh[0]!),
        resolve: resolve as (v: unknown) => void,
        reject,
        stats: { agent, id: messageId, points: stats },
      });
    });
  }

  stats(query?: Query & { name?: string }): Promise<StatRecord[]> {
    return this.op(async (tx) => {
      const [where, values] = whereOf(query, query?.name !== undefined ? [["name", query.name]] : []);
      const [sql, all] = limitedSql("stats", where, values, query?.limit);
      return (await tx.rows(sql, all)).map(statFrom);
    });
  }

  latestStats(agent?: string): Promise<StatRecord[]> {
    return this.op(async (tx) =>
      (agent === undefined
        ? await tx.rows("SELECT * FROM stat_latest")
        : await tx.rows("SELECT * FROM stat_latest WHERE agent = $1", [agent])
      ).map(statFrom),
    );
  }

  // ---- schedule ----

  claimCheckRun(claim: CheckClaim): Promise<boolean> {
    return this.op(
      async (tx) =>
        (await tx.run(
          `INSERT INTO check_schedule (agent, check_name, due_at, owner) VALUES ($1, $2, $3, $4)
           ON CONFLICT (agent, check_name) DO UPDATE SET due_at = excluded.due_at, owner = excluded.owner
           WHERE check_schedule.due_at <= $5`,
          [claim.agent, claim.check, claim.nextDue, claim.owner, claim.now],
        )) > 0,
    );
  }

  /** Deletes points older than the retention (as the SQLite store does). */
  prune(now = Date.now()): Promise<void> {
    const before = now - this.retention;
    return this.op(async (tx) => {
      await tx.run("DELETE FROM stats WHERE time < $1", [before]);
      await tx.run("DELETE FROM stat_batches WHERE received < $1", [before]);
      await tx.run("DELETE FROM check_results WHERE time < $1 AND seq NOT IN (SELECT result_seq FROM check_state)", [
        before,
      ]);
      await tx.run("DELETE FROM presence_history WHERE time < $1", [before]);
      await tx.run("DELETE FROM deliveries WHERE state <> 'pending' AND done_at < $1", [before]);
    });
  }

  /** Commits what is queued, then disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.op(async () => undefined).catch(() => undefined);
    while (this.running > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    this.closed = true;
    if (this.pruner !== null) clearInterval(this.pruner);
    for (const op of this.queue.splice(0)) op.reject(new Error("The store is closed"));
    await this.pool.end();
  }

  // ---- the batch ----

  private op<T>(run: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("The store is closed"));
    return new Promise<T>((resolve, reject) => this.enqueue({ run, resolve: resolve as (v: unknown) => void, reject }));
  }

  private enqueue(op: Operation): void {
    this.queue.push(op);
    if (this.scheduled !== null || this.running >= this.concurrency) return;
    this.scheduled =
      this.batchDelay > 0 && this.queue.length < this.maxBatch
        ? setTimeout(() => this.flush(), this.batchDelay)
        : setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = null;
    while (this.running < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.running += 1;
      void this.commit(batch).finally(() => {
        this.running -= 1;
        if (this.queue.length > 0 && this.scheduled === null) this.scheduled = setImmediate(() => this.flush());
      });
    }
  }

  /** One transaction for the batch; settles each operation after COMMIT. */
  private async commit(batch: Operation[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        this.counters.failed += 1;
        for (const op of batch) op.reject(err);
        return;
      }
      const tx = new Tx(client, () => void (this.counters.statements += 1));
      const results: unknown[] = [];
      try {
        await client.query("BEGIN");
        // Stats batches first, merged: a few statements for all their points.
        const statOps = batch.filter((op) => op.stats !== undefined);
        const fresh =
          statOps.length === 0
            ? []
            : await writeStats(
                tx,
                statOps.map((op) => op.stats!),
              );
        const freshOf = new Map(statOps.map((op, i) => [op, fresh[i]]));
        // Heartbeats of keys that are up, in one statement; the rest run alone below.
        const beats = batch.filter((op) => op.heartbeat !== undefined).map((op) => op.heartbeat!);
        const up = beats.length === 0 ? new Set<string>() : await refreshPresence(tx, beats);
        const touches = batch.filter((op) => op.touch !== undefined).map((op) => op.touch!);
        if (touches.length > 0) await touchAgents(tx, touches);
        for (const op of batch) {
          if (op.stats !== undefined) results.push(freshOf.get(op));
          else if (op.touch !== undefined) results.push(undefined);
          else if (op.heartbeat !== undefined && up.has(`${op.heartbeat.agent}\0${op.heartbeat.process}`))
            results.push("up");
          else results.push(await op.run(tx));
        }
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        client.release();
        const code = (err as { code?: string }).code;
        if (code !== undefined && RETRYABLE.has(code) && attempt < 10) {
          this.counters.retried += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
          continue;
        }
        if (batch.length > 1) {
          // Find the bad one: each operation alone, in its own transaction.
          for (const op of batch) await this.commit([op]);
          return;
        }
        this.counters.failed += 1;
        batch[0]!.reject(err);
        return;
      }
      client.release();
      this.counters.transactions += 1;
      this.counters.operations += batch.length;
      batch.forEach((op, i) => op.resolve(results[i]));
      return;
    }
  }
}

/**
 * Heartbeats together: every key that is up gets its newest time and interval in one UPDATE.
 * Returns the keys ("agent\0process") that were up; the others (new, or down) are left to
 * heartbeatAlone, which appends history and raises the "back up" alert.
 */
async function refreshPresence(
  tx: Tx,
  beats: ReadonlyArray<{ agent: string; process: string; time: number; interval: number }>,
): Promise<Set<string>> {
  const newest = new Map<string, { agent: string; process: string; time: number; interval: number }>();
  for (const b of beats) {
    const key = `${b.agent}\0${b.process}`;
    const seen = newest.get(key);
    if (seen === undefined || b.time >= seen.time) newest.set(key, b);
  }
  // In key order: two sinks refreshing overlapping keys lock them in the same order.
  const rows = [...newest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b);
  const updated = await tx.rows(
    `UPDATE presence p SET last_seen = GREATEST(p.last_seen, t.time), interval = t.interval
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS t(agent, process, time, interval)
     WHERE p.agent = t.agent AND p.process = t.process AND p.state = 'up'
     RETURNING p.agent, p.process`,
    [rows.map((b) => b.agent), rows.map((b) => b.process), rows.map((b) => b.time), rows.map((b) => b.interval)],
  );
  return new Set(updated.map((r) => `${str(r.agent)}\0${str(r.process)}`));
}

/** Agents heard from, in one upsert (one row per agent: its newest time, a host name if any gave one). */
async function touchAgents(
  tx: Tx,
  touches: ReadonlyArray<{ agent: string; time: number; hostname: string | null }>,
): Promise<void> {
  const merged = new Map<string, { first: number; last: number; hostname: string | null }>();
  for (const t of touches) {
    const m = merged.get(t.agent);
    if (m === undefined) merged.set(t.agent, { first: t.time, last: t.time, hostname: t.hostname });
    else {
      m.first = Math.min(m.first, t.time);
      if (t.time >= m.last) m.last = t.time;
      if (t.hostname !== null) m.hostname = t.hostname;
    }
  }
  const ids = [...merged.keys()].sort();
  await tx.run(
    `INSERT INTO agents (id, hostname, first_seen, last_seen)
     SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[])
     ON CONFLICT (id) DO UPDATE SET last_seen = GREATEST(agents.last_seen, excluded.last_seen),
       hostname = coalesce(excluded.hostname, agents.hostname)`,
    [
      ids,
      ids.map((id) => merged.get(id)!.hostname),
      ids.map((id) => merged.get(id)!.first),
      ids.map((id) => merged.get(id)!.last),
    ],
  );
}

/**
 * Stores stats batches together: which (agent, message id) are new (one INSERT ... RETURNING),
 * then all their points in one multi-row INSERT, and the latest point of each series in one
 * upsert. Returns, per batch, whether it was new.
 */
async function writeStats(
  tx: Tx,
  batches: ReadonlyArray<{ agent: string; id: string; points: readonly StatRecordInput[] }>,
): Promise<boolean[]> {
  const now = Date.now();
  const created = await tx.rows(
    `INSERT INTO stat_batches (agent, id, received) SELECT a, i, $3 FROM unnest($1::text[], $2::text[]) AS t(a, i)
     ON CONFLICT DO NOTHING RETURNING agent, id`,
    [batches.map((b) => b.agent), batches.map((b) => b.id), now],
  );
  const isNew = new Set(created.map((r) => `${str(r.agent)}\0${str(r.id)}`));
  // A batch twice in one transaction (a resend): new the first time only.
  const fresh = batches.map((b) => isNew.delete(`${b.agent}\0${b.id}`));
  const columns: [
    string[],
    string[],
    number[],
    number[],
    Array<string | null>,
    Array<string | null>,
    Array<string | null>,
  ] = [[], [], [], [], [], [], []];
  const latest = new Map<string, { agent: string; s: StatRecordInput }>();
  batches.forEach((b, i) => {
    if (!fresh[i]) return;
    for (const s of b.points) {
      columns[0].push(b.agent);
      columns[1].push(s.name);
      columns[2].push(s.value);
      columns[3].push(s.time);
      columns[4].push(s.kind ?? null);
      columns[5].push(s.unit ?? null);
      columns[6].push(s.process ?? null);
      const key = `${b.agent}\0${s.name}`;
      const seen = latest.get(key);
      if (seen === undefined || s.time >= seen.s.time) latest.set(key, { agent: b.agent, s });
    }
  });
  if (columns[0].length === 0) return fresh;
  await tx.run(
    `INSERT INTO stats (agent, name, value, time, kind, unit, process)
     SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::text[])`,
    columns,
  );
  const newest = [...latest.values()];
  await tx.run(
    `INSERT INTO stat_latest (agent, name, value, time, kind, unit, process)
     SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::text[])
     ON CONFLICT (agent, name) DO UPDATE SET value = excluded.value, time = excluded.time, kind = excluded.kind,
       unit = excluded.unit, process = excluded.process WHERE excluded.time >= stat_latest.time`,
    [
      newest.map((l) => l.agent),
      newest.map((l) => l.s.name),
      newest.map((l) => l.s.value),
      newest.map((l) => l.s.time),
      newest.map((l) => l.s.kind ?? null),
      newest.map((l) => l.s.unit ?? null),
      newest.map((l) => l.s.process ?? null),
    ],
  );
  return fresh;
}
