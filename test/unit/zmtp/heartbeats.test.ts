/**
 * Heartbeats and the handshake deadline of one engine, on a fake clock over an in-memory stream:
 * every deadline is checked to the millisecond, with no real waiting (libzmq's timers, docs/protocol.md §6.2).
 */
import { describe, expect, it } from "vitest";
import { Engine, type EngineClose, type EngineOptions } from "../../../src/zmtp/engine.js";
import { NullMechanism } from "../../../src/zmtp/mechanisms/null.js";
import { FakeClock } from "../../helpers/fake-clock.js";
import { MemoryStream } from "../../helpers/memory-stream.js";
import { frame, handshake, ping } from "../../helpers/raw-peer.js";

/** Lets the engine's once-per-tick pump write what it queued. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Harness {
  clock: FakeClock;
  stream: MemoryStream;
  engine: Engine;
  closes: EngineClose[];
  /** Moves the clock to `at` ms after the start. */
  at(ms: number): void;
}

function engine(options: Partial<EngineOptions> = {}, shake = true): Harness {
  const clock = new FakeClock();
  const stream = new MemoryStream();
  const closes: EngineClose[] = [];
  const engine = new Engine(
    stream,
    {
      socketType: "DEALER",
      identity: null,
      mechanism: new NullMechanism(),
      maxMessageSize: -1,
      handshakeInterval: 0,
      heartbeatInterval: 0,
      heartbeatTimeout: -1,
      heartbeatTimeToLive: 0,
      zapIdentity: Buffer.alloc(0),
      zapDomain: "",
      zap: null,
      counters: { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 },
      clock,
      ...options,
    },
    {
      engineReady: () => undefined,
      engineRefused: () => undefined,
      engineClosed: (_engine, reason) => closes.push(reason),
    },
    "tcp://127.0.0.1:5555",
  );
  if (shake) stream.receive(handshake("ROUTER"));
  return { clock, stream, engine, closes, at: (ms) => clock.advance(ms - clock.now()) };
}

const pings = (stream: MemoryStream): number => stream.frames().filter((f) => f.name === "PING").length;

describe("heartbeats on a fake clock", () => {
  it("heartbeatInterval sends a PING every interval, with our TTL in deciseconds", async () => {
    const h = engine({ heartbeatInterval: 100, heartbeatTimeout: 10_000, heartbeatTimeToLive: 2_000 });
    expect(h.engine.handshaken).toBe(true);
    h.at(99);
    await tick();
    expect(pings(h.stream)).toBe(0);
    h.at(100);
    await tick();
    const first = h.stream.frames().find((f) => f.name === "PING")!;
    // 0x04 "PING" ttl=20 (2 s), no context
    expect(first.body).toEqual(Buffer.from("0450494e470014", "hex"));
    h.at(500);
    await tick();
    expect(pings(h.stream)).toBe(5);
  });

  it("closes heartbeatTimeout after a PING when nothing at all arrives", () => {
    const h = engine({ heartbeatInterval: 100, heartbeatTimeout: 300 });
    h.at(399);
    expect(h.closes).toEqual([]);
    h.at(400);
    expect(h.closes).toHaveLength(1);
    expect(h.closes[0]).toMatchObject({ kind: "timeout", handshaken: true, fatal: false });
    expect(h.closes[0]!.error).toMatchObject({
      code: "ETIMEDOUT",
      message: "no traffic from the peer within heartbeatTimeout",
    });
    expect(h.stream.destroyed).toBe(true);
  });

  it("any traffic cancels the heartbeat timeout; the PING after the last traffic starts it again", () => {
    const h = engine({ heartbeatInterval: 100, heartbeatTimeout: 300 });
    for (let t = 50; t <= 2050; t += 100) {
      h.at(t);
      h.stream.receive(frame(Buffer.from("data")));
    }
    expect(h.closes).toEqual([]);
    // Last traffic at 2050; the PING at 2100 starts the 300 ms timer.
    h.at(2399);
    expect(h.closes).toEqual([]);
    h.at(2400);
    expect(h.closes.map((c) => c.kind)).toEqual(["timeout"]);
  });

  it("heartbeatTimeout 0 arms no timer: PINGs go out and a silent peer is kept (libzmq)", () => {
    const h = engine({ heartbeatInterval: 100, heartbeatTimeout: 0 });
    h.at(10_000);
    expect(h.closes).toEqual([]);
  });

  it("a peer's PING TTL closes the connection when nothing follows the PING for that long", () => {
    const h = engine();
    h.at(100);
    h.stream.receive(ping(10));
    h.at(1099);
    expect(h.closes).toEqual([]);
    h.at(1100);
    expect(h.closes).toHaveLength(1);
    expect(h.closes[0]!.error).toMatchObject({ code: "ETIMEDOUT", message: "peer's heartbeat TTL expired" });
  });

  it("every PING restarts the TTL: a peer that pings, sends a little, then goes silent is dropped a TTL after its last PING", () => {
    const h = engine();
    for (let t = 0; t <= 2000; t += 400) {
      h.at(t);
      h.stream.receive(ping(10));
      h.at(t + 200);
      if (t < 2000) h.stream.receive(frame(Buffer.from("a little")));
    }
    expect(h.closes).toEqual([]);
    h.at(2999);
    expect(h.closes).toEqual([]);
    h.at(3000);
    expect(h.closes.map((c) => c.error?.message)).toEqual(["peer's heartbeat TTL expired"]);
  });

  it("traffic after a PING cancels its TTL until the next PING, as libzmq's decoder does", () => {
    const h = engine();
    h.stream.receive(ping(10));
    h.at(500);
    h.stream.receive(frame(Buffer.from("after the ping")));
    h.at(60_000);
    expect(h.closes).toEqual([]);
  });

  it("a PING with TTL 0 enforces nothing and cancels a running TTL", () => {
    const h = engine();
    h.stream.receive(ping(10));
    h.at(500);
    h.stream.receive(ping(0));
    h.at(60_000);
    expect(h.closes).toEqual([]);
  });

  it("the handshake must complete within handshakeInterval", () => {
    const h = engine({ handshakeInterval: 500 }, false);
    h.at(499);
    expect(h.closes).toEqual([]);
    h.at(500);
    expect(h.closes).toHaveLength(1);
    expect(h.closes[0]).toMatchObject({ kind: "timeout", handshaken: false });
    expect(h.closes[0]!.error?.message).toBe("handshake did not complete within handshakeInterval");
  });

  it("closing the engine clears every timer", () => {
    const h = engine({ heartbeatInterval: 100, heartbeatTimeout: 300, handshakeInterval: 500 }, false);
    h.stream.receive(handshake("ROUTER"));
    h.stream.receive(ping(10));
    expect(h.clock.timers).toBeGreaterThan(0);
    h.engine.close();
    expect(h.clock.timers).toBe(0);
  });
});
