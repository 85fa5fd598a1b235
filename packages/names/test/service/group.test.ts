import { describe, expect, it } from "vitest";
import { Publisher, Subscriber } from "zmtp";
import { Group } from "../../src/index.js";
import { onCleanup, startRegistrar, startReplica, until } from "../helpers/names.js";

/** A node proxy's frontend: a SUB bound on loopback that counts what the publisher sends it. */
async function proxy(): Promise<{ endpoint: string; received: string[]; close: () => void }> {
  const sub = new Subscriber({ linger: 0 });
  sub.subscribe("");
  await sub.bind("tcp://127.0.0.1:*");
  const received: string[] = [];
  void (async () => {
    for await (const [m] of sub) received.push(m!.toString());
  })().catch(() => undefined);
  onCleanup(() => sub.close());
  return { endpoint: sub.lastEndpoint!, received, close: () => sub.close() };
}

describe("Group", () => {
  it("keeps a publisher connected to every live proxy of the group, and leaves those that go", async () => {
    const replica = await startReplica();
    const pub = new Publisher({ linger: 0 });
    onCleanup(() => pub.close());
    const [a, b] = await Promise.all([proxy(), proxy()]);
    const reg = startRegistrar([replica.endpoint], 60_000);
    reg.register("proxies", a.endpoint);
    const group = await Group.join(pub, "zns://proxies", { servers: [replica.endpoint], timeout: 500 });
    onCleanup(() => group.close());
    await until(() => group.members().length === 1, 5000, "proxy a joined");
    const joined: string[] = [];
    const left: string[] = [];
    group.on("join", (e: string) => joined.push(e));
    group.on("leave", (e: string) => left.push(e));

    reg.register("proxies", b.endpoint);
    await until(() => joined.includes(b.endpoint), 5000, "proxy b joined");
    let n = 0;
    // PUB drops until the connection is up: publish until both proxies have heard something.
    await until(
      () => {
        void pub.send(`m${n++}`);
        return a.received.length > 0 && b.received.length > 0;
      },
      5000,
      "both proxies receiving",
    );

    reg.unregister("proxies", a.endpoint);
    await until(() => left.includes(a.endpoint), 5000, "proxy a left");
    const before = a.received.length;
    for (let i = 0; i < 20; i++) await pub.send(`after${i}`);
    await until(() => b.received.includes("after19"), 5000, "b got everything");
    expect(a.received.length).toBe(before);
    expect(group.members()).toEqual([b.endpoint]);
  });

  it("reports an endpoint the socket refuses and carries on", async () => {
    const replica = await startReplica();
    const pub = new Publisher({ linger: 0 });
    onCleanup(() => pub.close());
    const reg = startRegistrar([replica.endpoint], 60_000);
    reg.register("proxies", "bogus://nowhere");
    reg.register("proxies", "tcp://127.0.0.1:9");
    const group = new Group(pub, "proxies", { servers: [replica.endpoint], timeout: 500 });
    onCleanup(() => group.close());
    const invalid: string[] = [];
    group.on("invalid", (e: { endpoint: string }) => invalid.push(e.endpoint));
    await until(() => group.members().length === 1 && invalid.length === 1, 5000, "one joined, one refused");
    expect(invalid).toEqual(["bogus://nowhere"]);
    expect(group.members()).toEqual(["tcp://127.0.0.1:9"]);
  });
});
