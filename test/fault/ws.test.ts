/**
 * Hostile peers on a ws listener, with raw TCP clients: bad upgrade requests, a wrong or missing
 * subprotocol, a slow loris, oversized requests and messages, text and fragmented messages,
 * garbage after the upgrade. Each bad connection is closed; the socket keeps serving its good
 * peer (ours or libzmq); nothing escapes the library.
 */
import { describe, expect, it } from "vitest";
import * as libzmq from "zeromq";
import { Pull, Push } from "../../src/index.js";
import type { RawPeer } from "../helpers/raw-peer.js";
import { GOOD_KINDS, type GoodKind, rawClient, record, track, useFaultGuard } from "./fixtures.js";

useFaultGuard();

const PATH = "/hostile";

/** Our PULL bound on ws with a good PUSH connected; `expectServing` proves it still works. */
async function servingWsPull(good: GoodKind, options: ConstructorParameters<typeof Pull>[0] = {}) {
  const pull = track(new Pull({ linger: 0, receiveTimeout: 2000, ...options }));
  await pull.bind(`ws://127.0.0.1:*${PATH}`);
  const endpoint = pull.lastEndpoint!;
  const push = track(good === "ours" ? new Push({ linger: 0 }) : new libzmq.Push({ linger: 0 }));
  push.connect(endpoint);
  let n = 0;
  const expectServing = async (): Promise<void> => {
    const body = `good-${good}-${n++}`;
    await push.send(body);
    for (;;) {
      const msg = await pull.receive();
      if (msg.length === 1 && msg[0]!.toString() === body) return;
    }
  };
  await expectServing();
  return { pull, endpoint, expectServing };
}

/** A raw TCP client of the endpoint's port (the path is the test's to send). */
function client(endpoint: string): Promise<RawPeer> {
  return rawClient(`tcp://127.0.0.1:${/:(\d+)\//.exec(endpoint)![1]}`);
}

function upgradeRequest(headers: Record<string, string> = {}, path = PATH): Buffer {
  const all: Record<string, string> = {
    Host: "127.0.0.1",
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Protocol": "ZWS2.0",
    ...headers,
  };
  const lines = Object.entries(all)
    .filter(([, value]) => value !== "")
    .map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.from(`GET ${path} HTTP/1.1\r\n${lines.join("")}\r\n`, "latin1");
}

/** One client → server WebSocket frame, masked as RFC 6455 requires. */
function frame(opcode: number, payload: Buffer, fin = true, declaredLength?: number): Buffer {
  const length = declaredLength ?? payload.length;
  const head =
    length < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
      : length < 65536
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 127]), bigLength(length)]);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([head, mask, masked]);
}

function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** A bare ZWS2.0 upgrade and an empty routing id: the connection is then in traffic. */
async function upgraded(endpoint: string): Promise<RawPeer> {
  const peer = await client(endpoint);
  peer.send(upgradeRequest(), frame(2, Buffer.from([0])));
  await peer.until(() => peer.received.toString("latin1").startsWith("HTTP/1.1 101"), 2000, "the 101");
  return peer;
}

describe.each(GOOD_KINDS)("our ws PULL serving a good %s PUSH", (good) => {
  it.each([
    ["garbage", Buffer.from("\x16\x03\x01 not HTTP at all\r\n\r\n", "latin1")],
    ["a POST", Buffer.from(`POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`)],
    ["a plain GET (no upgrade)", Buffer.from(`GET ${PATH} HTTP/1.1\r\nHost: x\r\n\r\n`)],
    ["an upgrade without a key", upgradeRequest({ "Sec-WebSocket-Key": "" })],
    ["an upgrade of another WebSocket version", upgradeRequest({ "Sec-WebSocket-Version": "7" })],
    ["an upgrade for a path nobody bound", upgradeRequest({}, "/elsewhere")],
  ])("closes %s with an HTTP error and keeps serving", async (_name, bytes) => {
    const { endpoint, expectServing } = await servingWsPull(good);
    const peer = await client(endpoint);
    peer.send(bytes);
    await peer.waitClose();
    expect(peer.received.toString("latin1")).toMatch(/^HTTP\/1\.1 4\d\d /);
    await expectServing();
  });

  it.each([
    ["a missing subprotocol", ""],
    ["another mechanism's subprotocol", "ZWS2.0/CURVE"],
    ["a subprotocol that is not ZWS", "chat"],
  ])(
    "refuses %s with 400, reporting accept, handshake:error:protocol and disconnect as libzmq does",
    async (_name, protocol) => {
      const { pull, endpoint, expectServing } = await servingWsPull(good);
      const seen = record(pull, ["accept", "handshake", "handshake:error:protocol", "disconnect"]);
      const peer = await client(endpoint);
      peer.send(upgradeRequest({ "Sec-WebSocket-Protocol": protocol }));
      await peer.waitClose();
      expect(peer.received.toString("latin1")).toMatch(/^HTTP\/1\.1 400 /);
      await expectServing();
      expect(seen.map((e) => e.type)).toEqual(["accept", "handshake:error:protocol", "disconnect"]);
    },
  );

  it("drops a slow loris that has not finished its upgrade request within handshakeInterval (libzmq waits forever)", async () => {
    const { endpoint, expectServing } = await servingWsPull(good, { handshakeInterval: 300 });
    const peer = await client(endpoint);
    peer.send(Buffer.from(`GET ${PATH} HTTP/1.1\r\nHost: x\r\n`));
    const sent = Date.now();
    await peer.waitClose(3000);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(250);
    await expectServing();
  });

  it("answers an upgrade request whose headers exceed 16 KiB with 431, buffering no more", async () => {
    const { endpoint, expectServing } = await servingWsPull(good);
    const peer = await client(endpoint);
    peer.send(Buffer.from(`GET ${PATH} HTTP/1.1\r\nX-Padding: ${"a".repeat(20_000)}\r\n`));
    await peer.waitClose();
    expect(peer.received.toString("latin1")).toMatch(/^HTTP\/1\.1 431 /);
    await expectServing();
  });

  it.each([
    ["a text message", frame(1, Buffer.from("\x00text"))],
    ["an empty binary message (no ZWS flags byte)", frame(2, Buffer.alloc(0))],
    ["an unmasked frame", Buffer.from([0x82, 0x02, 0x00, 0x41])],
    ["an unknown opcode", frame(3, Buffer.from([0]))],
    ["bytes that are no WebSocket frame", Buffer.from("\xff\xff\xff\xff\xff\xff\xff\xff", "latin1")],
  ])("closes a connection that sends %s after the upgrade", async (_name, bytes) => {
    const { endpoint, expectServing } = await servingWsPull(good);
    const peer = await upgraded(endpoint);
    peer.send(bytes);
    await peer.waitClose();
    await expectServing();
  });

  it("closes a connection whose message exceeds maxMessageSize at its header, before the body is sent", async () => {
    const { endpoint, expectServing } = await servingWsPull(good, { maxMessageSize: 1000 });
    const peer = await upgraded(endpoint);
    // 1 GiB announced, none of it sent: the limit is checked on the frame header.
    peer.send(frame(2, Buffer.alloc(0), true, 1 << 30).subarray(0, 14));
    await peer.waitClose();
    await expectServing();
  });

  it("takes a fragmented message whole (libzmq refuses fragments), within maxMessageSize", async () => {
    // 40: the READY made up for a bare ZWS2.0 peer is subject to it too (26 bytes here).
    const { pull, endpoint, expectServing } = await servingWsPull(good, { maxMessageSize: 40 });
    const peer = await upgraded(endpoint);
    peer.send(frame(2, Buffer.from("\x00frag"), false), frame(0, Buffer.from("ment"), true));
    expect((await pull.receive()).map(String)).toEqual(["fragment"]);
    const part = Buffer.alloc(20, 0x61);
    peer.send(frame(2, Buffer.concat([Buffer.from([0]), part]), false), frame(0, part, false), frame(0, part, true));
    await peer.waitClose();
    await expectServing();
  });
});
