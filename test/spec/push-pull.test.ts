/**
 * PUSH and PULL, as RFC 30 (PIPELINE) states them, through the public API with ours on both sides,
 * over every transport; high-water marks as libzmq counts them.
 */
import { describe, expect, it } from "vitest";
import { Pull, Push } from "../../src/index.js";
import {
  TRANSPORTS,
  expectNothing,
  fairRounds,
  joined,
  queuedIn,
  stillPending,
  text,
  useHarness,
} from "../helpers/sockets.js";
import { until, within } from "../helpers/time.js";

const h = useHarness();

describe.each(TRANSPORTS)("PUSH / PULL over %s", (transport) => {
  // RFC 30 PUSH: "SHALL route outgoing messages to available peers using a round-robin strategy".
  it("PUSH deals messages round-robin across 2 PULLs, one each in turn", async () => {
    const push = h.open(Push);
    const pull1 = h.open(Pull);
    const pull2 = h.open(Pull);
    const ep = await h.bound(push, transport);
    pull1.connect(ep);
    pull2.connect(ep);
    await joined(push, 2);
    for (let i = 0; i < 4; i++) await push.send(`m${i}`);
    const got1 = [text(await pull1.receive()), text(await pull1.receive())].flat();
    const got2 = [text(await pull2.receive()), text(await pull2.receive())].flat();
    // Which PULL comes first in the rotation is the order their handshakes finished.
    expect([got1.join(","), got2.join(",")].sort()).toEqual(["m0,m2", "m1,m3"]);
    await expectNothing(pull1, 50);
    await expectNothing(pull2, 50);
  });

  // RFC 30 PULL: "SHALL receive incoming messages from its peers using a fair-queuing strategy".
  it("PULL fair-queues from 2 PUSHes: one message from each in turn, each in its order", async () => {
    const pull = h.open(Pull);
    const pushA = h.open(Push);
    const pushB = h.open(Push);
    const ep = await h.bound(pull, transport);
    pushA.connect(ep);
    pushB.connect(ep);
    for (let i = 0; i < 3; i++) await pushA.send(`a${i}`);
    for (let i = 0; i < 3; i++) await pushB.send(`b${i}`);
    await until(() => queuedIn(pull) === 6, undefined, "all 6 messages queued at the PULL");
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(...text(await pull.receive()));
    expect(fairRounds(got, 2)).toEqual([
      ["a0", "b0"],
      ["a1", "b1"],
      ["a2", "b2"],
    ]);
  });

  // RFC 30 PUSH: "SHALL not filter or modify outgoing messages in any way": a multipart message stays whole.
  it("PUSH keeps a multipart message together", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    push.connect(await h.bound(pull, transport));
    await push.send(["a", "b", "c"]);
    await push.send("d");
    expect(text(await pull.receive())).toEqual(["a", "b", "c"]);
    expect(text(await pull.receive())).toEqual(["d"]);
  });

  // RFC 30 PUSH: "SHALL not accept further messages when it has no available peers", "SHALL NOT
  // discard messages that it cannot queue": a reader slower than the sender loses nothing.
  it("small HWMs on both sides with a slow reader lose nothing and keep order (backpressure)", async () => {
    const push = h.open(Push, { sendHighWaterMark: 2 });
    const pull = h.open(Pull, { receiveHighWaterMark: 2 });
    push.connect(await h.bound(pull, transport));
    const count = 3000;
    const payload = Buffer.alloc(1024, 0x61);
    let sent = 0;
    const sender = (async () => {
      for (; sent < count; sent++) await push.send([String(sent), payload]);
    })();
    // Read only once the PUSH is held back (or, where buffers hold it all, done).
    await until(() => sent === count || !push.writable, 5000, "the PUSH held back by the high-water marks");
    for (let i = 0; i < count; i++) {
      const [seq, body] = await pull.receive();
      if (seq!.toString() !== String(i) || body!.length !== 1024) {
        throw new Error(`message ${i}: got seq ${seq!.toString()} with ${body!.length} bytes`);
      }
    }
    await within(sender, 2000, "the last sends");
    await expectNothing(pull, 50);
  });

  it("PULL.readable is true exactly while a message is queued", async () => {
    const push = h.open(Push);
    const pull = h.open(Pull);
    push.connect(await h.bound(pull, transport));
    expect(pull.readable).toBe(false);
    await push.send("x");
    await until(() => pull.readable, 1000, "pull readable");
    await pull.receive();
    expect(pull.readable).toBe(false);
  });
});

// Over inproc the sender and the receiver share one pipe, so its bound is exactly SNDHWM + RCVHWM
// (libzmq's accounting); over a wire the kernel's buffers hold an unknown amount more.
describe("PUSH / PULL high-water marks over inproc", () => {
  // RFC 30 PUSH: "SHALL consider a peer as available only when it has a outgoing queue that is not full".
  it("PUSH SNDHWM 2 + PULL RCVHWM 2: the 5th send waits until the PULL reads, and nothing is lost", async () => {
    const push = h.open(Push, { sendHighWaterMark: 2 });
    const pull = h.open(Pull, { receiveHighWaterMark: 2 });
    push.connect(await h.bound(pull, "inproc"));
    for (let i = 1; i <= 4; i++) await push.send(`m${i}`);
    const fifth = push.send("m5");
    expect(await stillPending(fifth, 100)).toBe(true);
    const got: string[] = [];
    got.push(...text(await pull.receive()));
    got.push(...text(await pull.receive()));
    await within(fifth, 1000, "the 5th send once the PULL has read");
    for (let i = 0; i < 3; i++) got.push(...text(await pull.receive()));
    expect(got).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    await expectNothing(pull, 50);
  });

  // RFC 30 PUSH: "SHALL block on sending, or return a suitable error": with sendTimeout 0, the error.
  it("with sendTimeout 0 the 5th send fails with EAGAIN instead of waiting", async () => {
    const push = h.open(Push, { sendHighWaterMark: 2, sendTimeout: 0 });
    const pull = h.open(Pull, { receiveHighWaterMark: 2 });
    push.connect(await h.bound(pull, "inproc"));
    for (let i = 1; i <= 4; i++) await push.send(`m${i}`);
    await expect(push.send("m5")).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("PUSH.writable is false without peers, true with a pipe with room, false at HWM", async () => {
    const push = h.open(Push, { sendHighWaterMark: 1 });
    const pull = h.open(Pull, { receiveHighWaterMark: 1 });
    expect(push.writable).toBe(false);
    push.connect(await h.bound(pull, "inproc"));
    expect(push.writable).toBe(true);
    await push.send("1"); // moves to the PULL's inbound queue
    await push.send("2"); // stays in the PUSH's outbound queue
    expect(push.writable).toBe(false);
    await pull.receive();
    await pull.receive();
    expect(push.writable).toBe(true);
  });
});
