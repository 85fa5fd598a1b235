/**
 * Reconnect, immediate and linger over tcp and ipc with our implementation on both sides (notes
 * §11, §5.9). The socket's clock is a FakeClock wherever a timer decides the outcome, so nothing
 * waits for a reconnect interval; real time only carries the connections themselves.
 */
import { describe, expect, it } from "vitest";
import { Dealer, Pull, Push, Router, type Socket } from "../../../src/index.js";
import { socketInternals } from "../../../src/internal.js";
import { FakeClock } from "../../helpers/fake-clock.js";
import {
  WIRE_TRANSPORTS,
  bindAgain,
  collectEvents,
  expectNothing,
  nextEvent,
  text,
  useHarness,
} from "../../helpers/sockets.js";
import { until } from "../../helpers/time.js";

const h = useHarness();
const RECONNECT_MS = 50;

/** Puts `socket` on a fake clock: its reconnect and linger timers run only when the test says. */
function fakeClock(socket: Socket): FakeClock {
  const clock = new FakeClock();
  socketInternals(socket).clock = clock;
  return clock;
}

describe.each(WIRE_TRANSPORTS)("connect before bind over %s", (transport) => {
  it("a DEALER connected before the ROUTER binds delivers the messages sent before the peer existed", async () => {
    const ep = await h.unboundEndpoint(transport);
    const dealer = h.open(Dealer, { routingId: "early", reconnectInterval: RECONNECT_MS });
    const retried = nextEvent(dealer, "connect:retry");
    dealer.connect(ep);
    await dealer.send("before-1");
    await dealer.send(["before-2", "multi"]);
    await retried; // at least one attempt failed: the peer really did not exist yet
    const router = h.open(Router);
    await router.bind(ep);
    expect(text(await router.receive())).toEqual(["early", "before-1"]);
    expect(text(await router.receive())).toEqual(["early", "before-2", "multi"]);
    await router.send(["early", "welcome"]);
    expect(text(await dealer.receive())).toEqual(["welcome"]);
  });
});

describe.each(WIRE_TRANSPORTS)("reconnect after the bound peer restarts over %s", (transport) => {
  it("PUSH reconnects to a PULL closed and bound again on the same endpoint and delivers what was sent meanwhile", async () => {
    const first = h.open(Pull);
    const ep = await h.bound(first, transport);
    const push = h.open(Push, { reconnectInterval: RECONNECT_MS });
    push.connect(ep);
    await push.send("before");
    expect(text(await first.receive())).toEqual(["before"]);

    const disconnected = nextEvent(push, "disconnect");
    first.close();
    await disconnected;
    for (let i = 0; i < 3; i++) await push.send(`down-${i}`);

    const second = h.open(Pull);
    await bindAgain(second, ep);
    for (let i = 0; i < 3; i++) expect(text(await second.receive())).toEqual([`down-${i}`]);
    await push.send("after");
    expect(text(await second.receive())).toEqual(["after"]);
  });

  it("DEALER reconnects to a ROUTER closed and bound again, keeping its routing id and queued messages", async () => {
    const first = h.open(Router);
    const ep = await h.bound(first, transport);
    const dealer = h.open(Dealer, { routingId: "d", reconnectInterval: RECONNECT_MS });
    dealer.connect(ep);
    await dealer.send("ping-0");
    expect(text(await first.receive())).toEqual(["d", "ping-0"]);

    const disconnected = nextEvent(dealer, "disconnect");
    first.close();
    await disconnected;
    await dealer.send(["queued", "1"]);

    const second = h.open(Router);
    const handshaken = nextEvent(dealer, "handshake");
    await bindAgain(second, ep);
    expect(text(await second.receive())).toEqual(["d", "queued", "1"]);
    await handshaken;
    await second.send(["d", "pong"]);
    expect(text(await dealer.receive())).toEqual(["pong"]);
  });

  it("after an established connection dies, the first retry waits one interval and says so in connect:retry", async () => {
    const pull = h.open(Pull);
    const ep = await h.bound(pull, transport);
    const push = h.open(Push, { reconnectInterval: 200 });
    const handshaken = nextEvent(push, "handshake");
    push.connect(ep);
    await handshaken;
    const retry = nextEvent(push, "connect:retry");
    pull.close();
    const event = await retry;
    expect(event.address).toBe(ep);
    // libzmq without reconnectMaxInterval: IVL + rand() % IVL.
    expect(event.interval).toBeGreaterThanOrEqual(200);
    expect(event.interval).toBeLessThan(400);
  });
});

describe.each(WIRE_TRANSPORTS)("immediate over %s", (transport) => {
  it("immediate: true -> send with sendTimeout 0 and no completed connection gives EAGAIN, also after a failed retry", async () => {
    const ep = await h.unboundEndpoint(transport);
    const dealer = h.open(Dealer, { immediate: true, sendTimeout: 0, reconnectInterval: RECONNECT_MS });
    const retried = nextEvent(dealer, "connect:retry");
    dealer.connect(ep);
    await expect(dealer.send("nobody yet")).rejects.toMatchObject({ code: "EAGAIN" });
    await retried;
    await expect(dealer.send("still nobody")).rejects.toMatchObject({ code: "EAGAIN" });

    // Once a peer has completed the handshake the same send goes through.
    const router = h.open(Router);
    const handshaken = nextEvent(dealer, "handshake");
    await router.bind(ep);
    await handshaken;
    await dealer.send("now");
    expect(text(await router.receive()).slice(1)).toEqual(["now"]);
  });

  it("immediate: false (default) -> the same send is queued at once", async () => {
    const ep = await h.unboundEndpoint(transport);
    const dealer = h.open(Dealer, { sendTimeout: 0, reconnectInterval: RECONNECT_MS });
    dealer.connect(ep);
    await expect(dealer.send("queued")).resolves.toBeUndefined();
  });

  it("immediate: true -> a send waiting for a peer completes when the handshake does", async () => {
    const ep = await h.unboundEndpoint(transport);
    const push = h.open(Push, { immediate: true, reconnectInterval: RECONNECT_MS });
    const retried = nextEvent(push, "connect:retry");
    push.connect(ep);
    const waiting = push.send("waited");
    await retried;
    const pull = h.open(Pull);
    await pull.bind(ep);
    await waiting;
    expect(text(await pull.receive())).toEqual(["waited"]);
  });
});

describe("reconnectInterval <= 0 disables reconnection (tcp)", () => {
  it("reconnectInterval -1 -> a failed first attempt is not retried", async () => {
    const ep = await h.unboundEndpoint("tcp");
    const dealer = h.open(Dealer, { reconnectInterval: -1 });
    const clock = fakeClock(dealer);
    const retries = collectEvents(dealer, "connect:retry");
    const closed = nextEvent(dealer, "close");
    dealer.connect(ep);
    await dealer.send("never delivered");
    await closed;
    expect(clock.timers).toBe(0);
    const router = h.open(Router);
    await router.bind(ep);
    await expectNothing(router, 300);
    expect(retries).toEqual([]);
  });

  // zeromq.js 6 / libzmq 4.3.5 make no retry for any value <= 0 (0 is not "retry at once").
  it("reconnectInterval 0 -> no retry either", async () => {
    const ep = await h.unboundEndpoint("tcp");
    const dealer = h.open(Dealer, { reconnectInterval: 0 });
    const clock = fakeClock(dealer);
    const retries = collectEvents(dealer, "connect:retry");
    const closed = nextEvent(dealer, "close");
    dealer.connect(ep);
    await closed;
    expect(clock.timers).toBe(0);
    clock.advance(10_000);
    expect(retries).toEqual([]);
  });

  it("reconnectInterval -1 -> a lost connection is not re-established", async () => {
    const first = h.open(Pull);
    const ep = await h.bound(first, "tcp");
    const push = h.open(Push, { reconnectInterval: -1 });
    const clock = fakeClock(push);
    const handshaken = nextEvent(push, "handshake");
    push.connect(ep);
    await handshaken;
    const retries = collectEvents(push, "connect:retry");
    const connects = collectEvents(push, "connect");
    const disconnected = nextEvent(push, "disconnect");
    first.close();
    await disconnected;
    expect(clock.timers).toBe(0);
    const second = h.open(Pull);
    await bindAgain(second, ep);
    await push.send("lost");
    await expectNothing(second, 300);
    expect(retries).toEqual([]);
    expect(connects).toEqual([]);
  });
});

describe("linger, end to end (tcp, fake clock)", () => {
  /** A PUSH dialling a closed port, with two messages queued; its retries wait for the clock. */
  async function queuedPush(linger: number): Promise<{ push: Push; clock: FakeClock; ep: string }> {
    const ep = await h.unboundEndpoint("tcp");
    const push = new Push({ context: h.ctx, linger, reconnectInterval: RECONNECT_MS });
    const clock = fakeClock(push);
    const retried = nextEvent(push, "connect:retry");
    push.connect(ep);
    await push.send("kept-1");
    await push.send("kept-2");
    await retried;
    return { push, clock, ep };
  }

  it("close() with queued messages and linger -1 still delivers them to a peer that appears after the close", async () => {
    const { push, clock, ep } = await queuedPush(-1);
    push.close();
    const pull = h.open(Pull);
    await pull.bind(ep);
    clock.advance(2 * RECONNECT_MS); // the pending retry dials the new peer
    expect(text(await pull.receive())).toEqual(["kept-1"]);
    expect(text(await pull.receive())).toEqual(["kept-2"]);
  });

  it("close() with linger 0 drops queued messages and dials no more", async () => {
    const { push, clock, ep } = await queuedPush(0);
    push.close();
    expect(clock.timers).toBe(0);
    const pull = h.open(Pull);
    await pull.bind(ep);
    await expectNothing(pull, 300);
  });

  it("close() with a finite linger gives up after that long: a peer that appears later gets nothing", async () => {
    const { push, clock, ep } = await queuedPush(RECONNECT_MS);
    push.close();
    clock.advance(RECONNECT_MS + 20); // past the linger; the retry was due later
    await until(() => clock.timers === 0, undefined, "the lingering socket ended");
    const pull = h.open(Pull);
    await pull.bind(ep);
    clock.advance(10 * RECONNECT_MS);
    await expectNothing(pull, 300);
  });
});
