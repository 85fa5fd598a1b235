/**
 * The PostgreSQL store's schema, as numbered migrations: the same tables as the SQLite store
 * (sqlite-schema.ts), in PostgreSQL's types. `zmtp_monitor_schema` holds the version; opening a
 * store applies the missing migrations, each in its own transaction under an advisory lock, so
 * processes on several hosts opening one database at once apply each exactly once.
 *
 * Times are double precision ms since the epoch; ids are text (UUIDs); an agent's own presence
 * has process '' (NULL cannot be part of a key that de-duplicates).
 */
import type { Migration } from "./sqlite-schema.js";

export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "every table of SQLite schema 5",
    sql: `
      CREATE TABLE agents (
        id text PRIMARY KEY, hostname text, first_seen double precision NOT NULL, last_seen double precision NOT NULL
      );
      CREATE TABLE registrations (
        agent text NOT NULL, process text NOT NULL, pid bigint, version text, hostname text,
        checks text NOT NULL, time double precision NOT NULL,
        PRIMARY KEY (agent, process)
      );
      CREATE TABLE presence (
        agent text NOT NULL, process text NOT NULL, state text NOT NULL, last_seen double precision NOT NULL,
        interval double precision NOT NULL, since double precision NOT NULL,
        PRIMARY KEY (agent, process)
      );
      CREATE TABLE presence_history (
        seq bigserial PRIMARY KEY, agent text NOT NULL, process text NOT NULL, state text NOT NULL,
        time double precision NOT NULL
      );
      CREATE INDEX presence_history_agent ON presence_history (agent, seq);
      CREATE TABLE check_results (
        seq bigserial PRIMARY KEY, agent text NOT NULL, id text NOT NULL, check_name text NOT NULL,
        status integer NOT NULL, text text NOT NULL, perfdata text NOT NULL, duration double precision NOT NULL,
        trigger text NOT NULL, ref text, time double precision NOT NULL,
        UNIQUE (agent, id)
      );
      CREATE INDEX check_results_check ON check_results (agent, check_name, seq);
      CREATE TABLE check_state (
        agent text NOT NULL, check_name text NOT NULL, result_seq bigint NOT NULL, time double precision NOT NULL,
        PRIMARY KEY (agent, check_name)
      );
      CREATE TABLE notifications (
        seq bigserial PRIMARY KEY, agent text NOT NULL, id text NOT NULL, severity text NOT NULL,
        text text NOT NULL, process text, check_name text, time double precision NOT NULL,
        received double precision NOT NULL, acknowledged_by text, acknowledged_at double precision, kind text,
        UNIQUE (agent, id)
      );
      CREATE TABLE stat_batches (
        agent text NOT NULL, id text NOT NULL, received double precision NOT NULL, PRIMARY KEY (agent, id)
      );
      CREATE TABLE stats (
        seq bigserial PRIMARY KEY, agent text NOT NULL, name text NOT NULL, value double precision NOT NULL,
        time double precision NOT NULL, kind text, unit text, process text
      );
      CREATE INDEX stats_series ON stats (agent, name, time);
      CREATE INDEX stats_time ON stats (time);
      CREATE TABLE stat_latest (
        agent text NOT NULL, name text NOT NULL, value double precision NOT NULL, time double precision NOT NULL,
        kind text, unit text, process text,
        PRIMARY KEY (agent, name)
      );
      CREATE TABLE check_schedule (
        agent text NOT NULL, check_name text NOT NULL, due_at double precision NOT NULL, owner text NOT NULL,
        PRIMARY KEY (agent, check_name)
      );
      CREATE TABLE actions (name text PRIMARY KEY, spec text NOT NULL, updated double precision NOT NULL);
      CREATE TABLE deliveries (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, agent text NOT NULL, notification text NOT NULL,
        action text NOT NULL, state text NOT NULL, attempts integer NOT NULL, due_at double precision NOT NULL,
        created double precision NOT NULL, lease_owner text, lease_until double precision, last_error text,
        done_by text, done_at double precision
      );
      CREATE INDEX deliveries_due ON deliveries (state, due_at);
      CREATE INDEX deliveries_notification ON deliveries (agent, notification);
      CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL, updated double precision NOT NULL);
      CREATE TABLE audit (
        seq bigserial PRIMARY KEY, time double precision NOT NULL, actor text NOT NULL, action text NOT NULL,
        target text NOT NULL, detail text
      );
    `,
  },
  {
    version: 2,
    description: "silences and maintenance windows (SQLite schema 6)",
    sql: `
      ALTER TABLE notifications ADD COLUMN silenced text;
      CREATE TABLE silences (
        id text PRIMARY KEY, spec text NOT NULL, starts double precision NOT NULL, ends double precision NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: "repeated notifications grouped and not paged again (SQLite schema 7)",
    sql: `
      ALTER TABLE notifications ADD COLUMN group_key text;
      ALTER TABLE notifications ADD COLUMN duplicate_of text;
      CREATE INDEX notifications_group ON notifications (agent, group_key, received);
    `,
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;
