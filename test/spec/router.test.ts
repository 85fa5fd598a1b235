/**
 * ROUTER, as RFC 28 (REQREP) states it, through the public API with ours on both sides, over every
 * transport; libzmq's options on top (ROUTER_MANDATORY, ROUTER_HANDOVER, ZMQ_CONNECT_ROUTING_ID,
 * ZMQ_PROBE_ROUTER).
 */
import { describe, expect, it } from "vitest";
import { Dealer, Router } from "../../src/index.js";
import { TRANSPORTS, expectNothing, joined, nextHandshake, text, useHarness } from "../helpers/sockets.js";

const h = useHarness();

/** libzmq's generated routing id: 5 bytes, the first 0x00 (RFC 28 reserves ids starting with 0). */
function expectAutoId(id: Buffer): void {
  expect(id.length).toBe(5);
  expect(id[0]).toBe(0);
}

describe.each(TRANSPORTS)("ROUTER over %s", (transport) => {
  // RFC 28 ROUTER: "SHOULD allow the peer to specify its identity explicitly through the Identity
  // metadata property", "SHALL prefix each incoming message with a frame containing the identity".
  it("prepends the peer's routingId when the peer set one, and routes replies by it", async () => {
    const router = h.open(Router);
    const dealer = h.open(Dealer, { routingId: "alice" });
    dealer.connect(await h.bound(router, transport));
    await dealer.send(["hi", "there"]);
    expect(text(await router.receive())).toEqual(["alice", "hi", "there"]);
    await router.send(["alice", "yo"]);
    expect(text(await dealer.receive())).toEqual(["yo"]);
  });

  // RFC 28 ROUTER: "SHALL identify each double queue using a unique identity binary string".
  it("gives peers without a routingId distinct 5-byte auto ids starting with 0x00, and routes by them", async () => {
    const router = h.open(Router);
    const d1 = h.open(Dealer);
    const d2 = h.open(Dealer);
    const ep = await h.bound(router, transport);
    d1.connect(ep);
    d2.connect(ep);
    await d1.send("one");
    await d2.send("two");
    const ids = new Map<string, Buffer>();
    for (let i = 0; i < 2; i++) {
      const [id, body] = await router.receive();
      expectAutoId(id!);
      ids.set(body!.toString(), id!);
    }
    expect(ids.get("one")!.equals(ids.get("two")!)).toBe(false);
    await router.send([ids.get("two")!, "for two"]);
    await router.send([ids.get("one")!, "for one"]);
    expect(text(await d1.receive())).toEqual(["for one"]);
    expect(text(await d2.receive())).toEqual(["for two"]);
  });

  // RFC 28 ROUTER: "SHALL either silently drop the message, or return an error, depending on
  // configuration, if the queue does not exist".
  it("drops messages to unknown ids silently unless mandatory, then fails them with EHOSTUNREACH", async () => {
    const router = h.open(Router);
    const dealer = h.open(Dealer, { routingId: "known" });
    dealer.connect(await h.bound(router, transport));
    await joined(router);
    await expect(router.send(["nobody", "x"])).resolves.toBeUndefined();
    await expectNothing(dealer, 50);
    router.mandatory = true;
    await expect(router.send(["nobody", "x"])).rejects.toMatchObject({ code: "EHOSTUNREACH" });
    await router.send(["known", "y"]);
    expect(text(await dealer.receive())).toEqual(["y"]);
  });

  // RFC 28 ROUTER: "SHALL remove the first frame from each outgoing message and use this as the
  // identity": with nothing after it there is no message to route.
  it("silently discards a message that is only a routing id", async () => {
    const router = h.open(Router, { mandatory: true });
    const dealer = h.open(Dealer, { routingId: "d" });
    dealer.connect(await h.bound(router, transport));
    await joined(router);
    await expect(router.send(["d"])).resolves.toBeUndefined();
    await expectNothing(dealer, 50);
    await router.send(["d", "real"]);
    expect(text(await dealer.receive())).toEqual(["real"]);
  });

  // libzmq's ROUTER_HANDOVER: a newcomer with a taken id takes it over.
  it("with handover moves an id to the newcomer", async () => {
    const router = h.open(Router, { handover: true });
    const old = h.open(Dealer, { routingId: "dup" });
    const newcomer = h.open(Dealer, { routingId: "dup" });
    const ep = await h.bound(router, transport);
    old.connect(ep);
    await old.send("from old");
    expect(text(await router.receive())).toEqual(["dup", "from old"]);
    newcomer.connect(ep);
    await newcomer.send("from new");
    expect(text(await router.receive())).toEqual(["dup", "from new"]);
    await router.send(["dup", "reply"]);
    expect(text(await newcomer.receive())).toEqual(["reply"]);
    await expectNothing(old, 50);
  });

  // RFC 28 ROUTER: identities are unique, so without handover the newcomer is refused (libzmq).
  it("without handover keeps a duplicate id on the first peer and ignores the newcomer's messages", async () => {
    const router = h.open(Router);
    const first = h.open(Dealer, { routingId: "dup" });
    const newcomer = h.open(Dealer, { routingId: "dup" });
    const ep = await h.bound(router, transport);
    first.connect(ep);
    await first.send("from first");
    expect(text(await router.receive())).toEqual(["dup", "from first"]);
    const handshaken = nextHandshake(router, transport);
    newcomer.connect(ep);
    await handshaken;
    await newcomer.send("from newcomer");
    await expectNothing(router, 150);
    await router.send(["dup", "reply"]);
    expect(text(await first.receive())).toEqual(["reply"]);
    await expectNothing(newcomer, 50);
  });

  // libzmq's ZMQ_CONNECT_ROUTING_ID: the connecting ROUTER names the peer itself.
  it("connect(addr, { routingId }) gives that peer the id, sendable before the handshake", async () => {
    const dealer = h.open(Dealer, { routingId: "announced" });
    const router = h.open(Router);
    router.connect(await h.bound(dealer, transport), { routingId: "peer1" });
    await router.send(["peer1", "hello"]);
    expect(text(await dealer.receive())).toEqual(["hello"]);
    await dealer.send("back");
    expect(text(await router.receive())).toEqual(["peer1", "back"]);
  });

  // libzmq's ZMQ_PROBE_ROUTER: a connecting DEALER announces itself with an empty message.
  it('receives [id, ""] when a DEALER with probeRouter connects, under its routingId or an auto id', async () => {
    const router = h.open(Router);
    const ep = await h.bound(router, transport);
    const named = h.open(Dealer, { probeRouter: true, routingId: "prober" });
    named.connect(ep);
    expect(text(await router.receive())).toEqual(["prober", ""]);
    const anonymous = h.open(Dealer, { probeRouter: true });
    anonymous.connect(ep);
    const [id, empty, ...rest] = await router.receive();
    expectAutoId(id!);
    expect(empty!.length).toBe(0);
    expect(rest).toEqual([]);
  });
});
