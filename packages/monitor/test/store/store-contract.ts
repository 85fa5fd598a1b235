import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/wire/protocol.js";
import type { NotificationRecord, Store } from "../../src/store/store.js";

/**
 * The Store contract: every implementation (MemoryStore, SqliteStore) must pass the same tests,
 * since sinks and schedulers rely only on the interface.
 */
export function storeContract(
  name: string,
  open: () => Promise<{ store: Store; cleanup(): Promise<void> | void }>,
): void {
  describe(`Store contract: ${name}`, () => {
    const agent = newId();
    let store: Store;
    let cleanup: () => Promise<void> | void;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it("claims a due check for exactly one of two racing schedulers, then not before the next due time", async () => {
      const claim = (owner: string, now: number) =>
        store.claimCheckRun({ agent, check: "disk", owner, now, nextDue: now + 1000 });
      const [a, b] = await Promise.all([claim("s1", 0), claim("s2", 0)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await claim("s1", 999)).toBe(false);
      expect(await claim("s2", 1000)).toBe(true);
      expect(await claim("s1", 1000)).toBe(false);
    });

    it("presence: up on the first heartbeat, down once (compare-and-set), up again on return", async () => {
      const key = { agent, process: null };
      expect(await store.heartbeat(key, 100, 50)).toBe("unknown");
      expect(await store.heartbeat(key, 150, 50)).toBe("up");
      expect(await store.markDown(key, 100, 400)).toBe(false); // stale view: it was seen since
      expect(await store.markDown(key, 150, 400)).toBe(true);
      expect(await store.markDown(key, 150, 401)).toBe(false); // a second sink loses the race
      expect(await store.heartbeat(key, 500, 50)).toBe("down");
      expect((await store.presenceHistory(agent)).map((e) => [e.state, e.time])).toEqual([
        ["up", 100],
        ["down", 400],
        ["up", 500],
      ]);
      expect(await store.presence()).toEqual([
        { agent, process: null, state: "up", lastSeen: 500, interval: 50, since: 500 },
      ]);
    });

    it("tracks a process's presence apart from its agent's", async () => {
      await store.heartbeat({ agent, process: null }, 100, 50);
      expect(await store.heartbeat({ agent, process: "billing" }, 110, 20)).toBe("unknown");
      expect(await store.markDown({ agent, process: "billing" }, 110, 200)).toBe(true);
      const states = (await store.presence()).map((p) => [p.process, p.state]);
      expect(states).toEqual([
        [null, "up"],
        ["billing", "down"],
      ]);
    });

    it("de-duplicates notifications, stat batches and results by (agent, id); tracks operator acks", async () => {
      const id = newId();
      const n: NotificationRecord = {
        agent,
        id,
        severity: "critical",
        text: "x",
        process: "web",
        check: "disk",
        time: 1,
        received: 2,
        acknowledged: null,
      };
      expect(await store.addNotification(n)).toBe(true);
      expect(await store.addNotification({ ...n, received: 3 })).toBe(false);
      expect(await store.notifications({ unacknowledged: true })).toEqual([n]);
      expect(await store.acknowledgeNotification(agent, id, "ops", 5)).toBe(true);
      expect(await store.acknowledgeNotification(agent, id, "ops", 6)).toBe(false);
      expect(await store.acknowledgeNotification(agent, newId(), "ops", 6)).toBe(false);
      expect((await store.notifications())[0]!.acknowledged).toEqual({ by: "ops", time: 5 });
      expect(await store.notifications({ unacknowledged: true })).toEqual([]);

      const batch = newId();
      expect(
        await store.addStats(agent, batch, [
          { name: "a", value: 1, time: 1, kind: "gauge", unit: "ms", process: "web" },
        ]),
      ).toBe(true);
      expect(await store.addStats(agent, batch, [{ name: "a", value: 1, time: 1 }])).toBe(false);
      expect(await store.stats({ name: "a" })).toEqual([
        { agent, name: "a", value: 1, time: 1, kind: "gauge", unit: "ms", process: "web" },
      ]);

      const result = {
        agent,
        id: newId(),
        check: "c",
        status: 0 as const,
        text: "",
        perfdata: "",
        duration: 1,
        trigger: "local" as const,
        time: 1,
      };
      expect(await store.addCheckResult(result)).toBe(true);
      expect(await store.addCheckResult(result)).toBe(false);
      expect(await store.checkResults()).toEqual([result]);
    });

    it("keeps the newest registration per (agent, process), whatever order they arrive in", async () => {
      const checks = [{ name: "disk", command: ["/bin/true"], interval: 1000 }];
      await store.putRegistration({ agent, process: "web", version: "2", pid: 7, checks, time: 20 });
      await store.putRegistration({ agent, process: "web", version: "1", checks: [], time: 10 });
      expect(await store.registrations(agent)).toEqual([
        { agent, process: "web", version: "2", pid: 7, checks, time: 20 },
      ]);
      expect(await store.registrations(newId())).toEqual([]);
    });

    it("records agents: first and last seen, hostname kept when not given again", async () => {
      await store.touchAgent(agent, 10, "web-1");
      await store.touchAgent(agent, 30);
      await store.touchAgent(agent, 20);
      expect(await store.agents()).toEqual([{ id: agent, hostname: "web-1", firstSeen: 10, lastSeen: 30 }]);
    });

    it("queries by agent, since and limit (newest, oldest first)", async () => {
      const other = newId();
      for (let i = 1; i <= 5; i++) await store.addStats(agent, newId(), [{ name: "load", value: i, time: i * 10 }]);
      await store.addStats(other, newId(), [{ name: "load", value: 99, time: 35 }]);
      expect((await store.stats({ agent, since: 30 })).map((s) => s.value)).toEqual([3, 4, 5]);
      expect((await store.stats({ name: "load", limit: 2 })).map((s) => s.value)).toEqual([5, 99]);
      expect((await store.stats({ agent: other })).map((s) => s.value)).toEqual([99]);
    });

    it("keeps the latest point per stat series and the latest result per check", async () => {
      await store.addStats(agent, newId(), [
        { name: "load", value: 1, time: 10 },
        { name: "disk", value: 50, time: 10 },
      ]);
      await store.addStats(agent, newId(), [{ name: "load", value: 3, time: 30 }]);
      await store.addStats(agent, newId(), [{ name: "load", value: 2, time: 20 }]); // late: not the latest
      // The same series twice in one batch: the newer point wins, whatever its place.
      await store.addStats(agent, newId(), [
        { name: "net", value: 7, time: 50 },
        { name: "net", value: 6, time: 40 },
      ]);
      const latest = (await store.latestStats(agent)).map((s) => [s.name, s.value]).sort();
      expect(latest).toEqual([
        ["disk", 50],
        ["load", 3],
        ["net", 7],
      ]);
      expect((await store.stats({ agent, name: "net" })).map((s) => s.value)).toEqual([7, 6]);
      const base = { agent, check: "disk", text: "", perfdata: "", duration: 1, trigger: "schedule" as const };
      await store.addCheckResult({ ...base, id: newId(), status: 0, time: 10 });
      await store.addCheckResult({ ...base, id: newId(), status: 2, time: 30 });
      await store.addCheckResult({ ...base, id: newId(), status: 1, time: 20 });
      await store.addCheckResult({ ...base, check: "load", id: newId(), status: 0, time: 5 });
      const states = (await store.checkStates(agent)).map((r) => [r.check, r.status]).sort();
      expect(states).toEqual([
        ["disk", 2],
        ["load", 0],
      ]);
      expect(await store.checkStates(newId())).toEqual([]);
    });

    it("recent notifications: the newest `limit`, oldest first", async () => {
      for (let i = 0; i < 5; i++) {
        await store.addNotification({
          agent,
          id: newId(),
          severity: "info",
          text: `n${i}`,
          time: i,
          received: i,
          acknowledged: null,
        });
      }
      expect((await store.notifications({ limit: 2 })).map((n) => n.text)).toEqual(["n3", "n4"]);
    });
  });
}
