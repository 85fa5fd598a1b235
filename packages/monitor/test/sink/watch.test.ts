import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { downAlert, upAlert } from "../../src/sink/alerts.js";
import { HeartbeatSink } from "../../src/sink/sinks.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { NotificationRecord, Store } from "../../src/store/store.js";
import { newId } from "../../src/wire/protocol.js";
import { roleId } from "../../src/wire/roles.js";
import { sinksConnected, startAgent, startRouter, startSink, tempDir, waitFor } from "../helpers/fleet.js";

/** The watch over the fleet: stale checks become UNKNOWN, sinks that fall behind alert, alert texts. */

describe("alerts the monitor raises itself", () => {
  it("name what died: a host, a process, a router, a sink, a scheduler; and what came back", () => {
    const agent = newId();
    const text = (process: string | null) => downAlert({ agent, process }, "web-1", 1000, 16_000).text;
    expect(text(null)).toBe("host web-1 is down: no heartbeat for 15 s");
    expect(text("billing")).toBe("process billing on web-1 is down: no heartbeat for 15 s");
    expect(text("zmtp-router")).toBe("router web-1 is down: no heartbeat for 15 s");
    expect(text("zmtp-sink")).toBe("sink web-1 is down: no heartbeat for 15 s");
    expect(text("zmtp-scheduler")).toBe("scheduler web-1 is down: no heartbeat for 15 s");
    expect(downAlert({ agent, process: null }, "w", 0, 1).severity).toBe("critical");
    expect(downAlert({ agent, process: "billing" }, "w", 0, 1)).toMatchObject({
      severity: "warning",
      process: "billing",
    });
    expect(upAlert({ agent, process: null }, "web-1", 5)).toMatchObject({
      kind: "host-up",
      severity: "ok",
      text: "host web-1 is back up",
      time: 5,
      received: 5,
    });
  });

  it("a role's id is stable for its name (a restarted router comes back as itself)", () => {
    expect(roleId("router", "r1")).toBe(roleId("router", "r1"));
    expect(roleId("router", "r1")).not.toBe(roleId("scheduler", "r1"));
    expect(roleId("router", "r1")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("stale checks", () => {
  const sinks: HeartbeatSink[] = [];
  afterEach(async () => {
    for (const s of sinks.splice(0)) await s.close();
  });
  const watcher = (store: Store): HeartbeatSink => {
    const sink = new HeartbeatSink({
      store,
      streams: [],
      backChannels: [],
      staleAfter: 4,
      staleSweepInterval: 3_600_000,
      sweepInterval: 3_600_000,
      hostOf: async () => "web-1",
    });
    sinks.push(sink);
    return sink;
  };

  async function fleet(): Promise<{ store: MemoryStore; agent: string }> {
    const store = new MemoryStore();
    await store.putAction({ name: "pager", type: "command", command: "true" });
    const agent = newId();
    const checks = [
      { name: "disk", command: "true", interval: 1000 },
      { name: "load", command: "true", interval: 10_000 },
    ];
    await store.putRegistration({ agent, process: "agent", checks, time: 0 });
    await store.heartbeat({ agent, process: null }, 0, 100);
    const ok = { agent, status: 0 as const, text: "OK", perfdata: "", duration: 1, trigger: "schedule" as const };
    await store.addCheckResult({ ...ok, id: newId(), check: "disk", time: 500 });
    return { store, agent };
  }

  it("a check without result for 4 of its intervals becomes UNKNOWN, once, with an alert; the next result clears it", async () => {
    const { store, agent } = await fleet();
    const a = watcher(store);
    const b = watcher(store);
    expect(await a.sweepStale(4500)).toBe(0); // disk: 4 intervals since its result at 500, not more
    // Two sweepers at once (two heartbeat sinks): the check is marked once.
    const marked = await Promise.all([a.sweepStale(4501), b.sweepStale(4501)]);
    expect(marked[0]! + marked[1]!).toBe(1);
    expect((await store.checkStates(agent)).map((s) => [s.check, s.status, s.trigger, s.text])).toEqual([
      ["disk", 3, "stale", "UNKNOWN: no result for 4 s"],
    ]);
    const alerts = await store.notifications();
    expect(alerts.map((n) => [n.kind, n.severity, n.check, n.text])).toEqual([
      ["stale-check", "unknown", "disk", "disk on web-1 -> UNKNOWN: no result for 4 s"],
    ]);
    expect(await store.deliveries({ state: "pending" })).toHaveLength(1);
    expect(await a.sweepStale(60_000)).toBe(1); // only "load" (40 s) now: disk is marked already
    const base = { agent, status: 0 as const, text: "OK", perfdata: "", duration: 1, trigger: "schedule" as const };
    await store.addCheckResult({ ...base, id: newId(), check: "disk", time: 61_000 });
    expect((await store.checkStates(agent)).find((s) => s.check === "disk")!.status).toBe(0);
  });

  it("a down host's checks become UNKNOWN too, without an alert of their own (the host's says it)", async () => {
    const { store, agent } = await fleet();
    expect(await store.markDown({ agent, process: null }, 0, 400)).toBe(true);
    expect(await watcher(store).sweepStale(50_000)).toBe(2);
    expect((await store.checkStates(agent)).map((s) => s.text)).toEqual([
      "UNKNOWN: no result for 50 s (host down)",
      "UNKNOWN: no result for 50 s (host down)",
    ]);
    expect(await store.notifications()).toEqual([]);
  });
});

describe("sink backlog", () => {
  it("a sink whose every slot waits for the store alerts after `after` ms, and again once it caught up", async () => {
    const dir = tempDir();
    const memory = new MemoryStore();
    const release: Array<() => void> = [];
    // Agents' notifications hang in the store; the sink's own alerts go through.
    const stuck = new Proxy(memory, {
      get(target, prop, receiver) {
        if (prop === "addNotification")
          return async (n: NotificationRecord) => {
            if (n.kind === undefined) await new Promise<void>((resolve) => release.push(resolve));
            return target.addNotification(n);
          };
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Store;
    const router = await startRouter();
    const sinkRole = { id: roleId("sink", "sink-1"), name: "sink-1", after: 30_000, checkInterval: 3_600_000 };
    const sink = startSink("notification", stuck, [router], { maxInFlight: 4, backlog: sinkRole });
    await sinksConnected([router], ["notification"]);
    const agent = await startAgent(join(dir.path, "agent"), [router], { ackTimeout: 60_000 });
    try {
      for (let i = 0; i < 6; i++) agent.notify({ severity: "info", text: `n${i}` });
      await waitFor("every slot taken", () => sink.pending === 4);
      await sink.watchBacklog(1_000);
      await sink.watchBacklog(30_999);
      expect(await memory.notifications()).toEqual([]);
      await sink.watchBacklog(31_000);
      expect((await memory.notifications()).map((n) => [n.agent, n.kind, n.text])).toEqual([
        [sinkRole.id, "backlog", "notification sink sink-1 is behind: 4 messages waiting for the store for 30 s"],
      ]);
      await sink.watchBacklog(40_000); // still behind: no second alert
      for (const r of release.splice(0)) r();
      await waitFor("caught up", async () => {
        for (const r of release.splice(0)) r();
        return sink.pending === 0;
      });
      await sink.watchBacklog(41_000);
      const kinds = (await memory.notifications()).filter((n) => n.kind !== undefined).map((n) => n.kind);
      expect(kinds).toEqual(["backlog", "backlog-cleared"]);
    } finally {
      for (const r of release.splice(0)) r();
      await agent.close();
      await sink.close();
      router.close();
      dir.remove();
    }
  });
});
