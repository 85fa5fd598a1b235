import { afterEach, describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { Context, Pull, Push, Dealer, Reply, Request, Router, type Socket } from "../../../src/index.js";

const open: Array<{ close(): void; linger: number }> = [];
function track<T extends { close(): void; linger: number }>(s: T): T {
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) {
    try {
      s.linger = 0;
      s.close();
    } catch {
      // already closed
    }
  }
});

function waitEvent(socket: Socket, type: "handshake" | "disconnect", count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = () => {
      seen += 1;
      if (seen === count) {
        socket.events.off(type, listener);
        resolve();
      }
    };
    socket.events.on(type, listener);
  });
}

async function drain(pull: { receive(): Promise<Buffer[]> }, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) into.push(Number((await pull.receive())[0]!.toString()));
}

async function sendRange(push: Push, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await push.send(String(i));
}

/** Resolves once `pull` has nothing more within `ms`. */
async function quiet(pull: Pull, into: number[], ms = 150): Promise<void> {
  pull.receiveTimeout = ms;
  for (;;) {
    try {
      into.push(Number((await pull.receive())[0]!.toString()));
    } catch {
      pull.receiveTimeout = -1;
      return;
    }
  }
}

describe("failover tiers", () => {
  it("PUSH sends round robin to the primaries, fails over to the backup when both are gone, and fails back", async () => {
    const primaryA = track(new Pull());
    const primaryB = track(new Pull());
    const backup = track(new Pull());
    await primaryA.bind("tcp://127.0.0.1:*");
    await primaryB.bind("tcp://127.0.0.1:*");
    await backup.bind("tcp://127.0.0.1:*");
    const endpointA = primaryA.lastEndpoint!;
    const push = track(new Push());
    const connected = waitEvent(push, "handshake", 3);
    push.failoverTier = 0;
    push.connect(endpointA);
    push.failoverTier = 0;
    push.connect(primaryB.lastEndpoint!);
    push.failoverTier = 1;
    push.connect(backup.lastEndpoint!);
    await connected;

    await sendRange(push, 0, 100);
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([drain(primaryA, 50, a), drain(primaryB, 50, b)]);
    const backupSeen: number[] = [];
    await quiet(backup, backupSeen, 100);
    expect(backupSeen).toEqual([]);
    expect(a.every((n) => n % 2 === a[0]! % 2)).toBe(true);

    const gone = waitEvent(push, "disconnect", 2);
    primaryA.close();
    primaryB.close();
    await gone;
    await sendRange(push, 100, 200);
    await drain(backup, 100, backupSeen);
    expect(backupSeen).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));

    const restarted = track(new Pull());
    const back = waitEvent(push, "handshake");
    await restarted.bind(endpointA);
    await back;
    await sendRange(push, 200, 300);
    const again: number[] = [];
    await drain(restarted, 100, again);
    await quiet(backup, backupSeen, 100);
    expect(again).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
    const all = [...a, ...b, ...backupSeen, ...again].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it("a primary at its high-water mark overflows to the backup, and traffic returns when it drains", async () => {
    const context = new Context();
    const primary = track(new Pull({ context, receiveHighWaterMark: 5 }));
    const backup = track(new Pull({ context }));
    await primary.bind("inproc://primary");
    await backup.bind("inproc://backup");
    const push = track(new Push({ context, sendHighWaterMark: 5 }));
    push.connect("inproc://primary");
    push.failoverTier = 1;
    push.connect("inproc://backup");

    await sendRange(push, 0, 50);
    const fromBackup: number[] = [];
    await quiet(backup, fromBackup, 50);
    // inproc holds sender SNDHWM + receiver RCVHWM = 10 messages for the stalled primary.
    expect(fromBackup).toEqual(Array.from({ length: 40 }, (_, i) => 10 + i));
    const queued = push.peers().find((p) => p.endpoint === "inproc://primary")!;
    expect(queued).toMatchObject({ priority: 0, connected: true, queuedOut: 5, sendHighWaterMark: 5 });

    const fromPrimary: number[] = [];
    await drain(primary, 10, fromPrimary);
    await sendRange(push, 50, 55);
    await drain(primary, 5, fromPrimary);
    expect(fromPrimary).toEqual([...Array.from({ length: 10 }, (_, i) => i), 50, 51, 52, 53, 54]);
  });

  it("DEALER fails over between libzmq ROUTER peers, which need no support for it", async () => {
    const primary = track(new zmq.Router());
    const backup = track(new zmq.Router());
    await primary.bind("tcp://127.0.0.1:*");
    await backup.bind("tcp://127.0.0.1:*");
    const dealer = track(new Dealer({ routingId: "d1" }));
    const ready = waitEvent(dealer, "handshake", 2);
    dealer.connect(primary.lastEndpoint!);
    dealer.failoverTier = 2;
    dealer.connect(backup.lastEndpoint!);
    await ready;
    await dealer.send("one");
    const [id, body] = await primary.receive();
    expect([id!.toString(), body!.toString()]).toEqual(["d1", "one"]);

    const gone = waitEvent(dealer, "disconnect");
    primary.close();
    await gone;
    await dealer.send("two");
    const [id2, body2] = await backup.receive();
    expect([id2!.toString(), body2!.toString()]).toEqual(["d1", "two"]);
  });

  it("a REQ whose primary died is not resent, and its next request goes to the backup tier", async () => {
    const primary = track(new Reply());
    const backup = track(new Reply());
    await primary.bind("tcp://127.0.0.1:*");
    await backup.bind("tcp://127.0.0.1:*");
    const req = track(new Request({ relaxed: true, correlate: true }));
    const ready = waitEvent(req, "handshake", 2);
    req.connect(primary.lastEndpoint!);
    req.failoverTier = 1;
    req.connect(backup.lastEndpoint!);
    await ready;
    await req.send("first");
    expect((await primary.receive())[0]!.toString()).toBe("first");
    const gone = waitEvent(req, "disconnect");
    primary.close();
    await gone;
    await req.send("second");
    backup.receiveTimeout = 1000;
    const got = (await backup.receive()).map(String);
    expect(got).toEqual(["second"]);
    await backup.send("answer");
    expect((await req.receive()).map(String)).toEqual(["answer"]);
  });

  it("peers() lists endpoint, tier, routing id and queue sizes; a bad priority is EINVAL", async () => {
    const router = track(new Router());
    await router.bind("tcp://127.0.0.1:*");
    const dealer = track(new Dealer({ routingId: "x" }));
    const ready = waitEvent(router, "handshake");
    dealer.failoverTier = 3;
    dealer.connect(router.lastEndpoint!);
    await ready;
    await dealer.send("hello");
    await router.receive();
    expect(dealer.peers()).toMatchObject([{ endpoint: router.lastEndpoint, priority: 3, connected: true, queuedOut: 0 }]);
    expect(router.peers()[0]!.routingId!.toString()).toBe("x");
    expect(() => {
      dealer.failoverTier = -1;
    }).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });
});
