/**
 * The platform seam (src/platform/): the browser side offers what the Node side offers, under
 * the same names and types, and behaves alike where both can run (here, under Node: the browser
 * side uses only what a page has, which Node has too).
 */
import { EventEmitter as NodeEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import * as browserBuffer from "../../../src/platform/browser/buffer.js";
import { EventEmitter as BrowserEmitter } from "../../../src/platform/browser/events.js";
import * as browserProcess from "../../../src/platform/browser/process.js";
import * as browserRaw from "../../../src/platform/browser/raw.js";
import * as browserSodium from "../../../src/platform/browser/sodium.js";
import * as browserThreads from "../../../src/platform/browser/threads.js";
import * as browserTimers from "../../../src/platform/browser/timers.js";
import * as browserTransports from "../../../src/platform/browser/transports.js";
import { browserWebSocketTransport } from "../../../src/platform/browser/websocket.js";
import * as browserX25519 from "../../../src/platform/browser/x25519.js";
import * as nodeBuffer from "../../../src/platform/node/buffer.js";
import * as nodeEvents from "../../../src/platform/node/events.js";
import * as nodeProcess from "../../../src/platform/node/process.js";
import * as nodeRaw from "../../../src/platform/node/raw.js";
import * as nodeSodium from "../../../src/platform/node/sodium.js";
import * as nodeThreads from "../../../src/platform/node/threads.js";
import * as nodeTimers from "../../../src/platform/node/timers.js";
import * as nodeTransports from "../../../src/platform/node/transports.js";
import * as nodeX25519 from "../../../src/platform/node/x25519.js";
import { randomBytes, randomFill } from "../../../src/platform/random.js";
import type { ByteStream } from "../../../src/transports/stream.js";
import { DEFAULT_TRANSPORT_OPTIONS, type TransportOptions } from "../../../src/transports/transport.js";

// Compile-time: each browser side can stand where its Node side stands (x25519's secret handle
// is each side's own type, so its functions are compared on the bytes they take and give).
const sameShape: Array<[unknown, unknown]> = [
  [browserTimers satisfies typeof nodeTimers, nodeTimers],
  [browserProcess satisfies typeof nodeProcess, nodeProcess],
  [browserRaw satisfies typeof nodeRaw, nodeRaw],
  [browserSodium satisfies typeof nodeSodium, nodeSodium],
  [browserThreads satisfies typeof nodeThreads, nodeThreads],
  [browserBuffer satisfies typeof nodeBuffer, nodeBuffer],
  [browserTransports satisfies typeof nodeTransports, nodeTransports],
  [
    browserX25519 satisfies {
      x25519Import(secretKey: Uint8Array): { publicKey: Buffer };
      x25519(secret: browserX25519.X25519Secret, peer: Uint8Array): Uint8Array | null;
    },
    nodeX25519,
  ],
  [{ EventEmitter: BrowserEmitter }, nodeEvents],
];

describe("platform seam", () => {
  it("each browser side exports exactly the names its Node side exports", () => {
    for (const [browser, node] of sameShape) {
      expect(Object.keys(browser as object).sort()).toEqual(Object.keys(node as object).sort());
    }
  });

  it("a page has none of Node's stream transports (tcp, ipc, tipc), no udp, and no raw engine", () => {
    const nodes = ["tcp", "ipc", "tipc"];
    expect(nodes.filter((scheme) => browserTransports.streamTransports.has(scheme))).toEqual([]);
    expect(nodes.filter((scheme) => nodeTransports.streamTransports.has(scheme))).toEqual(nodes);
    expect([...browserTransports.datagramTransports.keys()]).toEqual([]);
    expect([...nodeTransports.datagramTransports.keys()]).toEqual(["udp"]);
    expect(() => browserRaw.startRawEngine({} as ByteStream, {} as never, {} as never, "ws://127.0.0.1:1")).toThrow(
      expect.objectContaining({ code: "ENOCOMPATPROTO" }) as Error,
    );
  });

  it("a page's default context store is its own memory, initialised by the context", () => {
    const store = browserThreads.sharedContextStore("unused", 16, (s) => s.fill(7));
    expect(store.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...store]).toEqual([7, 7, 7, 7]);
    expect(browserThreads.crossThreadInproc(Buffer.alloc(16))).toBeNull();
  });
});

describe("X25519 on both sides", () => {
  // RFC 7748 §6.1: Alice's and Bob's key pairs and their shared secret.
  const alice = Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex");
  const alicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  const bob = Buffer.from("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", "hex");
  const bobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  const shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

  it.each([
    ["node", nodeX25519],
    ["browser", browserX25519],
  ] as const)("%s: RFC 7748's test vector", (_side, side) => {
    const a = (side.x25519Import as typeof browserX25519.x25519Import)(alice);
    const b = (side.x25519Import as typeof browserX25519.x25519Import)(bob);
    expect(a.publicKey.toString("hex")).toBe(alicePublic);
    expect(b.publicKey.toString("hex")).toBe(bobPublic);
    const x = side.x25519 as typeof browserX25519.x25519;
    expect(Buffer.from(x(a.secret, b.publicKey)!).toString("hex")).toBe(shared);
    expect(Buffer.from(x(b.secret, a.publicKey)!).toString("hex")).toBe(shared);
  });

  it("both sides agree on random keys, and both refuse low-order points", () => {
    for (let i = 0; i < 8; i++) {
      const [one, two] = [randomBytes(32), randomBytes(32)];
      const n1 = nodeX25519.x25519Import(one);
      const b1 = browserX25519.x25519Import(one);
      const b2 = browserX25519.x25519Import(two);
      expect(b1.publicKey.equals(n1.publicKey)).toBe(true);
      const viaNode = nodeX25519.x25519(n1.secret, b2.publicKey)!;
      const viaBrowser = browserX25519.x25519(b1.secret, b2.publicKey)!;
      expect(Buffer.from(viaBrowser).equals(Buffer.from(viaNode))).toBe(true);
    }
    const secret = randomBytes(32);
    for (const point of [Buffer.alloc(32), Buffer.concat([Buffer.of(1), Buffer.alloc(31)])]) {
      expect(nodeX25519.x25519(nodeX25519.x25519Import(secret).secret, point)).toBeNull();
      expect(browserX25519.x25519(browserX25519.x25519Import(secret).secret, point)).toBeNull();
    }
  });

  it("Node loads libsodium's WebAssembly secretbox; a page's side has none (CURVE keeps @noble/ciphers)", async () => {
    const sodium = await nodeSodium.loadSodium();
    expect(typeof sodium?._crypto_secretbox_detached).toBe("function");
    expect(await browserSodium.loadSodium()).toBeNull();
  });
});

describe("the page's scheduling", () => {
  it("nextTurn runs callbacks in order, after the current job's microtasks", async () => {
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      browserTimers.nextTurn(() => order.push("turn 1"));
      browserTimers.nextTurn(() => {
        order.push("turn 2");
        resolve();
      });
    });
    browserTimers.nextTick(() => order.push("tick"));
    void Promise.resolve().then(() => order.push("promise"));
    await done;
    expect(order).toEqual(["tick", "promise", "turn 1", "turn 2"]);
  });

  it("nextTurn yields to timers that are due, as setImmediate does", async () => {
    const order: string[] = [];
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    let turns = 0;
    await new Promise<void>((resolve) => {
      setTimeout(() => order.push("timer"), 0);
      const loop = (): void => {
        if (order.length > 0 || ++turns > 1000) resolve();
        else browserTimers.nextTurn(loop);
      };
      browserTimers.nextTurn(loop);
    });
    expect(order).toEqual(["timer"]);
  });
});

describe("the page's EventEmitter behaves as Node's", () => {
  /** The same script on both emitters; what the listeners saw, in order. */
  function script(Emitter: new () => NodeEmitter | BrowserEmitter): unknown[] {
    const log: unknown[] = [];
    const e = new Emitter() as NodeEmitter;
    const a = (x: unknown): void => void log.push(["a", x]);
    const b = (x: unknown): void => void log.push(["b", x]);
    e.on("x", a);
    e.once("x", b);
    e.on("x", a);
    log.push(["emitted", e.emit("x", 1), e.listenerCount("x")]);
    log.push(["emitted", e.emit("x", 2)]);
    e.off("x", a); // the most recent registration of `a` goes
    log.push(["count", e.listenerCount("x"), e.listeners("x").length]);
    e.once("y", b);
    e.off("y", b); // a once listener is removed by the listener it wraps
    log.push(["y", e.emit("y", 3), e.eventNames()]);
    // A listener added while emitting is not called for that emit; one removed still is.
    e.on("z", () => {
      e.on("z", () => log.push("late"));
      e.off("z", b);
    });
    e.on("z", b);
    e.emit("z", 4);
    e.removeAllListeners("z");
    log.push(["z", e.listenerCount("z")]);
    try {
      e.emit("error", new Error("boom"));
    } catch (err) {
      log.push(["threw", (err as Error).message]);
    }
    const self: unknown[] = [];
    e.on("self", function (this: unknown) {
      self.push(this === e);
    });
    e.emit("self");
    log.push(["this", self]);
    return log;
  }

  it("on, once, off, listeners, emit during emit, unhandled errors, `this`", () => {
    expect(script(BrowserEmitter)).toEqual(script(NodeEmitter));
  });
});

describe("random bytes", () => {
  it("fill views larger than getRandomValues takes at once, and shared memory", () => {
    const big = randomFill(new Uint8Array(200_000));
    expect(big.subarray(150_000).some((b) => b !== 0)).toBe(true);
    const shared = randomFill(new Int32Array(new SharedArrayBuffer(16)).subarray(1, 3));
    expect(shared.some((v) => v !== 0)).toBe(true);
    expect(Buffer.isBuffer(randomBytes(4))).toBe(true);
  });
});

describe("ws:// in a page (the browser WebSocket transport, before its ZWS adapter is plugged in)", () => {
  /** A stand-in for the browser's WebSocket: records what the transport asked for. */
  const made: Array<{ url: string; protocols: string[] }> = [];
  class FakeWebSocket {
    constructor(url: string, protocols: string[]) {
      made.push({ url, protocols });
    }
  }
  const handed: Array<[unknown, TransportOptions]> = [];
  const stream = {} as ByteStream;
  const transport = browserWebSocketTransport(
    (socket, options) => {
      handed.push([socket, options]);
      return stream;
    },
    FakeWebSocket as unknown as new (url: string, protocols: string[]) => WebSocket,
  );
  const withMechanism = (mechanism: string): TransportOptions =>
    ({ ...DEFAULT_TRANSPORT_OPTIONS, mechanism }) as TransportOptions;

  it("cannot listen: bind is ENOTSUP, with the address", async () => {
    await expect(
      transport.listen("ws://127.0.0.1:*", DEFAULT_TRANSPORT_OPTIONS, () => undefined),
    ).rejects.toMatchObject({ code: "ENOTSUP", errno: 95, address: "ws://127.0.0.1:*" });
  });

  it("dials with the page's WebSocket, offering bare ZWS2.0 (a browser refuses ZWS2.0/NULL as a subprotocol)", () => {
    transport.checkDial!("ws://127.0.0.1:5555/path", withMechanism("NULL"));
    expect(transport.dial("ws://127.0.0.1:5555/path", withMechanism("NULL"))).toBe(stream);
    expect(made).toEqual([{ url: "ws://127.0.0.1:5555/path", protocols: ["ZWS2.0"] }]);
    expect(handed[0]![0]).toBeInstanceOf(FakeWebSocket);
    expect(transport.connectDelayed).toBe(true);
  });

  it("refuses a PLAIN or CURVE connect before dialling: ENOTSUP", () => {
    for (const mechanism of ["PLAIN", "CURVE"]) {
      expect(() => transport.checkDial!("ws://127.0.0.1:5555", withMechanism(mechanism))).toThrow(
        expect.objectContaining({ code: "ENOTSUP", address: "ws://127.0.0.1:5555" }) as Error,
      );
    }
  });
});
