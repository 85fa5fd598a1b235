import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres-store.js";
import { PG_SCHEMA_VERSION } from "../../src/store/postgres-schema.js";
import { newId } from "../../src/wire/protocol.js";
import { startPostgres } from "../helpers/postgres.js";
import { storeContract } from "./store-contract.js";

/**
 * The PostgreSQL store against a real server (helpers/postgres.ts starts one; without server
 * binaries these tests are skipped with one line saying why). Each test has a schema of its own.
 */

const server = await startPostgres();
const connection =
  server === null ? {} : { host: server.host, port: server.port, user: server.user, database: "postgres" };
const schema = (): string => `t_${randomBytes(6).toString("hex")}`;

async function dropSchema(name: string): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  await client.end();
}

storeContract(
  "PostgresStore",
  async () => {
    const name = schema();
    return { store: await PostgresStore.open({ connection, schema: name }), cleanup: () => dropSchema(name) };
  },
  server === null,
);

describe.skipIf(server === null)("PostgresStore", () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });
  const fresh = (): string => {
    const name = schema();
    schemas.push(name);
    return name;
  };

  it("processes opening one new database at once migrate it once", async () => {
    const name = fresh();
    const stores = await Promise.all(Array.from({ length: 6 }, () => PostgresStore.open({ connection, schema: name })));
    const client = new pg.Client(connection);
    await client.connect();
    const rows = (await client.query(`SELECT version FROM ${name}.zmtp_monitor_schema ORDER BY version`)).rows;
    await client.end();
    expect(rows.map((r: { version: number }) => r.version)).toEqual(
      Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    await Promise.all(stores.map((s) => s.close()));
  });

  it("group commit: 2,000 stats batches queued at once take a handful of transactions, each point once", async () => {
    const store = await PostgresStore.open({ connection, schema: fresh() });
    const agent = newId();
    const ids = Array.from({ length: 2000 }, () => newId());
    const writes = ids.map((id, i) =>
      store.addStats(agent, id, [
        { name: "x", value: i, time: i },
        { name: "y", value: i, time: i },
      ]),
    );
    // A resend of the first batch in the same transaction: stored once.
    writes.push(store.addStats(agent, ids[0]!, [{ name: "x", value: 0, time: 0 }]));
    const isNew = await Promise.all(writes);
    expect(isNew.filter(Boolean)).toHaveLength(2000);
    expect(isNew.at(-1)).toBe(false);
    expect(store.counters.transactions).toBeLessThanOrEqual(4);
    expect(await store.stats({ agent, name: "x" })).toHaveLength(2000);
    expect((await store.latestStats(agent)).map((s) => [s.name, s.value]).sort()).toEqual([
      ["x", 1999],
      ["y", 1999],
    ]);
    await store.close();
  });

  it("group commit: heartbeats of 1,000 agents that are up take one UPDATE and one upsert per transaction", async () => {
    const store = await PostgresStore.open({ connection, schema: fresh() });
    const agents = Array.from({ length: 1000 }, () => newId());
    const beat = (agent: string, time: number) => {
      const key = { agent, process: null };
      return Promise.all([store.heartbeat(key, time, 5000), store.touchAgent(agent, time, `h-${agent.slice(0, 4)}`)]);
    };
    // First heartbeats: new keys, each inserted on its own (history appended).
    expect(new Set((await Promise.all(agents.map((a) => beat(a, 1000)))).map(([before]) => before))).toEqual(
      new Set(["unknown"]),
    );
    // One agent is declared down; the next round brings it back up (its own path: history, alert).
    expect(await store.markDown({ agent: agents[0]!, process: null }, 1000, 1500)).toBe(true);
    const before = { ...store.counters };
    const round = await Promise.all(agents.map((a) => beat(a, 2000)));
    expect(round.map(([b]) => b)).toEqual(["down", ...Array.from({ length: 999 }, () => "up")]);
    const transactions = store.counters.transactions - before.transactions;
    const statements = store.counters.statements - before.statements;
    // Row by row this was at least 3 statements per heartbeat (3,000).
    expect(statements).toBeLessThanOrEqual(transactions * 2 + 10);
    expect((await store.presence()).every((p) => p.state === "up" && p.lastSeen === 2000)).toBe(true);
    expect((await store.agents()).every((a) => a.lastSeen === 2000 && a.firstSeen === 1000)).toBe(true);
    expect((await store.presenceHistory(agents[0]!)).map((e) => e.state)).toEqual(["up", "down", "up"]);
    await store.close();
  });

  it("schedulers on different hosts (connections): each due run is claimed by exactly one, round after round", async () => {
    const name = fresh();
    const schedulers = await Promise.all([1, 2, 3].map(() => PostgresStore.open({ connection, schema: name })));
    const agent = newId();
    for (let round = 0; round < 20; round++) {
      const now = round * 1000;
      const claims = await Promise.all(
        schedulers.map((s, i) =>
          s.claimCheckRun({ agent, check: "disk", owner: `host-${i}`, now, nextDue: now + 1000 }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    }
    await Promise.all(schedulers.map((s) => s.close()));
  });

  it("dispatchers on different hosts never lease the same delivery", async () => {
    const name = fresh();
    const [a, b] = await Promise.all([1, 2].map(() => PostgresStore.open({ connection, schema: name })));
    await a!.putAction({ name: "pager", type: "command", command: "true" });
    const agent = newId();
    for (let i = 0; i < 50; i++)
      await a!.addNotification({
        agent,
        id: newId(),
        severity: "critical",
        text: `n${i}`,
        time: 0,
        received: 0,
        acknowledged: null,
      });
    const claim = (s: PostgresStore, owner: string) =>
      s.claimDeliveries({ owner, now: 1, leaseUntil: 1000, limit: 10 });
    const got: string[] = [];
    for (let round = 0; round < 4; round++) {
      const [x, y] = await Promise.all([claim(a!, "a"), claim(b!, "b")]);
      got.push(...x.map((j) => j.delivery.id), ...y.map((j) => j.delivery.id));
    }
    expect(got).toHaveLength(50);
    expect(new Set(got).size).toBe(50);
    await a!.close();
    await b!.close();
  });
});
