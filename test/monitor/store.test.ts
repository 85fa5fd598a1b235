import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/monitor/memory-store.js";
import { newId } from "../../src/monitor/protocol.js";
import type { NotificationRecord } from "../../src/monitor/store.js";

const agent = newId();

describe("MemoryStore", () => {
  it("claims a due check for exactly one of two racing schedulers, then not before the next due time", async () => {
    const store = new MemoryStore();
    const claim = (owner: string, now: number) => store.claimCheckRun({ agent, check: "disk", owner, now, nextDue: now + 1000 });
    const [a, b] = await Promise.all([claim("s1", 0), claim("s2", 0)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await claim("s1", 999)).toBe(false);
    expect(await claim("s2", 1000)).toBe(true);
    expect(await claim("s1", 1000)).toBe(false);
  });

  it("presence: up on the first heartbeat, down once (compare-and-set), up again on return", async () => {
    const store = new MemoryStore();
    const key = { agent, process: null };
    expect(await store.heartbeat(key, 100, 50)).toBe("unknown");
    expect(await store.heartbeat(key, 150, 50)).toBe("up");
    expect(await store.markDown(key, 100, 400)).toBe(false); // stale view: it was seen since
    expect(await store.markDown(key, 150, 400)).toBe(true);
    expect(await store.markDown(key, 150, 401)).toBe(false); // a second sink loses the race
    expect(await store.heartbeat(key, 500, 50)).toBe("down");
    expect((await store.presenceHistory(agent)).map((e) => [e.state, e.time])).toEqual([["up", 100], ["down", 400], ["up", 500]]);
    expect(await store.presence()).toMatchObject([{ agent, process: null, state: "up", lastSeen: 500, since: 500 }]);
  });

  it("de-duplicates notifications, stat batches and results by (agent, id); tracks operator acks", async () => {
    const store = new MemoryStore();
    const id = newId();
    const n: NotificationRecord = { agent, id, severity: "critical", text: "x", time: 1, received: 2, acknowledged: null };
    expect(await store.addNotification(n)).toBe(true);
    expect(await store.addNotification({ ...n, received: 3 })).toBe(false);
    expect(await store.notifications({ unacknowledged: true })).toHaveLength(1);
    expect(await store.acknowledgeNotification(agent, id, "ops", 5)).toBe(true);
    expect(await store.acknowledgeNotification(agent, id, "ops", 6)).toBe(false);
    expect((await store.notifications())[0]!.acknowledged).toEqual({ by: "ops", time: 5 });

    const batch = newId();
    expect(await store.addStats(agent, batch, [{ name: "a", value: 1, time: 1 }])).toBe(true);
    expect(await store.addStats(agent, batch, [{ name: "a", value: 1, time: 1 }])).toBe(false);
    expect(await store.stats({ name: "a" })).toHaveLength(1);

    const result = { agent, id: newId(), check: "c", status: 0 as const, text: "", perfdata: "", duration: 1, trigger: "local" as const, time: 1 };
    expect(await store.addCheckResult(result)).toBe(true);
    expect(await store.addCheckResult(result)).toBe(false);
  });

  it("keeps the newest registration per (agent, process), whatever order they arrive in", async () => {
    const store = new MemoryStore();
    await store.putRegistration({ agent, process: "web", version: "2", checks: [], time: 20 });
    await store.putRegistration({ agent, process: "web", version: "1", checks: [], time: 10 });
    expect(await store.registrations(agent)).toMatchObject([{ version: "2" }]);
  });

  it("bounds its tables", async () => {
    const store = new MemoryStore({ maxRows: 10 });
    for (let i = 0; i < 30; i++) await store.addStats(agent, newId(), [{ name: "s", value: i, time: i }]);
    const stats = await store.stats();
    expect(stats).toHaveLength(10);
    expect(stats[0]!.value).toBe(20);
  });
});
