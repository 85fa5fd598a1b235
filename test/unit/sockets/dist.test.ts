import { afterEach, describe, expect, it, vi } from "vitest";
import { Pipe, type Message, type PipeDriver, type PipeOwner } from "../../../src/sockets/pipe.js";
import { Distributor } from "../../../src/sockets/routing/dist.js";

const owner: PipeOwner = { pipeReadable: () => undefined, pipeWritable: () => undefined };

/** A tcp-like pipe whose connection takes a message at once (takeNow) or lets it queue. */
function pipeTo(takes: boolean, taken: Message[] = []): Pipe {
  const pipe = new Pipe(owner, "tcp://127.0.0.1:5555", 1000, 1000);
  const driver: PipeDriver = {
    outboundReady: () => undefined,
    inboundSpace: () => undefined,
    takeNow: (msg) => {
      if (!takes) return false;
      taken.push(msg.map((frame) => Buffer.from(frame)));
      return true;
    },
  };
  pipe.driver = driver;
  return pipe;
}

describe("Distributor fan-out of small frames", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("copies a message's small frames once for all the pipes that queue it", () => {
    const dist = new Distributor();
    const pipes = [pipeTo(false), pipeTo(false), pipeTo(false)];
    for (const pipe of pipes) dist.attach(pipe);
    const frame = Buffer.from("hello");
    const allocations = vi.spyOn(Buffer, "allocUnsafe");
    dist.sendToAll([frame]);
    expect(allocations).toHaveBeenCalledTimes(1);
    const queued = pipes.map((pipe) => pipe.takeOutbound()![0]!);
    expect(queued[0]).not.toBe(frame);
    expect(queued.every((f) => f === queued[0])).toBe(true);
  });

  it("still sends what was given when the application changes its buffer after the send", () => {
    const dist = new Distributor();
    const taken: Message[] = [];
    const pipes = [pipeTo(true, taken), pipeTo(false), pipeTo(true, taken), pipeTo(false)];
    for (const pipe of pipes) dist.attach(pipe);
    const frame = Buffer.from("hello");
    dist.sendToAll([frame]);
    frame.write("HELLO");
    expect(taken.map((m) => m[0]!.toString())).toEqual(["hello", "hello"]);
    expect(pipes[1]!.takeOutbound()![0]!.toString()).toBe("hello");
    expect(pipes[3]!.takeOutbound()![0]!.toString()).toBe("hello");
  });

  it("keeps large frames zero-copy in every queue", () => {
    const dist = new Distributor();
    const pipes = [pipeTo(false), pipeTo(false)];
    for (const pipe of pipes) dist.attach(pipe);
    const frame = Buffer.alloc(4096, 1);
    dist.sendToAll([frame]);
    expect(pipes.map((pipe) => pipe.takeOutbound()![0])).toEqual([frame, frame]);
    expect(pipes[0]!.takeOutbound()).toBeUndefined();
  });
});
