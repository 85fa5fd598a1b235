import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Agent, Watcher, lookup, type Change } from "../../src/index.js";
import { onCleanup, startRegistrar, until, untilAsync } from "../helpers/names.js";
import { Daemon, replicaProcess } from "../helpers/process.js";

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "zns-agent-"));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("local agent", () => {
  it("answers lookups from its cache with every replica killed", async () => {
    const one = await replicaProcess();
    const two = await replicaProcess(["--peer", one.endpoint]);
    const reg = startRegistrar([one.endpoint, two.endpoint], 60_000);
    reg.register("proxies", "tcp://10.0.0.1:5555");
    reg.register("proxies", "tcp://10.0.0.2:5555");
    const dir = tempDir();
    const agent = new Daemon([
      "agent",
      "--replica",
      one.endpoint,
      "--replica",
      two.endpoint,
      "--bind",
      `ipc://${dir}/zns`,
      "--publish",
      `ipc://${dir}/zns-updates`,
    ]);
    await agent.waitFor("listening");
    const local = [`ipc://${dir}/zns`];
    await untilAsync(async () => (await lookup("proxies", { servers: local })).length === 2, 10_000, "agent has both");
    await Promise.all([one.daemon.kill("SIGKILL"), two.daemon.kill("SIGKILL")]);
    await agent.waitFor("failover");
    expect((await lookup("proxies", { servers: local })).sort()).toEqual([
      "tcp://10.0.0.1:5555",
      "tcp://10.0.0.2:5555",
    ]);
  });

  it("merges its ZPL lookup file with the replicas' names, and serves the file alone before any replica answers", async () => {
    const dir = tempDir();
    const file = join(dir, "names.zpl");
    writeFileSync(file, "proxies\n    endpoint = tcp://static:1\nlogger = tcp://log:1\n");
    const one = await replicaProcess();
    const agent = new Agent({
      servers: [one.endpoint],
      bind: `ipc://${dir}/a`,
      publish: `ipc://${dir}/a-updates`,
      lookupFile: file,
      timeout: 500,
    });
    await agent.start();
    onCleanup(() => agent.close());
    expect(await lookup("logger", { servers: [agent.endpoint] })).toEqual(["tcp://log:1"]);
    const reg = startRegistrar([one.endpoint], 60_000);
    reg.register("proxies", "tcp://dynamic:1");
    reg.register("proxies", "tcp://static:1");
    await untilAsync(async () => (await lookup("proxies", { servers: [agent.endpoint] })).length === 2);
    expect((await lookup("proxies", { servers: [agent.endpoint] })).sort()).toEqual([
      "tcp://dynamic:1",
      "tcp://static:1",
    ]);

    // A watcher of the agent follows the merged view; the file's entry stays when the replica drops it.
    const watcher = new Watcher({ servers: [agent.endpoint], name: "proxies", timeout: 500 });
    onCleanup(() => watcher.close());
    const changes: Change[] = [];
    watcher.on("change", (c: Change) => changes.push(c));
    await watcher.ready();
    reg.unregister("proxies", "tcp://static:1");
    reg.unregister("proxies", "tcp://dynamic:1");
    await until(() => changes.some((c) => c.op === "-"), 5000, "the dynamic member leaving");
    expect(changes.filter((c) => c.op === "-")).toEqual([{ name: "proxies", op: "-", endpoint: "tcp://dynamic:1" }]);
    expect(watcher.members()).toEqual(["tcp://static:1"]);

    // Reloading the file publishes its differences.
    writeFileSync(file, "proxies\n    endpoint = tcp://static:2\n");
    agent.reloadLookupFile();
    await until(() => watcher.members().join() === "tcp://static:2", 5000, "the reloaded file");
    expect(await lookup("logger", { servers: [agent.endpoint] })).toEqual([]);
  });

  it("forwards registrations from local nodes to every replica", async () => {
    const dir = tempDir();
    const one = await replicaProcess();
    const two = await replicaProcess();
    const agent = new Agent({
      servers: [one.endpoint, two.endpoint],
      bind: `ipc://${dir}/a`,
      publish: `ipc://${dir}/u`,
    });
    await agent.start();
    onCleanup(() => agent.close());
    const reg = startRegistrar([agent.endpoint], 60_000);
    reg.register("local", "ipc:///run/proxy");
    for (const server of [one.endpoint, two.endpoint])
      await untilAsync(async () => (await lookup("local", { servers: [server] })).length === 1);
  });
});
