/**
 * PUB/SUB/XPUB/XSUB and Proxy against libzmq (docs/protocol.md §5.6): every pairing
 * in both directions, over tcp and ipc, with either side binding; late joiners, cancels,
 * 1000 topics, XPUB notifications, welcome messages, forwarders, and restarts.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MessageLike } from "zeromq";
import {
  OURS,
  THEIRS,
  TRANSPORTS,
  bindAgain,
  bindFresh,
  describeFrames,
  expectNothingWithin,
  receiveWithin,
  sendWithin,
  sleep,
  text,
  within,
  type Side,
  type Sock,
  type Transport,
} from "./helpers.js";

type PubSubKind = "Publisher" | "Subscriber" | "XPublisher" | "XSubscriber";

const NAME: Record<PubSubKind, string> = {
  Publisher: "PUB",
  Subscriber: "SUB",
  XPublisher: "XPUB",
  XSubscriber: "XSUB",
};

/** The zeromq.js v6 pub/sub surface the suite uses (a loose superset over the four types). */
interface PubSubSock extends Sock {
  subscribe(...prefixes: Array<string | Buffer>): void;
  unsubscribe(...prefixes: Array<string | Buffer>): void;
  verbosity: null | "allSubs" | "allSubsUnsubs";
  readonly closed: boolean;
}

interface PubSubOptions {
  linger?: number;
  receiveTimeout?: number;
  sendTimeout?: number;
  reconnectInterval?: number;
  welcomeMessage?: string;
  receiveHighWaterMark?: number;
  sendHighWaterMark?: number;
}

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const sock of opened.splice(0)) {
    try {
      sock.close();
    } catch {
      // closed by the test (or by a proxy)
    }
  }
});

function open(side: Side, kind: PubSubKind, options: PubSubOptions = {}): PubSubSock {
  const Ctor = side.impl[kind] as unknown as new (options: PubSubOptions) => PubSubSock;
  const sock = new Ctor({ linger: 0, ...options });
  opened.push(sock);
  return sock;
}

function name(side: Side, kind: PubSubKind, mode?: "bind" | "connect", t?: Transport): string {
  const how = [mode, t].filter(Boolean).join(", ");
  return `${side.who} ${NAME[kind]}${how ? ` (${how})` : ""}`;
}

/**
 * Subscriptions travel asynchronously: publishes `probe` until `sub` receives one, then drains
 * the other probes, so what the test sends next starts from a clean slate.
 */
async function settle(pub: Sock, sub: Sock, probe: MessageLike[] | string): Promise<void> {
  const deadline = Date.now() + 4000;
  sub.receiveTimeout = 25;
  for (;;) {
    await sendWithin(pub, probe);
    try {
      await within(sub.receive(), 1000, "probe");
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`subscription never took effect: ${String(err)}`);
    }
  }
  sub.receiveTimeout = 60;
  for (;;) {
    try {
      await within(sub.receive(), 1000, "drain");
    } catch {
      return;
    }
  }
}

/** Everything that arrives until `ms` pass without a message, as frames joined by "|". */
async function drain(sock: Sock, ms = 150): Promise<string[]> {
  const out: string[] = [];
  sock.receiveTimeout = ms;
  for (;;) {
    try {
      out.push(text(await within(sock.receive(), ms + 1000, "drain")).join("|"));
    } catch {
      return out;
    }
  }
}

/** XPUB notifications as "+topic" / "-topic" until `ms` of quiet. */
async function notifications(xpub: Sock, ms = 150): Promise<string[]> {
  const out: string[] = [];
  xpub.receiveTimeout = ms;
  for (;;) {
    let msg: Buffer[];
    try {
      msg = await within(xpub.receive(), ms + 1000, "notification");
    } catch {
      return out;
    }
    const body = msg[0]!;
    if (msg.length !== 1 || body.length === 0 || body[0]! > 1) out.push(`message ${describeFrames(msg)}`);
    else out.push((body[0] === 1 ? "+" : "-") + body.subarray(1).toString());
  }
}

/** Waits for XPUB notifications until `expected` many arrived (or 3 s passed). */
async function notificationsUntil(xpub: Sock, expected: number): Promise<string[]> {
  const out: string[] = [];
  const deadline = Date.now() + 3000;
  while (out.length < expected && Date.now() < deadline) out.push(...(await notifications(xpub, 100)));
  return out;
}

/** Connects `connecter` to `binder` on a fresh endpoint, whichever side binds. */
async function link(binder: Sock, connecter: Sock, t: Transport): Promise<string> {
  const endpoint = await bindFresh(binder, t);
  connecter.connect(endpoint);
  return endpoint;
}

const BIND_SIDES = ["publisher binds", "subscriber binds"] as const;

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
          await sleep(100);
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
          if (binds === "publisher binds") await link(xpub, xsub, t);
          else await link(xsub, xpub, t);
          await sleep(100);
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
      await sleep(100);
      await sendWithin(pub, "A1");
      await sendWithin(pub, "marker1");
      expect(await drain(sub)).toEqual(["A1", "marker1"]);
      sub.unsubscribe("A");
      await sleep(100);
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
    await sleep(200);
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
    await sleep(200);
    const second = open(OURS, "Publisher");
    await bindAgain(second, endpoint);
    await settle(second, sub, "news-probe-2");
    await sendWithin(second, "news-after-restart");
    expect(await drain(sub)).toEqual(["news-after-restart"]);
  });

  it(`${name(THEIRS, "XSubscriber", "connect", "tcp")} sending a raw "\\x01topic" subscribes it at ${name(OURS, "Publisher", "bind")} (docs/protocol.md §5.6)`, async () => {
    const pub = open(OURS, "Publisher");
    const xsub = open(THEIRS, "XSubscriber");
    xsub.connect(await bindFresh(pub, "tcp"));
    await sleep(100);
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
      const xpub = open(xpubSide, "XPublisher");
      xpub.verbosity = "allSubs";
      const endpoint = await bindFresh(xpub, "tcp");
      const s1 = open(subSide, "Subscriber");
      const s2 = open(subSide, "Subscriber");
      s1.connect(endpoint);
      s2.connect(endpoint);
      await sleep(100);
      s1.subscribe("dup");
      s2.subscribe("dup");
      expect(await notificationsUntil(xpub, 2)).toEqual(["+dup", "+dup"]);
    });

    it(`${name(xpubSide, "XPublisher", "bind", "tcp")} with verbosity "allSubsUnsubs" sees each ${name(subSide, "Subscriber")}'s cancel`, async () => {
      const xpub = open(xpubSide, "XPublisher");
      xpub.verbosity = "allSubsUnsubs";
      const endpoint = await bindFresh(xpub, "tcp");
      const s1 = open(subSide, "Subscriber");
      const s2 = open(subSide, "Subscriber");
      s1.connect(endpoint);
      s2.connect(endpoint);
      await sleep(100);
      s1.subscribe("dup");
      s2.subscribe("dup");
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
    const proxy = new OURS.impl.Proxy(frontEnd as never, backEnd as never);
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
    const proxy = new THEIRS.impl.Proxy(frontEnd as never, backEnd as never);
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
    const frontEnd = new OURS.impl.Router({ linger: 0 });
    const backEnd = new OURS.impl.Dealer({ linger: 0 });
    opened.push(frontEnd, backEnd);
    const proxy = new OURS.impl.Proxy(frontEnd as never, backEnd as never);
    await frontEnd.bind("tcp://127.0.0.1:*");
    await backEnd.bind("tcp://127.0.0.1:*");
    const done = proxy.run();
    const worker = new THEIRS.impl.Reply({ linger: 0 });
    const client = new THEIRS.impl.Request({ linger: 0, receiveTimeout: 3000 });
    opened.push(worker, client);
    worker.connect(backEnd.lastEndpoint!);
    client.connect(frontEnd.lastEndpoint!);
    void (async () => {
      for await (const [req] of worker) await worker.send(`re: ${req!.toString()}`);
    })().catch(() => undefined);
    for (let i = 0; i < 3; i++) {
      await client.send(`q${i}`);
      expect(text(await client.receive())).toEqual([`re: q${i}`]);
    }
    proxy.terminate();
    await within(done, 3000, "proxy end");
  });
});
