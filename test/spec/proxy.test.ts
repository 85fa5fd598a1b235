/**
 * Proxy (zmq_proxy_steerable, as zeromq.js v6 exposes it) through the public API with ours on
 * every side: the XSUB/XPUB forwarder (RFC 29's "distribution proxies") and the ROUTER/DEALER
 * queue (RFC 28's "request-reply proxies"), over every transport.
 */
import { describe, expect, it } from "vitest";
import {
  Dealer,
  Proxy,
  Publisher,
  Reply,
  Request,
  Router,
  Subscriber,
  XPublisher,
  XSubscriber,
} from "../../src/index.js";
import { drain, settle } from "../helpers/pubsub.js";
import { TRANSPORTS, expectNothing, inproc, joined, text, useHarness } from "../helpers/sockets.js";

const h = useHarness();

describe("Proxy control", () => {
  it("run() throws EINVAL at once when a socket is neither bound nor connected; control calls before run() are EBADF", async () => {
    const frontEnd = h.open(XSubscriber);
    const backEnd = h.open(XPublisher);
    const proxy = new Proxy(frontEnd, backEnd);
    expect(proxy.frontEnd).toBe(frontEnd);
    expect(proxy.backEnd).toBe(backEnd);
    expect(() => proxy.pause()).toThrow(expect.objectContaining({ code: "EBADF" }));
    expect(() => proxy.run()).toThrow(
      expect.objectContaining({ code: "EINVAL", message: "Front-end socket must be bound or connected" }),
    );
    await frontEnd.bind(inproc("front"));
    expect(() => proxy.run()).toThrow(
      expect.objectContaining({ code: "EINVAL", message: "Back-end socket must be bound or connected" }),
    );
    expect(() => new Proxy({} as XSubscriber, backEnd)).toThrow("Invalid argument");
  });

  it("a running proxy blocks its sockets: close() is put off until terminate(), other calls are EBUSY", async () => {
    const frontEnd = h.open(XSubscriber);
    const backEnd = h.open(XPublisher);
    const proxy = new Proxy(frontEnd, backEnd);
    await frontEnd.bind(inproc("front"));
    await backEnd.bind(inproc("back"));
    const done = proxy.run();
    frontEnd.close();
    expect(frontEnd.closed).toBe(false);
    expect(() => backEnd.connect(inproc("elsewhere"))).toThrow(expect.objectContaining({ code: "EBUSY" }));
    proxy.terminate();
    await done;
    expect(frontEnd.closed).toBe(true);
    expect(backEnd.closed).toBe(true);
  });
});

describe.each(TRANSPORTS)("Proxy over %s", (transport) => {
  it("XSUB/XPUB forwarder: subscriptions go up to the publishers, matching messages come down", async () => {
    const frontEnd = h.open(XSubscriber);
    const backEnd = h.open(XPublisher);
    const proxy = new Proxy(frontEnd, backEnd);
    const pubs = [h.open(Publisher), h.open(Publisher)];
    for (const pub of pubs) frontEnd.connect(await h.bound(pub, transport));
    const backEp = await h.bound(backEnd, transport);
    const done = proxy.run();
    const sub = h.open(Subscriber);
    sub.subscribe("A");
    sub.connect(backEp);
    for (const [i, pub] of pubs.entries()) await settle(pub, sub, `A-probe-${i}`);
    await pubs[0]!.send(["A", "from 0"]);
    await pubs[1]!.send(["B", "from 1"]);
    await pubs[1]!.send(["A", "from 1"]);
    expect((await drain(sub)).sort()).toEqual(["A|from 0", "A|from 1"]);
    proxy.terminate();
    await done;
    expect(frontEnd.closed).toBe(true);
    expect(backEnd.closed).toBe(true);
  });

  it("ROUTER/DEALER queue: requests from REQ clients reach REP workers and replies find their way back", async () => {
    const frontEnd = h.open(Router);
    const backEnd = h.open(Dealer);
    const proxy = new Proxy(frontEnd, backEnd);
    const frontEp = await h.bound(frontEnd, transport);
    const backEp = await h.bound(backEnd, transport);
    const workers = [h.open(Reply), h.open(Reply)];
    for (const [i, worker] of workers.entries()) {
      worker.connect(backEp);
      void (async () => {
        for await (const [req] of worker) await worker.send(`${req!.toString()} done by ${i}`);
      })().catch(() => undefined);
    }
    // Both workers in the back end's rotation before traffic starts (the running proxy owns it after).
    await joined(backEnd, 2);
    const done = proxy.run();
    const clients = [h.open(Request), h.open(Request), h.open(Request)];
    for (const client of clients) client.connect(frontEp);
    const replies = await Promise.all(
      clients.map(async (client, c) => {
        const got: string[] = [];
        for (let i = 0; i < 3; i++) {
          await client.send(`c${c}r${i}`);
          got.push(text(await client.receive())[0]!.split(" done")[0]!);
        }
        return got;
      }),
    );
    expect(replies).toEqual([0, 1, 2].map((c) => [0, 1, 2].map((i) => `c${c}r${i}`)));
    proxy.terminate();
    await done;
  });

  it("pause() holds messages back until resume(); after terminate() control calls are EBADF", async () => {
    const frontEnd = h.open(XSubscriber);
    const backEnd = h.open(XPublisher);
    const proxy = new Proxy(frontEnd, backEnd);
    const pub = h.open(Publisher);
    frontEnd.connect(await h.bound(pub, transport));
    const backEp = await h.bound(backEnd, transport);
    const done = proxy.run();
    const sub = h.open(Subscriber);
    sub.subscribe("");
    sub.connect(backEp);
    await settle(pub, sub, "probe");
    proxy.pause();
    await pub.send("while paused");
    await expectNothing(sub, 100);
    proxy.resume();
    expect(text(await sub.receive())).toEqual(["while paused"]);
    proxy.terminate();
    await done;
    expect(() => proxy.resume()).toThrow(expect.objectContaining({ code: "EBADF" }));
    expect(() => proxy.terminate()).toThrow(expect.objectContaining({ code: "EBADF" }));
  });
});
