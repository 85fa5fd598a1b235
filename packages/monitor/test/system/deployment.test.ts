import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { MonitorProcesses, startPager, type Pager, type RoleProcess } from "../helpers/processes.js";
import { tempDir } from "../helpers/fleet.js";

/**
 * The README's multi-process deployment ("Running it by hand"), started again and again, every
 * role a real process: they share one SQLite file and start together, so each waits for the
 * others' locks and migrations instead of exiting with "database is locked". A round passes when
 * every process started, the agent's registration reached the store (stored and acked), and every
 * process stopped on SIGTERM with exit code 0 and no error in its output.
 */

describe("the multi-process deployment", () => {
  let procs: MonitorProcesses;
  let pager: Pager;
  let carbon: Server;
  let carbonPort: number;
  const dir = tempDir("zmtp-deployment-");

  beforeAll(async () => {
    procs = await MonitorProcesses.create();
    pager = await startPager();
    carbon = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => carbon.listen(0, "127.0.0.1", resolve));
    carbonPort = (carbon.address() as { port: number }).port;
  });
  afterAll(async () => {
    await procs.close();
    await pager.close();
    carbon.close();
    dir.remove();
  });

  /** One round: the routers, `backEnd(common flags)` on `db`, and an agent. Resolves with its duration (ms). */
  async function round(db: string, backEnd: (common: string[]) => RoleProcess[]): Promise<number> {
    const started = Date.now();
    const [r1, r2] = [`ipc://${dir.path}/r1`, `ipc://${dir.path}/r2`];
    const routers = [r1, r2].map((base, i) => procs.start(`r${i + 1}`, ["router", "--bind", base]));
    const sinks = backEnd([
      "--router",
      r1,
      "--router",
      r2,
      "--db",
      db,
      "--role-heartbeat",
      "500",
      "--stale-after",
      "0",
    ]);
    const agent = procs.start("agent", [
      "agent",
      ...["--router", r1, "--router", r2, "--state-dir", join(dir.path, "agent")],
      ...["--heartbeat", "200", "--hostname", "web-1", "--statsd-port=-1"],
    ]);
    const all = [...routers, ...sinks, agent];
    try {
      await Promise.all(routers.map((p) => p.waitFor(/ router \{/, 30_000)));
      await Promise.all(sinks.map((p) => p.waitFor(/ sink \{/, 30_000)));
      await agent.waitFor(/ agent \{/, 30_000);
      // Registration sinks log what they stored (and then acked): this round's agent got through.
      const registered = new RegExp(
        ` registration \\{"agent":"[0-9a-f-]{36}","process":"agent",.*"pid":${agent.child.pid},`,
      );
      await Promise.race(sinks.map((p) => p.waitFor(registered, 30_000)));
      const codes = await Promise.all(all.map((p) => p.kill("SIGTERM")));
      const unclean = all.map((p, i) => ({ name: p.name, code: codes[i] })).filter((p) => p.code !== 0);
      if (unclean.length > 0) throw new Error(`did not exit with 0: ${JSON.stringify(unclean)}`);
      for (const p of all) expect(p.output(), p.name).not.toMatch(/locked|Error|failure/);
    } catch (err) {
      await Promise.all(all.map((p) => p.kill("SIGKILL")));
      throw new Error(
        `${(err as Error).message}\n${all.map((p) => `--- ${p.name}\n${p.output().slice(-1500)}`).join("\n")}`,
      );
    }
    return Date.now() - started;
  }

  it("the README's layout (2 routers, a sink of every type with a scheduler, the page, Graphite and a webhook, a scheduler, an agent) starts 20 times in a row", async () => {
    const durations: number[] = [];
    for (let n = 1; n <= 20; n++) {
      // Rounds 1 and 11 on a fresh database, the others on the one the round before left.
      const db = join(dir.path, `readme-${n <= 10 ? 1 : 2}.db`);
      const ms = await round(db, (common) => [
        procs.start("sink", [
          ...["sink", ...common, "--type", "all", "--scheduler", "--scheduler-id", "s1", "--name", "sink-1"],
          ...["--http", "127.0.0.1:0", "--graphite", `127.0.0.1:${carbonPort}`, "--webhook", `critical=${pager.url}`],
        ]),
        procs.start("scheduler", ["scheduler", ...common, "--scheduler-id", "s2", "--name", "scheduler-1"]),
      ]).catch((err: Error) => {
        throw new Error(`round ${n} of 20 failed: ${err.message}`);
      });
      durations.push(ms);
    }
    for (const n of [1, 2]) {
      const store = await SqliteStore.open({ path: join(dir.path, `readme-${n}.db`) });
      expect((await store.agents()).some((a) => a.hostname === "web-1")).toBe(true);
      await store.close();
    }
    console.log(`README deployment: 20 rounds, ${durations.map((ms) => (ms / 1000).toFixed(1)).join(" ")} s`);
  }, 600_000);

  it("seven sink and scheduler processes started together on one file, new and existing, all start and stop cleanly", async () => {
    const db = join(dir.path, "seven.db");
    for (let n = 1; n <= 3; n++) {
      await round(db, (common) => [
        procs.start("sink-all", ["sink", ...common, "--type", "all", "--scheduler", "--scheduler-id", "s1"]),
        procs.start("scheduler-1", ["scheduler", ...common, "--scheduler-id", "s2", "--name", "scheduler-1"]),
        procs.start("scheduler-2", ["scheduler", ...common, "--scheduler-id", "s3", "--name", "scheduler-2"]),
        ...["heartbeat", "registration", "stats", "notification"].map((type) =>
          procs.start(`sink-${type}`, ["sink", ...common, "--type", type, "--name", `sink-${type}`]),
        ),
      ]).catch((err: Error) => {
        throw new Error(`round ${n} of 3 failed: ${err.message}`);
      });
    }
  }, 300_000);
});
