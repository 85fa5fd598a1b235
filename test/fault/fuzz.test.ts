/**
 * Arbitrary bytes after a valid handshake never crash the process nor escape the engine: after
 * every run a good peer still round-trips through the same ROUTER. The guard in fixtures.ts
 * fails the test on any uncaught exception or unhandled rejection.
 */
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { Dealer, Router } from "../../src/index.js";
import { FLAG_COMMAND, RawPeer, command, frame, greeting, handshake, ping, ready } from "../helpers/raw-peer.js";
import { portOf, track, useFaultGuard } from "./fixtures.js";

useFaultGuard();

interface Rig {
  router: Router;
  good: Dealer;
  port: number;
  runs: number;
}

let rig: Rig;

beforeEach(async () => {
  // maxMessageSize keeps a random long header from making the engine allocate gigabytes.
  const router = track(new Router({ linger: 0, receiveTimeout: 2000, sendTimeout: 2000, maxMessageSize: 1 << 20 }));
  await router.bind("tcp://127.0.0.1:*");
  const good = track(new Dealer({ linger: 0, routingId: "good", receiveTimeout: 2000, sendTimeout: 2000 }));
  good.connect(router.lastEndpoint!);
  rig = { router, good, port: portOf(router.lastEndpoint!), runs: 0 };
  await roundTrip();
});

/** The good DEALER's request reaches the ROUTER and the reply comes back; fuzz messages are skipped. */
async function roundTrip(): Promise<void> {
  const tag = `ping-${rig.runs++}`;
  await rig.good.send(tag);
  for (;;) {
    const [id, ...body] = await rig.router.receive();
    if (id!.toString() !== "good" || body.length !== 1 || body[0]!.toString() !== tag) continue;
    await rig.router.send([id!, `pong-${tag}`]);
    break;
  }
  expect((await rig.good.receive()).map(String)).toEqual([`pong-${tag}`]);
}

/** Sends `prefix` then the fuzz bytes (in the given chunk sizes) and hangs up after them (FIN follows the bytes). */
async function attack(prefix: Buffer, bytes: Uint8Array, chunks: number[]): Promise<void> {
  const peer = await RawPeer.connect(rig.port);
  peer.send(prefix);
  const data = Buffer.from(bytes);
  let at = 0;
  for (const size of chunks) {
    if (at >= data.length) break;
    peer.send(data.subarray(at, at + size));
    at += size;
  }
  if (at < data.length) peer.send(data.subarray(at));
  peer.socket.end();
  await roundTrip();
  peer.destroy();
}

const chunkSizes = fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 });

/** Frames that are well formed on the outside, so the fuzz reaches the engine's deeper states. */
const plausibleFrame: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 0x80, 0xff), fc.uint8Array({ maxLength: 300 }))
    .map(([flags, body]) =>
      // Raw header bytes, flags as given (a LONG bit makes the size below lie about the body).
      Buffer.concat([Buffer.from([flags, Math.min(body.length, 255)]), Buffer.from(body)]),
    ),
  fc.uint8Array({ maxLength: 300 }).map((body) => frame(Buffer.from(body), 1)),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 24 }))
    .map(([ttl, ctx]) => ping(ttl, Buffer.from(ctx))),
  fc
    .tuple(
      fc.constantFrom("READY", "ERROR", "PING", "PONG", "SUBSCRIBE", "HELLO", ""),
      fc.uint8Array({ maxLength: 40 }),
    )
    .map(([name, data]) => (name === "" ? frame(Buffer.from(data), FLAG_COMMAND) : command(name, Buffer.from(data)))),
);

describe("fuzzing our bound ROUTER", () => {
  it("valid greeting + READY followed by arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), chunkSizes, (bytes, chunks) =>
        attack(handshake("DEALER"), bytes, chunks),
      ),
      { numRuns: 30 },
    );
  });

  it("valid greeting + READY followed by plausible frames and commands", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plausibleFrame, { maxLength: 12 }), chunkSizes, (frames, chunks) =>
        attack(handshake("DEALER"), Buffer.concat(frames), chunks),
      ),
      { numRuns: 30 },
    );
  });

  it("valid greeting followed by arbitrary handshake bytes (READY optional)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 256 }), chunkSizes, (withReady, bytes, chunks) =>
        attack(withReady ? Buffer.concat([greeting(), ready("DEALER")]) : greeting(), bytes, chunks),
      ),
      { numRuns: 30 },
    );
  });
});
