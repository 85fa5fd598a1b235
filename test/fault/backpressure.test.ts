/**
 * Peers that stop reading, and peers that flood us: memory stays bounded because the pipe's
 * high-water mark and TCP flow control push back (docs/protocol.md §5.8: no exact counts, the
 * kernel's socket buffers absorb megabytes).
 */
import { describe, expect, it } from "vitest";
import * as libzmq from "zeromq";
import { Pull, Push } from "../../src/index.js";
import { RawPeer, frame, handshake, ping } from "../helpers/raw-peer.js";
import { queuedIn } from "../helpers/sockets.js";
import { isTimeout, sleep, until, within } from "../helpers/time.js";
import { eventOf, rawClient, rawServer, track, useFaultGuard, waitEvent, type Observed } from "./fixtures.js";

useFaultGuard();

const BODY = Buffer.alloc(64 * 1024, 0x42);
/** Far more than loopback socket buffers hold (a few MiB): reaching it means nothing pushed back. */
const UNBOUNDED_BYTES = 256 << 20;

describe("a peer that never reads", () => {
  it("makes our PUSH's send fail with EAGAIN after a bounded number of sends, and others still get served", async () => {
    const server = await rawServer((peer) => {
      peer.send(handshake("PULL"));
      peer.socket.pause();
    });
    const push = track(new Push({ linger: 0, sendHighWaterMark: 4, sendTimeout: 100 }));
    const shaken = waitEvent(push, "handshake");
    push.connect(server.endpoint);
    await shaken;

    let sent = 0;
    let error: unknown = null;
    while (sent * BODY.length < UNBOUNDED_BYTES) {
      try {
        await push.send(BODY);
        sent += 1;
      } catch (err) {
        error = err;
        break;
      }
    }
    expect(error).toMatchObject({ code: "EAGAIN" });
    expect(sent * BODY.length).toBeLessThan(64 << 20);

    // The stalled pipe is full: a new good peer takes the traffic instead of waiting behind it.
    const good = track(new Pull({ linger: 0, receiveTimeout: 2000 }));
    await good.bind("tcp://127.0.0.1:*");
    push.connect(good.lastEndpoint!);
    push.sendTimeout = 1000;
    // The stalled pipe may regain a little room as the kernel buffer grows, so it can take some.
    for (let i = 0; i < 10; i++) await push.send(`good-${i}`);
    expect(String(await good.receive())).toMatch(/^good-\d$/);

    // When the stalled peer reads again, every accepted message reaches it, none twice.
    const stalled = await server.peer();
    stalled.socket.resume();
    const readyLength = 28;
    await stalled.waitBytes(64 + readyLength + sent * (9 + BODY.length), 5000);
    await sleep(50); // on purpose: no duplicate may trail in
    const data = stalled.output.frames.filter((f) => !f.command);
    expect(data.filter((f) => f.body.equals(BODY))).toHaveLength(sent);
    expect(data.every((f) => f.body.equals(BODY) || /^good-\d$/.test(f.body.toString()))).toBe(true);
  });
});

describe("a peer that floods us", () => {
  it("is throttled by TCP while our PULL's application does not read, and nothing is lost", async () => {
    const pull = track(new Pull({ linger: 0, receiveHighWaterMark: 8, receiveTimeout: 2000 }));
    // ipc: the kernel buffers little (about 200 KiB), so what we did not read stays with the peer.
    await pull.bind("ipc://*");
    const peer = await rawClient(pull.lastEndpoint!);
    peer.send(handshake("PUSH"));
    const count = 1000;
    const body = Buffer.alloc(32 * 1024, 0x17);
    for (let i = 0; i < count; i++) {
      body.writeUInt32BE(i, 0);
      peer.socket.write(frame(body));
    }
    await until(() => queuedIn(pull) >= 8, 3000, "the PULL's pipe full");
    await sleep(300); // on purpose: time in which a reader that ignored the full pipe would drain megabytes
    // 32 MiB written; our side stopped reading, so most of it still waits in the raw peer.
    expect(peer.socket.writableLength).toBeGreaterThan(16 << 20);
    for (let i = 0; i < count; i++) {
      const msg = await pull.receive();
      expect(msg[0]!.readUInt32BE(0)).toBe(i);
    }
  });
});

/**
 * A peer floods PINGs and never reads our PONGs. Over ipc the kernel holds only a few hundred
 * KiB, so PONGs the peer finally reads beyond that were buffered in our process. libzmq keeps at
 * most one pending PONG (a newer PING replaces it) and stays bounded.
 */
const FLOOD_MB = 16;

async function pongBytesAfterPingFlood(
  pull: Observed & { bind(a: string): Promise<void>; readonly lastEndpoint: string | null },
): Promise<number> {
  await pull.bind("ipc://*");
  const shaken = eventOf(pull, "handshake");
  const peer = await RawPeer.connect(pull.lastEndpoint!.slice("ipc://".length));
  peer.socket.pause();
  peer.send(handshake("PUSH"));
  await shaken;
  const batch = Buffer.concat(new Array<Buffer>(40_000).fill(ping(0, Buffer.alloc(16, 1)))); // 1 MB
  for (let i = 0; i < FLOOD_MB; i++) {
    if (peer.socket.write(batch)) continue;
    const drained = await within(
      new Promise<boolean>((r) => peer.socket.once("drain", () => r(true))),
      3000,
      "drain",
    ).catch((err: unknown) => {
      if (isTimeout(err)) return false;
      throw err;
    });
    if (!drained) break; // we stopped reading: bounded too
  }
  // On purpose: the time the socket under test gets to answer the flood (and buffer PONGs) ...
  await sleep(300);
  peer.socket.resume();
  // ... and the time the peer then gets to read whatever was held for it.
  await sleep(500);
  const bytes = peer.received.length;
  peer.destroy();
  return bytes;
}

describe("a peer that floods PINGs and never reads", () => {
  it("reference: libzmq's PONG backlog stays bounded", async () => {
    const pull = track(new libzmq.Pull({ linger: 0 }));
    expect(await pongBytesAfterPingFlood(pull)).toBeLessThan(2 << 20);
  });

  // Like libzmq, the connection core keeps at most one PONG held back while the stream is full
  // (a newer PING replaces it: src/zmtp/connection.ts), so the flood cannot grow our memory.
  it("our PONG backlog stays bounded", async () => {
    const pull = track(new Pull({ linger: 0 }));
    expect(await pongBytesAfterPingFlood(pull)).toBeLessThan(2 << 20);
  });
});
