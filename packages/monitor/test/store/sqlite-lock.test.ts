import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SqliteLock } from "../../src/store/sqlite-lock.js";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { newId } from "../../src/wire/protocol.js";
import { tempDir, waitFor } from "../helpers/fleet.js";

/** Several processes on one SQLite file: they wait for each other; only a dead holder's lock is broken. */

const sqlitePath = createRequire(import.meta.url).resolve("node-sqlite3-wasm");

describe("SQLite shared by processes", () => {
  const dir = tempDir("zmtp-sqlite-lock-");
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill("SIGKILL");
  });
  afterAll(() => dir.remove());

  /**
   * Another user of the store (registered as stores register) that takes the database's lock
   * (BEGIN IMMEDIATE), holds it `ms`, then commits.
   */
  function holdLock(path: string, ms: number): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const { Database } = require(${JSON.stringify(sqlitePath)});
         require("node:fs").writeFileSync(${JSON.stringify(`${path}.users/`)} + process.pid + "-1", "");
         const db = new Database(${JSON.stringify(path)});
         db.exec("BEGIN IMMEDIATE");
         console.log("held");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${ms});`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(child);
    return new Promise((resolve) => child.stdout!.once("data", () => resolve(child)));
  }

  it("open() waits while another process holds the lock, then opens (no 'database is locked')", async () => {
    const path = join(dir.path, "busy.db");
    const first = await SqliteStore.open({ path });
    await first.close();
    const holder = await holdLock(path, 800);
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    const started = Date.now();
    const store = await SqliteStore.open({ path });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(store.counters.busy).toBeGreaterThan(0);
    await exited;
    await store.addNotification({
      agent: newId(),
      id: newId(),
      severity: "info",
      text: "after the wait",
      time: 1,
      received: 1,
      acknowledged: null,
    });
    expect(await store.notifications()).toHaveLength(1);
    await store.close();
  });

  it("eight stores opening a new file at once all open, and the schema is applied once", async () => {
    const path = join(dir.path, "together.db");
    const stores = await Promise.all(Array.from({ length: 8 }, () => SqliteStore.open({ path })));
    for (const s of stores) expect(await s.agents()).toEqual([]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it("a lock whose owner is alive is never broken, however old; once the owner is dead it is", async () => {
    const path = join(dir.path, "owned.db");
    writeFileSync(path, "");
    const lock = new SqliteLock(path, 100);
    lock.register();
    // Another process, registered as a user, holds the lock and says so.
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    children.push(owner);
    writeFileSync(join(`${path}.users`, `${owner.pid}-1`), "");
    mkdirSync(`${path}.lock`);
    writeFileSync(`${path}.lock-owner`, String(owner.pid));
    await new Promise((resolve) => setTimeout(resolve, 300)); // older than staleAfter
    expect(lock.breakIfStale()).toBe(false);
    expect(existsSync(`${path}.lock`)).toBe(true);
    owner.kill("SIGKILL");
    await new Promise((resolve) => owner.on("exit", resolve));
    await waitFor("the dead owner's lock broken", () => lock.breakIfStale());
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(existsSync(`${path}.lock-owner`)).toBe(false);
    lock.unregister();
  });

  it("a lock without owner is broken once older than staleAfter if other users live, at once if none", () => {
    const path = join(dir.path, "orphan.db");
    writeFileSync(path, "");
    const lock = new SqliteLock(path, 60_000);
    lock.register();
    mkdirSync(`${path}.lock`);
    // No other user: whoever left it is gone.
    expect(lock.breakIfStale()).toBe(true);
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    children.push(other);
    writeFileSync(join(`${path}.users`, `${other.pid}-1`), "");
    mkdirSync(`${path}.lock`);
    expect(lock.breakIfStale()).toBe(false); // young, and a user lives: maybe it is taking it now
    expect(lock.breakIfStale(Date.now() + 60_001)).toBe(true);
    lock.unregister();
  });
});
