import { describe, expect, it } from "vitest";
import { Pipe, type Message, type PipeDriver, type PipeOwner } from "../../../src/sockets/pipe.js";

/** Records what the pipe tells its socket and its connection. */
function recorder() {
  const calls = { readable: 0, writable: 0, outboundReady: 0, inboundSpace: 0 };
  const owner: PipeOwner = {
    pipeReadable: () => void calls.readable++,
    pipeWritable: () => void calls.writable++,
  };
  const driver: PipeDriver = {
    outboundReady: () => void calls.outboundReady++,
    inboundSpace: () => void calls.inboundSpace++,
  };
  return { calls, owner, driver };
}

function makePipe(sendHwm: number, receiveHwm: number) {
  const r = recorder();
  const pipe = new Pipe(r.owner, "inproc://test", sendHwm, receiveHwm);
  pipe.driver = r.driver;
  return { pipe, calls: r.calls };
}

const msg = (...frames: string[]): Message => frames.map((f) => Buffer.from(f));

describe("Pipe outbound (socket -> peer)", () => {
  it("counts the send HWM in messages: a multipart message counts once", () => {
    const { pipe } = makePipe(3, 3);
    pipe.write(msg("a", "b", "c", "d"));
    pipe.write(msg("e", "f"));
    expect(pipe.outboundLength).toBe(2);
    expect(pipe.writable).toBe(true);
    pipe.write(msg("g", "h", "i"));
    expect(pipe.outboundLength).toBe(3);
    expect(pipe.writable).toBe(false);
  });

  it("writable flips to false exactly at the send HWM", () => {
    const { pipe } = makePipe(4, 4);
    for (let i = 0; i < 3; i++) {
      pipe.write(msg(`m${i}`));
      expect(pipe.writable).toBe(true);
    }
    pipe.write(msg("m3"));
    expect(pipe.writable).toBe(false);
  });

  it("keeps messages in order and takeOutbound returns whole messages", () => {
    const { pipe } = makePipe(10, 10);
    pipe.write(msg("a", "1"));
    pipe.write(msg("b"));
    expect(pipe.takeOutbound()).toEqual(msg("a", "1"));
    expect(pipe.takeOutbound()).toEqual(msg("b"));
    expect(pipe.takeOutbound()).toBeUndefined();
  });

  it("tells the driver outboundReady only when the queue goes from empty to non-empty", () => {
    const { pipe, calls } = makePipe(10, 10);
    pipe.write(msg("a"));
    pipe.write(msg("b"));
    expect(calls.outboundReady).toBe(1);
    pipe.takeOutbound();
    pipe.takeOutbound();
    pipe.write(msg("c"));
    expect(calls.outboundReady).toBe(2);
  });

  it("fires owner.pipeWritable at the low-water mark (hwm+1)/2, not before (hwm 4 -> LWM 2)", () => {
    const { pipe, calls } = makePipe(4, 4);
    for (let i = 0; i < 4; i++) pipe.write(msg(`m${i}`));
    expect(pipe.writable).toBe(false);
    pipe.takeOutbound(); // 3 left: room for one, but above the LWM
    expect(calls.writable).toBe(0);
    pipe.takeOutbound(); // 2 left = LWM
    expect(calls.writable).toBe(1);
    pipe.takeOutbound();
    pipe.takeOutbound();
    expect(calls.writable).toBe(1);
  });

  it("the writer hears of the reader only every LWM messages, as in libzmq (hwm 5 -> LWM 3)", () => {
    const { pipe, calls } = makePipe(5, 5);
    for (let i = 0; i < 5; i++) pipe.write(msg(`m${i}`));
    pipe.takeOutbound();
    pipe.takeOutbound(); // 3 left, but the writer has not heard yet: still full
    expect(calls.writable).toBe(0);
    expect(pipe.writable).toBe(false);
    pipe.takeOutbound(); // 3 read: the reader reports, room for 3 again
    expect(calls.writable).toBe(1);
    expect(pipe.writable).toBe(true);
  });

  it("a writer that filled the pipe sees room only once the reader reported, not one message later", () => {
    const { pipe } = makePipe(4, 4);
    for (let i = 0; i < 4; i++) pipe.write(msg(`m${i}`));
    pipe.takeOutbound();
    // libzmq: a send retried right after an EAGAIN at the HWM fails again until the LWM is reached.
    expect(pipe.writable).toBe(false);
    pipe.takeOutbound();
    expect(pipe.writable).toBe(true);
  });

  it("does not fire pipeWritable when the queue never reached the HWM", () => {
    const { pipe, calls } = makePipe(4, 4);
    pipe.write(msg("a"));
    pipe.write(msg("b"));
    pipe.write(msg("c"));
    while (pipe.takeOutbound() !== undefined);
    expect(calls.writable).toBe(0);
  });

  it("fires pipeWritable again on each new fill-and-drain cycle", () => {
    const { pipe, calls } = makePipe(2, 2);
    for (let cycle = 1; cycle <= 3; cycle++) {
      pipe.write(msg("a"));
      pipe.write(msg("b"));
      expect(pipe.writable).toBe(false);
      while (pipe.takeOutbound() !== undefined);
      expect(calls.writable).toBe(cycle);
    }
  });

  it("send HWM 0 means unlimited", () => {
    const { pipe } = makePipe(0, 0);
    for (let i = 0; i < 10_000; i++) pipe.write(msg("x"));
    expect(pipe.writable).toBe(true);
    expect(pipe.outboundLength).toBe(10_000);
  });

  it("a closed (detached) pipe is not writable and does not wake its owner", () => {
    const { pipe, calls } = makePipe(2, 2);
    pipe.write(msg("a"));
    pipe.write(msg("b"));
    pipe.closed = true;
    expect(pipe.writable).toBe(false);
    while (pipe.takeOutbound() !== undefined);
    expect(calls.writable).toBe(0);
  });

  it("hasOutbound says whether messages wait to be sent", () => {
    const { pipe } = makePipe(2, 2);
    expect(pipe.hasOutbound).toBe(false);
    pipe.write(msg("a"));
    expect(pipe.hasOutbound).toBe(true);
    pipe.takeOutbound();
    expect(pipe.hasOutbound).toBe(false);
  });
});

describe("Pipe inbound (peer -> socket)", () => {
  it("tells the owner pipeReadable on the first queued message only", () => {
    const { pipe, calls } = makePipe(10, 10);
    pipe.deliver(msg("a"));
    pipe.deliver(msg("b"));
    expect(calls.readable).toBe(1);
    expect(pipe.readable).toBe(true);
    pipe.read();
    pipe.read();
    expect(pipe.readable).toBe(false);
    pipe.deliver(msg("c"));
    expect(calls.readable).toBe(2);
  });

  it("deliver returns false once the receive HWM is reached (multipart counts once)", () => {
    const { pipe } = makePipe(10, 3);
    expect(pipe.deliver(msg("a", "a2", "a3"))).toBe(true);
    expect(pipe.deliver(msg("b", "b2"))).toBe(true);
    expect(pipe.deliver(msg("c"))).toBe(false);
    expect(pipe.acceptsInbound).toBe(false);
    expect(pipe.inboundLength).toBe(3);
  });

  it("fires driver.inboundSpace when read down to the LWM after being full, not before (hwm 4 -> LWM 2)", () => {
    const { pipe, calls } = makePipe(10, 4);
    for (let i = 0; i < 3; i++) expect(pipe.deliver(msg(`m${i}`))).toBe(true);
    expect(pipe.deliver(msg("m3"))).toBe(false);
    expect(pipe.read()).toEqual(msg("m0")); // 3 left
    expect(calls.inboundSpace).toBe(0);
    expect(pipe.acceptsInbound).toBe(false);
    expect(pipe.read()).toEqual(msg("m1")); // 2 left = LWM
    expect(calls.inboundSpace).toBe(1);
    expect(pipe.acceptsInbound).toBe(true);
    pipe.read();
    pipe.read();
    expect(calls.inboundSpace).toBe(1);
  });

  it("does not fire inboundSpace when the receive HWM was never reached", () => {
    const { pipe, calls } = makePipe(10, 4);
    pipe.deliver(msg("a"));
    pipe.deliver(msg("b"));
    while (pipe.read() !== undefined);
    expect(calls.inboundSpace).toBe(0);
  });

  it("receive HWM 0 means unlimited: deliver never asks the driver to stop", () => {
    const { pipe } = makePipe(0, 0);
    for (let i = 0; i < 10_000; i++) expect(pipe.deliver(msg("x"))).toBe(true);
    expect(pipe.acceptsInbound).toBe(true);
  });

  it("a closed pipe still queues delivered messages but does not wake its owner", () => {
    const { pipe, calls } = makePipe(10, 10);
    pipe.closed = true;
    pipe.deliver(msg("a"));
    expect(calls.readable).toBe(0);
  });

  it("discard drops what is queued in both directions", () => {
    const { pipe } = makePipe(10, 10);
    pipe.write(msg("out"));
    pipe.deliver(msg("in"));
    pipe.discard();
    expect(pipe.hasOutbound).toBe(false);
    expect(pipe.readable).toBe(false);
    expect(pipe.read()).toBeUndefined();
    expect(pipe.takeOutbound()).toBeUndefined();
  });
});
