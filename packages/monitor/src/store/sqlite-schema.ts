/**
 * The SQLite store's schema, as numbered migrations. The database's `PRAGMA user_version` is the
 * number of migrations applied; opening a store applies the missing ones in order, each in its
 * own transaction with the version bump, so a crash mid-migration leaves the previous version.
 *
 * Times are REAL ms since the epoch. The agent's own presence has process '' (NULL cannot be part
 * of a primary key that de-duplicates).
 */

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "agents, registrations, presence and its history, check results, notifications, stats, check schedule",
    sql: `
      CREATE TABLE agents (
        id TEXT PRIMARY KEY, hostname TEXT, first_seen REAL NOT NULL, last_seen REAL NOT NULL
      );
      CREATE TABLE registrations (
        agent TEXT NOT NULL, process TEXT NOT NULL, pid INTEGER, version TEXT, hostname TEXT,
        checks TEXT NOT NULL, time REAL NOT NULL,
        PRIMARY KEY (agent, process)
      );
      CREATE TABLE presence (
        agent TEXT NOT NULL, process TEXT NOT NULL, state TEXT NOT NULL, last_seen REAL NOT NULL,
        interval REAL NOT NULL, since REAL NOT NULL,
        PRIMARY KEY (agent, process)
      );
      CREATE TABLE presence_history (
        seq INTEGER PRIMARY KEY, agent TEXT NOT NULL, process TEXT NOT NULL, state TEXT NOT NULL, time REAL NOT NULL
      );
      CREATE INDEX presence_history_agent ON presence_history (agent, seq);
      CREATE TABLE check_results (
        seq INTEGER PRIMARY KEY, agent TEXT NOT NULL, id TEXT NOT NULL, check_name TEXT NOT NULL,
        status INTEGER NOT NULL, text TEXT NOT NULL, perfdata TEXT NOT NULL, duration REAL NOT NULL,
        trigger TEXT NOT NULL, ref TEXT, time REAL NOT NULL,
        UNIQUE (agent, id)
      );
      CREATE INDEX check_results_check ON check_results (agent, check_name, seq);
      CREATE TABLE notifications (
        seq INTEGER PRIMARY KEY, agent TEXT NOT NULL, id TEXT NOT NULL, severity TEXT NOT NULL,
        text TEXT NOT NULL, process TEXT, check_name TEXT, time REAL NOT NULL, received REAL NOT NULL,
        acknowledged_by TEXT, acknowledged_at REAL,
        UNIQUE (agent, id)
      );
      CREATE TABLE stat_batches (
        agent TEXT NOT NULL, id TEXT NOT NULL, received REAL NOT NULL, PRIMARY KEY (agent, id)
      ) WITHOUT ROWID;
      CREATE TABLE stats (
        seq INTEGER PRIMARY KEY, agent TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL,
        time REAL NOT NULL, kind TEXT, unit TEXT, process TEXT
      );
      CREATE INDEX stats_series ON stats (agent, name, time);
      CREATE TABLE check_schedule (
        agent TEXT NOT NULL, check_name TEXT NOT NULL, due_at REAL NOT NULL, owner TEXT NOT NULL,
        PRIMARY KEY (agent, check_name)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: "latest value per stat series and latest result per check (status page, /metrics), backfilled",
    sql: `
      CREATE TABLE stat_latest (
        agent TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, time REAL NOT NULL,
        kind TEXT, unit TEXT, process TEXT,
        PRIMARY KEY (agent, name)
      ) WITHOUT ROWID;
      INSERT INTO stat_latest (agent, name, value, time, kind, unit, process)
        SELECT agent, name, value, time, kind, unit, process FROM stats s
        WHERE seq = (SELECT seq FROM stats t WHERE t.agent = s.agent AND t.name = s.name ORDER BY time DESC, seq DESC LIMIT 1);
      CREATE TABLE check_state (
        agent TEXT NOT NULL, check_name TEXT NOT NULL, result_seq INTEGER NOT NULL, time REAL NOT NULL,
        PRIMARY KEY (agent, check_name)
      ) WITHOUT ROWID;
      INSERT INTO check_state (agent, check_name, result_seq, time)
        SELECT agent, check_name, seq, time FROM check_results r
        WHERE seq = (SELECT seq FROM check_results q WHERE q.agent = r.agent AND q.check_name = r.check_name ORDER BY time DESC, seq DESC LIMIT 1);
    `,
  },
  {
    version: 3,
    description: "notification actions and their deliveries (durable, leased, retried); what raised a notification",
    sql: `
      ALTER TABLE notifications ADD COLUMN kind TEXT;
      CREATE TABLE actions (name TEXT PRIMARY KEY, spec TEXT NOT NULL, updated REAL NOT NULL) WITHOUT ROWID;
      CREATE TABLE deliveries (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, agent TEXT NOT NULL, notification TEXT NOT NULL,
        action TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, due_at REAL NOT NULL,
        created REAL NOT NULL, lease_owner TEXT, lease_until REAL, last_error TEXT, done_by TEXT, done_at REAL
      );
      CREATE INDEX deliveries_due ON deliveries (state, due_at);
      CREATE INDEX deliveries_notification ON deliveries (agent, notification);
    `,
  },
  {
    version: 4,
    description: "deployment-wide settings (the Graphite target every stats sink writes to)",
    sql: `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated REAL NOT NULL) WITHOUT ROWID;`,
  },
  {
    version: 5,
    description: "audit log of what operators did (acks, given-up deliveries, removed actions, silences)",
    sql: `
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY, time REAL NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT NOT NULL, detail TEXT
      );
    `,
  },
  {
    version: 6,
    description: "silences and maintenance windows; which silence kept a notification from being delivered",
    sql: `
      ALTER TABLE notifications ADD COLUMN silenced TEXT;
      CREATE TABLE silences (
        id TEXT PRIMARY KEY, spec TEXT NOT NULL, starts REAL NOT NULL, ends REAL NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    description: "repeated notifications grouped (group_key) and not paged again (duplicate_of)",
    sql: `
      ALTER TABLE notifications ADD COLUMN group_key TEXT;
      ALTER TABLE notifications ADD COLUMN duplicate_of TEXT;
      CREATE INDEX notifications_group ON notifications (agent, group_key, received);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
