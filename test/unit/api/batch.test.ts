/**
 * zmtp/batch (src/api/batch.ts): sendMany and receiveMany move many messages per promise and
 * keep what send() and receive() promise: order, whole messages, waiting while nothing can move.
 */
import { afterEach, describe, expect, it } from "vitest";
import { receiveMany, sendMany } from "../../../src/entries/batch.js";
import { Dealer, Pull, Push, Request, Router } from "../../../src/index.js";
import { Pipe, type Message, type OutgoingMessage, type PipeDriver } from "../../../src/sockets/pipe.js";
import { Server as DraftServer } from "../../../src/entries/draft.js";

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.close();
});

async function pair(transport: "tcp" | "inproc"): Promise<{ push: Push; pull: Pull }> {
  const pull = new Pull();
  const push = new Push();
  open.push(push, pull);
  await pull.bind(transport === "tcp" ? "tcp://127.0.0.1:*" : `inproc://batch-${Math.random()}`);
  push.connect(pull.lastEndpoint!);
  return { push, pull };
}

describe("zmtp/batch", () => {
  for (const transport of ["tcp", "inproc"] as const) {
    it(`sendMany delivers every message in order and receiveMany hands them out whole (${transport})`, async () => {
      const { push, pull } = await pair(transport);
      const messages = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? [`m${i}`, "part"] : `m${i}`));
      const sent = sendMany(push, messages);
      const received: string[][] = [];
      let batches = 0;
      while (received.length < messages.length) {
        const batch = await receiveMany(pull);
        batches++;
        expect(batch.length).toBeGreaterThan(0);
        for (const msg of batch) received.push(msg.map(String));
      }
      await sent;
      expect(received).toEqual(messages.map((m) => (Array.isArray(m) ? m : [m])));
      // Many messages per promise: far fewer batches than messages.
      expect(batches).toBeLessThan(messages.length / 10);
    });
  }

  it("receiveMany takes at most max messages, and leaves the rest for the next call", async () => {
    const { push, pull } = await pair("inproc");
    await sendMany(push, ["a", "b", "c", "d", "e"]);
    expect((await receiveMany(pull, 2)).map(String)).toEqual(["a", "b"]);
    expect((await receiveMany(pull)).map(String)).toEqual(["c", "d", "e"]);
  });

  it("receiveMany waits while nothing is there, as receive() does", async () => {
    const { push, pull } = await pair("tcp");
    let batch: Buffer[][] | null = null;
    const pending = receiveMany(pull).then((b) => (batch = b));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batch).toBeNull();
    await push.send("late");
    await pending;
    expect(batch!.map(String)).toEqual(["late"]);
  });

  it("a Buffer changed after sendMany resolves does not change what was sent (small frames are copied)", async () => {
    const { push, pull } = await pair("inproc");
    const buffers = [Buffer.from("one"), Buffer.from("two")];
    await sendMany(push, buffers);
    for (const b of buffers) b.fill("x");
    expect((await receiveMany(pull)).map(String)).toEqual(["one", "two"]);
  });

  it("sendMany and receiveMany refuse draft sockets, whose messages carry an envelope", async () => {
    const server = new DraftServer();
    open.push(server);
    await expect(receiveMany(server as never)).rejects.toMatchObject({ code: "ENOTSUP" });
  });

  it("sendMany stops at the high-water mark mid-batch and sends the rest as the receiver reads", async () => {
    // inproc holds SNDHWM + RCVHWM messages: 4 of the 20, the others wait as a send() would.
    const pull = new Pull({ receiveHighWaterMark: 2 });
    const push = new Push({ sendHighWaterMark: 2 });
    open.push(push, pull);
    await pull.bind(`inproc://batch-hwm-${Math.random()}`);
    push.connect(pull.lastEndpoint!);
    const messages = Array.from({ length: 20 }, (_, i) => `m${i}`);
    let resolved = false;
    const sent = sendMany(push, messages).then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resolved).toBe(false);
    const received: string[] = [];
    while (received.length < messages.length) for (const msg of await receiveMany(pull)) received.push(String(msg));
    await sent;
    expect(received).toEqual(messages);
  });

  it("sendMany over tcp waits at the high-water mark, losing nothing, until the receiver reads", async () => {
    const pull = new Pull({ receiveHighWaterMark: 1 });
    const push = new Push({ sendHighWaterMark: 1 });
    open.push(push, pull);
    await pull.bind("tcp://127.0.0.1:*");
    push.connect(pull.lastEndpoint!);
    // 200 MB: far more than the HWMs and the kernel's buffers hold while nobody reads.
    const messages = Array.from({ length: 400 }, (_, i) => Buffer.alloc(512 * 1024, i & 0xff));
    let resolved = false;
    const sent = sendMany(push, messages).then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resolved).toBe(false);
    let count = 0;
    while (count < messages.length) {
      for (const msg of await receiveMany(pull)) {
        expect(msg).toHaveLength(1);
        expect(msg[0]!.length).toBe(512 * 1024);
        expect(msg[0]![0]).toBe(count & 0xff);
        count++;
      }
    }
    await sent;
    expect(resolved).toBe(true);
  });

  it("sendMany across several peers deals the messages round robin, as send() does", async () => {
    const push = new Push();
    open.push(push);
    const pulls = [new Pull(), new Pull(), new Pull()];
    for (const pull of pulls) {
      open.push(pull);
      await pull.bind(`inproc://batch-peers-${Math.random()}`);
      push.connect(pull.lastEndpoint!);
    }
    await sendMany(
      push,
      Array.from({ length: 30 }, (_, i) => `${i}`),
    );
    const got: number[][] = [];
    for (const pull of pulls) got.push((await receiveMany(pull)).map((m) => Number(String(m[0]))));
    for (const numbers of got) {
      expect(numbers).toHaveLength(10);
      // One peer in turn: each gets every third message, in order.
      for (let i = 1; i < numbers.length; i++) expect(numbers[i]! - numbers[i - 1]!).toBe(3);
    }
    expect(got.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it("sendMany waiting at the high-water mark rejects when the socket closes, as a waiting send() does", async () => {
    async function waitingThenClosed(send: (push: Push) => Promise<void>): Promise<unknown> {
      const pull = new Pull({ receiveHighWaterMark: 1 });
      const push = new Push({ sendHighWaterMark: 1 });
      open.push(pull);
      await pull.bind(`inproc://batch-close-${Math.random()}`);
      push.connect(pull.lastEndpoint!);
      const pending = send(push).then(
        () => null,
        (err: unknown) => err,
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
      push.close();
      return pending;
    }
    const viaSend = await waitingThenClosed(async (push) => {
      for (let i = 0; i < 10; i++) await push.send(`m${i}`);
    });
    const viaBatch = await waitingThenClosed((push) =>
      sendMany(
        push,
        Array.from({ length: 10 }, (_, i) => `m${i}`),
      ),
    );
    expect(viaSend).toBeInstanceOf(Error);
    expect(viaBatch).toBeInstanceOf(Error);
    const shape = (err: unknown) => {
      const e = err as Error & { code?: unknown; errno?: unknown };
      return { message: e.message, code: e.code, errno: e.errno };
    };
    expect(shape(viaBatch)).toEqual(shape(viaSend));
  });

  it("sendMany and receiveMany on a closed socket reject as send() and receive() do", async () => {
    const { push, pull } = await pair("inproc");
    push.close();
    pull.close();
    // zeromq.js's send() and receive() throw at once on a closed socket; the batch calls reject.
    const messageOf = (call: () => unknown) => {
      try {
        call();
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error("did not throw");
    };
    const sendErr = messageOf(() => push.send("x"));
    const receiveErr = messageOf(() => pull.receive());
    await expect(sendMany(push, ["x", "y"])).rejects.toThrow(sendErr as string);
    await expect(sendMany(push, [[]])).rejects.toThrow(sendErr as string);
    await expect(receiveMany(pull)).rejects.toThrow(receiveErr as string);
  });
});

describe("zmtp/batch on DEALER and REQ", () => {
  it("DEALER to DEALER over tcp: every message in order, both ways", async () => {
    const a = new Dealer();
    const b = new Dealer();
    open.push(a, b);
    await a.bind("tcp://127.0.0.1:*");
    b.connect(a.lastEndpoint!);
    const messages = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? [`d${i}`, "x"] : `d${i}`));
    const expected = messages.map((m) => (Array.isArray(m) ? m : [m]));
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const sent = sendMany(from, messages);
      const received: string[][] = [];
      while (received.length < messages.length) for (const msg of await receiveMany(to)) received.push(msg.map(String));
      await sent;
      expect(received).toEqual(expected);
    }
  });

  it("a REQ's sendMany sends one request, then waits for the reply to be received, as send() does", async () => {
    const router = new Router();
    const req = new Request();
    open.push(router, req);
    await router.bind(`inproc://batch-req-${Math.random()}`);
    req.connect(router.lastEndpoint!);
    let resolved = false;
    const sent = sendMany(req, ["one", "two"]).then(() => (resolved = true));
    const [first] = await receiveMany(router);
    expect(first!.slice(1).map(String)).toEqual(["", "one"]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(resolved).toBe(false);
    await router.send([first![0]!, "", "reply"]);
    expect((await req.receive()).map(String)).toEqual(["reply"]);
    await sent;
    const [second] = await receiveMany(router);
    expect(second!.slice(1).map(String)).toEqual(["", "two"]);
  });
});

describe("Pipe.writeMany and readMany (zmtp/batch's path through a pipe)", () => {
  const owner = { pipeReadable: () => {}, pipeWritable: () => {} };

  /** A driver that takes at once the first `accepts` messages offered, then pushes back. */
  function engineLike(accepts: number) {
    const taken: OutgoingMessage[] = [];
    const driver: PipeDriver = {
      outboundReady: () => {},
      inboundSpace: () => {},
      takeNow(msg) {
        if (taken.length >= accepts) return false;
        taken.push(msg);
        return true;
      },
      takeMany(msgs, from, to) {
        const n = Math.max(0, Math.min(to - from, accepts - taken.length));
        for (let i = from; i < from + n; i++) taken.push(msgs[i]!);
        return n;
      },
    };
    return { taken, driver };
  }

  it("writeMany gives a run to an idle driver, then queues up to the high-water mark and stops", () => {
    const pipe = new Pipe(owner, "tcp://x", 3, 3);
    const { taken, driver } = engineLike(5);
    pipe.driver = driver;
    const msgs = Array.from({ length: 10 }, (_, i) => Buffer.from(`m${i}`));
    // 5 taken at once; the writer has heard of 4 of them (every low-water mark, 2), so one
    // counts against SNDHWM and 2 more queue, as five write()s would leave it. 3 wait.
    expect(pipe.writeMany(msgs, 0, 10)).toBe(7);
    expect(taken.map(String)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    expect(pipe.outboundLength).toBe(2);
    expect(pipe.writable).toBe(false);
    expect(pipe.takeOutbound()!.map(String)).toEqual(["m5"]);
  });

  it("writeMany counts what the driver took as write() and takeOutbound() would", () => {
    // Taken one by one, the writer hears of reads every low-water mark (2 for an HWM of 3).
    const one = new Pipe(owner, "tcp://x", 3, 3);
    const many = new Pipe(owner, "tcp://x", 3, 3);
    one.driver = engineLike(5).driver;
    many.driver = engineLike(5).driver;
    for (let i = 0; i < 5; i++) one.write([Buffer.from("m")]);
    many.writeMany(
      Array.from({ length: 5 }, () => Buffer.from("m")),
      0,
      5,
    );
    for (let i = 0; i < 3; i++) {
      expect(many.writable).toBe(one.writable);
      one.write([Buffer.from("q")]);
      many.write([Buffer.from("q")]);
    }
    expect(many.writable).toBe(one.writable);
    expect(many.outboundLength).toBe(one.outboundLength);
  });

  it("writeMany copies the small frames of messages it queues, as write() does", () => {
    const pipe = new Pipe(owner, "tcp://x", 0, 0);
    pipe.driver = engineLike(0).driver;
    const frame = Buffer.from("abc");
    pipe.writeMany([frame, [frame, frame]], 0, 2);
    frame.fill("x");
    expect(pipe.takeOutbound()!.map(String)).toEqual(["abc"]);
    expect(pipe.takeOutbound()!.map(String)).toEqual(["abc", "abc"]);
  });

  it("readMany reads up to max and wakes the driver at the low-water mark as read() does", () => {
    let space = 0;
    const pipe = new Pipe(owner, "tcp://x", 4, 4);
    pipe.driver = { outboundReady: () => {}, inboundSpace: () => void space++ };
    const deliver = (n: number) => {
      for (let i = 0; i < n; i++) pipe.deliver([Buffer.from(`m${i}`)]);
    };
    deliver(4);
    expect(pipe.acceptsInbound).toBe(false);
    const into: Message[] = [];
    expect(pipe.readMany(into, 3)).toBe(3);
    expect(into.map(String)).toEqual(["m0", "m1", "m2"]);
    // The low-water mark (2) was passed once: the full pipe accepts again, the driver is told once.
    expect(space).toBe(1);
    expect(pipe.acceptsInbound).toBe(true);
    expect(pipe.readMany(into, 10)).toBe(1);
    expect(pipe.readMany(into, 10)).toBe(0);
  });
});
