import { describe, expect, it } from "vitest";
import { lookup } from "../../src/index.js";
import { startRegistrar, startWatcher, until, untilAsync } from "../helpers/names.js";
import { replicaProcess } from "../helpers/process.js";

const sorted = (a: string[]): string[] => [...a].sort();

describe("replica failover (real processes)", () => {
  it("a watcher whose replica is killed fails over to the other and sees every change once, none missing", async () => {
    const one = await replicaProcess();
    const two = await replicaProcess(["--peer", one.endpoint]);
    const reg = startRegistrar([one.endpoint, two.endpoint], 60_000);
    const expected = new Set<string>();
    const add = (i: number): void => {
      reg.register("proxies", `tcp://10.0.0.${i}:5555`);
      expected.add(`tcp://10.0.0.${i}:5555`);
    };
    const remove = (i: number): void => {
      reg.unregister("proxies", `tcp://10.0.0.${i}:5555`);
      expected.delete(`tcp://10.0.0.${i}:5555`);
    };
    for (let i = 1; i <= 10; i++) add(i);
    const w = startWatcher({ servers: [one.endpoint, two.endpoint], name: "proxies" });
    const failovers: unknown[] = [];
    w.watcher.on("failover", (e) => failovers.push(e));
    await w.watcher.ready();
    await until(() => w.replayed("proxies").length === 10, 5000, "ten members");
    expect(w.watcher.server).toBe(one.endpoint);

    // Changes keep coming while the followed replica dies.
    for (let i = 11; i <= 15; i++) add(i);
    remove(3);
    await one.daemon.kill("SIGKILL");
    for (let i = 16; i <= 20; i++) add(i);
    remove(5);
    remove(16);

    await until(() => w.watcher.server === two.endpoint, 10_000, "failover to the second replica");
    await until(() => w.replayed("proxies").length === expected.size, 10_000, "every change after failover");
    // replayed() throws on a duplicate or phantom change: the event stream itself is clean.
    expect(w.replayed("proxies")).toEqual(sorted([...expected]));
    expect(sorted(w.watcher.members())).toEqual(sorted([...expected]));
    expect(sorted(await lookup("proxies", { servers: [two.endpoint] }))).toEqual(sorted([...expected]));
    expect(failovers.length).toBeGreaterThanOrEqual(1);
  });

  it("a restarted replica catches up from the other before it answers", async () => {
    const one = await replicaProcess();
    const reg = startRegistrar([one.endpoint], 60_000);
    for (let i = 0; i < 200; i++) reg.register(`svc${i % 20}`, `tcp://node${i}:1`);
    await untilAsync(async () => (await lookup("svc19", { servers: [one.endpoint] })).length === 10);
    // The second replica dies and comes back (on a new port): nobody registers with it directly.
    const two = await replicaProcess(["--peer", one.endpoint]);
    await two.daemon.kill("SIGKILL");
    const again = await replicaProcess(["--peer", "tcp://127.0.0.1:1", "--peer", one.endpoint]);
    const caughtUp = await again.daemon.waitFor("caught-up");
    expect(caughtUp).toEqual({ from: one.endpoint, names: 20 });
    for (let i = 0; i < 20; i++) expect(await lookup(`svc${i}`, { servers: [again.endpoint] })).toHaveLength(10);
  });

  it("a client looking up fails over to the next replica when the first is down", async () => {
    const one = await replicaProcess();
    const two = await replicaProcess();
    const reg = startRegistrar([one.endpoint, two.endpoint], 60_000);
    reg.register("db", "tcp://db:5432");
    await untilAsync(async () => (await lookup("db", { servers: [two.endpoint] })).length === 1);
    await one.daemon.kill("SIGKILL");
    expect(await lookup("db", { servers: [one.endpoint, two.endpoint], timeout: 500 })).toEqual(["tcp://db:5432"]);
  });
});
