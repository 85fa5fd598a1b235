import { describe, expect, it } from "vitest";
import { Dealer } from "zmtp";
import { lookup } from "../../src/index.js";
import { onCleanup, startRegistrar, startReplica, startWatcher, until, untilAsync } from "../helpers/names.js";

const found = async (name: string, servers: string[], n: number): Promise<boolean> =>
  (await lookup(name, { servers }).catch(() => [])).length === n;

describe("Replica", () => {
  it("answers lookups with every endpoint registered under a name", async () => {
    const r = await startReplica();
    const reg = startRegistrar([r.endpoint]);
    reg.register("proxies", "tcp://10.0.0.1:5555");
    reg.register("proxies", "tcp://10.0.0.2:5555");
    reg.register("loggers", "tcp://10.0.0.9:6000");
    await untilAsync(() => found("proxies", [r.endpoint], 2), 5000, "two proxies");
    expect((await lookup("proxies", { servers: [r.endpoint] })).sort()).toEqual([
      "tcp://10.0.0.1:5555",
      "tcp://10.0.0.2:5555",
    ]);
    expect(await lookup("loggers", { servers: [r.endpoint] })).toEqual(["tcp://10.0.0.9:6000"]);
    expect(await lookup("nobody", { servers: [r.endpoint] })).toEqual([]);
  });

  it("drops a registration whose heartbeats stop once its TTL runs out, and keeps one that heartbeats", async () => {
    const r = await startReplica();
    const alive = startRegistrar([r.endpoint], 300);
    const dying = startRegistrar([r.endpoint], 300);
    alive.register("proxies", "tcp://alive:1");
    dying.register("proxies", "tcp://dying:1");
    await untilAsync(() => found("proxies", [r.endpoint], 2));
    // Stops heartbeating without unregistering, as a crashed node would.
    (dying as unknown as { timer: NodeJS.Timeout }).timer.close();
    await untilAsync(() => found("proxies", [r.endpoint], 1));
    expect(await lookup("proxies", { servers: [r.endpoint] })).toEqual(["tcp://alive:1"]);
  });

  it("removes a registration at once on unregister", async () => {
    const r = await startReplica();
    const reg = startRegistrar([r.endpoint], 60_000);
    reg.register("proxies", "tcp://a:1");
    await untilAsync(() => found("proxies", [r.endpoint], 1));
    reg.unregister("proxies", "tcp://a:1");
    await untilAsync(() => found("proxies", [r.endpoint], 0));
  });

  it("gives a watcher the snapshot, then each change in order", async () => {
    const r = await startReplica();
    const reg = startRegistrar([r.endpoint], 60_000);
    reg.register("proxies", "tcp://a:1");
    await untilAsync(() => found("proxies", [r.endpoint], 1));
    const w = startWatcher({ servers: [r.endpoint], name: "proxies" });
    await w.watcher.ready();
    expect(w.watcher.members()).toEqual(["tcp://a:1"]);
    reg.register("proxies", "tcp://b:1");
    reg.register("other", "tcp://x:1");
    reg.unregister("proxies", "tcp://a:1");
    await until(() => w.changes.length === 3, 5000, "three changes");
    expect(w.changes).toEqual([
      { name: "proxies", op: "+", endpoint: "tcp://a:1" },
      { name: "proxies", op: "+", endpoint: "tcp://b:1" },
      { name: "proxies", op: "-", endpoint: "tcp://a:1" },
    ]);
  });

  it("a replica that starts copies a running peer's registrations before it answers", async () => {
    const first = await startReplica();
    const reg = startRegistrar([first.endpoint], 60_000);
    for (let i = 0; i < 50; i++) reg.register(`svc${i % 5}`, `tcp://node${i}:1`);
    await untilAsync(() => found("svc4", [first.endpoint], 10));
    const second = await startReplica({ peers: [first.endpoint] });
    // No registrar talks to the second replica: all it has, it copied.
    for (let i = 0; i < 5; i++) expect(await lookup(`svc${i}`, { servers: [second.endpoint] })).toHaveLength(10);
  });

  it("a burst of thousands of registrations reaches a watcher in order, with no gap to re-sync", async () => {
    const r = await startReplica();
    const w = startWatcher({ servers: [r.endpoint], name: "burst" });
    let resyncs = 0;
    w.watcher.on("resync", () => (resyncs += 1));
    await w.watcher.ready();
    const registrars = Array.from({ length: 30 }, () => startRegistrar([r.endpoint], 60_000));
    for (let i = 0; i < 3000; i++) registrars[i % 30]!.register("burst", `tcp://10.0.${i >> 8}.${i & 255}:1`);
    await until(() => w.watcher.members().length === 3000, 20_000, "every registration watched");
    expect(resyncs).toBe(0);
    expect(w.replayed("burst")).toHaveLength(3000);
  });

  it("counts and drops malformed requests, and goes on answering the same peer", async () => {
    const r = await startReplica();
    const dealer = new Dealer({ linger: 0 });
    onCleanup(() => dealer.close());
    dealer.connect(r.endpoint);
    await dealer.send(["REGISTER", "proxies", "tcp://a:1", "-5"]);
    await dealer.send(["LOOKUP"]);
    await dealer.send([Buffer.from([0xff, 0xfe]), "x"]);
    await dealer.send(["LOOKUP", "7", "proxies"]);
    const [type, id, name, ...endpoints] = (await dealer.receive()).map(String);
    expect({ type, id, name, endpoints }).toEqual({ type: "ENDPOINTS", id: "7", name: "proxies", endpoints: [] });
    expect(r.counters.malformed).toBe(3);
  });
});
