import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../src/agent/agent.js";
import { routerEndpoints } from "../../src/wire/endpoints.js";
import { MonitorProcesses, startPager, type Pager } from "../helpers/processes.js";
import { tempDir, waitFor } from "../helpers/fleet.js";

/**
 * Graphite and webhooks are configured once for the deployment, so no layout of sinks drops a
 * share: two stats sink processes with --graphite on one of them (the README's old trap, where
 * 458 of 955 points reached carbon), two notification sink processes with --webhook on one. Every
 * point and every page is counted; every point goes under its host's name from the first second.
 */

describe("outputs whatever the layout", () => {
  let procs: MonitorProcesses;
  let pager: Pager;
  let carbon: Server;
  let carbonPort: number;
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const dir = tempDir("zmtp-layout-");
  const agents: Agent[] = [];

  beforeAll(async () => {
    procs = await MonitorProcesses.create();
    pager = await startPager();
    carbon = createServer((socket) => {
      sockets.add(socket);
      let rest = "";
      socket.setEncoding("utf8").on("data", (chunk: string) => {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        lines.push(...parts);
      });
    });
    await new Promise<void>((resolve) => carbon.listen(0, "127.0.0.1", resolve));
    carbonPort = (carbon.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const a of agents) await a.close();
    await procs.close();
    await pager.close();
    for (const s of sockets) s.destroy();
    carbon.close();
    dir.remove();
  });

  it("two stats sinks, Graphite given to one: every point reaches carbon once, under its host name; two notification sinks, a webhook given to one: every page is sent", async () => {
    const db = join(dir.path, "monitor.db");
    const bases = [`ipc://${dir.path}/r1`, `ipc://${dir.path}/r2`];
    const routers = bases.map((base, i) =>
      procs.start(`r${i + 1}`, ["router", "--bind", base, "--role-heartbeat", "0"]),
    );
    const common = ["--router", bases[0]!, "--router", bases[1]!, "--db", db, "--stale-after", "0"];
    // The sink given --graphite and --webhook starts first: the others find the target in the store.
    const first = procs.start("stats-1", [
      ...["sink", ...common, "--type", "stats,notification", "--name", "stats-1"],
      ...["--graphite", `127.0.0.1:${carbonPort}`, "--webhook", pager.url],
    ]);
    await first.waitFor(/ sink \{/);
    const others = [
      procs.start("stats-2", ["sink", ...common, "--type", "stats,notification", "--name", "stats-2"]),
      procs.start("presence", ["sink", ...common, "--type", "heartbeat,registration", "--name", "presence"]),
    ];
    for (const p of [...routers, ...others]) await p.waitFor(/ (router|sink) \{/);
    expect(others[0]!.output()).toContain(`"graphite":"127.0.0.1:${carbonPort}"`);

    // Three new hosts, each sending stats at once: their first points come before their names are stored.
    const POINTS_PER_BATCH = 5;
    const BATCHES = 60;
    const ids: string[] = [];
    for (let h = 1; h <= 3; h++) {
      const agent = await Agent.start({
        stateDir: join(dir.path, `agent-${h}`),
        routers: bases.map((b) => routerEndpoints(b).agents),
        hostname: `web-${h}`,
        statsdPort: null,
        localEndpoint: null,
        heartbeatInterval: 500,
        statsFlushInterval: 20,
        ackTimeout: 500,
        fallbackAfter: 0,
      });
      agents.push(agent);
    }
    const time = Date.now();
    for (let b = 0; b < BATCHES; b++) {
      agents.forEach((agent, h) => {
        agent.stats(
          Array.from({ length: POINTS_PER_BATCH }, (_, p) => ({
            name: `app.s${p}`,
            value: b,
            time: time + b * 10 + h,
          })),
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 25)); // one batch per flush
    }
    for (const agent of agents)
      for (let n = 0; n < 10; n++) ids.push(agent.notify({ severity: "critical", text: `page ${n}` }));

    const expected = 3 * BATCHES * POINTS_PER_BATCH;
    const appLines = (): string[] => lines.filter((l) => l.includes(".app.s"));
    await waitFor(`${expected} points in carbon`, () => appLines().length >= expected, 30_000);
    await waitFor("30 pages", () => new Set(pager.pages.map((p) => p.id)).size === 30, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // no straggling duplicates
    const points = appLines();
    expect(points).toHaveLength(expected);
    expect(new Set(points).size).toBe(expected);
    // Every point under its host's name: none under an agent id.
    const hosts = new Set(points.map((l) => l.split(".")[1]));
    expect([...hosts].sort()).toEqual(["web-1", "web-2", "web-3"]);
    // Both stats sinks stored (and so wrote) a share.
    for (const p of [first, others[0]!]) {
      await p.kill();
      const stopped = /stopped \{"stats":\{"received":(\d+)/.exec(p.output());
      expect(Number(stopped?.[1]), p.name).toBeGreaterThan(0);
    }
    expect(pager.pages.map((p) => p.id).sort()).toEqual([...ids].sort());
  }, 90_000);
});
