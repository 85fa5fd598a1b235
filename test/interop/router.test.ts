/**
 * ROUTER specifics against libzmq (docs/protocol.md §5.4): routing ids in both directions, auto
 * ids, ROUTER_MANDATORY, ROUTER_HANDOVER and PROBE_ROUTER.
 */
import { describe, expect, it } from "vitest";
import {
  OURS,
  THEIRS,
  TRANSPORTS,
  bindFresh,
  closeNow,
  errorCode,
  expectNothingWithin,
  open,
  receiveWithin,
  sendWithin,
  sideName,
  nextEvent,
  text,
  useCleanup,
  type Implementation,
  type Sock,
  type Transport,
} from "./helpers.js";

useCleanup();

function otherSide(side: Implementation): Implementation {
  return side === OURS ? THEIRS : OURS;
}

function expectAutoId(id: Buffer): void {
  expect(id.length, `auto routing id ${id.toString("hex")} length`).toBe(5);
  expect(id[0], `auto routing id ${id.toString("hex")} first byte`).toBe(0);
}

describe("routing ids seen by a ROUTER", () => {
  for (const routerSide of [OURS, THEIRS]) {
    const dealerSide = otherSide(routerSide);
    for (const t of TRANSPORTS) {
      for (const routerBinds of [true, false]) {
        const routerName = sideName(routerSide, "Router", routerBinds ? "bind" : "connect", t);
        const dealerName = sideName(dealerSide, "Dealer", routerBinds ? "connect" : "bind");
        const connectPair = async (router: Sock, dealer: Sock): Promise<void> => {
          if (routerBinds) dealer.connect(await bindFresh(router, t));
          else router.connect(await bindFresh(dealer, t));
        };

        it(`${routerName} <- ${dealerName} with routingId "peer-7": the ROUTER sees exactly that id and replies to it`, async () => {
          const router = open(routerSide, "Router");
          const dealer = open(dealerSide, "Dealer", { routingId: "peer-7" });
          await connectPair(router, dealer);
          await sendWithin(dealer, "hi");
          expect(text(await receiveWithin(router))).toEqual(["peer-7", "hi"]);
          await sendWithin(router, ["peer-7", "back"]);
          expect(text(await receiveWithin(dealer))).toEqual(["back"]);
        });

        it(`${routerName} <- ${dealerName} without routingId: the ROUTER sees a 5-byte auto id starting 0x00 and replies to it`, async () => {
          const router = open(routerSide, "Router");
          const dealer = open(dealerSide, "Dealer");
          await connectPair(router, dealer);
          await sendWithin(dealer, "hi");
          const [id, body] = await receiveWithin(router);
          expectAutoId(id!);
          expect(body!.toString()).toBe("hi");
          await sendWithin(router, [id!, "back"]);
          expect(text(await receiveWithin(dealer))).toEqual(["back"]);
        });
      }
    }
  }

  it(`${sideName(OURS, "Router", "bind", "tcp")} <- two libzmq DEALERs without routingId: distinct auto ids, each reply reaches its own DEALER`, async () => {
    const router = open(OURS, "Router");
    const endpoint = await bindFresh(router, "tcp");
    const d1 = open(THEIRS, "Dealer");
    const d2 = open(THEIRS, "Dealer");
    d1.connect(endpoint);
    d2.connect(endpoint);
    await sendWithin(d1, "from-1");
    await sendWithin(d2, "from-2");
    const ids = new Map<string, Buffer>();
    for (let i = 0; i < 2; i++) {
      const [id, body] = await receiveWithin(router);
      expectAutoId(id!);
      ids.set(body!.toString(), id!);
    }
    expect(ids.get("from-1")!.equals(ids.get("from-2")!), "the two auto ids differ").toBe(false);
    await sendWithin(router, [ids.get("from-2")!, "to-2"]);
    await sendWithin(router, [ids.get("from-1")!, "to-1"]);
    expect(text(await receiveWithin(d1))).toEqual(["to-1"]);
    expect(text(await receiveWithin(d2))).toEqual(["to-2"]);
  });

  it(`${sideName(OURS, "Request", "connect", "tcp")} without routingId -> ${sideName(THEIRS, "Router", "bind")}: libzmq sees a 5-byte auto id starting 0x00`, async () => {
    const router = open(THEIRS, "Router");
    const req = open(OURS, "Request");
    req.connect(await bindFresh(router, "tcp"));
    await sendWithin(req, "q");
    const got = await receiveWithin(router);
    expectAutoId(got[0]!);
    expect(text(got.slice(1))).toEqual(["", "q"]);
  });

  it(`${sideName(OURS, "Router", "connect", "tcp")} with connect routingId -> ${sideName(THEIRS, "Dealer", "bind")} that announces another id: the connect-time id wins and can be used before the handshake`, async () => {
    const dealer = open(THEIRS, "Dealer", { routingId: "announced" });
    const router = open(OURS, "Router");
    router.connect(await bindFresh(dealer, "tcp"), { routingId: "chosen" });
    await sendWithin(router, ["chosen", "early"]);
    expect(text(await receiveWithin(dealer))).toEqual(["early"]);
    await sendWithin(dealer, "reply");
    expect(text(await receiveWithin(router))).toEqual(["chosen", "reply"]);
  });
});

describe("ROUTER_MANDATORY (ours)", () => {
  for (const t of TRANSPORTS) {
    it(`${sideName(OURS, "Router", "bind", t)} mandatory with a libzmq DEALER connected: sending to an unknown id fails with EHOSTUNREACH, the known id still works`, async () => {
      const router = open(OURS, "Router", { mandatory: true });
      const dealer = open(THEIRS, "Dealer", { routingId: "known" });
      dealer.connect(await bindFresh(router, t));
      await sendWithin(dealer, "hello");
      expect(text(await receiveWithin(router))).toEqual(["known", "hello"]);

      let code: string | undefined;
      try {
        await sendWithin(router, ["unknown", "lost"]);
      } catch (err) {
        code = errorCode(err);
      }
      expect(code).toBe("EHOSTUNREACH");

      await sendWithin(router, ["known", "delivered"]);
      expect(text(await receiveWithin(dealer))).toEqual(["delivered"]);
    });
  }

  it(`${sideName(OURS, "Router", "bind", "tcp")} mandatory after its libzmq DEALER closed: sending to the departed id fails with EHOSTUNREACH`, async () => {
    // With no peer left a mandatory ROUTER is not writable: a send waits unless sendTimeout is 0.
    const router = open(OURS, "Router", { mandatory: true, sendTimeout: 0 });
    const dealer = open(THEIRS, "Dealer", { routingId: "gone" });
    dealer.connect(await bindFresh(router, "tcp"));
    await sendWithin(dealer, "hello");
    expect(text(await receiveWithin(router))).toEqual(["gone", "hello"]);
    // The id is released once our side has seen the connection close.
    const gone = nextEvent(router, "disconnect");
    closeNow(dealer);
    await gone;
    let code: string | undefined;
    try {
      await sendWithin(router, ["gone", "lost"]);
    } catch (err) {
      code = errorCode(err);
    }
    expect(code).toBe("EHOSTUNREACH");
  });

  it(`${sideName(OURS, "Router", "bind", "tcp")} without mandatory: a message to an unknown id is dropped silently and the next one to a known id arrives first`, async () => {
    const router = open(OURS, "Router");
    const dealer = open(THEIRS, "Dealer", { routingId: "known" });
    dealer.connect(await bindFresh(router, "tcp"));
    await sendWithin(dealer, "hello");
    expect(text(await receiveWithin(router))).toEqual(["known", "hello"]);
    await sendWithin(router, ["unknown", "dropped"]);
    await sendWithin(router, ["known", "delivered"]);
    expect(text(await receiveWithin(dealer))).toEqual(["delivered"]);
    await expectNothingWithin(dealer, 100, "nothing else was addressed to this DEALER");
  });
});

/**
 * Binds `router`, connects a libzmq DEALER with routing id "shared" and checks its first message,
 * then connects a second one with the same id, which sends "from-second".
 */
async function twoDealersSharingAnId(router: Sock, t: Transport): Promise<{ first: Sock; second: Sock }> {
  const endpoint = await bindFresh(router, t);
  const first = open(THEIRS, "Dealer", { routingId: "shared" });
  first.connect(endpoint);
  await sendWithin(first, "from-first");
  expect(text(await receiveWithin(router))).toEqual(["shared", "from-first"]);
  const second = open(THEIRS, "Dealer", { routingId: "shared" });
  second.connect(endpoint);
  await sendWithin(second, "from-second");
  return { first, second };
}

describe("ROUTER_HANDOVER (ours) with libzmq DEALERs sharing one routing id", () => {
  for (const t of TRANSPORTS) {
    it(`${sideName(OURS, "Router", "bind", t)} handover: a second libzmq DEALER with the same id takes it over and gets the replies`, async () => {
      const router = open(OURS, "Router", { handover: true });
      const { first, second } = await twoDealersSharingAnId(router, t);
      expect(text(await receiveWithin(router))).toEqual(["shared", "from-second"]);

      await sendWithin(router, ["shared", "reply"]);
      expect(text(await receiveWithin(second))).toEqual(["reply"]);
      await expectNothingWithin(first, 150, "the replaced DEALER must not get the reply");
    });

    it(`${sideName(OURS, "Router", "bind", t)} without handover: a second libzmq DEALER with a taken id is ignored and replies keep going to the first`, async () => {
      const router = open(OURS, "Router");
      const { first, second } = await twoDealersSharingAnId(router, t);
      await expectNothingWithin(router, 200, "the newcomer's message must not be delivered (id already taken)");

      await sendWithin(router, ["shared", "reply"]);
      expect(text(await receiveWithin(first))).toEqual(["reply"]);
      await expectNothingWithin(second, 100, "the newcomer must not get the reply");
    });
  }
});

describe("PROBE_ROUTER", () => {
  it(`${sideName(OURS, "Dealer", "connect", "tcp")} probeRouter -> ${sideName(THEIRS, "Router", "bind")}: the ROUTER first receives [id, ""]`, async () => {
    const router = open(THEIRS, "Router");
    const dealer = open(OURS, "Dealer", { probeRouter: true, routingId: "prober" });
    dealer.connect(await bindFresh(router, "tcp"));
    expect(text(await receiveWithin(router))).toEqual(["prober", ""]);
    await sendWithin(dealer, "after-probe");
    expect(text(await receiveWithin(router))).toEqual(["prober", "after-probe"]);
  });

  it(`${sideName(THEIRS, "Dealer", "connect", "tcp")} probeRouter -> ${sideName(OURS, "Router", "bind")}: our ROUTER first receives [id, ""]`, async () => {
    const router = open(OURS, "Router");
    const dealer = open(THEIRS, "Dealer", { probeRouter: true, routingId: "prober" });
    dealer.connect(await bindFresh(router, "tcp"));
    expect(text(await receiveWithin(router))).toEqual(["prober", ""]);
  });
});
