/**
 * XSUB, as RFC 29 (PUBSUB) states it, through the public API with ours on both sides, over every
 * transport.
 */
import { describe, expect, it } from "vitest";
import { Publisher, XPublisher, XSubscriber } from "../../src/index.js";
import { notifications, notificationsUntil } from "../helpers/pubsub.js";
import { TRANSPORTS, useHarness } from "../helpers/sockets.js";

const h = useHarness();

describe("XSUB before any connection", () => {
  // RFC 29 XSUB: "SHALL silently drop the message if the outgoing queue for a publisher is full",
  // "SHALL NOT block on sending".
  it("send never waits: writable is true even with no publisher", async () => {
    const xsub = h.open(XSubscriber, { sendTimeout: 0 });
    expect(xsub.writable).toBe(true);
    await xsub.send("\x01x");
    await xsub.send("data");
  });
});

describe.each(TRANSPORTS)("XSUB over %s", (transport) => {
  // RFC 29 XSUB: "SHALL accept subscription commands from its calling application", "SHALL send
  // subscribe and unsubscribe requests to publishers"; like a SUB, it counts duplicates.
  it("subscriptions sent as messages go upstream once, and a cancel only at count zero", async () => {
    const xpub = h.open(XPublisher);
    const xsub = h.open(XSubscriber);
    xsub.connect(await h.bound(xpub, transport));
    await xsub.send("\x01A");
    await xsub.send("\x01A");
    expect(await notificationsUntil(xpub, 1)).toEqual(["+A"]);
    expect(await notifications(xpub)).toEqual([]);
    await xsub.send("\x00A");
    expect(await notifications(xpub)).toEqual([]);
    await xsub.send("\x00A");
    expect(await notificationsUntil(xpub, 1)).toEqual(["-A"]);
    await xsub.send("\x00never-subscribed");
    expect(await notifications(xpub)).toEqual([]);
  });

  // RFC 29 XSUB: "SHALL create a double queue when initiating an outgoing connection to a
  // publisher": a publisher connected later learns every subscription.
  it("replays its subscriptions to a publisher it connects to later", async () => {
    const first = h.open(Publisher);
    const later = h.open(XPublisher);
    const xsub = h.open(XSubscriber);
    xsub.connect(await h.bound(first, transport));
    await xsub.send("\x01topic");
    await xsub.send("\x01other");
    xsub.connect(await h.bound(later, transport));
    expect(await notificationsUntil(later, 2)).toEqual(["+other", "+topic"]);
  });
});
