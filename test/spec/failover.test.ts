/**
 * Failover tiers, zmtp's extension of RFC 28 / RFC 30 load balancing: a socket routes "to
 * available peers using a round-robin strategy" within the best tier that has an available peer,
 * and falls back to the next tier only when none has. Peers need no support for it (libzmq peers
 * included). Through the public API, over every transport.
 */
import { describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { Context, Dealer, Pull, Push, Reply, Request, Router } from "../../src/index.js";
import { TRANSPORTS, WIRE_TRANSPORTS, bindAgain, connectedPeers, joined, useHarness } from "../helpers/sockets.js";
import { until } from "../helpers/time.js";

const h = useHarness();

async function drain(pull: { receive(): Promise<Buffer[]> }, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) into.push(Number((await pull.receive())[0]!.toString()));
}

async function sendRange(push: Push, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await push.send(String(i));
}

/** Collects what `pull` has until `ms` pass without a message (the point: nothing more comes). */
async function quiet(pull: Pull, into: number[], ms = 150): Promise<void> {
  const before = pull.receiveTimeout;
  pull.receiveTimeout = ms;
  try {
    for (;;) into.push(Number((await pull.receive())[0]!.toString()));
  } catch {
    // EAGAIN: quiet
  } finally {
    pull.receiveTimeout = before;
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe.each(TRANSPORTS)("failover tiers over %s", (transport) => {
  it("PUSH sends round robin to the primaries, fails over to the backup when both are gone, and fails back", async () => {
    const primaryA = h.open(Pull);
    const primaryB = h.open(Pull);
    const backup = h.open(Pull);
    const endpointA = await h.bound(primaryA, transport);
    const endpointB = await h.bound(primaryB, transport);
    const endpointBackup = await h.bound(backup, transport);
    const push = h.open(Push);
    push.failoverTier = 0;
    push.connect(endpointA);
    push.connect(endpointB);
    push.failoverTier = 1;
    push.connect(endpointBackup);
    await joined(push, 3);

    await sendRange(push, 0, 100);
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([drain(primaryA, 50, a), drain(primaryB, 50, b)]);
    const backupSeen: number[] = [];
    await quiet(backup, backupSeen, 100);
    expect(backupSeen).toEqual([]);
    expect(a.every((n) => n % 2 === a[0]! % 2)).toBe(true);

    primaryA.close();
    primaryB.close();
    await until(() => connectedPeers(push) === 1, undefined, "both primaries gone");
    await sendRange(push, 100, 200);
    await drain(backup, 100, backupSeen);
    expect(backupSeen).toEqual(range(100, 200));

    const restarted = h.open(Pull);
    await bindAgain(restarted, endpointA);
    await joined(push, 2);
    await sendRange(push, 200, 300);
    const again: number[] = [];
    await drain(restarted, 100, again);
    await quiet(backup, backupSeen, 100);
    expect(again).toEqual(range(200, 300));
    expect([...a, ...b, ...backupSeen, ...again].sort((x, y) => x - y)).toEqual(range(0, 300));
  });

  it("a REQ whose primary died is not resent, and its next request goes to the backup tier", async () => {
    const primary = h.open(Reply);
    const backup = h.open(Reply);
    const req = h.open(Request, { relaxed: true, correlate: true });
    req.connect(await h.bound(primary, transport));
    req.failoverTier = 1;
    req.connect(await h.bound(backup, transport));
    await joined(req, 2);
    await req.send("first");
    expect((await primary.receive())[0]!.toString()).toBe("first");
    primary.close();
    await until(() => connectedPeers(req) === 1, undefined, "the primary gone");
    await req.send("second");
    expect((await backup.receive()).map(String)).toEqual(["second"]);
    await backup.send("answer");
    expect((await req.receive()).map(String)).toEqual(["answer"]);
  });

  it("peers() lists endpoint, tier, routing id and queue sizes; a bad tier is EINVAL", async () => {
    const router = h.open(Router);
    const dealer = h.open(Dealer, { routingId: "x" });
    const ep = await h.bound(router, transport);
    dealer.failoverTier = 3;
    dealer.connect(ep);
    await dealer.send("hello");
    await router.receive();
    expect(dealer.peers()).toMatchObject([{ endpoint: ep, priority: 3, connected: true, queuedOut: 0 }]);
    expect(router.peers()[0]!.routingId!.toString()).toBe("x");
    expect(() => {
      dealer.failoverTier = -1;
    }).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });
});

// inproc's shared pipe makes the primary's bound exact (SNDHWM + RCVHWM), so where the overflow
// starts is known to the message.
describe("failover at the high-water mark over inproc", () => {
  it("a primary at its high-water mark overflows to the backup, and traffic returns when it drains", async () => {
    const context = new Context();
    const primary = h.track(new Pull({ context, receiveHighWaterMark: 5 }));
    const backup = h.track(new Pull({ context }));
    await primary.bind("inproc://primary");
    await backup.bind("inproc://backup");
    const push = h.track(new Push({ context, sendHighWaterMark: 5 }));
    push.connect("inproc://primary");
    push.failoverTier = 1;
    push.connect("inproc://backup");

    await sendRange(push, 0, 50);
    const fromBackup: number[] = [];
    await quiet(backup, fromBackup, 50);
    expect(fromBackup).toEqual(range(10, 50));
    const queued = push.peers().find((p) => p.endpoint === "inproc://primary")!;
    expect(queued).toMatchObject({ priority: 0, connected: true, queuedOut: 5, sendHighWaterMark: 5 });

    const fromPrimary: number[] = [];
    await drain(primary, 10, fromPrimary);
    await sendRange(push, 50, 55);
    await drain(primary, 5, fromPrimary);
    expect(fromPrimary).toEqual([...range(0, 10), 50, 51, 52, 53, 54]);
  });
});

describe.each(WIRE_TRANSPORTS)("failover to libzmq peers over %s", (transport) => {
  it("DEALER fails over between libzmq ROUTER peers, which need no support for it", async () => {
    const primary = h.track(new zmq.Router({ linger: 0 }));
    const backup = h.track(new zmq.Router({ linger: 0 }));
    await primary.bind(h.bindAddress(transport));
    await backup.bind(h.bindAddress(transport));
    const dealer = h.open(Dealer, { routingId: "d1" });
    dealer.connect(primary.lastEndpoint!);
    dealer.failoverTier = 2;
    dealer.connect(backup.lastEndpoint!);
    await joined(dealer, 2);
    await dealer.send("one");
    const [id, body] = await primary.receive();
    expect([id!.toString(), body!.toString()]).toEqual(["d1", "one"]);

    primary.close();
    await until(() => connectedPeers(dealer) === 1, undefined, "the primary gone");
    await dealer.send("two");
    const [id2, body2] = await backup.receive();
    expect([id2!.toString(), body2!.toString()]).toEqual(["d1", "two"]);
  });
});
