/**
 * XPUB, as RFC 29 (PUBSUB) states it, through the public API with ours on both sides, over every
 * transport; libzmq's options on top (verbosity, manual, welcome message, no-drop).
 */
import { describe, expect, it } from "vitest";
import { Publisher, Subscriber, XPublisher, XSubscriber } from "../../src/index.js";
import { drain, notification, notifications, notificationsUntil, settle } from "../helpers/pubsub.js";
import { TRANSPORTS, expectNothing, joined, text, useHarness } from "../helpers/sockets.js";

const h = useHarness();

describe("XPUB options", () => {
  it("verbosity is write-only and ignores values other than null, allSubs and allSubsUnsubs (as zeromq.js)", async () => {
    const xpub = h.open(XPublisher);
    (xpub as { verbosity: unknown }).verbosity = "loud";
    xpub.verbosity = null;
    expect((xpub as { verbosity: unknown }).verbosity).toBeUndefined();
  });
});

describe.each(TRANSPORTS)("XPUB over %s", (transport) => {
  /** Two SUBs connected to `xpub`, bound here, once the XPUB has both in its rotation. */
  async function twoSubscribers(xpub: XPublisher): Promise<{ xpub: XPublisher; s1: Subscriber; s2: Subscriber }> {
    const ep = await h.bound(xpub, transport);
    const s1 = h.open(Subscriber);
    const s2 = h.open(Subscriber);
    s1.connect(ep);
    s2.connect(ep);
    await joined(xpub, 2);
    return { xpub, s1, s2 };
  }

  // RFC 29 XPUB: "SHALL deliver these commands to its calling application", normalized so that
  // "multiple identical subscriptions result in a single command only"; "SHALL, if the subscriber
  // peer disconnects prematurely, generate a suitable unsubscribe request".
  it("reports only the first subscription and the last cancel of a topic by default; a disconnect cancels what nobody else wants", async () => {
    const xpub = h.open(XPublisher);
    const ep = await h.bound(xpub, transport);
    const s1 = h.open(Subscriber);
    const s2 = h.open(Subscriber);
    s1.subscribe("A");
    s2.subscribe("A", "B");
    s1.connect(ep);
    expect(await notificationsUntil(xpub, 1)).toEqual(["+A"]);
    s2.connect(ep);
    expect(await notificationsUntil(xpub, 1)).toEqual(["+B"]);
    s2.unsubscribe("A");
    expect(await notifications(xpub)).toEqual([]);
    s2.close();
    expect(await notificationsUntil(xpub, 1)).toEqual(["-B"]);
    s1.close();
    expect(await notificationsUntil(xpub, 1)).toEqual(["-A"]);
  });

  it('verbosity "allSubs" reports every subscription, but only the last cancel', async () => {
    const { xpub, s1, s2 } = await twoSubscribers(h.open(XPublisher, { verbosity: "allSubs" }));
    s1.subscribe("A");
    s2.subscribe("A");
    expect(await notificationsUntil(xpub, 2)).toEqual(["+A", "+A"]);
    s1.unsubscribe("A");
    expect(await notifications(xpub)).toEqual([]);
    s2.unsubscribe("A");
    expect(await notificationsUntil(xpub, 1)).toEqual(["-A"]);
  });

  it('verbosity "allSubsUnsubs" reports every subscription and cancel, and every topic of a leaving subscriber', async () => {
    const xpub = h.open(XPublisher);
    xpub.verbosity = "allSubsUnsubs"; // settable after construction too
    const { s1, s2 } = await twoSubscribers(xpub);
    s1.subscribe("A");
    expect(await notificationsUntil(xpub, 1)).toEqual(["+A"]);
    s2.subscribe("A", "B");
    expect(await notificationsUntil(xpub, 2)).toEqual(["+A", "+B"]);
    s1.unsubscribe("A");
    expect(await notificationsUntil(xpub, 1)).toEqual(["-A"]);
    s1.subscribe("A");
    expect(await notificationsUntil(xpub, 1)).toEqual(["+A"]);
    s2.close();
    expect(await notificationsUntil(xpub, 2)).toEqual(["-A", "-B"]);
  });

  // libzmq's ZMQ_XPUB_MANUAL: the application decides what each subscriber gets.
  it("manual: nothing is applied until the application subscribes the last notification's subscriber, maybe to another topic", async () => {
    const xpub = h.open(XPublisher, { manual: true });
    const ep = await h.bound(xpub, transport);
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
    expect(await notificationsUntil(xpub, 1)).toEqual(["-translated"]);
  });

  it("ZMQ_SUBSCRIBE on an XPUB without manual is EINVAL; with manual but no notification read yet it does nothing", async () => {
    const auto = h.open(XPublisher);
    expect(() => auto.setStringOption(6, "x")).toThrow(expect.objectContaining({ code: "EINVAL" }));
    const manual = h.open(XPublisher, { manual: true });
    const sub = h.open(Subscriber);
    sub.subscribe("");
    sub.connect(await h.bound(manual, transport));
    await joined(manual);
    manual.setStringOption(6, "");
    await manual.send("not applied to anyone");
    await expectNothing(sub);
  });

  // libzmq's ZMQ_XPUB_WELCOME_MSG.
  it("welcomeMessage goes into every new subscriber pipe unfiltered: a SUB subscribed to it and an XSUB with no subscription both get it", async () => {
    const xpub = h.open(XPublisher, { welcomeMessage: "WELCOME" });
    const ep = await h.bound(xpub, transport);
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

  // RFC 29 XPUB: "SHALL receive incoming messages from its subscribers using a fair-queuing
  // strategy", "SHALL deliver these messages to its calling application"; RFC 29 PUB: "SHALL
  // silently discard any messages that subscribers send it".
  it("messages a subscriber sends that are not subscriptions reach the XPUB application; a PUB drops them", async () => {
    const xpub = h.open(XPublisher);
    const pub = h.open(Publisher);
    const xsub = h.open(XSubscriber);
    xsub.connect(await h.bound(xpub, transport));
    xsub.connect(await h.bound(pub, transport));
    await xsub.send(["hello", "world"]);
    await xsub.send("\x01t");
    expect(text(await xpub.receive())).toEqual(["hello", "world"]);
    expect(await notification(xpub)).toBe("+t");
    // The PUB ignored "hello" but applied the subscription.
    await settle(pub, xsub, "t-probe");
    await pub.send("t-from-pub");
    await pub.send("u-from-pub");
    expect(await drain(xsub)).toEqual(["t-from-pub"]);
  });
});

// libzmq's ZMQ_XPUB_NODROP, where inproc's shared pipe makes the bound exact: SNDHWM + RCVHWM.
describe("XPUB / PUB noDrop over inproc", () => {
  it("noDrop: send fails with EAGAIN (sendTimeout 0) while a matching subscriber's pipe is full, and works again once it drains", async () => {
    const pub = h.open(Publisher, { noDrop: true, sendHighWaterMark: 4, sendTimeout: 0 });
    const sub = h.open(Subscriber, { receiveHighWaterMark: 4 });
    sub.subscribe("t");
    sub.connect(await h.bound(pub, "inproc"));
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
    expect(sent).toBe(8);
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
    sub.connect(await h.bound(pub, "inproc"));
    for (let i = 0; i < 4; i++) await pub.send(`m${i}`);
    await expect(pub.send("m4")).rejects.toMatchObject({ code: "EAGAIN" });
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push(text(await sub.receive())[0]!);
    expect(got).toEqual(["m0", "m1", "m2", "m3"]);
    await pub.send("m5");
    expect(text(await sub.receive())).toEqual(["m5"]);
  });
});
