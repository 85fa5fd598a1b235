/**
 * What every socket type shares, as zeromq.js v6 defines the Socket API: busy and closed sockets,
 * send and receive timeouts, message frames, async iteration, readable / writable. Checked on
 * PUSH / PULL / DEALER (the type does not matter here), over every transport where a peer is
 * involved.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dealer, Pull, Push } from "../../src/index.js";
import { TRANSPORTS, expectNothing, failure, inproc, stillPending, text, useHarness } from "../helpers/sockets.js";
import { until, within } from "../helpers/time.js";

const h = useHarness();

/** Settles `promise` against the next macrotask: "rejected" only if it was rejected at once. */
async function rejectedAtOnce(promise: Promise<unknown>): Promise<unknown> {
  const nextTask = new Promise((resolve) => setImmediate(() => resolve("still pending after a macrotask")));
  return Promise.race([
    promise.then(
      () => "resolved",
      (err: unknown) => err,
    ),
    nextTask,
  ]);
}

describe("busy and closed sockets", () => {
  it("concurrent receive rejects with EBUSY", async () => {
    const pull = h.open(Pull);
    const first = pull.receive();
    first.catch(() => undefined);
    expect(await failure(() => pull.receive())).toMatchObject({ code: "EBUSY" });
  });

  it("concurrent send rejects with EBUSY", async () => {
    const push = h.open(Push);
    const first = push.send("waits: no peer");
    first.catch(() => undefined);
    expect(await failure(() => push.send("second"))).toMatchObject({ code: "EBUSY" });
  });

  it("send, receive, bind, connect and unbind after close fail with EBADF", async () => {
    const dealer = h.open(Dealer);
    dealer.close();
    expect(await failure(() => dealer.send("x"))).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.receive())).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.bind(inproc("closed")))).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.connect(inproc("closed")))).toMatchObject({ code: "EBADF" });
    expect(await failure(() => dealer.unbind(inproc("closed")))).toMatchObject({ code: "EBADF" });
  });

  it("a pending receive rejects with EAGAIN when the socket is closed", async () => {
    const pull = h.open(Pull, { receiveTimeout: -1 });
    const pending = pull.receive();
    pull.close();
    await expect(pending).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("a pending send rejects with EAGAIN when the socket is closed", async () => {
    const push = h.open(Push, { linger: 0 });
    const pending = push.send("nobody");
    push.close();
    await expect(pending).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("readable and writable are false on a closed socket", async () => {
    const dealer = h.open(Dealer);
    dealer.connect(inproc("nowhere"));
    expect(dealer.writable).toBe(true);
    dealer.close();
    expect(dealer.writable).toBe(false);
    expect(dealer.readable).toBe(false);
  });
});

describe("send and receive timeouts", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // The API layer times operations with the global timers: faked here, so the bound is exact.
  it("receiveTimeout makes a receive reject with EAGAIN after exactly that long", async () => {
    const pull = h.open(Pull, { receiveTimeout: 60 });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pending = pull.receive();
    pending.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(59);
    expect(await stillPendingNow(pending)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("sendTimeout makes a send with no peer reject with EAGAIN after exactly that long", async () => {
    const push = h.open(Push, { sendTimeout: 60 });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pending = push.send("x");
    pending.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(59);
    expect(await stillPendingNow(pending)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("sendTimeout 0 with no peer rejects with EAGAIN at once (before the next macrotask)", async () => {
    const push = h.open(Push, { sendTimeout: 0 });
    expect(await rejectedAtOnce(push.send("x"))).toMatchObject({ code: "EAGAIN" });
  });

  it("receiveTimeout 0 with nothing queued rejects with EAGAIN at once (before the next macrotask)", async () => {
    const pull = h.open(Pull, { receiveTimeout: 0 });
    expect(await rejectedAtOnce(pull.receive())).toMatchObject({ code: "EAGAIN" });
  });
});

/** Whether `promise` is still unsettled once the microtasks queued so far have run. */
async function stillPendingNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return !settled;
}

describe.each(TRANSPORTS)("waiting for a peer over %s", (transport) => {
  it("a send waiting for a peer completes when one connects", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    const waiting = push.send("waited");
    expect(await stillPending(waiting, 30)).toBe(true);
    push.connect(await h.bound(pull, transport));
    await waiting;
    expect(text(await pull.receive())).toEqual(["waited"]);
  });

  it("a send that timed out is never delivered later", async () => {
    const push = h.open(Push, { sendTimeout: 30 });
    const pull = h.open(Pull);
    await expect(push.send("expired")).rejects.toMatchObject({ code: "EAGAIN" });
    push.connect(await h.bound(pull, transport));
    await push.send("fresh");
    expect(text(await pull.receive())).toEqual(["fresh"]);
    await expectNothing(pull, 50);
  });

  // libzmq's ZMQ_IMMEDIATE: no pipe (so nowhere to queue) until a connection is complete.
  it("immediate: true -> no pipe before the peer is there, send with sendTimeout 0 gives EAGAIN; then it goes through", async () => {
    const push = h.open(Push, { immediate: true, sendTimeout: 0 });
    const ep = await h.unboundEndpoint(transport);
    push.connect(ep);
    await expect(push.send("too early")).rejects.toMatchObject({ code: "EAGAIN" });
    const pull = h.open(Pull);
    await pull.bind(ep);
    await until(() => push.writable, undefined, "the PUSH connected");
    await push.send("in time");
    expect(text(await pull.receive())).toEqual(["in time"]);
  });

  it("a timed-out receive does not leave the socket busy", async () => {
    const pull = h.open(Pull, { receiveTimeout: 20 });
    const push = h.open(Push);
    await expect(pull.receive()).rejects.toMatchObject({ code: "EAGAIN" });
    push.connect(await h.bound(pull, transport));
    await push.send("ok");
    pull.receiveTimeout = 1000;
    expect(text(await pull.receive())).toEqual(["ok"]);
  });
});

describe.each(TRANSPORTS)("message frames over %s", (transport) => {
  async function pair(): Promise<{ push: Push; pull: Pull }> {
    const push = h.open(Push);
    const pull = h.open(Pull);
    push.connect(await h.bound(pull, transport));
    return { push, pull };
  }

  it("Buffer, string (UTF-8), Uint8Array view with offset, ArrayBuffer, null (empty) and number (decimal string) arrive byte for byte, as Buffers", async () => {
    const { push, pull } = await pair();
    const view = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]).subarray(2, 5);
    const arrayBuffer = new Uint8Array([9, 8, 7]).buffer;
    await push.send([Buffer.from("buf"), "é", view, arrayBuffer, null, 42]);
    const msg = await pull.receive();
    expect(msg.map((f) => f.toString("hex"))).toEqual([
      Buffer.from("buf").toString("hex"),
      Buffer.from("é").toString("hex"),
      "020304",
      "090807",
      "",
      Buffer.from("42").toString("hex"),
    ]);
    for (const frame of msg) expect(Buffer.isBuffer(frame)).toBe(true);
  });

  it("a single non-array frame is a one-frame message", async () => {
    const { push, pull } = await pair();
    await push.send("solo");
    expect(text(await pull.receive())).toEqual(["solo"]);
  });

  it("any other frame value is sent as its string conversion, as zeromq.js does", async () => {
    const { push, pull } = await pair();
    await push.send([{ not: "a frame" }, true, 4.5] as never);
    expect(text(await pull.receive())).toEqual(["[object Object]", "true", "4.5"]);
  });

  it("for await (const [msg] of sock) yields messages and ends when the socket is closed", async () => {
    const { push, pull } = await pair();
    pull.receiveTimeout = -1;
    const seen: string[] = [];
    const loop = (async () => {
      for await (const [msg] of pull) seen.push(msg!.toString());
      return "ended";
    })();
    await push.send("one");
    await push.send("two");
    await until(() => seen.length === 2, 1000, "two messages iterated");
    pull.close();
    await expect(within(loop, 1000, "the iteration")).resolves.toBe("ended");
    expect(seen).toEqual(["one", "two"]);
  });
});
