/**
 * DEALER, as RFC 28 (REQREP) states it, through the public API with ours on both sides, over every
 * transport.
 */
import { describe, expect, it } from "vitest";
import { Dealer, Router } from "../../src/index.js";
import { TRANSPORTS, fairRounds, queuedIn, text, useHarness } from "../helpers/sockets.js";
import { until } from "../helpers/time.js";

const h = useHarness();

describe.each(TRANSPORTS)("DEALER over %s", (transport) => {
  // RFC 28 DEALER: "SHALL route outgoing messages to available peers using a round-robin
  // strategy"; a multipart message is one message, so it is never split between peers.
  it("round-robins per message (not per frame) across 2 ROUTERs", async () => {
    const dealer = h.open(Dealer, { routingId: "d" });
    const r1 = h.open(Router);
    const r2 = h.open(Router);
    dealer.connect(await h.bound(r1, transport));
    dealer.connect(await h.bound(r2, transport));
    for (let i = 0; i < 4; i++) await dealer.send(["m", `${i}`]);
    expect(text(await r1.receive())).toEqual(["d", "m", "0"]);
    expect(text(await r1.receive())).toEqual(["d", "m", "2"]);
    expect(text(await r2.receive())).toEqual(["d", "m", "1"]);
    expect(text(await r2.receive())).toEqual(["d", "m", "3"]);
  });

  // RFC 28 DEALER: "SHALL receive incoming messages from its peers using a fair-queuing strategy".
  it("fair-queues incoming messages from its peers: one from each in turn, each in its order", async () => {
    const dealer = h.open(Dealer);
    const a = h.open(Dealer);
    const b = h.open(Dealer);
    const ep = await h.bound(dealer, transport);
    a.connect(ep);
    b.connect(ep);
    for (let i = 0; i < 3; i++) await a.send(["a", `${i}`]);
    for (let i = 0; i < 3; i++) await b.send(["b", `${i}`]);
    await until(() => queuedIn(dealer) === 6, undefined, "all 6 messages queued at the DEALER");
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(text(await dealer.receive()).join(""));
    expect(fairRounds(got, 2)).toEqual([
      ["a0", "b0"],
      ["a1", "b1"],
      ["a2", "b2"],
    ]);
  });
});
