/**
 * Socket-type semantics (notes §5) through the public API, over inproc unless the behaviour
 * needs a real connection (then tcp, ours on both sides). One Context per test.
 */
import { describe, expect, it } from "vitest";
import { Dealer, Pair, Pull, Push, Reply, Request, Router } from "../../../src/index.js";
import { expectNothing, failure, inproc, nextEvent, stillPending, text, useHarness } from "../../helpers/sockets.js";
import { sleep, until } from "../../helpers/time.js";

const h = useHarness();
const LOCAL_TCP = "tcp://127.0.0.1:*";

describe("errors", () => {
  it("concurrent receive rejects with EBUSY", async () => {
    const pull = h.open(Pull);
    const first = pull.receive();
    first.catch(() => undefined);
    expect(await failure(() => pull.receive())).toMatchObject({ code: "EBUSY" });
  });

  it("concurrent send rejects with EBUSY", async () => {
    const push = h.open(Push);
    const first = push.send("waits: no peer");
    first.catch(() => undefined);
    expect(await failure(() => push.send("second"))).toMatchObject({ code: "EBUSY" });
  });

  it("send, receive, bind and connect after close fail with EBADF", async () => {
    const dealer = h.open(Dealer);
    dealer.close();
    expect(await failure(() => dealer.send("x"))).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.receive())).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.bind(inproc("closed")))).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.connect(inproc("closed")))).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.unbind(inproc("closed")))).toMatchObject({ code: "EBADF" });
  });

  it("a pending receive rejects with EAGAIN when the socket is closed", async () => {
    const pull = h.open(Pull, { receiveTimeout: -1 });
    const pending = pull.receive();
    await sleep(5);
    pull.close();
    await expect(pending).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("a pending send rejects with EAGAIN when the socket is closed", async () => {
    const push = h.open(Push, { linger: 0 });
    const pending = push.send("nobody");
    await sleep(5);
    push.close();
    await expect(pending).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("receiveTimeout makes a receive reject with EAGAIN after that long", async () => {
    const pull = h.open(Pull, { receiveTimeout: 60 });
    const start = Date.now();
    await expect(pull.receive()).rejects.toMatchObject({ code: "EAGAIN" });
    expect(Date.now() - start).toBeGreaterThanOrEqual(50);
  });

  it("sendTimeout makes a send with no peer reject with EAGAIN after that long", async () => {
    const push = h.open(Push, { sendTimeout: 60 });
    const start = Date.now();
    await expect(push.send("x")).rejects.toMatchObject({ code: "EAGAIN" });
    expect(Date.now() - start).toBeGreaterThanOrEqual(50);
  });

  it("sendTimeout 0 with no peer rejects with EAGAIN immediately", async () => {
    const push = h.open(Push, { sendTimeout: 0 });
    const start = Date.now();
    await expect(push.send("x")).rejects.toMatchObject({ code: "EAGAIN" });
    expect(Date.now() - start).toBeLessThan(200);
  });

  it("receiveTimeout 0 with nothing queued rejects with EAGAIN immediately", async () => {
    const pull = h.open(Pull, { receiveTimeout: 0 });
    const start = Date.now();
    await expect(pull.receive()).rejects.toMatchObject({ code: "EAGAIN" });
    expect(Date.now() - start).toBeLessThan(200);
  });

  it("a send waiting for a peer completes when one connects", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    const waiting = push.send("waited");
    expect(await stillPending(waiting, 30)).toBe(true);
    const ep = inproc("late-peer");
    await pull.bind(ep);
    push.connect(ep);
    await waiting;
    expect(text(await pull.receive())).toEqual(["waited"]);
  });

  it("a send that timed out is never delivered later", async () => {
    const push = h.open(Push, { sendTimeout: 30 });
    const pull = h.open(Pull);
    await expect(push.send("expired")).rejects.toMatchObject({ code: "EAGAIN" });
    const ep = inproc("expired");
    await pull.bind(ep);
    push.connect(ep);
    await push.send("fresh");
    expect(text(await pull.receive())).toEqual(["fresh"]);
    await expectNothing(pull, 50);
  });

  it("immediate: true over inproc -> no pipe before the name is bound, send with sendTimeout 0 gives EAGAIN", async () => {
    const push = h.open(Push, { immediate: true, sendTimeout: 0 });
    const ep = inproc("immediate");
    push.connect(ep);
    await expect(push.send("too early")).rejects.toMatchObject({ code: "EAGAIN" });
    const pull = h.open(Pull);
    await pull.bind(ep);
    await push.send("in time");
    expect(text(await pull.receive())).toEqual(["in time"]);
  });

  it("a timed-out receive does not leave the socket busy", async () => {
    const pull = h.open(Pull, { receiveTimeout: 20 });
    const push = h.open(Push);
    await expect(pull.receive()).rejects.toMatchObject({ code: "EAGAIN" });
    const ep = inproc("after-timeout");
    await pull.bind(ep);
    push.connect(ep);
    await push.send("ok");
    pull.receiveTimeout = 1000;
    expect(text(await pull.receive())).toEqual(["ok"]);
  });
});

describe("message frames", () => {
  it("accepts Buffer, string, Uint8Array view with offset, ArrayBuffer, null (empty) and number (decimal string)", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    const ep = inproc("frames");
    await pull.bind(ep);
    push.connect(ep);
    const backing = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    const view = backing.subarray(2, 5);
    const arrayBuffer = new Uint8Array([9, 8, 7]).buffer;
    await push.send([Buffer.from("buf"), "str", view, arrayBuffer, null, 42]);
    const msg = await pull.receive();
    expect(msg).toHaveLength(6);
    expect(msg[0]).toEqual(Buffer.from("buf"));
    expect(msg[1]).toEqual(Buffer.from("str"));
    expect(msg[2]).toEqual(Buffer.from([2, 3, 4]));
    expect(msg[3]).toEqual(Buffer.from([9, 8, 7]));
    expect(msg[4]!.length).toBe(0);
    expect(msg[5]).toEqual(Buffer.from("42"));
    for (const frame of msg) expect(Buffer.isBuffer(frame)).toBe(true);
  });

  it("a single non-array frame is a one-frame message", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    const ep = inproc("single");
    await pull.bind(ep);
    push.connect(ep);
    await push.send("solo");
    expect(text(await pull.receive())).toEqual(["solo"]);
  });

  it("the same frame types survive a tcp hop byte for byte", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    await pull.bind(LOCAL_TCP);
    push.connect(pull.lastEndpoint!);
    const view = new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(1, 4);
    await push.send([view, new Uint8Array([5, 6]).buffer, null, 7, "é"]);
    const msg = await pull.receive();
    expect(msg.map((f) => f.toString("hex"))).toEqual(["010203", "0506", "", Buffer.from("7").toString("hex"), Buffer.from("é").toString("hex")]);
  });

  it("any other frame value is sent as its string conversion, as zeromq.js does", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    const ep = inproc("coerce");
    await pull.bind(ep);
    push.connect(ep);
    await push.send([{ not: "a frame" }, true, 4.5] as never);
    expect(text(await pull.receive())).toEqual(["[object Object]", "true", "4.5"]);
  });
});

describe("async iteration", () => {
  it("for await (const [msg] of sock) yields messages and ends when the socket is closed", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull, { receiveTimeout: -1 });
    const ep = inproc("iter");
    await pull.bind(ep);
    push.connect(ep);
    const seen: string[] = [];
    const loop = (async () => {
      for await (const [msg] of pull) seen.push(msg!.toString());
      return "ended";
    })();
    await push.send("one");
    await push.send("two");
    await until(() => seen.length === 2, 1000, "two messages iterated");
    pull.close();
    await expect(Promise.race([loop, sleep(1000).then(() => "still iterating")])).resolves.toBe("ended");
    expect(seen).toEqual(["one", "two"]);
  });
});

describe("events", () => {
  it("emits bind with the real tcp endpoint; inproc reports no events (libzmq's monitor has none for it)", async () => {
    const router = h.open(Router);
    const types: string[] = [];
    router.events.on("bind", (event) => types.push(event.address));
    await router.bind(inproc("ev"));
    const tcpBind = nextEvent(router, "bind");
    await router.bind(LOCAL_TCP);
    const event = await tcpBind;
    expect(event.address).toBe(router.lastEndpoint);
    expect(event.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(event.address).not.toMatch(/:0$/);
    expect(types).toEqual([router.lastEndpoint]);
  });

  it("emits connect, handshake and disconnect over tcp with the connected address", async () => {
    const router = h.open(Router);
    const dealer = h.open(Dealer);
    await router.bind(LOCAL_TCP);
    const ep = router.lastEndpoint!;
    const connected = nextEvent(dealer, "connect");
    const handshaken = nextEvent(dealer, "handshake");
    const accepted = nextEvent(router, "accept");
    const peerHandshaken = nextEvent(router, "handshake");
    dealer.connect(ep);
    expect((await connected).address).toBe(ep);
    expect((await handshaken).address).toBe(ep);
    expect((await accepted).address).toBe(ep);
    expect((await peerHandshaken).address).toBe(ep);
    const disconnected = nextEvent(dealer, "disconnect");
    router.close();
    expect((await disconnected).address).toBe(ep);
  });

  it("emits close (for the listener socket, no address) then bind:error with the address without its scheme", async () => {
    const a = h.open(Pull);
    const b = h.open(Pull);
    await a.bind(LOCAL_TCP);
    const events: Array<{ type: string; address?: string }> = [];
    const done = (async () => {
      for await (const event of b.events) {
        events.push({ type: event.type, address: "address" in event ? event.address : undefined });
        if (event.type === "bind:error") return;
      }
    })();
    await expect(b.bind(a.lastEndpoint!)).rejects.toMatchObject({ code: "EADDRINUSE" });
    await done;
    expect(events).toEqual([{ type: "close" }, { type: "bind:error", address: a.lastEndpoint!.slice("tcp://".length) }]);
  });

  it("emits end and ends the events iterator when the socket is closed", async () => {
    const dealer = h.open(Dealer);
    const types: string[] = [];
    const loop = (async () => {
      for await (const event of dealer.events) types.push(event.type);
      return "ended";
    })();
    await dealer.bind(LOCAL_TCP);
    dealer.close();
    await expect(Promise.race([loop, sleep(1000).then(() => "still iterating")])).resolves.toBe("ended");
    expect(types).toEqual(["bind", "close", "end"]);
  });

  it("events can also be read with events.receive() in order", async () => {
    const router = h.open(Router);
    const events = router.events;
    await router.bind(LOCAL_TCP);
    expect(await events.receive()).toMatchObject({ type: "bind", address: router.lastEndpoint });
  });
});

describe("readable / writable getters", () => {

  it("readable and writable are false on a closed socket", async () => {
    const dealer = h.open(Dealer);
    dealer.connect(inproc("nowhere"));
    expect(dealer.writable).toBe(true);
    dealer.close();
    expect(dealer.writable).toBe(false);
    expect(dealer.readable).toBe(false);
  });
});
