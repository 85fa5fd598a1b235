import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/store/sqlite-schema.js";
import { SqliteStore, migrate } from "../../src/store/sqlite-store.js";
import { newId } from "../../src/wire/protocol.js";
import { NotificationSink } from "../../src/sink/sinks.js";
import { bundleWorker, removeBundle, runChild } from "../helpers/child-process.js";
import { storeContract } from "./store-contract.js";
import { FAST_BACK_CHANNEL, sinksConnected, startAgent, startRouter, tempDir, waitFor } from "../helpers/fleet.js";

const { Database } = createRequire(import.meta.url)("node-sqlite3-wasm") as typeof import("node-sqlite3-wasm");

storeContract("SqliteStore", async () => {
  const dir = tempDir("zmtp-sqlite-");
  return { store: await SqliteStore.open({ path: join(dir.path, "monitor.db") }), cleanup: () => dir.remove() };
});

describe("SqliteStore", () => {
  const dir = tempDir("zmtp-sqlite-");
  afterAll(() => dir.remove());

  it("keeps what was committed across a close and reopen, and batches operations into transactions", async () => {
    const path = join(dir.path, "reopen.db");
    const agent = newId();
    let store = await SqliteStore.open({ path });
    const writes = [];
    for (let i = 0; i < 200; i++) writes.push(store.addStats(agent, newId(), [{ name: "x", value: i, time: i }]));
    await Promise.all(writes);
    // 200 operations queued in one turn: a handful of transactions, not 200.
    expect(store.counters.operations).toBe(200);
    expect(store.counters.transactions).toBeLessThanOrEqual(2);
    await store.close();
    store = await SqliteStore.open({ path });
    expect(await store.stats({ agent })).toHaveLength(200);
    expect((await store.latestStats(agent))[0]!.value).toBe(199);
    await store.close();
  });

  it("migrates a version-1 database to the current schema, backfilling the new tables", async () => {
    const path = join(dir.path, "v1.db");
    const db = new Database(path);
    expect(migrate(db, 1)).toBe(0);
    const agent = newId();
    db.run("INSERT INTO stats (agent, name, value, time) VALUES (?, 'load', 1, 10), (?, 'load', 2, 20)", [
      agent,
      agent,
    ]);
    db.run(
      "INSERT INTO check_results (agent, id, check_name, status, text, perfdata, duration, trigger, time) VALUES (?, ?, 'disk', 1, 'warn', '', 1, 'schedule', 5)",
      [agent, newId()],
    );
    db.close();
    const store = await SqliteStore.open({ path });
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect((await store.latestStats(agent)).map((s) => s.value)).toEqual([2]);
    expect((await store.checkStates(agent)).map((r) => r.status)).toEqual([1]);
    await store.close();
    const check = new Database(path);
    expect(check.get("PRAGMA user_version")).toEqual({ user_version: SCHEMA_VERSION });
    check.close();
  });

  it("refuses a database from a newer schema", async () => {
    const path = join(dir.path, "future.db");
    const db = new Database(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(SqliteStore.open({ path })).rejects.toThrow(/newer than this program/);
  });

  it("two stores on one file: a check claim is won by exactly one, each sees the other's writes", async () => {
    const path = join(dir.path, "shared.db");
    const a = await SqliteStore.open({ path });
    const b = await SqliteStore.open({ path });
    const agent = newId();
    for (let round = 0; round < 5; round++) {
      const now = round * 1000;
      const claims = await Promise.all(
        [a, b].map((s, i) => s.claimCheckRun({ agent, check: "disk", owner: `s${i}`, now, nextDue: now + 1000 })),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    }
    await a.addNotification({
      agent,
      id: newId(),
      severity: "warning",
      text: "from a",
      time: 1,
      received: 1,
      acknowledged: null,
    });
    expect((await b.notifications()).map((n) => n.text)).toEqual(["from a"]);
    await a.close();
    await b.close();
  });

  describe("a sink killed with SIGKILL", () => {
    let bundle: string;
    beforeAll(async () => {
      bundle = await bundleWorker("test/store/sqlite-kill.worker.ts");
    });
    afterAll(() => removeBundle(bundle));

    it("loses no notification it acknowledged; after a restart every notification is stored exactly once", async () => {
      const path = join(dir.path, "kill.db");
      const router = await startRouter();
      const child = runChild(bundle, [path, router.endpoints.notification, router.endpoints.back]);
      expect(await child.firstLine).toBe("ready");
      await sinksConnected([router], ["notification"]);
      const agent = await startAgent(join(dir.path, "agent"), [router], { ackTimeout: 500 });
      const acked = new Set<string>();
      agent.on("acked", (id: string) => acked.add(id));
      const sent: string[] = [];
      const TOTAL = 300;
      for (let i = 0; i < TOTAL; i++) {
        sent.push(agent.notify({ severity: "warning", text: `n${i}` }));
        if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
      }
      await waitFor("some acks", () => acked.size >= 40, 10_000);
      const exited = new Promise((resolve) => child.child.on("exit", resolve));
      child.child.kill("SIGKILL");
      await exited;
      child.done.catch(() => undefined);
      const ackedAtKill = [...acked];
      expect(ackedAtKill.length).toBeLessThan(TOTAL); // killed mid-stream

      // The child died holding the store: reopening recovers (hot journal, stale lock).
      const store = await SqliteStore.open({ path });
      const stored = new Set((await store.notifications()).map((n) => n.id));
      for (const id of ackedAtKill) expect(stored.has(id)).toBe(true);

      // A new sink on the same file: the agent's outbox delivers the rest, once each.
      const sink = new NotificationSink({
        store,
        streams: [router.endpoints.notification],
        backChannels: [router.endpoints.back],
        backChannel: FAST_BACK_CHANNEL,
      });
      // (the agent's registration stays in its outbox: this test runs no registration sink)
      await waitFor("every notification acked", () => sent.every((id) => acked.has(id)), 20_000);
      const all = await store.notifications();
      expect(all).toHaveLength(TOTAL);
      expect(new Set(all.map((n) => n.id))).toEqual(new Set(sent));
      await agent.close();
      await sink.close();
      await store.close();
      router.close();
      expect(existsSync(`${path}.lock`)).toBe(false);
    }, 40_000);
  });
});
