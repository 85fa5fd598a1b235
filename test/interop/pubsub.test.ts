/**
 * PUB/SUB/XPUB/XSUB and Proxy against libzmq (docs/protocol.md §5.6): every pairing
 * in both directions, over tcp and ipc, with either side binding; late joiners, cancels,
 * 1000 topics, XPUB notifications, welcome messages, forwarders, and restarts. Subscriptions
 * travel asynchronously: the cases synchronise on messages (test/helpers/pubsub.ts), not delays.
 */
import { describe, expect, it } from "vitest";
import { drain, notificationsUntil, settle, settleCancel } from "../helpers/pubsub.js";
import { within } from "../helpers/time.js";
import {
  OURS,
  THEIRS,
  TRANSPORTS,
  api,
  bindAgain,
  bindFresh,
  expectNothingWithin,
  nextEvent,
  open,
  receiveWithin,
  sendWithin,
  sideName as name,
  text,
  useCleanup,
  type Implementation,
  type Sock,
  type Transport,
} from "./helpers.js";

useCleanup();

/** Connects `connecter` to `binder` on a fresh endpoint, whichever side binds. */
async function link(binder: Sock, connecter: Sock, t: Transport): Promise<string> {
  const endpoint = await bindFresh(binder, t);
  connecter.connect(endpoint);
  return endpoint;
}

const BIND_SIDES = ["publisher binds", "subscriber binds"] as const;

/** A bound XPUB with `verbosity` and two connected SUBs that have each subscribed to "dup". */
async function twoSubscribersOf(
  xpubSide: Implementation,
  subSide: Implementation,
  verbosity: "allSubs" | "allSubsUnsubs",
) {
  const xpub = open(xpubSide, "XPublisher");
  xpub.verbosity = verbosity;
  const endpoint = await bindFresh(xpub, "tcp");
  const s1 = open(subSide, "Subscriber");
  const s2 = open(subSide, "Subscriber");
  const joined = [nextEvent(s1, "handshake"), nextEvent(s2, "handshake")];
  s1.connect(endpoint);
  s2.connect(endpoint);
  await Promise.all(joined);
  s1.subscribe("dup");
  s2.subscribe("dup");
  return { xpub, s1, s2 };
}

describe("PUB -> SUB, both directions, tcp and ipc, either side binding", () => {
  for (const [pubSide, subSide] of [
    [THEIRS, OURS],
    [OURS, THEIRS],
  ] as const) {
    for (const t of TRANSPORTS) {
      for (const binds of BIND_SIDES) {
        const pubMode = binds === "publisher binds" ? "bind" : "connect";
        const subMode = binds === "publisher binds" ? "connect" : "bind";
        it(`${name(pubSide, "Publisher", pubMode, t)} -> ${name(subSide, "Subscriber", subMode)}: prefix filtering on the first frame, multipart whole, unsubscribe stops delivery`, async () => {
          const pub = open(pubSide, "Publisher");
          const sub = open(subSide, "Subscriber");
          sub.subscribe("weather.", Buffer.from([0, 1, 2]));
          if (binds === "publisher binds") await link(pub, sub, t);
          else await link(sub, pub, t);
          await settle(pub, sub, ["weather.probe"]);
          await sendWithin(pub, ["sports.x", "no"]);
          await sendWithin(pub, ["weather.paris", "18C", "sunny"]);
          await sendWithin(pub, [Buffer.from([0, 1, 2, 3]), "binary"]);
          await sendWithin(pub, [Buffer.from([0, 1]), "too short"]);
          await sendWithin(pub, "weather");
          const got = await drain(sub);
          expect(got).toEqual(["weather.paris|18C|sunny", `${Buffer.from([0, 1, 2, 3]).toString()}|binary`]);

          sub.unsubscribe("weather.");
          await settleCancel(pub, sub, "weather.probe", Buffer.from([0, 1, 2, 0x70]));
          await sendWithin(pub, "weather.lyon");
          await sendWithin(pub, [Buffer.from([0, 1, 2, 9])]);
          expect(await drain(sub)).toEqual([Buffer.from([0, 1, 2, 9]).toString()]);
        });
      }
    }
  }
});

describe("XPUB <-> XSUB, both directions, tcp and ipc, either side binding", () => {
  for (const [xpubSide, xsubSide] of [
    [THEIRS, OURS],
    [OURS, THEIRS],
  ] as const) {
    for (const t of TRANSPORTS) {
      for (const binds of BIND_SIDES) {
        const xpubMode = binds === "publisher binds" ? "bind" : "connect";
        const xsubMode = binds === "publisher binds" ? "connect" : "bind";
        it(`${name(xpubSide, "XPublisher", xpubMode, t)} <-> ${name(xsubSide, "XSubscriber", xsubMode)}: raw \\x01/\\x00 subscriptions seen by the XPUB application, messages downstream, other messages upstream`, async () => {
          const xpub = open(xpubSide, "XPublisher");
          const xsub = open(xsubSide, "XSubscriber");
          // An XSUB sends to connected publishers only: wait for its handshake. Over ws libzmq
          // reports the WebSocket upgrade as a first handshake, before the pipe exists (and its
          // socket attaches the pipe only when the application next calls it): wait for the second.
          const linked = nextEvent(xsub, "handshake", undefined, t === "ws" ? 2 : 1);
          if (binds === "publisher binds") await link(xpub, xsub, t);
          else await link(xsub, xpub, t);
          await linked;
          await sendWithin(xsub, "\x01topic");
          expect(await notificationsUntil(xpub, 1)).toEqual(["+topic"]);
          await sendWithin(xpub, ["topic.1", "body"]);
          await sendWithin(xpub, "other");
          expect(await drain(xsub)).toEqual(["topic.1|body"]);
          await sendWithin(xsub, ["upstream", "data"]);
          expect(text(await receiveWithin(xpub))).toEqual(["upstream", "data"]);
          await sendWithin(xsub, "\x00topic");
          expect(await notificationsUntil(xpub, 1)).toEqual(["-topic"]);
          await sendWithin(xpub, "topic.2");
          await expectNothingWithin(xsub, 150, "the XSUB cancelled its only subscription");
        });
      }
    }
  }
});

describe("Subscription lifecycle against libzmq", () => {
  for (const [pubSide, subSide] of [
    [THEIRS, OURS],
    [OURS, THEIRS],
  ] as const) {
    it(`late joiner: ${name(subSide, "Subscriber", "connect", "tcp")} joining a running ${name(pubSide, "Publisher", "bind")} gets only what is sent after its subscription arrived`, async () => {
      const pub = open(pubSide, "Publisher");
      const endpoint = await bindFresh(pub, "tcp");
      const early = open(subSide, "Subscriber");
      early.subscribe("t");
      early.connect(endpoint);
      await settle(pub, early, "t-probe");
      for (let i = 0; i < 5; i++) await sendWithin(pub, `t-before-${i}`);
      const late = open(subSide, "Subscriber");
      late.subscribe("t");
      late.connect(endpoint);
      await settle(pub, late, "t-probe-late");
      await sendWithin(pub, "t-after");
      expect(await drain(late)).toEqual(["t-after"]);
      expect((await drain(early)).filter((m) => !m.startsWith("t-probe"))).toEqual([
        ...[0, 1, 2, 3, 4].map((i) => `t-before-${i}`),
        "t-after",
      ]);
    });

    it(`1000 distinct topics: ${name(pubSide, "Publisher", "bind", "tcp")} -> ${name(subSide, "Subscriber", "connect")} delivers one message per subscribed topic and none of the others`, async () => {
      const pub = open(pubSide, "Publisher", { sendHighWaterMark: 10_000 });
      const sub = open(subSide, "Subscriber", { receiveHighWaterMark: 10_000 });
      const topics = Array.from({ length: 1000 }, (_, i) => `topic/${i.toString(36)}/`);
      sub.subscribe(...topics);
      sub.connect(await bindFresh(pub, "tcp"));
      // The last subscription sent is the last to arrive: probe with it.
      await settle(pub, sub, `${topics[999]}probe`);
      for (let i = 0; i < 1000; i++) {
        await sendWithin(pub, [`${topics[i]}x`, String(i)]);
        await sendWithin(pub, `unsubscribed/${i}`);
      }
      const got = await drain(sub, 300);
      expect(got).toHaveLength(1000);
      expect(got.map((m) => Number(m.split("|")[1]))).toEqual(topics.map((_, i) => i));
    });

    it(`a subscription made twice on ${name(subSide, "Subscriber")} needs two unsubscribes before ${name(pubSide, "Publisher")} stops sending`, async () => {
      const pub = open(pubSide, "Publisher");
      const sub = open(subSide, "Subscriber");
      sub.subscribe("A");
      sub.subscribe("A");
      sub.subscribe("marker");
      sub.connect(await bindFresh(pub, "tcp"));
      await settle(pub, sub, "marker-probe");
      sub.unsubscribe("A");
      // A later subscription settled means the earlier commands were applied too (one connection
      // keeps their order): had the first unsubscribe cancelled A upstream, it would show now.
      sub.subscribe("sync");
      await settle(pub, sub, "sync-probe");
      await sendWithin(pub, "A1");
      await sendWithin(pub, "marker1");
      expect(await drain(sub)).toEqual(["A1", "marker1"]);
      sub.unsubscribe("A");
      await settleCancel(pub, sub, "A-probe", "marker-probe");
      await sendWithin(pub, "A2");
      await sendWithin(pub, "marker2");
      expect(await drain(sub)).toEqual(["marker2"]);
    });
  }

  it(`${name(OURS, "Subscriber", "connect", "tcp")} keeps its subscriptions when the ${name(THEIRS, "Publisher", "bind")} restarts on the same port (docs/protocol.md §5.6)`, async () => {
    const first = open(THEIRS, "Publisher");
    const endpoint = await bindFresh(first, "tcp");
    const sub = open(OURS, "Subscriber", { reconnectInterval: 50 });
    sub.subscribe("news");
    sub.connect(endpoint);
    await settle(first, sub, "news-probe");
    first.close();
    const second = open(THEIRS, "Publisher");
    await bindAgain(second, endpoint);
    await settle(second, sub, "news-probe-2");
    await sendWithin(second, "news-after-restart");
    await sendWithin(second, "sports");
    expect(await drain(sub)).toEqual(["news-after-restart"]);
  });

  it(`${name(THEIRS, "Subscriber", "connect", "tcp")} gets our messages again when ${name(OURS, "Publisher", "bind")} restarts on the same port`, async () => {
    const first = open(OURS, "Publisher");
    const endpoint = await bindFresh(first, "tcp");
    const sub = open(THEIRS, "Subscriber", { reconnectInterval: 50 });
    sub.subscribe("news");
    sub.connect(endpoint);
    await settle(first, sub, "news-probe");
    first.close();
    const second = open(OURS, "Publisher");
    await bindAgain(second, endpoint);
    await settle(second, sub, "news-probe-2");
    await sendWithin(second, "news-after-restart");
    expect(await drain(sub)).toEqual(["news-after-restart"]);
  });

  it(`${name(THEIRS, "XSubscriber", "connect", "tcp")} sending a raw "\\x01topic" subscribes it at ${name(OURS, "Publisher", "bind")} (docs/protocol.md §5.6)`, async () => {
    const pub = open(OURS, "Publisher");
    const xsub = open(THEIRS, "XSubscriber");
    const linked = nextEvent(xsub, "handshake");
    xsub.connect(await bindFresh(pub, "tcp"));
    await linked;
    await sendWithin(xsub, "\x01topic");
    await settle(pub, xsub, "topic-probe");
    await sendWithin(pub, "topic-1");
    await sendWithin(pub, "other");
    expect(await drain(xsub)).toEqual(["topic-1"]);
  });
});

describe("XPUB notifications against libzmq subscribers", () => {
  for (const [xpubSide, subSide] of [
    [OURS, THEIRS],
    [THEIRS, OURS],
  ] as const) {
    it(`${name(xpubSide, "XPublisher", "bind", "tcp")} with default verbosity reports a topic once for two ${name(subSide, "Subscriber")}s, and its cancel when the last leaves`, async () => {
      const xpub = open(xpubSide, "XPublisher");
      const endpoint = await bindFresh(xpub, "tcp");
      const s1 = open(subSide, "Subscriber");
      const s2 = open(subSide, "Subscriber");
      s1.subscribe("A");
      s2.subscribe("A", "B");
      s1.connect(endpoint);
      s2.connect(endpoint);
      expect((await notificationsUntil(xpub, 2)).sort()).toEqual(["+A", "+B"]);
      s2.close();
      expect(await notificationsUntil(xpub, 1)).toEqual(["-B"]);
      s1.close();
      expect(await notificationsUntil(xpub, 1)).toEqual(["-A"]);
    });

    it(`${name(xpubSide, "XPublisher", "bind", "tcp")} with verbosity "allSubs" sees the duplicate subscription of two ${name(subSide, "Subscriber")}s`, async () => {
      const { xpub } = await twoSubscribersOf(xpubSide, subSide, "allSubs");
      expect(await notificationsUntil(xpub, 2)).toEqual(["+dup", "+dup"]);
    });

    it(`${name(xpubSide, "XPublisher", "bind", "tcp")} with verbosity "allSubsUnsubs" sees each ${name(subSide, "Subscriber")}'s cancel`, async () => {
      const { xpub, s1 } = await twoSubscribersOf(xpubSide, subSide, "allSubsUnsubs");
      expect(await notificationsUntil(xpub, 2)).toEqual(["+dup", "+dup"]);
      s1.unsubscribe("dup");
      expect(await notificationsUntil(xpub, 1)).toEqual(["-dup"]);
    });

    it(`welcome message: ${name(xpubSide, "XPublisher", "bind", "tcp")} greets a ${name(subSide, "Subscriber")} subscribed to it`, async () => {
      const xpub = open(xpubSide, "XPublisher", { welcomeMessage: "WELCOME" });
      const endpoint = await bindFresh(xpub, "tcp");
      const sub = open(subSide, "Subscriber");
      sub.subscribe("WELCOME");
      sub.connect(endpoint);
      // libzmq attaches new pipes when its application calls in (docs/protocol.md §5.6): keep reading.
      const reading = xpub.receive().catch(() => undefined);
      expect(text(await receiveWithin(sub))).toEqual(["WELCOME"]);
      void reading;
    });
  }
});

describe("Proxies between the two implementations", () => {
  it("our XSUB/XPUB Proxy forwards between libzmq publishers and libzmq subscribers, subscriptions upstream", async () => {
    const frontEnd = open(OURS, "XSubscriber");
    const backEnd = open(OURS, "XPublisher");
    const proxy = new (api(OURS).Proxy)(frontEnd as never, backEnd as never);
    const pubs = [open(THEIRS, "Publisher"), open(THEIRS, "Publisher")];
    for (const pub of pubs) frontEnd.connect(await bindFresh(pub, "tcp"));
    const backEndpoint = await bindFresh(backEnd, "ipc");
    const done = proxy.run();
    const subs = [open(THEIRS, "Subscriber"), open(THEIRS, "Subscriber")];
    subs[0]!.subscribe("A");
    subs[1]!.subscribe("B");
    for (const sub of subs) sub.connect(backEndpoint);
    for (const [i, pub] of pubs.entries()) {
      await settle(pub, subs[0]!, `A-probe-${i}`);
      await settle(pub, subs[1]!, `B-probe-${i}`);
    }
    await sendWithin(pubs[0]!, ["A", "from pub 0"]);
    await sendWithin(pubs[1]!, ["B", "from pub 1"]);
    await sendWithin(pubs[1]!, ["C", "nobody"]);
    expect(await drain(subs[0]!)).toEqual(["A|from pub 0"]);
    expect(await drain(subs[1]!)).toEqual(["B|from pub 1"]);
    proxy.terminate();
    await within(done, 3000, "proxy end");
    expect(frontEnd.closed && backEnd.closed).toBe(true);
  });

  it("a libzmq Proxy (zeromq.js Proxy) forwards between our publisher and our subscriber", async () => {
    const frontEnd = open(THEIRS, "XSubscriber");
    const backEnd = open(THEIRS, "XPublisher");
    const proxy = new (api(THEIRS).Proxy)(frontEnd as never, backEnd as never);
    const pub = open(OURS, "Publisher");
    frontEnd.connect(await bindFresh(pub, "tcp"));
    const backEndpoint = await bindFresh(backEnd, "tcp");
    const done = proxy.run();
    const sub = open(OURS, "Subscriber");
    sub.subscribe("A");
    sub.connect(backEndpoint);
    await settle(pub, sub, ["A", "probe"]);
    await sendWithin(pub, ["A", "through libzmq"]);
    await sendWithin(pub, ["B", "filtered"]);
    expect(await drain(sub)).toEqual(["A|through libzmq"]);
    proxy.terminate();
    await within(done, 3000, "proxy end");
  });

  it("our ROUTER/DEALER Proxy queues requests from libzmq REQ clients to libzmq REP workers", async () => {
    const frontEnd = open(OURS, "Router");
    const backEnd = open(OURS, "Dealer");
    const proxy = new (api(OURS).Proxy)(frontEnd as never, backEnd as never);
    const frontEndpoint = await bindFresh(frontEnd, "tcp");
    const backEndpoint = await bindFresh(backEnd, "tcp");
    const done = proxy.run();
    const worker = open(THEIRS, "Reply", { receiveTimeout: -1 });
    const client = open(THEIRS, "Request");
    worker.connect(backEndpoint);
    client.connect(frontEndpoint);
    void (async () => {
      for (;;) {
        const [req] = await worker.receive();
        await worker.send(`re: ${req!.toString()}`);
      }
    })().catch(() => undefined);
    for (let i = 0; i < 3; i++) {
      await client.send(`q${i}`);
      expect(text(await client.receive())).toEqual([`re: q${i}`]);
    }
    proxy.terminate();
    await within(done, 3000, "proxy end");
  });
});
