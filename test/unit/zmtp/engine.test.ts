/**
 * The engine on the wire: the library's public sockets against a raw ZMTP peer over TCP on
 * 127.0.0.1, so every byte we send is checked and every byte we accept is chosen by the test.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Dealer, Push, Router, type Event, type EventType } from "../../../src/index.js";
import { socketInternals } from "../../../src/internal.js";
import { encodeCommand } from "../../../src/zmtp/command.js";
import { encodeGreeting } from "../../../src/zmtp/greeting.js";
import {
  FLAG_COMMAND,
  FLAG_MORE,
  RawPeer,
  RawServer,
  command,
  frame,
  greeting,
  handshake,
  ping,
  ready,
  type ParsedFrame,
} from "../../helpers/raw-peer.js";
import { FakeClock } from "../../helpers/fake-clock.js";
import { sleep, until } from "../../helpers/time.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

interface Closable {
  close(): void;
}

function track<T extends Closable>(sock: T): T {
  cleanups.push(() => sock.close());
  return sock;
}

function dealer(options: ConstructorParameters<typeof Dealer>[0] = {}): Dealer {
  return track(new Dealer({ linger: 0, receiveTimeout: 2000, sendTimeout: 2000, ...options }));
}

async function rawServer(onConnection?: (peer: RawPeer) => void): Promise<RawServer> {
  const server = await RawServer.listen(onConnection);
  cleanups.push(() => server.close());
  return server;
}

async function rawClient(endpoint: string): Promise<RawPeer> {
  const peer = await RawPeer.connect(Number(endpoint.slice(endpoint.lastIndexOf(":") + 1)));
  cleanups.push(() => peer.destroy());
  return peer;
}

async function bindLocal(sock: {
  bind(a: string): Promise<void>;
  readonly lastEndpoint: string | null;
}): Promise<string> {
  await sock.bind("tcp://127.0.0.1:*");
  return sock.lastEndpoint!;
}

/** Every event of the listed types, in order. */
function record(sock: Dealer | Push | Router, types: EventType[]): Event[] {
  const seen: Event[] = [];
  for (const type of types) sock.events.on(type, (e) => seen.push(e));
  return seen;
}

async function waitEvent<E extends EventType>(
  sock: Dealer | Push | Router,
  type: E,
  timeoutMs = 2000,
): Promise<Extract<Event, { type: E }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" event within ${timeoutMs} ms`)), timeoutMs);
    const listener = (e: Extract<Event, { type: E }>): void => {
      clearTimeout(timer);
      sock.events.off(type, listener);
      resolve(e);
    };
    sock.events.on(type, listener);
  });
}

const text = (msg: Buffer[]): string[] => msg.map((b) => b.toString());
const isData =
  (body: string) =>
  (f: ParsedFrame): boolean =>
    !f.command && f.body.toString() === body;
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

/** Our exact READY for a DEALER without routing id (docs/protocol.md §3.1). */
const DEALER_READY = Buffer.concat([
  hex("04 29 05"),
  Buffer.from("READY"),
  hex("0b"),
  Buffer.from("Socket-Type"),
  hex("00 00 00 06"),
  Buffer.from("DEALER"),
  hex("08"),
  Buffer.from("Identity"),
  hex("00 00 00 00"),
]);

/** A raw server that completes a NULL handshake as `type` the moment it accepts. */
async function handshakingServer(type = "ROUTER"): Promise<RawServer> {
  return rawServer((peer) => peer.send(handshake(type)));
}

/** Our DEALER connected to a raw ROUTER, handshake done. */
async function connectedDealer(
  options: ConstructorParameters<typeof Dealer>[0] = {},
): Promise<{ sock: Dealer; peer: RawPeer; server: RawServer }> {
  const server = await handshakingServer();
  const sock = dealer(options);
  const shaken = waitEvent(sock, "handshake");
  sock.connect(server.endpoint);
  await shaken;
  return { sock, peer: await server.peer(), server };
}

/** Both directions carry a message over the connection. */
async function expectTraffic(sock: Dealer, peer: RawPeer, tag = "x"): Promise<void> {
  peer.send(frame(Buffer.from(`to-us-${tag}`)));
  expect(text(await sock.receive())).toEqual([`to-us-${tag}`]);
  await sock.send(`to-peer-${tag}`);
  await peer.waitFrame(isData(`to-peer-${tag}`));
}

describe("greeting", () => {
  it("our bound socket's greeting goes out in libzmq's stages: signature, major after the peer's signature, the rest after its major", async () => {
    const ours = encodeGreeting("NULL", false);
    const theirs = greeting({ libzmqPadding: true });
    const peer = await rawClient(await bindLocal(dealer()));
    await peer.waitBytes(10);
    await sleep(30); // on purpose: no more than the signature may come yet
    expect(peer.received).toEqual(ours.subarray(0, 10));
    peer.send(theirs.subarray(0, 10));
    await peer.waitBytes(11);
    await sleep(30); // on purpose: no more than the major version may come yet
    expect(peer.received).toEqual(ours.subarray(0, 11));
    peer.send(theirs.subarray(10, 11));
    await peer.waitBytes(64);
    expect(peer.received.subarray(0, 64)).toEqual(ours);
    // READY only follows the peer's complete greeting.
    await sleep(50); // on purpose: no READY may come yet
    expect(peer.received.length).toBe(64);
  });

  it("our connecting socket stages its greeting the same way: the major after the peer's signature, the rest after its major", async () => {
    const ours = encodeGreeting("NULL", false);
    const theirs = greeting({ libzmqPadding: true });
    const server = await rawServer(() => undefined);
    dealer().connect(server.endpoint);
    const peer = await server.peer();
    await peer.waitBytes(10);
    await sleep(30); // on purpose: no more than the signature may come yet
    expect(peer.received).toEqual(ours.subarray(0, 10));
    peer.send(theirs.subarray(0, 10));
    await peer.waitBytes(11);
    await sleep(30);
    expect(peer.received).toEqual(ours.subarray(0, 11));
    peer.send(theirs.subarray(10, 11));
    await peer.waitBytes(64);
    expect(peer.received.subarray(0, 64)).toEqual(ours);
  });

  it("our bound socket sends its signature to a peer that has sent nothing, and no more (libzmq does the same)", async () => {
    const endpoint = await bindLocal(dealer());
    const peer = await rawClient(endpoint);
    await peer.waitBytes(10);
    await sleep(30); // on purpose: no more than the signature may come
    expect(peer.received).toEqual(encodeGreeting("NULL", false).subarray(0, 10));
  });

  it("a peer whose greeting names another mechanism gets our whole greeting, so it can tell the mismatch, before we close", async () => {
    const endpoint = await bindLocal(dealer());
    const peer = await rawClient(endpoint);
    peer.send(greeting({ mechanism: "PLAIN" }));
    await peer.waitClose();
    expect(peer.received).toEqual(encodeGreeting("NULL", false));
  });

  it("a greeting arriving one byte per segment completes the handshake", async () => {
    const server = await rawServer(
      (peer) => void peer.sendSplit(handshake("ROUTER"), new Array<number>(64).fill(1), 2),
    );
    const sock = dealer();
    const shaken = waitEvent(sock, "handshake");
    sock.connect(server.endpoint);
    await shaken;
    await expectTraffic(sock, await server.peer());
  });

  it("libzmq's 10/1/53 split with its non-zero padding FF 00..01 7F completes the handshake", async () => {
    const bytes = Buffer.concat([
      greeting({ libzmqPadding: true }),
      frame(encodeCommand("READY", Buffer.from("\x0bSocket-Type\0\0\0\x06ROUTER", "latin1")), FLAG_COMMAND),
    ]);
    const server = await rawServer((peer) => void peer.sendSplit(bytes, [10, 1, 53]));
    const sock = dealer();
    const shaken = waitEvent(sock, "handshake");
    sock.connect(server.endpoint);
    await shaken;
    await expectTraffic(sock, await server.peer());
  });

  it.each([
    ["4.0 (handled as 3.1)", 4, 0],
    ["3.2 (handled as 3.1)", 3, 2],
    ["3.0", 3, 0],
  ])("a peer announcing ZMTP %s is accepted", async (_name, major, minor) => {
    const server = await rawServer((peer) =>
      peer.send(greeting({ major, minor }), command("READY", Buffer.from("\x0bSocket-Type\0\0\0\x06ROUTER", "latin1"))),
    );
    const sock = dealer();
    const shaken = waitEvent(sock, "handshake");
    sock.connect(server.endpoint);
    await shaken;
    const peer = await server.peer();
    await peer.waitBytes(64);
    // We always announce 3.1 whatever the peer said (docs/protocol.md §1.1).
    expect(peer.received.subarray(10, 12)).toEqual(hex("03 01"));
    await expectTraffic(sock, peer);
  });

  it("ignores the peer's as-server byte and filler (docs/protocol.md §1.1)", async () => {
    const bytes = greeting({ libzmqPadding: true });
    bytes[32] = 1;
    bytes.fill(0xee, 33);
    const server = await rawServer((peer) => peer.send(bytes, ready("ROUTER")));
    const sock = dealer();
    const shaken = waitEvent(sock, "handshake");
    sock.connect(server.endpoint);
    await shaken;
    await expectTraffic(sock, await server.peer());
  });
});

describe("READY", () => {
  it("a DEALER without routingId sends exactly 04 29 05 READY 0B Socket-Type 00 00 00 06 DEALER 08 Identity 00 00 00 00", async () => {
    const { peer } = await connectedDealer();
    await peer.waitBytes(64 + DEALER_READY.length);
    expect(peer.received.subarray(64, 64 + DEALER_READY.length).toString("hex")).toBe(DEALER_READY.toString("hex"));
  });

  it('a DEALER with routingId "abc" announces Identity "abc"', async () => {
    const { peer } = await connectedDealer({ routingId: "abc" });
    const readyFrame = await peer.waitFrame((f) => f.name === "READY");
    expect(readyFrame.body.toString("latin1")).toBe(
      "\x05READY\x0bSocket-Type\0\0\0\x06DEALER\x08Identity\0\0\0\x03abc",
    );
  });

  it("a PUSH announces its Socket-Type and no Identity", async () => {
    const server = await rawServer((peer) => peer.send(handshake("PULL")));
    const push = track(new Push({ linger: 0 }));
    push.connect(server.endpoint);
    const peer = await server.peer();
    await peer.waitBytes(64 + 28);
    expect(peer.received.subarray(64).toString("latin1")).toBe("\x04\x1a\x05READY\x0bSocket-Type\0\0\0\x04PUSH");
  });

  it("a ROUTER announces an empty Identity, as libzmq does (docs/protocol.md §3.2)", async () => {
    const endpoint = await bindLocal(track(new Router({ linger: 0 })));
    const peer = await rawClient(endpoint);
    peer.send(handshake("DEALER"));
    const readyFrame = await peer.waitFrame((f) => f.name === "READY");
    expect(readyFrame.body.toString("latin1")).toBe("\x05READY\x0bSocket-Type\0\0\0\x06ROUTER\x08Identity\0\0\0\0");
  });

  it("matches the peer's property names without regard to case (docs/protocol.md §3.3)", async () => {
    const server = await rawServer((peer) =>
      peer.send(
        greeting(),
        command("READY", Buffer.from("\x0bsocket-type\0\0\0\x06ROUTER\x08IDENTITY\0\0\0\0", "latin1")),
      ),
    );
    const sock = dealer();
    const shaken = waitEvent(sock, "handshake");
    sock.connect(server.endpoint);
    await shaken;
    await expectTraffic(sock, await server.peer());
  });

  it("accepts the accepting side's READY sent before ours arrived (docs/protocol.md §1.4)", async () => {
    // The raw server writes greeting + READY in one segment the moment it accepts.
    let heardBeforeReady = -1;
    const server = await rawServer((peer) => {
      heardBeforeReady = peer.received.length;
      peer.send(handshake("ROUTER"));
    });
    const sock = dealer();
    const shaken = waitEvent(sock, "handshake");
    sock.connect(server.endpoint);
    await shaken;
    expect(heardBeforeReady).toBe(0);
    await expectTraffic(sock, await server.peer());
  });
});

describe("frames", () => {
  it("a 255-byte body goes out as 00 FF, a 256-byte body in the long form 02 00 00 00 00 00 00 01 00 (docs/protocol.md §2.1)", async () => {
    const { sock, peer } = await connectedDealer();
    await sock.send(Buffer.alloc(255, 0xaa));
    await sock.send(Buffer.alloc(256, 0xbb));
    const start = 64 + DEALER_READY.length;
    await peer.waitBytes(start + 2 + 255 + 9 + 256);
    const out = peer.received.subarray(start);
    expect(out.subarray(0, 2)).toEqual(hex("00 ff"));
    expect(out.subarray(2, 257)).toEqual(Buffer.alloc(255, 0xaa));
    expect(out.subarray(257, 266)).toEqual(hex("02 00 00 00 00 00 00 01 00"));
    expect(out.subarray(266)).toEqual(Buffer.alloc(256, 0xbb));
  });

  it("a multipart message sets MORE on every frame but the last", async () => {
    const { sock, peer } = await connectedDealer();
    await sock.send(["a", "bb", "c"]);
    const start = 64 + DEALER_READY.length;
    await peer.waitBytes(start + 10);
    expect(peer.received.subarray(start)).toEqual(hex("01 01 61 01 02 62 62 00 01 63"));
  });

  it("accepts the long form for a small body and ignores reserved flag bits (docs/protocol.md §2.1)", async () => {
    const { sock, peer } = await connectedDealer();
    peer.send(hex("02 00 00 00 00 00 00 00 05"), Buffer.from("hello"), hex("80 02"), Buffer.from("hi"));
    expect(text(await sock.receive())).toEqual(["hello"]);
    expect(text(await sock.receive())).toEqual(["hi"]);
  });

  it("answers a PING (TTL and context) with a PONG echoing the context", async () => {
    const { peer } = await connectedDealer();
    peer.send(ping(10, Buffer.from("ctx-1234")));
    const pong = await peer.waitFrame((f) => f.name === "PONG");
    expect(pong.body).toEqual(encodeCommand("PONG", Buffer.from("ctx-1234")));
    expect(pong.more).toBe(false);
  });

  it("echoes at most 16 bytes of a 20-byte PING context (docs/protocol.md §6.1)", async () => {
    const { peer } = await connectedDealer();
    const context = Buffer.from("0123456789abcdefWXYZ");
    peer.send(command("PING", Buffer.concat([hex("00 00"), context])));
    const pong = await peer.waitFrame((f) => f.name === "PONG");
    expect(pong.body).toEqual(encodeCommand("PONG", context.subarray(0, 16)));
  });

  it("a PING between the frames of one multipart message leaves the message intact (docs/protocol.md §2.4)", async () => {
    const { sock, peer } = await connectedDealer();
    peer.send(frame(Buffer.from("part-1"), FLAG_MORE), ping(0, Buffer.from("mid")));
    await peer.waitFrame((f) => f.name === "PONG");
    peer.send(
      frame(Buffer.from("part-2"), FLAG_MORE),
      command("UNKNOWN"),
      frame(Buffer.from("part-3")),
      frame(Buffer.from("next")),
    );
    expect(text(await sock.receive())).toEqual(["part-1", "part-2", "part-3"]);
    expect(text(await sock.receive())).toEqual(["next"]);
  });

  it("after the handshake ignores a second READY, ERROR, unknown, malformed and empty commands (docs/protocol.md §2.3, §3.4)", async () => {
    const { sock, peer } = await connectedDealer();
    peer.send(
      ready("ROUTER"),
      command("ERROR", Buffer.from("\x03400")),
      command("X-UNKNOWN", Buffer.from("data")),
      frame(Buffer.from([0x20, 0x41]), FLAG_COMMAND), // name length 32 > body
      frame(Buffer.alloc(0), FLAG_COMMAND),
    );
    await expectTraffic(sock, peer);
    expect(peer.closed).toBe(false);
  });

  it("a stray MORE bit on a command neither swallows nor joins the next message (docs/protocol.md §2.3)", async () => {
    const { sock, peer } = await connectedDealer();
    peer.send(frame(Buffer.from("\x04PING\0\0ctx", "latin1"), FLAG_COMMAND | FLAG_MORE), frame(Buffer.from("alone")));
    expect(text(await sock.receive())).toEqual(["alone"]);
    await peer.waitFrame((f) => f.name === "PONG");
  });
});

/**
 * Heartbeats end to end, socket against a raw peer, with the socket's timers on a FakeClock: the
 * deadlines are checked to the millisecond (heartbeats.test.ts does the same on one engine).
 */
describe("heartbeats on a fake clock", () => {
  /** Our DEALER on a fake clock, connected to a raw ROUTER, handshake done. */
  async function clockedDealer(options: ConstructorParameters<typeof Dealer>[0] = {}) {
    const server = await handshakingServer();
    const sock = dealer(options);
    const clock = new FakeClock();
    socketInternals(sock).clock = clock;
    const shaken = waitEvent(sock, "handshake");
    sock.connect(server.endpoint);
    await shaken;
    return { sock, clock, server, peer: await server.peer() };
  }

  const connected = (sock: Dealer): number => sock.peers().filter((p) => p.connected).length;

  /** Sends a data frame from the peer and waits until our socket has taken it in. */
  async function trafficFrom(peer: RawPeer, sock: Dealer, body: string): Promise<void> {
    const before = sock.statistics.messagesIn;
    peer.send(frame(Buffer.from(body)));
    await until(() => sock.statistics.messagesIn > before, undefined, `"${body}" taken in`);
  }

  it("with heartbeatInterval 100 we send 04 07 04 PING 00 14 (TTL 2000 ms in deciseconds)", async () => {
    const { clock, peer } = await clockedDealer({ heartbeatInterval: 100, heartbeatTimeToLive: 2000 });
    clock.advance(100);
    const pingFrame = await peer.waitFrame((f) => f.name === "PING", 1000);
    expect(Buffer.concat([hex("04 07"), pingFrame.body])).toEqual(
      Buffer.concat([hex("04 07 04"), Buffer.from("PING"), hex("00 14")]),
    );
  });

  it("a silent peer is dropped heartbeatTimeout after our PING, and we redial it (docs/protocol.md §6.2)", async () => {
    const { sock, clock, server, peer } = await clockedDealer({
      heartbeatInterval: 100,
      heartbeatTimeout: 300,
      reconnectInterval: 50,
    });
    const disconnected = waitEvent(sock, "disconnect");
    clock.advance(100); // our PING goes out; the peer never answers
    await peer.waitFrame((f) => f.name === "PING", 1000);
    clock.advance(299);
    expect(connected(sock)).toBe(1);
    clock.advance(1);
    expect(connected(sock)).toBe(0);
    expect((await disconnected).address).toBe(server.endpoint);
    await peer.waitClose(2000);
    clock.advance(100); // past the reconnect interval and its jitter
    await server.peer(1, 2000);
  });

  it("a peer that sends only data, never PONG, keeps the connection alive", async () => {
    const { sock, clock, peer } = await clockedDealer({ heartbeatInterval: 100, heartbeatTimeout: 150 });
    for (let i = 0; i < 16; i++) {
      await trafficFrom(peer, sock, `d${i}`);
      clock.advance(50);
      expect(connected(sock), `after ${(i + 1) * 50} ms`).toBe(1);
    }
    for (let i = 0; i < 16; i++) expect(text(await sock.receive())).toEqual([`d${i}`]);
    // libzmq-style: PINGs go out every interval regardless of traffic (docs/protocol.md §6.2).
    await peer.until(() => peer.output.frames.filter((f) => f.name === "PING").length >= 8, 1000, "8 PINGs");
    expect(peer.closed).toBe(false);
  });

  it("a PING with TTL 3 followed by silence closes our side 300 ms later", async () => {
    const { sock, clock, peer } = await clockedDealer();
    peer.send(ping(3));
    await peer.waitFrame((f) => f.name === "PONG");
    clock.advance(299);
    expect(connected(sock)).toBe(1);
    clock.advance(1);
    expect(connected(sock)).toBe(0);
    await peer.waitClose(2000);
  });

  it("a PING with TTL 0 enforces nothing: a silent peer stays connected (docs/protocol.md §6.2)", async () => {
    const { sock, clock, peer } = await clockedDealer();
    peer.send(ping(0));
    await peer.waitFrame((f) => f.name === "PONG");
    clock.advance(3_600_000);
    expect(clock.timers).toBe(0);
    expect(connected(sock)).toBe(1);
    await expectTraffic(sock, peer);
  });

  it("any traffic after a PING with TTL keeps the connection (the TTL is not a deadline for PONG)", async () => {
    const { sock, clock, peer } = await clockedDealer();
    peer.send(ping(2));
    await peer.waitFrame((f) => f.name === "PONG");
    for (let i = 0; i < 8; i++) {
      clock.advance(60);
      await trafficFrom(peer, sock, `keep-${i}`);
      expect(connected(sock), `after ${(i + 1) * 60} ms`).toBe(1);
    }
    for (let i = 0; i < 8; i++) expect(text(await sock.receive())).toEqual([`keep-${i}`]);
  });
});

describe("events", () => {
  it('a connecting socket emits "handshake" then "disconnect" with the endpoint it connected to', async () => {
    const server = await handshakingServer();
    const sock = dealer({ reconnectInterval: -1 });
    const seen = record(sock, ["handshake", "disconnect", "handshake:error:protocol", "handshake:error:other"]);
    sock.connect(server.endpoint);
    await waitEvent(sock, "handshake");
    (await server.peer()).destroy();
    await waitEvent(sock, "disconnect");
    expect(seen).toEqual([
      { type: "handshake", address: server.endpoint },
      { type: "disconnect", address: server.endpoint },
    ]);
  });

  it('a bound socket emits "handshake" and "disconnect" with its bound endpoint', async () => {
    const sock = dealer();
    const seen = record(sock, ["handshake", "disconnect"]);
    const endpoint = await bindLocal(sock);
    const peer = await rawClient(endpoint);
    peer.send(handshake("DEALER"));
    await waitEvent(sock, "handshake");
    peer.destroy();
    await waitEvent(sock, "disconnect");
    expect(seen).toEqual([
      { type: "handshake", address: endpoint },
      { type: "disconnect", address: endpoint },
    ]);
  });

  it('a mechanism mismatch emits "handshake:error:protocol" with the address and ERR_ZMTP_MECHANISM_MISMATCH (docs/protocol.md §1.1)', async () => {
    const sock = dealer();
    const endpoint = await bindLocal(sock);
    const failed = waitEvent(sock, "handshake:error:protocol");
    const peer = await rawClient(endpoint);
    peer.send(greeting({ mechanism: "PLAIN" }));
    const event = await failed;
    expect(event.address).toBe(endpoint);
    expect((event.error as Error & { code?: string }).code).toBe("ERR_ZMTP_MECHANISM_MISMATCH");
    await peer.waitClose();
  });
});
