import { createSocket } from "node:dgram";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.js";
import { MonitorClient } from "../../src/agent/client.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { MonitorRouter } from "../../src/router/router.js";
import { Scheduler } from "../../src/sink/scheduler.js";
import type { AnySink, NotificationSink, PresenceChange } from "../../src/sink/sinks.js";
import type { NotificationRecord } from "../../src/store/store.js";
import type { Stream } from "../../src/wire/protocol.js";
import { roleOfProcess } from "../../src/wire/roles.js";
import {
  FAST_BACK_CHANNEL,
  sinksConnected,
  sleep,
  startAgent,
  startRouter,
  startSinks,
  tempDir,
  waitFor,
  writePlugin,
} from "../helpers/fleet.js";

/**
 * The whole system on localhost in one process: 2 routers, one sink per type, 2 schedulers
 * sharing the store, 3 agents. Heartbeats every 100 ms, down after 3 missed.
 */

const CHECK_INTERVAL = 400;

describe("monitoring system end to end", () => {
  const dir = tempDir();
  const store = new MemoryStore();
  let routers: MonitorRouter[];
  let sinks: Record<Stream, AnySink>;
  let schedulers: Scheduler[];
  const agents: Agent[] = [];
  const alerts: NotificationRecord[] = [];
  const presence: PresenceChange[] = [];

  beforeAll(async () => {
    routers = [await startRouter(), await startRouter()];
    sinks = startSinks(store, routers);
    sinks.notification.on("alert", (n: NotificationRecord) => alerts.push(n));
    sinks.heartbeat.on("presence", (p: PresenceChange) => presence.push(p));
    await sinksConnected(routers);
    // "load" reports OK with perfdata; "flag" reports what a file says (so a test can flip it).
    const load = writePlugin(dir.path, "check_load", `echo "OK - load is fine|load1=0.5;2;4;0; procs=12"; exit 0`);
    const flag = writePlugin(
      dir.path,
      "check_flag",
      `s=$(cat "$1" 2>/dev/null || echo 0); echo "flag is $s|flag=$s"; exit "$s"`,
    );
    for (let i = 0; i < 3; i++) {
      agents.push(
        await startAgent(join(dir.path, `agent${i}`), routers, {
          checks: [
            { name: "load", command: [load], interval: CHECK_INTERVAL, timeout: 2000 },
            { name: "flag", command: [flag, join(dir.path, `flag${i}`)], interval: 60_000, timeout: 2000 },
          ],
        }),
      );
    }
    const backChannels = routers.map((r) => r.endpoints.back);
    schedulers = [0, 1].map(
      (i) => new Scheduler({ store, backChannels, id: `s${i}`, tickInterval: 40, backChannel: FAST_BACK_CHANNEL }),
    );
  });

  afterAll(async () => {
    for (const s of schedulers) s.close();
    for (const a of agents) await a.close();
    for (const s of Object.values(sinks)) await s.close();
    for (const r of routers) r.close();
    dir.remove();
  });

  it("gives each agent a UUID routing id, kept in its state directory", async () => {
    const ids = new Set(agents.map((a) => a.id));
    expect(ids.size).toBe(3);
    for (const a of agents) expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    // (the schedulers register themselves too: wire/roles.ts)
    const agentsRegistered = async (): Promise<Set<string>> =>
      new Set((await store.registrations()).filter((r) => roleOfProcess(r.process) === null).map((r) => r.agent));
    await waitFor("registrations", async () => (await agentsRegistered()).size >= 3);
    expect(await agentsRegistered()).toEqual(ids);
  });

  it("stats flow from statsd, the local client and the agent API to the stats sink", async () => {
    const [a0, a1, a2] = agents as [Agent, Agent, Agent];
    const udp = createSocket("udp4");
    const packet = "web.hits:3|c\nweb.hits:2|c\nweb.temp:21.5|g\nweb.latency:10|ms\nweb.latency:30|ms\nnot a metric";
    await new Promise<void>((resolve) => udp.send(packet, a0.statsdPort!, "127.0.0.1", () => resolve()));
    udp.close();

    const client = new MonitorClient(a1.localEndpoint!);
    await client.stat("billing.invoices", 7, { kind: "counter", process: "billing" });
    client.close();
    a2.stats([{ name: "queue.depth", value: 42, kind: "gauge" }]);

    const one = async (agent: string, name: string): Promise<number | undefined> =>
      (await store.stats({ agent, name })).at(-1)?.value;
    expect(await waitFor("statsd counter", () => one(a0.id, "web.hits"))).toBe(5);
    expect(await one(a0.id, "web.temp")).toBe(21.5);
    expect(await one(a0.id, "web.latency.mean")).toBe(20);
    expect(await one(a0.id, "web.latency.max")).toBe(30);
    expect(await waitFor("client stat", () => one(a1.id, "billing.invoices"))).toBe(7);
    expect(await waitFor("API stat", () => one(a2.id, "queue.depth"))).toBe(42);
    await waitFor("malformed statsd line counted", () => {
      agents[0]!.stats([]);
      return a0.counters.statsdMalformed === 1;
    });
  });

  it("runs checks on schedule, once per interval although two schedulers run", async () => {
    await waitFor("first scheduled runs", async () => (await store.checkResults({ check: "load" })).length >= 3);
    const from = Date.now();
    await sleep(CHECK_INTERVAL * 5);
    const to = Date.now();
    for (const agent of agents) {
      const all = await store.checkResults({ agent: agent.id, check: "load" });
      const runs = all.filter((r) => r.trigger === "schedule" && r.time >= from && r.time <= to);
      // 5 intervals: about 5 runs; a double-running pair of schedulers would give about 10.
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.length).toBeLessThanOrEqual(6);
      expect(all.every((r) => r.status === 0 && r.text === "OK - load is fine")).toBe(true);
    }
    // Both schedulers took part, and no run was claimed twice.
    const s0 = schedulers[0]!.counters.scheduled;
    const s1 = schedulers[1]!.counters.scheduled;
    expect(s0 + s1).toBeGreaterThan(0);
    // perfdata became stats
    const load1 = await store.stats({ agent: agents[0]!.id, name: "check.load.load1" });
    expect(load1.at(-1)).toMatchObject({ value: 0.5, kind: "gauge" });
  });

  it("runs a check on demand through any router", async () => {
    const agent = agents[1]!;
    const result = await schedulers[0]!.runNow(agent.id, "load", { timeout: 5000 });
    expect(result).toMatchObject({ agent: agent.id, check: "load", status: 0, trigger: "demand" });
    const unknown = await schedulers[1]!.runNow(agent.id, "no-such-check", { timeout: 5000 });
    expect(unknown.status).toBe(3);
  });

  it("a check's state change raises one notification, acked exactly once", async () => {
    const agent = agents[2]!;
    writeFileSync(join(dir.path, "flag2"), "2");
    const result = await schedulers[0]!.runNow(agent.id, "flag", { timeout: 5000 });
    expect(result.status).toBe(2);
    const alert = await waitFor("alert", () => alerts.find((n) => n.agent === agent.id && n.check === "flag"));
    expect(alert).toMatchObject({ severity: "critical", text: "flag OK -> CRITICAL: flag is 2" });
    await waitFor("outbox drained", () => agent.outboxSize === 0);
    // Running it again in the same state changes nothing.
    await schedulers[1]!.runNow(agent.id, "flag", { timeout: 5000 });
    await sleep(200);
    expect(alerts.filter((n) => n.agent === agent.id && n.check === "flag")).toHaveLength(1);
    const stored = await store.notifications({ agent: agent.id });
    expect(stored.filter((n) => n.check === "flag")).toHaveLength(1);
  });

  it("a notification from a local process arrives once and is acked", async () => {
    const agent = agents[0]!;
    const client = new MonitorClient(agent.localEndpoint!);
    const before = alerts.length;
    const ackedBefore = agent.counters.acked;
    await client.notify("warning", "disk 91% full", { process: "billing" });
    client.close();
    await waitFor("alert", () => alerts.length > before);
    await waitFor("acked", () => agent.outboxSize === 0);
    await sleep(300);
    const mine = alerts.filter((n) => n.text === "disk 91% full");
    expect(mine).toHaveLength(1);
    expect(agent.counters.acked - ackedBefore).toBe(1);
    expect(mine[0]).toMatchObject({ agent: agent.id, severity: "warning", process: "billing" });
    const sink = sinks.notification as NotificationSink;
    expect(sink.counters.acked).toBeGreaterThanOrEqual(1);
    expect(await store.acknowledgeNotification(agent.id, mine[0]!.id, "ops", Date.now())).toBe(true);
    expect(await store.notifications({ agent: agent.id, unacknowledged: true })).toHaveLength(0);
  });

  it("a local process's heartbeats give it a presence of its own", async () => {
    const agent = agents[1]!;
    const client = new MonitorClient(agent.localEndpoint!);
    for (let i = 0; i < 3; i++) {
      await client.heartbeat("billing", 100);
      await sleep(50);
    }
    client.close();
    const mine = (): PresenceChange[] => presence.filter((p) => p.agent === agent.id && p.process === "billing");
    await waitFor("process up", () => mine().some((p) => p.state === "up"));
    await waitFor("process down", () => mine().some((p) => p.state === "down"), 3000);
    expect(mine().map((p) => p.state)).toEqual(["up", "down"]);
    // The agent itself is still up.
    const records = await store.presence();
    expect(records.find((p) => p.agent === agent.id && p.process === null)?.state).toBe("up");
  });

  it("presence: an agent that stops is declared down once, and up again when it returns", async () => {
    const stopped = agents[2]!;
    const id = stopped.id;
    await waitFor("up", () => presence.find((p) => p.agent === id && p.process === null && p.state === "up"));
    const historyBefore = (await store.presenceHistory(id)).length;
    const seen = presence.length;
    await stopped.close();
    const after = (): PresenceChange[] => presence.slice(seen).filter((p) => p.agent === id);
    await waitFor("down", () => after().find((p) => p.state === "down"), 3000);
    await sleep(400);
    expect(after().map((p) => p.state)).toEqual(["down"]);

    const again = await startAgent(join(dir.path, "agent2"), routers);
    agents[2] = again;
    expect(again.id).toBe(id); // the same machine, the same UUID
    await waitFor("up again", () => after().length === 2, 3000);
    expect(after().map((p) => p.state)).toEqual(["down", "up"]);
    const history = (await store.presenceHistory(id)).slice(historyBefore).map((e) => e.state);
    expect(history).toEqual(["down", "up"]);
  });
});
