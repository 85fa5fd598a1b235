/**
 * Reconnect backoff and linger on a fake clock: the socket's timers run when the test moves the
 * clock, so the intervals are checked exactly and nothing waits for them. Refused connections are
 * real (a closed port on 127.0.0.1), which takes milliseconds.
 */
import { describe, expect, it } from "vitest";
import { Dealer, Pull, Push } from "../../../src/index.js";
import { socketInternals } from "../../../src/internal.js";
import { FakeClock } from "../../helpers/fake-clock.js";
import { collectEvents, freePort, nextEvent, useHarness } from "../../helpers/sockets.js";
import { until } from "../../helpers/time.js";

const h = useHarness();

/** Observer listeners run from its read loop, a few microtasks after the socket emitted (as zeromq.js's). */
function eventsDelivered(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe("reconnect backoff on a fake clock", () => {
  it("with reconnectMaxInterval each retry waits IVL·2^k capped at the maximum, and only that long", async () => {
    const clock = new FakeClock();
    const sock = h.open(Dealer, { reconnectInterval: 100, reconnectMaxInterval: 800 });
    socketInternals(sock).clock = clock;
    const dials = collectEvents(sock, "connect:delay");
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    let retry = nextEvent(sock, "connect:retry");
    sock.connect(endpoint);
    const waits: number[] = [];
    for (const expected of [100, 200, 400, 800, 800]) {
      const { interval } = await retry;
      waits.push(interval);
      const before = dials.length;
      clock.advance(interval - 1);
      await eventsDelivered();
      expect(dials.length).toBe(before);
      retry = nextEvent(sock, "connect:retry");
      clock.advance(1);
      await eventsDelivered();
      expect(dials.length).toBe(before + 1);
      expect(interval).toBe(expected);
    }
    expect(waits).toEqual([100, 200, 400, 800, 800]);
  });

  it("without a maximum each retry waits IVL plus jitter below IVL, and names the endpoint", async () => {
    const clock = new FakeClock();
    const sock = h.open(Dealer, { reconnectInterval: 100 });
    socketInternals(sock).clock = clock;
    const dials = collectEvents(sock, "connect:delay");
    let retry = nextEvent(sock, "connect:retry");
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    sock.connect(endpoint);
    for (let i = 0; i < 5; i++) {
      const { interval, address } = await retry;
      expect(address).toBe(endpoint);
      expect(interval).toBeGreaterThanOrEqual(100);
      expect(interval).toBeLessThan(200);
      retry = nextEvent(sock, "connect:retry");
      const before = dials.length;
      clock.advance(interval);
      await eventsDelivered();
      expect(dials.length).toBe(before + 1);
    }
  });

  it("the backoff starts again from reconnectInterval after a successful connection (libzmq 4.3.5)", async () => {
    const clock = new FakeClock();
    const sock = h.open(Push, { reconnectInterval: 100, reconnectMaxInterval: 800 });
    socketInternals(sock).clock = clock;
    const retries = collectEvents(sock, "connect:retry");
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    sock.connect(endpoint);
    for (const interval of [100, 200, 400]) {
      await until(
        () => retries.length > 0 && retries.at(-1)!.interval === interval,
        undefined,
        `a retry after ${interval} ms`,
      );
      if (interval === 400) break;
      clock.advance(interval);
    }
    const pull = h.open(Pull);
    await pull.bind(endpoint);
    const handshaken = nextEvent(sock, "handshake");
    clock.advance(400);
    await handshaken;
    retries.length = 0;
    pull.close();
    await until(() => retries.length === 1, undefined, "the retry after the lost connection");
    clock.advance(retries[0]!.interval);
    await until(() => retries.length === 2, undefined, "the second retry");
    expect(retries.map((e) => e.interval)).toEqual([100, 200]);
  });

  it("disconnect() cancels the pending retry", async () => {
    const clock = new FakeClock();
    const sock = h.open(Dealer, { reconnectInterval: 100 });
    socketInternals(sock).clock = clock;
    const dials = collectEvents(sock, "connect:delay");
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    const retry = nextEvent(sock, "connect:retry");
    sock.connect(endpoint);
    await retry;
    expect(clock.timers).toBe(1);
    sock.disconnect(endpoint);
    expect(clock.timers).toBe(0);
    clock.advance(10_000);
    expect(dials).toHaveLength(1);
  });
});

describe("linger on a fake clock", () => {
  async function lingering(linger: number): Promise<{ clock: FakeClock; sock: Push }> {
    const clock = new FakeClock();
    // reconnectInterval -1: no retry timers beside linger's.
    const sock = h.open(Push, { linger, reconnectInterval: -1 });
    socketInternals(sock).clock = clock;
    sock.connect(`tcp://127.0.0.1:${await freePort()}`);
    await sock.send("never delivered");
    expect(sock.peers()[0]!.queuedOut).toBe(1);
    sock.close();
    return { clock, sock };
  }

  it("close() keeps undelivered messages for `linger` ms, then drops them", async () => {
    const { clock, sock } = await lingering(500);
    clock.advance(499);
    expect(sock.peers()).toHaveLength(1);
    clock.advance(20);
    expect(sock.peers()).toEqual([]);
    expect(clock.timers).toBe(0);
  });

  it("linger -1 keeps them for as long as it takes", async () => {
    const { clock, sock } = await lingering(-1);
    clock.advance(3_600_000);
    expect(sock.peers()).toHaveLength(1);
    expect(clock.timers).toBe(1);
  });

  it("linger 0 drops them at close()", async () => {
    const { clock, sock } = await lingering(0);
    expect(sock.peers()).toEqual([]);
    expect(clock.timers).toBe(0);
  });
});
