import { describe, expect, it } from "vitest";
import { Pipe, type Message } from "../../../src/sockets/pipe.js";
import { PipeDrainer } from "../../../src/sockets/routing/drain.js";

describe("PipeDrainer", () => {
  it("takes a pipe's messages in order even when reading refills the pipe synchronously (no nested draining)", () => {
    const taken: string[] = [];
    let depth = 0;
    let maxDepth = 0;
    const drainer = new PipeDrainer((_pipe, msg) => {
      depth += 1;
      maxDepth = Math.max(maxDepth, depth);
      taken.push(msg[0]!.toString());
      depth -= 1;
    });
    let live = false;
    const pipe = new Pipe(
      { pipeReadable: (p) => live && drainer.activate(p), pipeWritable: () => undefined },
      "inproc://drain",
      1,
      1,
    );
    // Like an inproc peer: each time the reader frees room, the next message is delivered at once.
    const backlog: Message[] = ["m2", "m3", "m4", "m5"].map((m) => [Buffer.from(m)]);
    pipe.driver = {
      outboundReady: () => undefined,
      inboundSpace: () => {
        const next = backlog.shift();
        if (next !== undefined) pipe.deliver(next);
      },
    };
    pipe.deliver([Buffer.from("m1")]);
    live = true;
    drainer.activate(pipe);
    expect(taken).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    expect(maxDepth).toBe(1);
    expect(pipe.readable).toBe(false);
  });

  it("drains every pipe that became readable while another was being drained", () => {
    const taken: string[] = [];
    const owner = { pipeReadable: () => undefined, pipeWritable: () => undefined };
    const a = new Pipe(owner, "a", 0, 0);
    const b = new Pipe(owner, "b", 0, 0);
    const drainer = new PipeDrainer((pipe, msg) => {
      taken.push(`${pipe.endpoint}:${msg[0]!.toString()}`);
      if (pipe === a && msg[0]!.toString() === "1") {
        b.deliver([Buffer.from("x")]);
        drainer.activate(b);
      }
    });
    a.deliver([Buffer.from("1")]);
    a.deliver([Buffer.from("2")]);
    drainer.activate(a);
    expect(taken).toEqual(["a:1", "a:2", "b:x"]);
  });
});
