import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../src/agent/agent.js";
import { routerEndpoints } from "../../src/wire/endpoints.js";
import { MonitorProcesses, startPager, type Pager } from "../helpers/processes.js";
import { tempDir, waitFor } from "../helpers/fleet.js";
import { startPostgres } from "../helpers/postgres.js";

const postgres = await startPostgres();

/**
 * Alerting that cannot be lost, with every role a real process sharing one SQLite file and a
 * pager that is a real HTTP server: a dead host, router or scheduler pages; a sink killed while
 * the pager is down loses none of its pages.
 */

describe("alerting with real processes", () => {
  let procs: MonitorProcesses;
  const cleanups: Array<() => unknown> = [];
  beforeAll(async () => {
    procs = await MonitorProcesses.create();
  });
  afterAll(() => procs.close());
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  function setup(): { dir: string; db: string; pager: Promise<Pager> } {
    const dir = tempDir("zmtp-alerting-");
    cleanups.push(() => dir.remove());
    const pager = startPager();
    cleanups.push(async () => (await pager).close());
    return { dir: dir.path, db: join(dir.path, "monitor.db"), pager };
  }

  const page = (pager: Pager, kind: string, text: RegExp): Promise<Pager["pages"][number]> =>
    waitFor(
      `a ${kind} page matching ${text}`,
      () => pager.pages.find((p) => p.kind === kind && text.test(p.text)),
      20_000,
    );

  it("the death of a host, a router and a scheduler each pages; the host's return pages too", async () => {
    const { dir, db, pager: pagerReady } = setup();
    const pager = await pagerReady;
    const [r1, r2] = [`ipc://${dir}/r1`, `ipc://${dir}/r2`];
    const routers = ["r1", "r2"].map((name, i) =>
      procs.start(name, ["router", "--bind", [r1, r2][i]!, "--name", name, "--role-heartbeat", "200"]),
    );
    const both = ["--router", r1, "--router", r2];
    const sink = procs.start("sink", [
      "sink",
      ...both,
      "--db",
      db,
      "--name",
      "sink-1",
      "--webhook",
      pager.url,
      "--sweep",
      "100",
      "--role-heartbeat",
      "200",
      "--retry",
      "100",
      "--stale-after",
      "0",
    ]);
    const scheduler = procs.start("scheduler", [
      "scheduler",
      ...both,
      "--db",
      db,
      "--scheduler-id",
      "sched-1",
      "--name",
      "sched-1-sink",
      "--role-heartbeat",
      "200",
      "--stale-after",
      "0",
    ]);
    const agentArgs = [
      "agent",
      ...both,
      "--state-dir",
      join(dir, "agent"),
      "--heartbeat",
      "200",
      "--hostname",
      "web-1",
      "--statsd-port=-1",
    ];
    let agent = procs.start("agent", agentArgs);
    for (const p of [...routers, sink, scheduler]) await p.waitFor(/ (router|sink) \{/);
    await sink.waitFor(/presence \{"agent":"[0-9a-f-]{36}","process":null,"state":"up"/);

    const killed = Date.now();
    await agent.kill("SIGKILL");
    const hostDown = await page(pager, "host-down", /^host web-1 is down: no heartbeat for \d+ s$/);
    expect(hostDown).toMatchObject({ host: "web-1", severity: "critical" });
    const deathToPage = hostDown.at - killed;

    await routers[0]!.kill("SIGKILL");
    expect(await page(pager, "role-down", /^router r1 is down/)).toMatchObject({ host: "r1", severity: "critical" });
    await scheduler.kill("SIGKILL");
    expect(await page(pager, "role-down", /^scheduler sched-1 is down/)).toMatchObject({ host: "sched-1" });

    agent = procs.start("agent", agentArgs);
    expect(await page(pager, "host-up", /^host web-1 is back up$/)).toMatchObject({ severity: "ok" });
    // Each event paged once: sweeps raise an alert in the same step as the change.
    const kinds = pager.pages.map((p) => `${p.kind} ${p.host}`);
    expect(kinds.filter((k) => k === "host-down web-1")).toHaveLength(1);
    expect(kinds.filter((k) => k === "role-down r1")).toHaveLength(1);
    expect(sink.output()).not.toMatch(/failure|Error/);
    console.log(`death to page: ${deathToPage} ms (heartbeat 200 ms, 3 missed, sweep 100 ms)`);
    for (const p of [agent, sink, routers[1]!]) await p.kill();
  }, 60_000);

  it("a sink killed while retrying pages against a pager that is down loses none of them: the next sink delivers all", async () => {
    const { dir, db, pager: pagerReady } = setup();
    const pager = await pagerReady;
    pager.down = true;
    const base = `ipc://${dir}/r1`;
    const router = procs.start("r1", ["router", "--bind", base, "--role-heartbeat", "0"]);
    const sinkArgs = (name: string) => [
      "sink",
      "--router",
      base,
      "--db",
      db,
      "--name",
      name,
      "--webhook",
      pager.url,
      "--retry",
      "200",
      "--max-retry",
      "1000",
      "--action-timeout",
      "500",
      "--stale-after",
      "0",
    ];
    const first = procs.start("sink-a", sinkArgs("sink-a"));
    await router.waitFor(/ router \{/);
    await first.waitFor(/ sink \{/);
    const agent = await Agent.start({
      stateDir: join(dir, "agent"),
      routers: [routerEndpoints(base).agents],
      statsdPort: null,
      heartbeatInterval: 1000,
      ackTimeout: 300,
      fallbackAfter: 0,
    });
    cleanups.push(() => agent.close());
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(agent.notify({ severity: "critical", text: `page ${i}` }));
    // Acked: stored with their deliveries. Then every one tried against the dead pager, and logged.
    await waitFor("all 20 acked", () => agent.outboxSize === 0, 15_000);
    await waitFor("every page tried", () => pager.refused >= 20, 15_000);
    await first.waitFor(
      / delivery-failed \{"notification":"[0-9a-f-]{36}","action":"webhook:[^"]+","attempt":1,"error":"[^"]*503"/,
    );

    expect(await first.kill("SIGKILL")).toBe(null);
    pager.down = false;
    const second = procs.start("sink-b", sinkArgs("sink-b"));
    await waitFor("all 20 pages delivered", () => new Set(pager.pages.map((p) => p.id)).size === 20, 20_000);
    expect(pager.pages.map((p) => p.id).sort()).toEqual([...ids].sort());
    await second.waitFor(/ delivered \{/);
    await second.kill();
    await router.kill();
  }, 60_000);

  it.skipIf(postgres === null)(
    "on PostgreSQL: two sink processes (two hosts' worth) and a scheduler share the store; a dead host pages once",
    async () => {
      const { dir, pager: pagerReady } = setup();
      const pager = await pagerReady;
      const url = `${postgres!.url}`;
      const schema = `alerting_${process.pid}`;
      const base = `ipc://${dir}/r1`;
      const router = procs.start("r1", ["router", "--bind", base, "--role-heartbeat", "0"]);
      const store = ["--pg", url, "--pg-schema", schema, "--stale-after", "0", "--role-heartbeat", "300"];
      const sinks = ["a", "b"].map((name) =>
        procs.start(`sink-${name}`, [
          ...["sink", "--router", base, ...store, "--name", `sink-${name}`, "--sweep", "100"],
          ...["--webhook", `critical=${pager.url}`, "--retry", "100"],
        ]),
      );
      const scheduler = procs.start("scheduler", ["scheduler", "--router", base, ...store, "--scheduler-id", "s1"]);
      for (const p of [router, ...sinks, scheduler]) await p.waitFor(/ (router|sink) \{/);
      expect(sinks[0]!.output()).toContain(`"store":"postgresql://postgres@/postgres`);
      const agent = procs.start("agent", [
        ...["agent", "--router", base, "--state-dir", join(dir, "agent"), "--heartbeat", "200"],
        ...["--hostname", "db-7", "--statsd-port=-1"],
      ]);
      await Promise.race(sinks.map((s) => s.waitFor(/presence \{"agent":"[0-9a-f-]{36}","process":null,"state":"up"/)));
      await agent.kill("SIGKILL");
      await page(pager, "host-down", /^host db-7 is down/);
      await new Promise((resolve) => setTimeout(resolve, 500)); // both sinks sweep: still one page
      expect(pager.pages.filter((p) => p.kind === "host-down")).toHaveLength(1);
      for (const p of [...sinks, scheduler, router]) expect(await p.kill()).toBe(0);
    },
    60_000,
  );
});
