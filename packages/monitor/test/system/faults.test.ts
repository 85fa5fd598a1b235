import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { Outbox } from "../../src/agent/outbox.js";
import type { MonitorRouter } from "../../src/router/router.js";
import type { AnySink } from "../../src/sink/sinks.js";
import type { NotificationRecord } from "../../src/store/store.js";
import { sinksConnected, sleep, startAgent, startRouter, startSink, tempDir, waitFor } from "../helpers/fleet.js";

/** Acknowledged messages survive the death of a router, an agent or a sink. */

describe("monitoring faults", () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  async function world(routerCount: number): Promise<{ store: MemoryStore; routers: MonitorRouter[]; dir: string }> {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const routers: MonitorRouter[] = [];
    for (let i = 0; i < routerCount; i++) routers.push(await startRouter());
    cleanups.push(() => routers.forEach((r) => r.close()));
    const store = new MemoryStore();
    // Agents register (acknowledged) on start; a registration sink keeps that out of the way.
    track(startSink("registration", store, routers));
    await sinksConnected(routers, ["registration"]);
    return { store, routers, dir: dir.path };
  }

  function notificationSink(store: MemoryStore, routers: MonitorRouter[], alerts: NotificationRecord[]): AnySink {
    const sink = startSink("notification", store, routers);
    sink.on("alert", (n: NotificationRecord) => alerts.push(n));
    return sink;
  }

  function track<T extends { close(): unknown }>(x: T): T {
    cleanups.push(() => x.close());
    return x;
  }

  function expectExactlyOnce(alerts: NotificationRecord[], stored: NotificationRecord[], ids: string[]): void {
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
    expect(alerts.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(stored.map((n) => n.id).sort()).toEqual([...ids].sort());
  }

  it("a router killed while agents send acknowledged notifications: each arrives exactly once via the other", async () => {
    const { store, routers, dir } = await world(2);
    const alerts: NotificationRecord[] = [];
    track(notificationSink(store, routers, alerts));
    await sinksConnected(routers, ["notification"]);
    const agents: Agent[] = [];
    for (let i = 0; i < 3; i++) agents.push(track(await startAgent(join(dir, `a${i}`), routers)));
    await waitFor("agents connected to both routers", () => agents.every((a) => a.connectedRouters === 2));

    const ids: string[] = [];
    for (let n = 0; n < 30; n++) {
      for (const agent of agents) ids.push(agent.notify({ severity: "critical", text: `failure ${n}` }));
      if (n === 10) routers[0]!.close(); // mid-stream, with messages in flight through it
      await sleep(10);
    }
    await waitFor("every outbox drained", () => agents.every((a) => a.outboxSize === 0), 10_000);
    await sleep(300); // let any straggling duplicate arrive
    expectExactlyOnce(alerts, await store.notifications(), ids);
    expect(routers[1]!.counters.forwarded.notification).toBeGreaterThan(0);
    expect(agents.some((a) => a.counters.resent > 0)).toBe(true); // something was lost with the router
  });

  it("an agent restarted with an unacked outbox resends it, and each arrives exactly once", async () => {
    const { store, routers, dir } = await world(1);
    const stateDir = join(dir, "agent");
    // No notification sink yet: the router drops them, nothing is acked.
    const first = await startAgent(stateDir, routers);
    await waitFor("registered", () => first.outboxSize === 0);
    const ids = [1, 2, 3, 4, 5].map((n) => first.notify({ severity: "warning", text: `queued ${n}` }));
    await sleep(400); // at least one resend, also dropped
    expect(first.outboxSize).toBe(5);
    await first.close();

    const persisted = new Outbox(join(stateDir, "outbox.jsonl"));
    expect(persisted.size).toBe(5);
    persisted.close();

    const alerts: NotificationRecord[] = [];
    track(notificationSink(store, routers, alerts));
    await sinksConnected(routers, ["notification"]);
    const second = track(await startAgent(stateDir, routers));
    expect(second.id).toBe(first.id);
    await waitFor("outbox drained after restart", () => second.outboxSize === 0, 5000);
    await sleep(300);
    expectExactlyOnce(alerts, await store.notifications(), ids);
  });

  it("a store failure is not acked: the agent resends and the notification is stored once", async () => {
    const { store, routers, dir } = await world(1);
    const real = store.addNotification.bind(store);
    let failures = 1;
    store.addNotification = async (n) => {
      if (failures-- > 0) throw new Error("disk full");
      return real(n);
    };
    const alerts: NotificationRecord[] = [];
    const sink = track(notificationSink(store, routers, alerts));
    const errors: unknown[] = [];
    sink.on("failure", (err: unknown) => errors.push(err));
    await sinksConnected(routers, ["notification"]);
    const agent = track(await startAgent(join(dir, "agent"), routers));
    const id = agent.notify({ severity: "critical", text: "store hiccup" });
    await waitFor("acked after the resend", () => agent.outboxSize === 0, 5000);
    expect(errors).toHaveLength(1);
    expect(sink.counters.failed).toBe(1);
    expectExactlyOnce(alerts, await store.notifications(), [id]);
  });

  it("a notification sink restarted mid-stream loses no acknowledged message", async () => {
    const { store, routers, dir } = await world(2);
    const alerts: NotificationRecord[] = [];
    let sink = notificationSink(store, routers, alerts);
    cleanups.push(() => sink.close());
    await sinksConnected(routers, ["notification"]);
    const agent = track(await startAgent(join(dir, "agent"), routers));
    await waitFor("connected", () => agent.connectedRouters === 2);

    const ids: string[] = [];
    for (let n = 0; n < 40; n++) {
      ids.push(agent.notify({ severity: "info", text: `event ${n}` }));
      if (n === 10) await sink.close(); // the sink dies, with messages queued towards it
      if (n === 25) sink = notificationSink(store, routers, alerts); // a new sink on the same store
      await sleep(10);
    }
    await waitFor("outbox drained", () => agent.outboxSize === 0, 10_000);
    await sleep(300);
    expectExactlyOnce(alerts, await store.notifications(), ids);
    expect(agent.counters.resent).toBeGreaterThan(0);
  });
});
