/**
 * REP, as RFC 28 (REQREP) states it, through the public API with ours on both sides, over every
 * transport; out-of-turn calls as zeromq.js v6 answers them.
 */
import { describe, expect, it } from "vitest";
import { Dealer, Reply, Request } from "../../src/index.js";
import { TRANSPORTS, expectNothing, failure, text, useHarness } from "../helpers/sockets.js";

const h = useHarness();

describe("REP out of turn, before any connection", () => {
  // RFC 28 REP: "SHALL receive and then send exactly one message at a time".
  it("send before receive: not writable; fails EFSM once it stops waiting (sendTimeout 0)", async () => {
    const rep = h.open(Reply, { sendTimeout: 0 });
    expect(rep.writable).toBe(false);
    expect(await failure(() => rep.send("x"))).toMatchObject({ code: "EFSM" });
  });
});

describe.each(TRANSPORTS)("REP over %s", (transport) => {
  // RFC 28 REP: "SHALL receive incoming messages from its peers using a fair-queuing strategy",
  // "SHALL deliver this message back to the originating peer".
  it("sends each reply back to the REQ that asked, among several", async () => {
    const rep = h.open(Reply);
    const ep = await h.bound(rep, transport);
    const reqs = [0, 1, 2].map(() => h.open(Request));
    for (const req of reqs) req.connect(ep);
    for (const [i, req] of reqs.entries()) await req.send(`q${i}`);
    for (let n = 0; n < 3; n++) {
      const [body] = await rep.receive();
      await rep.send(`answer to ${body!.toString()}`);
    }
    for (const [i, req] of reqs.entries()) expect(text(await req.receive())).toEqual([`answer to q${i}`]);
  });

  // RFC 28 REP: the request "SHALL have" a delimiter; libzmq drops one without it and carries on.
  it("drops a request without an empty delimiter and keeps serving the connection", async () => {
    const rep = h.open(Reply);
    const dealer = h.open(Dealer);
    dealer.connect(await h.bound(rep, transport));
    await dealer.send(["bad"]);
    await dealer.send(["", "good"]);
    expect(text(await rep.receive())).toEqual(["good"]);
    await rep.send("ans");
    expect(text(await dealer.receive())).toEqual(["", "ans"]);
    await expectNothing(rep, 50);
  });

  // RFC 28 REP: "SHALL remove and store the address envelope, including the delimiter", "SHALL
  // prepend the address envelope and delimiter" to the reply.
  it("keeps every envelope frame up to the delimiter and puts it back on the reply", async () => {
    const rep = h.open(Reply);
    const dealer = h.open(Dealer);
    dealer.connect(await h.bound(rep, transport));
    await dealer.send(["hop1", "hop2", "", "body"]);
    expect(text(await rep.receive())).toEqual(["body"]);
    await rep.send("ans");
    expect(text(await dealer.receive())).toEqual(["hop1", "hop2", "", "ans"]);
  });

  // RFC 28 REP: "SHALL silently discard the reply, or return an error, if the originating peer is
  // no longer connected", "SHALL not block on sending".
  it("drops the reply to a REQ that went away and serves the next one", async () => {
    const rep = h.open(Reply);
    const ep = await h.bound(rep, transport);
    const gone = h.open(Request);
    gone.connect(ep);
    await gone.send("q-gone");
    expect(text(await rep.receive())).toEqual(["q-gone"]);
    gone.close();
    await expect(rep.send("nobody hears")).resolves.toBeUndefined();
    const next = h.open(Request);
    next.connect(ep);
    await next.send("q-next");
    expect(text(await rep.receive())).toEqual(["q-next"]);
    await rep.send("a-next");
    expect(text(await next.receive())).toEqual(["a-next"]);
  });
});
