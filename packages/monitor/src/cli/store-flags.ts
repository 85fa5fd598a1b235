import { MemoryStore } from "../store/memory-store.js";
import { PostgresStore } from "../store/postgres-store.js";
import { SqliteStore } from "../store/sqlite-store.js";
import type { Store } from "../store/store.js";
import { UsageError, type FlagSpec, type FlagValues } from "./flags.js";
import { str } from "./role.js";

/** Where a role's store is: an SQLite file (one host) or a PostgreSQL database (any number of hosts). */
export const STORE_FLAGS: FlagSpec[] = [
  {
    name: "db",
    kind: "string",
    arg: "FILE",
    help: "SQLite store (shared by every sink and scheduler on this host given the same file)",
  },
  {
    name: "pg",
    kind: "string",
    arg: "URL",
    help: "PostgreSQL store (postgresql://user:pass@host/db): sinks and schedulers on any host share it",
  },
  { name: "pg-schema", kind: "string", arg: "NAME", help: "with --pg: a schema of its own", shown: "public" },
];

/** What --db / --pg name, for logs. */
export function storeName(values: FlagValues): string {
  const pg = str(values, "pg");
  if (pg !== undefined) return pg.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  return str(values, "db") ?? "memory";
}

/** Opens the store the flags name; without either, `fallback` (a MemoryStore) or a usage error. */
export async function openStore(values: FlagValues, fallback: "memory" | "required"): Promise<Store> {
  const db = str(values, "db");
  const pg = str(values, "pg");
  if (db !== undefined && pg !== undefined) throw new UsageError("--db or --pg, not both");
  if (pg !== undefined) {
    const schema = str(values, "pg-schema");
    return PostgresStore.open({ connection: pg, ...(schema !== undefined && { schema }) });
  }
  if (db !== undefined) return SqliteStore.open({ path: db });
  if (fallback === "required") throw new UsageError("--db FILE or --pg URL is required");
  return new MemoryStore();
}
