/**
 * REQ, as RFC 28 (REQREP) states it, through the public API with ours on both sides, over every
 * transport; out-of-turn calls as zeromq.js v6 answers them, and libzmq's REQ_RELAXED /
 * REQ_CORRELATE.
 */
import { describe, expect, it } from "vitest";
import { Reply, Request, Router } from "../../src/index.js";
import { TRANSPORTS, failure, joined, queuedIn, stillPending, text, useHarness } from "../helpers/sockets.js";
import { until } from "../helpers/time.js";

const h = useHarness();

describe("REQ out of turn, before any connection", () => {
  // RFC 28 REQ: "SHALL send and then receive exactly one message at a time". libzmq's zmq_recv
  // gives EFSM here; zeromq.js 6 instead waits forever (it polls for POLLIN first).
  it("receive before send fails with EFSM", async () => {
    const req = h.open(Request);
    expect(await failure(() => req.receive())).toMatchObject({ code: "EFSM" });
  });
});

describe.each(TRANSPORTS)("REQ over %s", (transport) => {
  // RFC 28 REQ: "SHALL send and then receive exactly one message at a time".
  it("out of turn: not writable, a second send waits (zeromq.js); with sendTimeout 0 it fails EFSM", async () => {
    const req = h.open(Request);
    const rep = h.open(Reply);
    const ep = await h.bound(rep, transport);
    req.connect(ep);
    await req.send("first");
    expect(req.writable).toBe(false);
    const waiting = req.send("second");
    expect(await stillPending(waiting, 50)).toBe(true);
    // Closing gives the waiting send one last try: the REQ is still waiting for a reply.
    req.close();
    await expect(waiting).rejects.toMatchObject({ code: "EFSM" });
    const strict = h.open(Request, { sendTimeout: 0 });
    strict.connect(ep);
    await strict.send("first");
    expect(await failure(() => strict.send("second"))).toMatchObject({ code: "EFSM" });
  });

  // RFC 28 REQ: "SHALL prefix the outgoing message with an empty delimiter frame"; the reply's is removed.
  it('sends ["", body] and strips the delimiter from the reply', async () => {
    const req = h.open(Request, { routingId: "req" });
    const router = h.open(Router);
    req.connect(await h.bound(router, transport));
    await req.send(["a", "b"]);
    expect(text(await router.receive())).toEqual(["req", "", "a", "b"]);
    await router.send(["req", "", "x", "y"]);
    expect(text(await req.receive())).toEqual(["x", "y"]);
  });

  // RFC 28 REQ: "SHALL route outgoing messages to connected peers using a round-robin strategy".
  it("round-robins successive requests across peers", async () => {
    const req = h.open(Request);
    const rep1 = h.open(Reply);
    const rep2 = h.open(Reply);
    req.connect(await h.bound(rep1, transport));
    req.connect(await h.bound(rep2, transport));
    await req.send("q0");
    expect(text(await rep1.receive())).toEqual(["q0"]);
    await rep1.send("a0");
    expect(text(await req.receive())).toEqual(["a0"]);
    await req.send("q1");
    expect(text(await rep2.receive())).toEqual(["q1"]);
    await rep2.send("a1");
    expect(text(await req.receive())).toEqual(["a1"]);
  });

  // RFC 28 REQ: "SHALL accept an incoming message only from the last peer that it sent a request
  // to", "SHALL discard silently any messages received from other peers".
  it("accepts the reply only from the peer it sent the request to", async () => {
    const req = h.open(Request, { routingId: "req" });
    const r1 = h.open(Router);
    const r2 = h.open(Router);
    req.connect(await h.bound(r1, transport));
    req.connect(await h.bound(r2, transport));
    // Both ROUTERs must know the REQ, or the bogus reply would be dropped before it got there.
    await joined(r1);
    await joined(r2);
    await req.send("q");
    expect(text(await r1.receive())).toEqual(["req", "", "q"]);
    await r2.send(["req", "", "bogus"]);
    await r1.send(["req", "", "real"]);
    expect(text(await req.receive())).toEqual(["real"]);
  });

  // libzmq's REQ_RELAXED lifts RFC 28's lock-step.
  it("with relaxed may send again before the reply", async () => {
    const req = h.open(Request, { relaxed: true });
    const rep = h.open(Reply);
    req.connect(await h.bound(rep, transport));
    await req.send("first");
    await expect(req.send("second")).resolves.toBeUndefined();
  });

  it("relaxed + correlate: a stale reply to the abandoned request is not returned as the new answer", async () => {
    const req = h.open(Request, { relaxed: true, correlate: true, routingId: "req" });
    const router = h.open(Router);
    req.connect(await h.bound(router, transport));
    await req.send("q1");
    const [id1, rid1, empty1, body1] = await router.receive();
    expect(id1!.toString()).toBe("req");
    expect(rid1!.length).toBe(4);
    expect(empty1!.length).toBe(0);
    expect(body1!.toString()).toBe("q1");
    await req.send("q2");
    const [, rid2, , body2] = await router.receive();
    expect(body2!.toString()).toBe("q2");
    expect(rid2!.equals(rid1!)).toBe(false);
    await router.send(["req", rid1!, "", "stale"]);
    await router.send(["req", rid2!, "", "fresh"]);
    expect(text(await req.receive())).toEqual(["fresh"]);
  });

  it("relaxed: replies already queued when a new request starts are discarded", async () => {
    const req = h.open(Request, { relaxed: true, routingId: "req" });
    const router = h.open(Router);
    req.connect(await h.bound(router, transport));
    await req.send("q1");
    await router.receive();
    await router.send(["req", "", "old"]);
    await until(() => queuedIn(req) === 1, undefined, "the old reply queued at the REQ");
    await req.send("q2");
    await router.receive();
    await router.send(["req", "", "new"]);
    expect(text(await req.receive())).toEqual(["new"]);
  });
});
