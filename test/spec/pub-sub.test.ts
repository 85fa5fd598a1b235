/**
 * PUB and SUB, as RFC 29 (PUBSUB) states them, through the public API with ours on both sides,
 * over every transport; how subscriptions travel on the wire (RFC 23 and RFC 37) against a raw
 * ZMTP peer.
 */
import { describe, expect, it } from "vitest";
import { Publisher, Subscriber, XPublisher, XSubscriber } from "../../src/index.js";
import { drain, notification, notifications, notificationsUntil, settle, settleCancel } from "../helpers/pubsub.js";
import { RawPeer, RawServer, command, frame, greeting, handshake, ready } from "../helpers/raw-peer.js";
import { TRANSPORTS, bindAgain, expectNothing, joined, nextEvent, text, useHarness } from "../helpers/sockets.js";
import { eventually, until } from "../helpers/time.js";

const h = useHarness();

describe("PUB / SUB defaults", () => {
  it("SUB and XSUB default to linger 0, PUB and XPUB to -1", () => {
    expect(h.track(new Subscriber()).linger).toBe(0);
    expect(h.track(new XSubscriber()).linger).toBe(0);
    expect(h.track(new Subscriber({ linger: 100 })).linger).toBe(100);
    expect(h.track(new Publisher()).linger).toBe(-1);
    expect(h.track(new XPublisher()).linger).toBe(-1);
  });
});

describe.each(TRANSPORTS)("PUB / SUB over %s", (transport) => {
  // RFC 29 PUB: "SHALL perform a binary comparison of the subscription against the start of the
  // first frame of the message"; "SHALL not modify outgoing messages in any way".
  it("SUB receives only messages whose first frame starts with a subscribed prefix, whole multipart", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber);
    sub.subscribe("a", Buffer.from("bc"));
    sub.connect(await h.bound(pub, transport));
    await settle(pub, sub, "a-probe");
    await pub.send(["b", "x"]);
    await pub.send(["a1", "part2", "part3"]);
    await pub.send("bcd");
    await pub.send("zzz");
    await pub.send("");
    expect(await drain(sub)).toEqual(["a1|part2|part3", "bcd"]);
  });

  it("subscribe() without arguments is everything (''), unsubscribe() without arguments cancels it", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber);
    sub.subscribe();
    sub.connect(await h.bound(pub, transport));
    await settle(pub, sub, "probe");
    await pub.send("anything");
    await pub.send("");
    expect(await drain(sub)).toEqual(["anything", ""]);
    sub.subscribe("keep");
    sub.unsubscribe();
    await settleCancel(pub, sub, "anything-probe", "keep-probe");
    await pub.send("anything");
    await pub.send("keep-this");
    expect(await drain(sub)).toEqual(["keep-this"]);
  });

  // RFC 29 XPUB: "MAY ... normalize commands ... so that multiple identical subscriptions result
  // in a single command only": the SUB counts its own duplicates and cancels upstream at zero.
  it("a subscription made twice needs two unsubscribes (counted at the SUB; an XPUB sees the cancel once, at the end)", async () => {
    const xpub = h.open(XPublisher);
    const sub = h.open(Subscriber);
    sub.connect(await h.bound(xpub, transport));
    sub.subscribe("A");
    sub.subscribe("A");
    sub.subscribe("marker");
    expect(await notificationsUntil(xpub, 2)).toEqual(["+A", "+marker"]);
    sub.unsubscribe("A");
    expect(await notifications(xpub)).toEqual([]);
    await xpub.send("A1");
    await xpub.send("marker1");
    expect(await drain(sub)).toEqual(["A1", "marker1"]);
    sub.unsubscribe("A");
    expect(await notificationsUntil(xpub, 1)).toEqual(["-A"]);
    await xpub.send("A2");
    await xpub.send("marker2");
    expect(await drain(sub)).toEqual(["marker2"]);
  });

  // RFC 29 SUB: "MAY ... filter messages according to subscriptions": ours does, as libzmq's does.
  it("SUB filters again locally: what a publisher sends for a cancelled topic is not received", async () => {
    // The XPUB in manual mode keeps sending A after the SUB cancelled it (nobody applies the cancel).
    const xpub = h.open(XPublisher, { manual: true });
    const sub = h.open(Subscriber);
    sub.connect(await h.bound(xpub, transport));
    sub.subscribe("A");
    expect(await notification(xpub)).toBe("+A");
    xpub.setStringOption(6, "A");
    sub.unsubscribe("A");
    expect(await notification(xpub)).toBe("-A");
    await xpub.send("A-after-cancel");
    await expectNothing(sub);
  });

  it("invertMatching on both sides delivers exactly what matches no subscription", async () => {
    const pub = h.open(Publisher, { invertMatching: true });
    const sub = h.open(Subscriber, { invertMatching: true });
    sub.subscribe("A");
    sub.connect(await h.bound(pub, transport));
    await settle(pub, sub, "probe");
    for (const topic of ["A1", "B1", "AB", "C"]) await pub.send(topic);
    expect(await drain(sub)).toEqual(["B1", "C"]);
  });

  it("conflate on a SUB keeps only the newest matching message", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber, { conflate: true });
    sub.subscribe("t");
    sub.connect(await h.bound(pub, transport));
    await settle(pub, sub, "t-probe");
    const before = sub.statistics.messagesIn;
    for (let i = 0; i < 100; i++) await pub.send(`t${i}`);
    await pub.send("other");
    // Over a wire, read only once all 100 have come in (inproc delivers them as they are sent).
    if (transport !== "inproc")
      await until(() => sub.statistics.messagesIn - before >= 100, undefined, "100 messages in");
    expect(await drain(sub)).toEqual(["t99"]);
  });

  // RFC 29 SUB: "SHALL create a queue when initiating an outgoing connection to a publisher, and
  // SHALL maintain the queue whether or not the connection is established".
  it("subscriptions made before connect() arrive with the connection (SUB connects before PUB binds)", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber);
    sub.subscribe("early");
    const ep = await h.unboundEndpoint(transport);
    // Over a wire, bind only once a dial has failed: the SUB really connected first.
    const failed = transport === "inproc" ? null : nextEvent(sub, "connect:retry");
    sub.connect(ep);
    await failed;
    await pub.bind(ep);
    await settle(pub, sub, "early-probe");
    await pub.send("early-bird");
    expect(text(await sub.receive())).toEqual(["early-bird"]);
  });

  it("after the publisher is replaced on the same endpoint, the SUB resubscribes by itself", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber, { reconnectInterval: 20 });
    sub.subscribe("news");
    const ep = await h.bound(pub, transport);
    sub.connect(ep);
    await settle(pub, sub, "news-probe");
    pub.close();
    const restarted = h.open(Publisher);
    await bindAgain(restarted, ep);
    await settle(restarted, sub, "news-again");
    await restarted.send("news-after-restart");
    await restarted.send("sports");
    expect(await drain(sub)).toEqual(["news-after-restart"]);
  });

  // RFC 29 SUB: "MAY be connected to any number of PUB or XPUB publishers"; "SHALL receive
  // incoming messages from its publishers using a fair-queuing strategy".
  it("a SUB connected to several publishers subscribes on each and receives from each", async () => {
    const pubs = [h.open(Publisher), h.open(Publisher)];
    const sub = h.open(Subscriber);
    sub.subscribe("t");
    for (const pub of pubs) sub.connect(await h.bound(pub, transport));
    for (const [i, pub] of pubs.entries()) await settle(pub, sub, `t-probe-${i}`);
    await pubs[0]!.send("t-from-0");
    await pubs[1]!.send("t-from-1");
    expect((await drain(sub)).sort()).toEqual(["t-from-0", "t-from-1"]);
  });

  // RFC 29 PUB: "SHALL silently drop the message if the queue for a subscriber is full", "SHALL
  // NOT block on sending": with sendTimeout 0 any wait would be an EAGAIN.
  it("PUB never blocks: 20000 sends with sendTimeout 0 all succeed past a subscriber that never reads, whose queues stay within the HWMs", async () => {
    const pub = h.open(Publisher, { sendHighWaterMark: 10, sendTimeout: 0 });
    const slow = h.open(Subscriber, { receiveHighWaterMark: 10 });
    slow.subscribe("");
    slow.connect(await h.bound(pub, transport));
    await settle(pub, slow, "probe");
    const payload = Buffer.alloc(1000, 1);
    for (let i = 0; i < 20_000; i++) await pub.send(payload);
    for (const peer of pub.peers()) expect(peer.queuedOut).toBeLessThanOrEqual(10);
    for (const peer of slow.peers()) expect(peer.queuedIn).toBeLessThanOrEqual(10);
  });
});

describe("PUB / SUB over inproc only", () => {
  // inproc hands the same frames to every subscriber; each must still get an array of its own.
  it("two subscribers get arrays of their own: one mutating its message does not change the other's", async () => {
    const pub = h.open(Publisher);
    const a = h.open(Subscriber);
    const b = h.open(Subscriber);
    const ep = await h.bound(pub, "inproc");
    for (const s of [a, b]) {
      s.subscribe("");
      s.connect(ep);
    }
    await pub.send(["topic", "body"]);
    const first = await a.receive();
    first.shift();
    expect(text(await b.receive())).toEqual(["topic", "body"]);
  });

  // RFC 29 PUB: "SHALL silently drop the message if the queue for a subscriber is full" — for that
  // subscriber only. inproc's shared pipe makes the bound exact: SNDHWM + RCVHWM.
  it("a subscriber that never reads gets the oldest messages that fitted; a fast one gets everything", async () => {
    const pub = h.open(Publisher, { sendHighWaterMark: 10, sendTimeout: 0 });
    const slow = h.open(Subscriber, { receiveHighWaterMark: 10 });
    const fast = h.open(Subscriber);
    const ep = await h.bound(pub, "inproc");
    for (const s of [slow, fast]) {
      s.subscribe("");
      s.connect(ep);
    }
    for (let i = 0; i < 20_000; i++) {
      await pub.send(`m${i}`);
      if (i % 100 === 99) expect(await drain(fast, 0)).toHaveLength(100);
    }
    for (const peer of pub.peers()) expect(peer.queuedOut).toBeLessThanOrEqual(10);
    for (const peer of slow.peers()) expect(peer.queuedIn).toBeLessThanOrEqual(10);
    const got = await drain(slow, 20);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(20);
    expect(got[0]).toBe("m0");
  });
});

// RFC 23 §6 (ZMTP 3.0) sends subscriptions as data frames starting 0x01 / 0x00; RFC 37 (ZMTP 3.1)
// adds the SUBSCRIBE and CANCEL commands and keeps accepting the old form.
describe("subscriptions on the wire, against a raw ZMTP peer (tcp)", () => {
  it("SUB sends SUBSCRIBE / CANCEL commands to a ZMTP 3.1 peer and 0x01/0x00 data frames to a 3.0 peer; XSUB's own messages are always data frames", async () => {
    for (const minor of [1, 0]) {
      const server = await RawServer.listen((peer) => peer.send(greeting({ minor }), ready("PUB")));
      try {
        const sub = h.open(Subscriber);
        sub.subscribe("abc");
        sub.connect(server.endpoint);
        const peer = await server.peer();
        if (minor === 1) {
          await peer.waitFrame((f) => f.command && f.name === "SUBSCRIBE");
          sub.unsubscribe("abc");
          const cancel = await peer.waitFrame((f) => f.command && f.name === "CANCEL");
          expect(cancel.body.subarray(7).toString()).toBe("abc");
        } else {
          await peer.waitFrame((f) => !f.command && f.body.equals(Buffer.from("\x01abc")));
          sub.unsubscribe("abc");
          await peer.waitFrame((f) => !f.command && f.body.equals(Buffer.from("\x00abc")));
        }
        const xsub = h.open(XSubscriber);
        xsub.connect(server.endpoint);
        const xpeer = await server.peer(1);
        // An XSUB sends only to connected publishers: wait for the handshake.
        await joined(xsub);
        await xsub.send("\x01xyz");
        await xpeer.waitFrame((f) => !f.command && f.body.equals(Buffer.from("\x01xyz")));
        expect(xpeer.output.frames.some((f) => f.command && f.name === "SUBSCRIBE")).toBe(false);
      } finally {
        server.close();
      }
    }
  });

  it("PUB accepts subscriptions in both forms from a 3.1 peer and sends matching messages", async () => {
    const pub = h.open(Publisher);
    await pub.bind("tcp://127.0.0.1:*");
    const port = Number(pub.lastEndpoint!.split(":").pop());
    const peer = await RawPeer.connect(port);
    try {
      peer.send(handshake("SUB"));
      peer.send(command("SUBSCRIBE", Buffer.from("cmd")), frame(Buffer.from("\x01legacy")));
      const data = (): string[] => peer.output.frames.filter((f) => !f.command).map((f) => f.body.toString());
      // Publish a probe on each topic until both have come through: both subscriptions applied.
      const applied = (): boolean => data().includes("cmd-probe") && data().includes("legacy-probe");
      await eventually(
        async () => {
          await pub.send("cmd-probe");
          await pub.send("legacy-probe");
          await peer.until(applied, 20, "both probes");
        },
        () => true,
      );
      await pub.send("cmd-msg");
      await pub.send("legacy-msg");
      await pub.send("neither");
      await pub.send("cmd-end");
      await peer.until(() => data().includes("cmd-end"));
      // One connection keeps its order: "neither" would have come before the end marker.
      expect(data().filter((f) => !f.endsWith("-probe"))).toEqual(["cmd-msg", "legacy-msg", "cmd-end"]);
    } finally {
      peer.destroy();
    }
  });
});
