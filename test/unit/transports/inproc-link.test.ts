import { describe, expect, it } from "vitest";
import { Context, Dealer, Pair, Router } from "../../../src/index.js";

describe("inproc linking", () => {
  it("a send waiting for the link reaches a ROUTER with the sender's routing id", async () => {
    const context = new Context();
    // immediate: no pipe before the link, so the send waits and is written while the link is made.
    const dealer = new Dealer({ context, routingId: "early-bird", immediate: true });
    dealer.connect("inproc://late-router");
    const sent = dealer.send("queued before bind");
    const router = new Router({ context, receiveTimeout: 1000 });
    const received = router.receive().catch((err: Error) => err);
    await router.bind("inproc://late-router");
    await sent;
    const msg = await received;
    expect(Array.isArray(msg) ? msg.map(String) : msg).toEqual(["early-bird", "queued before bind"]);
    dealer.close();
    router.close();
  });

  it("messages flow both ways when each side answers synchronously inside its wake-up", async () => {
    const context = new Context();
    const a = new Pair({ context });
    const b = new Pair({ context });
    await a.bind("inproc://ping-pong");
    b.connect("inproc://ping-pong");
    const rounds = 200;
    const echo = (async () => {
      for (let i = 0; i < rounds; i++) await a.send((await a.receive())[0]!);
    })();
    for (let i = 0; i < rounds; i++) {
      await b.send(String(i));
      expect(String((await b.receive())[0])).toBe(String(i));
    }
    await echo;
    a.close();
    b.close();
  });
});
