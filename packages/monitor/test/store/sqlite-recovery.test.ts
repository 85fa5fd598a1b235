import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rollBackHotJournal } from "../../src/store/sqlite-recovery.js";

const require = createRequire(import.meta.url);
const sqlitePath = require.resolve("node-sqlite3-wasm");
const { Database } = require("node-sqlite3-wasm") as {
  Database: new (path: string) => {
    all(sql: string): Array<Record<string, unknown>>;
    exec(sql: string): void;
    close(): void;
  };
};

const dir = mkdtempSync(join(tmpdir(), "zmtp-sqlite-recovery-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A writer that dies with SIGKILL in the middle of a transaction whose dirty pages were already
 * spilled into the database file (cache_size 1 forces the spill), leaving a hot journal.
 */
function crashMidTransaction(path: string): void {
  const script = join(dir, "crash.cjs");
  writeFileSync(
    script,
    `const { Database } = require(${JSON.stringify(sqlitePath)});
     const db = new Database(${JSON.stringify(path)});
     db.exec("PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = FULL; PRAGMA cache_size = 1");
     db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
     db.exec("BEGIN");
     for (let i = 0; i < 2000; i++) db.exec("INSERT INTO t (id, v) VALUES (" + i + ", 'committed " + "x".repeat(200) + "')");
     db.exec("COMMIT");
     db.exec("BEGIN");
     db.exec("UPDATE t SET v = 'uncommitted " + "y".repeat(200) + "'");
     db.exec("INSERT INTO t (id, v) SELECT id + 100000, v FROM t");
     process.kill(process.pid, "SIGKILL");`,
  );
  const result = spawnSync(process.execPath, [script]);
  expect(result.signal).toBe("SIGKILL");
}

function summary(path: string): { integrity: unknown; rows: unknown; committed: unknown } {
  const db = new Database(path);
  try {
    return {
      integrity: db.all("PRAGMA integrity_check")[0]?.integrity_check,
      rows: db.all("SELECT count(*) AS n FROM t")[0]?.n,
      committed: db.all("SELECT count(*) AS n FROM t WHERE v LIKE 'committed%'")[0]?.n,
    };
  } catch (err) {
    return { integrity: (err as Error).message, rows: null, committed: null };
  } finally {
    db.close();
  }
}

describe("rolling back a dead writer's hot journal", () => {
  const path = join(dir, "crashed.db");
  crashMidTransaction(path);

  it("the crash left a hot journal and half-written pages in the database file", () => {
    expect(statSync(`${path}-journal`).size).toBeGreaterThan(0);
    // Why the recovery exists: opened as it is, the WebAssembly VFS never replays the journal.
    const copy = join(dir, "as-left.db");
    copyFileSync(path, copy);
    copyFileSync(`${path}-journal`, `${copy}-journal`);
    rmSync(`${path}.lock`, { recursive: true, force: true });
    expect(summary(copy)).not.toEqual({ integrity: "ok", rows: 2000, committed: 2000 });
  });

  it("restores the database to its last commit and empties the journal", () => {
    rmSync(`${path}.lock`, { recursive: true, force: true });
    expect(rollBackHotJournal(path)).toBe(true);
    expect(statSync(`${path}-journal`).size).toBe(0);
    expect(summary(path)).toEqual({ integrity: "ok", rows: 2000, committed: 2000 });
  });

  it("does nothing without a journal, or with an empty one", () => {
    expect(rollBackHotJournal(join(dir, "missing.db"))).toBe(false);
    expect(existsSync(`${path}-journal`)).toBe(true);
    expect(rollBackHotJournal(path)).toBe(false);
  });
});
