/**
 * PUB / SUB / XPUB / XSUB and Proxy through the public API (notes §5.6), ours on both sides:
 * inproc, tcp and ipc. One Context per test.
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
} from "../../../src/index.js";
import { RawPeer, RawServer, command, frame, greeting, handshake, ready } from "../../helpers/raw-peer.js";
import { expectNothing, freePort, inproc, stillPending, text, useHarness } from "../../helpers/sockets.js";
import { sleep } from "../../helpers/time.js";

const h = useHarness();
const LOCAL_TCP = "tcp://127.0.0.1:*";

type Transport = "inproc" | "tcp" | "ipc";
const TRANSPORTS: Transport[] = ["inproc", "tcp", "ipc"];

function address(transport: Transport): string {
  if (transport === "inproc") return inproc("pubsub");
  if (transport === "tcp") return LOCAL_TCP;
  return `ipc://${h.ipcPath()}`;
}

/** Binds and returns the endpoint peers connect to. */
async function bindFresh(socket: { bind(a: string): Promise<void>; lastEndpoint: string | null }, transport: Transport): Promise<string> {
  await socket.bind(address(transport));
  return socket.lastEndpoint!;
}

interface Sender {
  send(msg: string | Buffer | Array<string | Buffer>): Promise<void>;
}
interface Receiver {
  receiveTimeout: number;
  receive(): Promise<Buffer[]>;
}

/**
 * Subscriptions travel asynchronously: publishes `probe` until the subscriber gets one, then
 * drains the extra probes, so the test's own messages start from a clean slate.
 */
async function settle(pub: Sender, sub: Receiver, probe: string): Promise<void> {
  const before = sub.receiveTimeout;
  sub.receiveTimeout = 20;
  try {
    const deadline = Date.now() + 3000;
    for (;;) {
      await pub.send(probe);
      try {
        await sub.receive();
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== "EAGAIN" || Date.now() > deadline) throw err;
      }
    }
    sub.receiveTimeout = 50;
    for (;;) {
      try {
        await sub.receive();
      } catch {
        break;
      }
    }
  } finally {
    sub.receiveTimeout = before;
  }
}

/** Everything the socket has to give within `ms` of quiet, as strings joined by "|". */
async function drain(sock: Receiver, ms = 100): Promise<string[]> {
  const before = sock.receiveTimeout;
  sock.receiveTimeout = ms;
  const out: string[] = [];
  try {
    for (;;) out.push(text(await sock.receive()).join("|"));
  } catch (err) {
    if ((err as { code?: string }).code !== "EAGAIN") throw err;
  } finally {
    sock.receiveTimeout = before;
  }
  return out;
}

/** The next XPUB notification as "+topic" / "-topic" (other messages as they are). */
async function notification(xpub: Receiver): Promise<string> {
  const [body] = await xpub.receive();
  return describeNotification(body!);
}

function describeNotification(body: Buffer): string {
  if (body.length > 0 && body[0]! <= 1) return (body[0] === 1 ? "+" : "-") + body.subarray(1).toString();
  return body.toString();
}

async function notifications(xpub: Receiver, ms = 100): Promise<string[]> {
  const before = xpub.receiveTimeout;
  xpub.receiveTimeout = ms;
  const out: string[] = [];
  try {
    for (;;) out.push(await notification(xpub));
  } catch (err) {
    if ((err as { code?: string }).code !== "EAGAIN") throw err;
  } finally {
    xpub.receiveTimeout = before;
  }
  return out;
}

describe("PUB/SUB filtering", () => {
  for (const transport of TRANSPORTS) {
    it(`SUB receives only messages whose first frame starts with a subscribed prefix, whole multipart (${transport})`, async () => {
      const pub = h.open(Publisher);
      const sub = h.open(Subscriber);
      sub.subscribe("a", Buffer.from("bc"));
      sub.connect(await bindFresh(pub, transport));
      await settle(pub, sub, "a-probe");
      await pub.send(["b", "x"]);
      await pub.send(["a1", "part2", "part3"]);
      await pub.send("bcd");
      await pub.send("zzz");
      await pub.send("");
      expect(await drain(sub)).toEqual(["a1|part2|part3", "bcd"]);
    });
  }

  it("subscribe() without arguments is everything (''), unsubscribe() without arguments cancels it", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber);
    sub.subscribe();
    sub.connect(await bindFresh(pub, "tcp"));
    await settle(pub, sub, "probe");
    await pub.send("anything");
    await pub.send("");
    expect(await drain(sub)).toEqual(["anything", ""]);
    sub.subscribe("keep");
    sub.unsubscribe();
    await sleep(50);
    await pub.send("anything");
    await pub.send("keep-this");
    expect(await drain(sub)).toEqual(["keep-this"]);
  });

  it("a subscription made twice needs two unsubscribes (counted at the SUB; XPUB sees the cancel once, at the end)", async () => {
    const xpub = h.open(XPublisher);
    const sub = h.open(Subscriber);
    sub.connect(await bindFresh(xpub, "tcp"));
    sub.subscribe("A");
    sub.subscribe("A");
    sub.subscribe("marker");
    expect(await notifications(xpub)).toEqual(["+A", "+marker"]);
    sub.unsubscribe("A");
    expect(await notifications(xpub)).toEqual([]);
    await xpub.send("A1");
    await xpub.send("marker1");
    expect(await drain(sub)).toEqual(["A1", "marker1"]);
    sub.unsubscribe("A");
    expect(await notifications(xpub)).toEqual(["-A"]);
    await xpub.send("A2");
    await xpub.send("marker2");
    expect(await drain(sub)).toEqual(["marker2"]);
  });

  it("SUB filters again locally: what a publisher sends for a cancelled topic is not received", async () => {
    // The XPUB in manual mode keeps sending A after the SUB cancelled it (nobody applies it).
    const xpub = h.open(XPublisher, { manual: true });
    const sub = h.open(Subscriber);
    sub.connect(await bindFresh(xpub, "inproc"));
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
    sub.connect(await bindFresh(pub, "tcp"));
    await settle(pub, sub, "probe");
    for (const topic of ["A1", "B1", "AB", "C"]) await pub.send(topic);
    expect(await drain(sub)).toEqual(["B1", "C"]);
  });

  it("conflate on a SUB keeps only the newest matching message", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber, { conflate: true });
    sub.subscribe("t");
    sub.connect(await bindFresh(pub, "inproc"));
    for (let i = 0; i < 100; i++) await pub.send(`t${i}`);
    await pub.send("other");
    await sleep(20);
    expect(await drain(sub)).toEqual(["t99"]);
  });

  it("SUB and XSUB default to linger 0, PUB and XPUB to -1", () => {
    expect(h.track(new Subscriber()).linger).toBe(0);
    expect(h.track(new XSubscriber()).linger).toBe(0);
    expect(h.track(new Subscriber({ linger: 100 })).linger).toBe(100);
    expect(h.track(new Publisher()).linger).toBe(-1);
    expect(h.track(new XPublisher()).linger).toBe(-1);
  });

  it("two inproc subscribers get arrays of their own: one mutating its message does not change the other's", async () => {
    const pub = h.open(Publisher);
    const a = h.open(Subscriber);
    const b = h.open(Subscriber);
    const ep = await bindFresh(pub, "inproc");
    for (const s of [a, b]) {
      s.subscribe("");
      s.connect(ep);
    }
    await pub.send(["topic", "body"]);
    const first = await a.receive();
    first.shift();
    expect(text(await b.receive())).toEqual(["topic", "body"]);
  });
});

describe("Subscriptions across connections", () => {
  for (const transport of TRANSPORTS) {
    it(`subscriptions made before connect() arrive with the connection (${transport}, SUB connects before PUB binds)`, async () => {
      const pub = h.open(Publisher);
      const sub = h.open(Subscriber);
      sub.subscribe("early");
      const ep = transport === "tcp" ? `tcp://127.0.0.1:${await freePort()}` : address(transport);
      sub.connect(ep);
      await sleep(20);
      await pub.bind(ep);
      await settle(pub, sub, "early-probe");
      await pub.send("early-bird");
      expect(text(await sub.receive())).toEqual(["early-bird"]);
    });
  }

  it("after the publisher restarts on the same tcp endpoint, the SUB resubscribes by itself", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber, { reconnectInterval: 20 });
    sub.subscribe("news");
    const ep = await bindFresh(pub, "tcp");
    sub.connect(ep);
    await settle(pub, sub, "news-probe");
    pub.close();
    const restarted = h.open(Publisher);
    await bindWithRetry(restarted, ep);
    await settle(restarted, sub, "news-again");
    await restarted.send("news-after-restart");
    await restarted.send("sports");
    expect(await drain(sub)).toEqual(["news-after-restart"]);
  });

  it("after an inproc publisher is replaced on the same name, the SUB's subscriptions reach the new one", async () => {
    const pub = h.open(Publisher);
    const sub = h.open(Subscriber);
    sub.subscribe("x");
    const ep = await bindFresh(pub, "inproc");
    sub.connect(ep);
    pub.close();
    const again = h.open(Publisher);
    await again.bind(ep);
    await again.send("x1");
    await again.send("y1");
    expect(await drain(sub)).toEqual(["x1"]);
  });

  it("the SUB connected to several publishers receives from each and subscribes on each", async () => {
    const pubs = [h.open(Publisher), h.open(Publisher)];
    const sub = h.open(Subscriber);
    sub.subscribe("t");
    for (const pub of pubs) sub.connect(await bindFresh(pub, "tcp"));
    for (const [i, pub] of pubs.entries()) await settle(pub, sub, `t-probe-${i}`);
    await pubs[0]!.send("t-from-0");
    await pubs[1]!.send("t-from-1");
    expect((await drain(sub)).sort()).toEqual(["t-from-0", "t-from-1"]);
  });
});

describe("XPUB", () => {
  it("reports only the first subscription and the last cancel of a topic by default; a disconnect cancels what nobody else wants", async () => {
    const xpub = h.open(XPublisher);
    const ep = await bindFresh(xpub, "tcp");
    const s1 = h.open(Subscriber);
    const s2 = h.open(Subscriber);
    s1.subscribe("A");
    s2.subscribe("A", "B");
    s1.connect(ep);
    expect(await notifications(xpub)).toEqual(["+A"]);
    s2.connect(ep);
    expect(await notifications(xpub)).toEqual(["+B"]);
    s2.unsubscribe("A");
    expect(await notifications(xpub)).toEqual([]);
    s2.close();
    expect(await notifications(xpub)).toEqual(["-B"]);
    s1.close();
    expect(await notifications(xpub)).toEqual(["-A"]);
  });

  it('verbosity "allSubs" reports every subscription, but only the last cancel', async () => {
    const xpub = h.open(XPublisher, { verbosity: "allSubs" });
    const ep = await bindFresh(xpub, "inproc");
    const s1 = h.open(Subscriber);
    const s2 = h.open(Subscriber);
    s1.connect(ep);
    s2.connect(ep);
    s1.subscribe("A");
    s2.subscribe("A");
    expect(await notifications(xpub)).toEqual(["+A", "+A"]);
    s1.unsubscribe("A");
    expect(await notifications(xpub)).toEqual([]);
    s2.unsubscribe("A");
    expect(await notifications(xpub)).toEqual(["-A"]);
  });

  it('verbosity "allSubsUnsubs" reports every subscription and cancel, and every topic of a leaving subscriber', async () => {
    const xpub = h.open(XPublisher);
    xpub.verbosity = "allSubsUnsubs";
    const ep = await bindFresh(xpub, "inproc");
    const s1 = h.open(Subscriber);
    const s2 = h.open(Subscriber);
    s1.connect(ep);
    s2.connect(ep);
    s1.subscribe("A");
    s2.subscribe("A", "B");
    expect(await notifications(xpub)).toEqual(["+A", "+A", "+B"]);
    s1.unsubscribe("A");
    expect(await notifications(xpub)).toEqual(["-A"]);
    s1.subscribe("A");
    expect(await notifications(xpub)).toEqual(["+A"]);
    s2.close();
    expect(await notifications(xpub)).toEqual(["-A", "-B"]);
  });

  it("verbosity is write-only and ignores values other than null, allSubs and allSubsUnsubs (as zeromq.js)", async () => {
    const xpub = h.open(XPublisher);
    (xpub as { verbosity: unknown }).verbosity = "loud";
    xpub.verbosity = null;
    expect((xpub as { verbosity: unknown }).verbosity).toBeUndefined();
  });

  it("manual: nothing is applied until the application subscribes the last notification's subscriber, maybe to another topic", async () => {
    const xpub = h.open(XPublisher, { manual: true });
    const ep = await bindFresh(xpub, "tcp");
    const s1 = h.open(Subscriber);
    const s2 = h.open(Subscriber);
    s1.subscribe("A");
    s1.connect(ep);
    expect(await notification(xpub)).toBe("+A");
    await xpub.send("A-unapplied");
    await expectNothing(s1);
    xpub.setStringOption(6, "A");
    xpub.setStringOption(6, "translated");
    await xpub.send("A-applied");
    await xpub.send("translated-too");
    expect(await drain(s1)).toEqual(["A-applied"]);
    s2.subscribe("translated");
    s2.connect(ep);
    expect(await notification(xpub)).toBe("+translated");
    xpub.setStringOption(6, "translated");
    await xpub.send("translated-2");
    expect(await drain(s2)).toEqual(["translated-2"]);
    expect(await drain(s1)).toEqual([]);
    // A leaving subscriber is reported with everything it had asked for.
    s2.close();
    expect(await notifications(xpub)).toEqual(["-translated"]);
  });

  it("ZMQ_SUBSCRIBE on an XPUB without manual is EINVAL; with manual but no notification read yet it does nothing", async () => {
    const auto = h.open(XPublisher);
    expect(() => auto.setStringOption(6, "x")).toThrow(expect.objectContaining({ code: "EINVAL" }));
    const manual = h.open(XPublisher, { manual: true });
    const sub = h.open(Subscriber);
    sub.subscribe("");
    sub.connect(await bindFresh(manual, "inproc"));
    manual.setStringOption(6, "");
    await manual.send("not applied to anyone");
    await expectNothing(sub);
  });

  it("welcomeMessage goes into every new subscriber pipe unfiltered: a SUB subscribed to it and an XSUB with no subscription both get it", async () => {
    const xpub = h.open(XPublisher, { welcomeMessage: "WELCOME" });
    const ep = await bindFresh(xpub, "tcp");
    const sub = h.open(Subscriber);
    sub.subscribe("WEL");
    sub.connect(ep);
    expect(text(await sub.receive())).toEqual(["WELCOME"]);
    const xsub = h.open(XSubscriber);
    xsub.connect(ep);
    expect(text(await xsub.receive())).toEqual(["WELCOME"]);
    const plain = h.open(Subscriber);
    plain.subscribe("other");
    plain.connect(ep);
    await expectNothing(plain, 150);
  });

  it("messages a subscriber sends that are not subscriptions reach the XPUB application; a PUB drops them", async () => {
    const xpub = h.open(XPublisher);
    const pub = h.open(Publisher);
    const xsub = h.open(XSubscriber);
    xsub.connect(await bindFresh(xpub, "inproc"));
    xsub.connect(await bindFresh(pub, "inproc"));
    await xsub.send(["hello", "world"]);
    await xsub.send("\x01t");
    expect(text(await xpub.receive())).toEqual(["hello", "world"]);
    expect(await notification(xpub)).toBe("+t");
    // The PUB ignored "hello" but applied the subscription.
    await pub.send("t-from-pub");
    await pub.send("u-from-pub");
    expect(await drain(xsub)).toEqual(["t-from-pub"]);
  });

  it("noDrop: send fails with EAGAIN (sendTimeout 0) while a matching subscriber's pipe is full, and works again once it drains", async () => {
    const pub = h.open(Publisher, { noDrop: true, sendHighWaterMark: 4, sendTimeout: 0 });
    const sub = h.open(Subscriber, { receiveHighWaterMark: 4 });
    sub.subscribe("t");
    sub.connect(await bindFresh(pub, "inproc"));
    let sent = 0;
    let error: unknown;
    for (; sent < 100; sent++) {
      try {
        await pub.send(`t${sent}`);
      } catch (err) {
        error = err;
        break;
      }
    }
    expect(error).toMatchObject({ code: "EAGAIN" });
    expect(sent).toBe(8); // inproc: sender SNDHWM + receiver RCVHWM (notes §5.8)
    // Messages nobody subscribed to are not held back by the full pipe.
    await pub.send("other");
    for (let i = 0; i < sent; i++) expect(text(await sub.receive())).toEqual([`t${i}`]);
    await pub.send("t-again");
    expect(text(await sub.receive())).toEqual(["t-again"]);
  });

  it("noDrop with the default sendTimeout fails with EAGAIN at once: a PUB is always writable in libzmq", async () => {
    const pub = h.open(Publisher, { noDrop: true, sendHighWaterMark: 2 });
    const sub = h.open(Subscriber, { receiveHighWaterMark: 2 });
    sub.subscribe("");
    sub.connect(await bindFresh(pub, "inproc"));
    for (let i = 0; i < 4; i++) await pub.send(`m${i}`);
    await expect(pub.send("m4")).rejects.toMatchObject({ code: "EAGAIN" });
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push(text(await sub.receive())[0]!);
    expect(got).toEqual(["m0", "m1", "m2", "m3"]);
    await pub.send("m5");
    expect(text(await sub.receive())).toEqual(["m5"]);
  });
});

describe("PUB never blocks", () => {
  it("a subscriber that never reads does not slow the PUB down; its queues stay within the HWMs (inproc)", async () => {
    const pub = h.open(Publisher, { sendHighWaterMark: 10 });
    const slow = h.open(Subscriber, { receiveHighWaterMark: 10 });
    const fast = h.open(Subscriber);
    const ep = await bindFresh(pub, "inproc");
    for (const s of [slow, fast]) {
      s.subscribe("");
      s.connect(ep);
    }
    const started = Date.now();
    for (let i = 0; i < 20_000; i++) {
      await pub.send(`m${i}`);
      // The fast subscriber keeps up.
      if (i % 100 === 99) expect(await drain(fast, 0).catch(() => [])).toHaveLength(100);
    }
    expect(Date.now() - started).toBeLessThan(5000);
    for (const peer of pub.peers()) expect(peer.queuedOut).toBeLessThanOrEqual(10);
    for (const peer of slow.peers()) expect(peer.queuedIn).toBeLessThanOrEqual(10);
    // The slow one gets the oldest messages that fitted; the rest were dropped for it only.
    const got = await drain(slow, 20);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(20);
    expect(got[0]).toBe("m0");
  });

  it("over tcp, 20000 non-blocking sends to a subscriber that never reads all succeed (notes §5.6)", async () => {
    const pub = h.open(Publisher, { sendHighWaterMark: 10, sendTimeout: 0 });
    const slow = h.open(Subscriber, { receiveHighWaterMark: 10 });
    slow.subscribe("");
    slow.connect(await bindFresh(pub, "tcp"));
    await settle(pub, slow, "probe");
    const payload = Buffer.alloc(1000, 1);
    for (let i = 0; i < 20_000; i++) await pub.send(payload);
    for (const peer of pub.peers()) expect(peer.queuedOut).toBeLessThanOrEqual(10);
  });
});

describe("XSUB", () => {
  it("XSUB receives everything its publishers send for its subscriptions, unfiltered locally, and a cancel goes upstream only at count zero", async () => {
    const xpub = h.open(XPublisher);
    const xsub = h.open(XSubscriber);
    xsub.connect(await bindFresh(xpub, "tcp"));
    await xsub.send("\x01A");
    await xsub.send("\x01A");
    expect(await notifications(xpub)).toEqual(["+A"]);
    await xsub.send("\x00A");
    expect(await notifications(xpub)).toEqual([]);
    await xsub.send("\x00A");
    expect(await notifications(xpub)).toEqual(["-A"]);
    await xsub.send("\x00never-subscribed");
    expect(await notifications(xpub)).toEqual([]);
  });

  it("XSUB replays its subscriptions to a publisher it connects to later", async () => {
    const first = h.open(Publisher);
    const later = h.open(XPublisher);
    const xsub = h.open(XSubscriber);
    xsub.connect(await bindFresh(first, "inproc"));
    await xsub.send("\x01topic");
    await xsub.send("\x01other");
    xsub.connect(await bindFresh(later, "tcp"));
    expect(await notifications(later)).toEqual(["+other", "+topic"]);
  });

  it("XSUB send never waits: writable is true even with no publisher", async () => {
    const xsub = h.open(XSubscriber, { sendTimeout: 0 });
    expect(xsub.writable).toBe(true);
    await xsub.send("\x01x");
    await xsub.send("data");
  });
});

describe("Subscription wire forms (raw ZMTP publisher)", () => {
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
        await sleep(20);
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
    await pub.bind(LOCAL_TCP);
    const port = Number(pub.lastEndpoint!.split(":").pop());
    const peer = await RawPeer.connect(port);
    peer.send(handshake("SUB"));
    peer.send(command("SUBSCRIBE", Buffer.from("cmd")), frame(Buffer.from("\x01legacy")));
    await sleep(50);
    await pub.send("cmd-msg");
    await pub.send("legacy-msg");
    await pub.send("neither");
    await peer.until(() => peer.output.frames.filter((f) => !f.command).length >= 2);
    await sleep(20);
    expect(peer.output.frames.filter((f) => !f.command).map((f) => f.body.toString())).toEqual(["cmd-msg", "legacy-msg"]);
    peer.destroy();
  });
});

describe("Proxy", () => {
  it("XSUB/XPUB forwarder: subscriptions go up to the publishers, matching messages come down", async () => {
    const frontEnd = h.open(XSubscriber);
    const backEnd = h.open(XPublisher);
    const proxy = new Proxy(frontEnd, backEnd);
    const pubs = [h.open(Publisher), h.open(Publisher)];
    for (const pub of pubs) frontEnd.connect(await bindFresh(pub, "tcp"));
    const backEp = await bindFresh(backEnd, "tcp");
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
    const frontEp = await bindFresh(frontEnd, "inproc");
    const backEp = await bindFresh(backEnd, "tcp");
    const done = proxy.run();
    const workers = [h.open(Reply), h.open(Reply)];
    for (const [i, worker] of workers.entries()) {
      worker.connect(backEp);
      void (async () => {
        for await (const [req] of worker) await worker.send(`${req!.toString()} done by ${i}`);
      })().catch(() => undefined);
    }
    await sleep(50);
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

  it("run() throws EINVAL at once when a socket is neither bound nor connected; control calls before run() are EBADF", async () => {
    const frontEnd = h.open(XSubscriber);
    const backEnd = h.open(XPublisher);
    const proxy = new Proxy(frontEnd, backEnd);
    expect(proxy.frontEnd).toBe(frontEnd);
    expect(proxy.backEnd).toBe(backEnd);
    expect(() => proxy.pause()).toThrow(expect.objectContaining({ code: "EBADF" }));
    expect(() => proxy.run()).toThrow(expect.objectContaining({ code: "EINVAL", message: "Front-end socket must be bound or connected" }));
    await frontEnd.bind(inproc("front"));
    expect(() => proxy.run()).toThrow(expect.objectContaining({ code: "EINVAL", message: "Back-end socket must be bound or connected" }));
    expect(() => new Proxy({} as XSubscriber, backEnd)).toThrow("Invalid argument");
  });

  it("pause() holds messages back until resume(); after terminate() control calls are EBADF", async () => {
    const frontEnd = h.open(XSubscriber);
    const backEnd = h.open(XPublisher);
    const proxy = new Proxy(frontEnd, backEnd);
    const pub = h.open(Publisher);
    frontEnd.connect(await bindFresh(pub, "inproc"));
    const backEp = await bindFresh(backEnd, "inproc");
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

async function bindWithRetry(socket: Publisher, ep: string): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      await socket.bind(ep);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "EADDRINUSE" || Date.now() > deadline) throw err;
      await sleep(20);
    }
  }
}
