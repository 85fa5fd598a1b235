/**
 * The events a socket reports: each one on its own, then the whole sequence, in order and with its
 * `address`, for the common scenarios (docs/protocol.md §12), and the `statistics` counters. For the
 * sequences the point is the order and that nothing extra appears. Where the sequence is
 * libzmq's choice, a libzmq socket in the same scenario is the reference.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as libzmq from "zeromq";
import { Dealer, Pull, Router, type Event, type EventType, type Socket } from "../../../src/index.js";
import { RawPeer, RawServer, frame, greeting, ready } from "../../helpers/raw-peer.js";
import { WIRE_TRANSPORTS, bindAgain, freePort, inproc, nextEvent, text, useHarness } from "../../helpers/sockets.js";
import { sleep, until, within } from "../../helpers/time.js";

const h = useHarness();
const RECONNECT_MS = 50;

const ALL_TYPES: EventType[] = [
  "accept",
  "accept:error",
  "bind",
  "bind:error",
  "connect",
  "connect:delay",
  "connect:retry",
  "close",
  "close:error",
  "disconnect",
  "end",
  "handshake",
  "handshake:error:protocol",
  "handshake:error:auth",
  "handshake:error:other",
];

/** Every event the socket emits from now on, in order. */
function recordAll(socket: Socket): Event[] {
  const seen: Event[] = [];
  for (const type of ALL_TYPES) socket.events.on(type, (event) => seen.push(event));
  return seen;
}

const typesOf = (events: readonly { type: string }[]): string[] => events.map((e) => e.type);

const servers: RawServer[] = [];
const theirs: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
  for (const sock of theirs.splice(0)) sock.close();
});

/** A raw server that answers every connection with `bytes` and then waits. */
async function serverSending(bytes: Buffer): Promise<RawServer> {
  const server = await RawServer.listen((peer) => peer.send(bytes));
  servers.push(server);
  return server;
}

describe("single events", () => {
  it("emits bind with the real tcp endpoint; inproc reports no events (libzmq's monitor has none for it)", async () => {
    const router = h.open(Router);
    const types: string[] = [];
    router.events.on("bind", (event) => types.push(event.address));
    await router.bind(inproc("ev"));
    const tcpBind = nextEvent(router, "bind");
    await router.bind("tcp://127.0.0.1:*");
    const event = await tcpBind;
    expect(event.address).toBe(router.lastEndpoint);
    expect(event.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(event.address).not.toMatch(/:0$/);
    expect(types).toEqual([router.lastEndpoint]);
  });

  it.each(WIRE_TRANSPORTS)(
    "emits connect, handshake and disconnect over %s with the connected address",
    async (transport) => {
      const router = h.open(Router);
      const dealer = h.open(Dealer);
      const ep = await h.bound(router, transport);
      const connected = nextEvent(dealer, "connect");
      const handshaken = nextEvent(dealer, "handshake");
      const accepted = nextEvent(router, "accept");
      const peerHandshaken = nextEvent(router, "handshake");
      dealer.connect(ep);
      expect((await connected).address).toBe(ep);
      expect((await handshaken).address).toBe(ep);
      expect((await accepted).address).toBe(ep);
      expect((await peerHandshaken).address).toBe(ep);
      const disconnected = nextEvent(dealer, "disconnect");
      router.close();
      expect((await disconnected).address).toBe(ep);
    },
  );

  it("emits close (for the listener socket, no address) then bind:error with the address without its scheme", async () => {
    const a = h.open(Pull);
    const b = h.open(Pull);
    await a.bind("tcp://127.0.0.1:*");
    const events: Array<{ type: string; address?: string }> = [];
    const done = (async () => {
      for await (const event of b.events) {
        events.push({ type: event.type, address: "address" in event ? event.address : undefined });
        if (event.type === "bind:error") return;
      }
    })();
    await expect(b.bind(a.lastEndpoint!)).rejects.toMatchObject({ code: "EADDRINUSE" });
    await done;
    expect(events).toEqual([
      { type: "close" },
      { type: "bind:error", address: a.lastEndpoint!.slice("tcp://".length) },
    ]);
  });

  it("emits end and ends the events iterator when the socket is closed", async () => {
    const dealer = h.open(Dealer);
    const types: string[] = [];
    const loop = (async () => {
      for await (const event of dealer.events) types.push(event.type);
      return "ended";
    })();
    await dealer.bind("tcp://127.0.0.1:*");
    dealer.close();
    await expect(within(loop, 1000, "the events iteration")).resolves.toBe("ended");
    expect(types).toEqual(["bind", "close", "end"]);
  });

  it("events can also be read with events.receive() in order", async () => {
    const router = h.open(Router);
    const events = router.events;
    await router.bind("tcp://127.0.0.1:*");
    expect(await events.receive()).toMatchObject({ type: "bind", address: router.lastEndpoint });
  });
});

describe("event sequences", () => {
  it("a bound ROUTER reports bind (real endpoint), then accept and handshake for a peer, then disconnect when it leaves", async () => {
    const router = h.open(Router);
    const seen = recordAll(router);
    await router.bind("tcp://127.0.0.1:*");
    const ep = router.lastEndpoint!;
    const dealer = h.open(Dealer);
    dealer.connect(ep);
    await until(() => typesOf(seen).includes("handshake"), 2000, "handshake on the ROUTER");
    dealer.close();
    await until(() => typesOf(seen).includes("disconnect"), 2000, "disconnect on the ROUTER");
    await sleep(50); // on purpose: nothing may follow the disconnect
    expect(seen).toEqual([
      { type: "bind", address: ep },
      { type: "accept", address: ep },
      { type: "handshake", address: ep },
      { type: "disconnect", address: ep },
    ]);
  });

  it("connecting to a closed port repeats connect:delay, close, connect:retry (with the interval), never connect", async () => {
    const ep = `tcp://127.0.0.1:${await freePort()}`;
    const dealer = h.open(Dealer, { reconnectInterval: RECONNECT_MS });
    const seen = recordAll(dealer);
    dealer.connect(ep);
    await until(() => seen.length >= 9, 3000, "three failed attempts");
    const attempts = seen.slice(0, 9);
    expect(typesOf(attempts)).toEqual([
      "connect:delay",
      "close",
      "connect:retry",
      "connect:delay",
      "close",
      "connect:retry",
      "connect:delay",
      "close",
      "connect:retry",
    ]);
    for (const event of attempts) expect(event).toMatchObject({ address: ep });
    for (const event of attempts.filter((e) => e.type === "connect:retry")) {
      const { interval } = event as Extract<Event, { type: "connect:retry" }>;
      // libzmq without reconnectMaxInterval: IVL + rand() % IVL (docs/protocol.md §11.1).
      expect(interval).toBeGreaterThanOrEqual(RECONNECT_MS);
      expect(interval).toBeLessThan(2 * RECONNECT_MS);
    }
    expect(typesOf(seen)).not.toContain("connect");
  });

  it("a successful connect reports exactly connect:delay, connect, handshake", async () => {
    const router = h.open(Router);
    await router.bind("tcp://127.0.0.1:*");
    const ep = router.lastEndpoint!;
    const dealer = h.open(Dealer);
    const seen = recordAll(dealer);
    dealer.connect(ep);
    await until(() => typesOf(seen).includes("handshake"), 2000, "handshake");
    await dealer.send("hi");
    await router.receive();
    expect(seen).toEqual([
      { type: "connect:delay", address: ep },
      { type: "connect", address: ep },
      { type: "handshake", address: ep },
    ]);
  });

  it("when the bound peer goes away: disconnect, connect:retry, failed attempts, and connect + handshake once it is back", async () => {
    const first = h.open(Router);
    await first.bind("tcp://127.0.0.1:*");
    const ep = first.lastEndpoint!;
    const dealer = h.open(Dealer, { reconnectInterval: RECONNECT_MS, routingId: "d" });
    dealer.connect(ep);
    await nextEvent(dealer, "handshake");
    const seen = recordAll(dealer);

    first.close();
    // At least one attempt fails while nobody listens.
    await until(() => typesOf(seen).includes("close"), 3000, "a failed attempt while the peer is down");
    const second = h.open(Router);
    await bindAgain(second, ep);
    await until(() => typesOf(seen).includes("handshake"), 3000, "handshake with the new ROUTER");
    await dealer.send("back");
    expect(text(await second.receive())).toEqual(["d", "back"]);

    for (const event of seen) expect(event).toMatchObject({ address: ep });
    const retry = seen[1] as Extract<Event, { type: "connect:retry" }>;
    expect(retry.interval).toBeGreaterThanOrEqual(RECONNECT_MS);
    // Shorthand: D = disconnect, R = connect:retry, d = connect:delay, x = close, c = connect, h = handshake.
    const code: Record<string, string> = {
      disconnect: "D",
      "connect:retry": "R",
      "connect:delay": "d",
      close: "x",
      connect: "c",
      handshake: "h",
    };
    const word = typesOf(seen)
      .map((t) => code[t] ?? `?${t}?`)
      .join("");
    expect(word).toMatch(/^DR(dxR)+dch$/);
  });

  it("closing a connected socket ends its events with end, and the async iteration finishes", async () => {
    const router = h.open(Router);
    await router.bind("tcp://127.0.0.1:*");
    const ep = router.lastEndpoint!;
    const dealer = h.open(Dealer, { linger: 0 });
    const events = dealer.events;
    const iterated: Event[] = [];
    const loop = (async () => {
      for await (const event of events) iterated.push(event);
      return "finished";
    })();
    dealer.connect(ep);
    await until(() => typesOf(iterated).includes("handshake"), 2000, "handshake seen by the iterator");
    dealer.close();
    await expect(within(loop, 2000, "the events iteration")).resolves.toBe("finished");
    expect(typesOf(iterated).slice(0, 3)).toEqual(["connect:delay", "connect", "handshake"]);
    expect(iterated[iterated.length - 1]).toEqual({ type: "end" });
    expect(events.closed).toBe(true);
    // zeromq.js: a closed observer refuses at once (a synchronous throw, not a rejection).
    expect(() => events.receive()).toThrow(expect.objectContaining({ code: "EBADF", message: "Socket is closed" }));
  });
});

/**
 * What closing a socket reports in zeromq.js: a connecting socket goes straight to end (libzmq
 * tears its own engines down without DISCONNECTED); a bound one reports close for its listener.
 */
describe("event sequences on close, against zeromq.js", () => {
  async function iterateAll(events: AsyncIterable<{ type: string; address?: string }>) {
    const seen: Array<{ type: string; address?: string }> = [];
    const done = (async () => {
      try {
        for await (const event of events)
          seen.push({ type: event.type, ...(event.address ? { address: event.address } : {}) });
      } catch {
        // observer closed
      }
      return "finished";
    })();
    return { seen, done };
  }

  async function connectedThenClosed(kind: "ours" | "libzmq"): Promise<Array<{ type: string; address?: string }>> {
    const router = h.open(Router);
    await router.bind("tcp://127.0.0.1:*");
    const ep = router.lastEndpoint!;
    const dealer = kind === "ours" ? h.open(Dealer, { linger: 0 }) : new libzmq.Dealer({ linger: 0 });
    if (kind === "libzmq") theirs.push(dealer);
    const { seen, done } = await iterateAll(dealer.events);
    dealer.connect(ep);
    await until(() => typesOf(seen).includes("handshake"), 2000, "handshake");
    dealer.close();
    await expect(within(done, 2000, "the events iteration")).resolves.toBe("finished");
    return seen.map((e) => (e.address === ep ? { ...e, address: "EP" } : e));
  }

  /** A bound ROUTER with one peer, then `close()` (events until end) or `unbind()` (until the peer is cut). */
  async function boundThenClosed(kind: "ours" | "libzmq", how: "close" | "unbind" = "close") {
    const router = kind === "ours" ? h.open(Router, { linger: 0 }) : new libzmq.Router({ linger: 0 });
    if (kind === "libzmq") theirs.push(router);
    const { seen, done } = await iterateAll(router.events);
    await router.bind("tcp://127.0.0.1:*");
    const ep = router.lastEndpoint!;
    const dealer = h.open(Dealer, { linger: 0 });
    dealer.connect(ep);
    await until(() => typesOf(seen).includes("handshake"), 2000, "handshake");
    // (unbind is only used on ours: libzmq 4.3 leaves the accepted connection open for a while.)
    if (how === "close") {
      router.close();
      await expect(within(done, 2000, "the events iteration")).resolves.toBe("finished");
    } else {
      const gone = nextEvent(dealer, "disconnect");
      await router.unbind(ep);
      await gone;
      await sleep(100); // on purpose: events that would follow the unbind (none may carry the wildcard)
    }
    return seen.map((e) => (e.address === ep ? { ...e, address: "EP" } : e));
  }

  const CONNECTED_THEN_CLOSED = [
    { type: "connect:delay", address: "EP" },
    { type: "connect", address: "EP" },
    { type: "handshake", address: "EP" },
    { type: "end" },
  ];
  const BOUND_THEN_CLOSED = [
    { type: "bind", address: "EP" },
    { type: "accept", address: "EP" },
    { type: "handshake", address: "EP" },
    { type: "close", address: "EP" },
    { type: "end" },
  ];

  it("reference: closing a connected libzmq DEALER reports end right after handshake (no disconnect)", async () => {
    expect(await connectedThenClosed("libzmq")).toEqual(CONNECTED_THEN_CLOSED);
  });

  it("our connected DEALER reports the same on close (no disconnect for its own close)", async () => {
    expect(await connectedThenClosed("ours")).toEqual(CONNECTED_THEN_CLOSED);
  });

  it("reference: closing a bound libzmq ROUTER reports close for its listener, then end", async () => {
    expect(await boundThenClosed("libzmq")).toEqual(BOUND_THEN_CLOSED);
  });

  it("our bound ROUTER reports the same on close (close for the listener, no disconnect)", async () => {
    expect(await boundThenClosed("ours")).toEqual(BOUND_THEN_CLOSED);
  });

  // The acceptor keeps the endpoint it listened on after the listener is gone (Acceptor.endpoint
  // in src/sockets/session/acceptor.ts), so the connections it accepted never report the
  // wildcard address given to bind(), "tcp://127.0.0.1:*".
  it("events after unbind carry the bound endpoint, never the wildcard address given to bind()", async () => {
    const events = await boundThenClosed("ours", "unbind");
    for (const event of events) if ("address" in event) expect(event.address).toBe("EP");
  });
});

describe("a peer that breaks the protocol", () => {
  // A data frame where READY belongs: NULL's handshake only takes READY or ERROR (RFC 23 §2.5.2).
  const badHandshake = Buffer.concat([greeting({ libzmqPadding: true }), frame(Buffer.from("not a command"))]);

  it("reference: libzmq reports connect:delay, connect, handshake:error:protocol (ERR_ZMTP_UNEXPECTED_COMMAND), disconnect and does not redial", async () => {
    const server = await serverSending(badHandshake);
    const dealer = new libzmq.Dealer({ linger: 0, reconnectInterval: RECONNECT_MS });
    theirs.push(dealer);
    const seen: Array<{ type: string; address?: string; error?: { code?: string } }> = [];
    const events = dealer.events;
    void (async () => {
      try {
        for await (const event of events) seen.push(event as (typeof seen)[number]);
      } catch {
        // the observer closes with the socket
      }
    })();
    dealer.connect(server.endpoint);
    await until(() => typesOf(seen).includes("disconnect"), 3000, "libzmq's disconnect");
    await sleep(300); // on purpose: six reconnect intervals in which no redial (and no event) may come
    expect(typesOf(seen)).toEqual(["connect:delay", "connect", "handshake:error:protocol", "disconnect"]);
    expect(seen[2]!.error?.code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
    expect(server.peers.length).toBe(1);
  });

  it("our connecting DEALER reports the same sequence, with error.code, counts a protocol error and does not redial", async () => {
    const server = await serverSending(badHandshake);
    const dealer = h.open(Dealer, { reconnectInterval: RECONNECT_MS });
    const seen = recordAll(dealer);
    dealer.connect(server.endpoint);
    await until(() => typesOf(seen).includes("disconnect"), 3000, "disconnect");
    await sleep(300); // on purpose: six reconnect intervals in which no redial (and no event) may come
    expect(typesOf(seen)).toEqual(["connect:delay", "connect", "handshake:error:protocol", "disconnect"]);
    for (const event of seen) expect(event).toMatchObject({ address: server.endpoint });
    const failed = seen[2] as Extract<Event, { type: "handshake:error:protocol" }>;
    expect(failed.error).toBeInstanceOf(Error);
    expect((failed.error as Error & { code?: string }).code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
    expect(dealer.statistics.protocolErrors).toBe(1);
    expect(server.peers.length).toBe(1);
  });

  it("our bound ROUTER reports accept, handshake:error:protocol, disconnect for it, counts it, and keeps serving", async () => {
    const router = h.open(Router);
    await router.bind("tcp://127.0.0.1:*");
    const ep = router.lastEndpoint!;
    const seen = recordAll(router);
    const bad = await RawPeer.connect(Number(ep.slice(ep.lastIndexOf(":") + 1)));
    try {
      bad.send(badHandshake);
      await until(() => typesOf(seen).includes("disconnect"), 2000, "disconnect of the bad peer");
      await bad.waitClose();
    } finally {
      bad.destroy();
    }
    expect(typesOf(seen)).toEqual(["accept", "handshake:error:protocol", "disconnect"]);
    for (const event of seen) expect(event).toMatchObject({ address: ep });
    expect((seen[1] as { error: { code?: string } }).error.code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
    expect(router.statistics.protocolErrors).toBe(1);
    expect(router.statistics.peers).toBe(0);

    const dealer = h.open(Dealer, { routingId: "good" });
    dealer.connect(ep);
    await dealer.send("still here");
    expect(text(await router.receive())).toEqual(["good", "still here"]);
    expect(router.statistics.protocolErrors).toBe(1);
  });

  // An incompatible Socket-Type is refused without a protocol event (libzmq's parse_metadata
  // sets EINVAL and only the engine's DISCONNECTED follows; docs/protocol.md §12.3: a peer of an
  // incompatible type shows `disconnect` only).
  const wrongType = Buffer.concat([greeting({ libzmqPadding: true }), ready("PUB")]);

  it("reference: libzmq reports only connect:delay, connect, disconnect for a peer of an incompatible type", async () => {
    const server = await serverSending(wrongType);
    const dealer = new libzmq.Dealer({ linger: 0, reconnectInterval: RECONNECT_MS });
    theirs.push(dealer);
    const seen: Array<{ type: string }> = [];
    const events = dealer.events;
    void (async () => {
      try {
        for await (const event of events) seen.push(event);
      } catch {
        // the observer closes with the socket
      }
    })();
    dealer.connect(server.endpoint);
    await until(() => typesOf(seen).includes("disconnect"), 3000, "libzmq's disconnect");
    await sleep(300); // on purpose: six reconnect intervals in which no redial (and no event) may come
    expect(typesOf(seen)).toEqual(["connect:delay", "connect", "disconnect"]);
  });

  it("our DEALER reports the same for a peer of an incompatible type (no handshake:error:protocol)", async () => {
    const server = await serverSending(wrongType);
    const dealer = h.open(Dealer, { reconnectInterval: RECONNECT_MS });
    const seen = recordAll(dealer);
    dealer.connect(server.endpoint);
    await until(() => typesOf(seen).includes("disconnect"), 3000, "disconnect");
    await sleep(300); // on purpose: six reconnect intervals in which no redial (and no event) may come
    expect(typesOf(seen)).toEqual(["connect:delay", "connect", "disconnect"]);
  });
});

describe("statistics", () => {
  it("counts messages and bytes both ways over tcp, and peers as they come and go", async () => {
    const router = h.open(Router);
    await router.bind("tcp://127.0.0.1:*");
    const dealer = h.open(Dealer, { routingId: "d" });
    expect(router.statistics).toMatchObject({ messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, peers: 0 });
    dealer.connect(router.lastEndpoint!);
    const body = Buffer.alloc(1000, 7);
    for (let i = 0; i < 5; i++) await dealer.send([body, "x"]);
    for (let i = 0; i < 5; i++) await router.receive();
    for (let i = 0; i < 3; i++) await router.send(["d", body]);
    for (let i = 0; i < 3; i++) await dealer.receive();

    const r = router.statistics;
    const d = dealer.statistics;
    expect(r.messagesIn).toBe(5);
    expect(r.messagesOut).toBe(3);
    expect(d.messagesOut).toBe(5);
    expect(d.messagesIn).toBe(3);
    // Payload at least; framing and the handshake may be counted on top.
    expect(r.bytesIn).toBeGreaterThanOrEqual(5 * 1001);
    expect(d.bytesOut).toBeGreaterThanOrEqual(5 * 1001);
    expect(r.bytesOut).toBeGreaterThanOrEqual(3 * 1000);
    expect(d.bytesIn).toBeGreaterThanOrEqual(3 * 1000);
    expect(r.bytesIn).toBeLessThan(5 * 1001 + 1000);
    expect(r.peers).toBe(1);
    expect(d.peers).toBe(1);
    expect(r.protocolErrors).toBe(0);
    expect(r.droppedAtHighWaterMark).toBe(0);

    const gone = nextEvent(router, "disconnect");
    dealer.close();
    await gone;
    expect(router.statistics.peers).toBe(0);
  });

  it("bytesOut on one side equals bytesIn on the other once the link is idle (both count the same bytes)", async () => {
    const router = h.open(Router);
    await router.bind("tcp://127.0.0.1:*");
    const dealer = h.open(Dealer, { routingId: "d" });
    dealer.connect(router.lastEndpoint!);
    for (let i = 0; i < 5; i++) await dealer.send(["hello", Buffer.alloc(300)]);
    for (let i = 0; i < 5; i++) await router.receive();
    await router.send(["d", "reply"]);
    await dealer.receive();
    // Heartbeat-free, the link is idle once every byte sent has been counted in on the other side.
    const idle = (): boolean =>
      router.statistics.bytesIn === dealer.statistics.bytesOut &&
      dealer.statistics.bytesIn === router.statistics.bytesOut;
    await until(idle, undefined, "both sides counting the same bytes");
    expect(router.statistics.bytesIn).toBe(dealer.statistics.bytesOut);
    expect(dealer.statistics.bytesIn).toBe(router.statistics.bytesOut);
  });

  it("a ROUTER without mandatory counts what it drops for a full peer (inproc: SNDHWM + peer RCVHWM fit)", async () => {
    const router = h.open(Router, { sendHighWaterMark: 1 });
    const ep = inproc("drops");
    await router.bind(ep);
    const dealer = h.open(Dealer, { routingId: "slow", receiveHighWaterMark: 1 });
    dealer.connect(ep);
    await dealer.send("hello");
    await router.receive();
    for (let i = 0; i < 10; i++) await router.send(["slow", `m${i}`]);
    expect(router.statistics.droppedAtHighWaterMark).toBe(8);
    expect(text(await dealer.receive())).toEqual(["m0"]);
    expect(text(await dealer.receive())).toEqual(["m1"]);
    dealer.receiveTimeout = 100;
    await expect(dealer.receive()).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("over tcp, what a ROUTER counts as dropped is exactly what a non-reading peer never gets", async () => {
    const router = h.open(Router, { sendHighWaterMark: 2 });
    await router.bind("tcp://127.0.0.1:*");
    const dealer = h.open(Dealer, { routingId: "slow", receiveHighWaterMark: 2 });
    dealer.connect(router.lastEndpoint!);
    await dealer.send("hello");
    await router.receive();
    const big = Buffer.alloc(256 * 1024, 1);
    const sent = 120;
    for (let i = 0; i < sent; i++) {
      await router.send(["slow", String(i), big]);
      if (i % 10 === 9) await sleep(5); // paced on purpose: the engine moves what it can into the kernel
    }
    const dropped = router.statistics.droppedAtHighWaterMark;
    expect(dropped).toBeGreaterThan(0);
    const got: number[] = [];
    dealer.receiveTimeout = 500;
    for (;;) {
      try {
        got.push(Number((await dealer.receive())[0]!.toString()));
      } catch (err) {
        if ((err as { code?: string }).code === "EAGAIN") break;
        throw err;
      }
    }
    expect(got.length).toBe(sent - dropped);
    for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!);
    expect(got[0]).toBe(0);
  });
});
