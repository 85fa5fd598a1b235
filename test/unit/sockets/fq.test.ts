import { describe, expect, it } from "vitest";
import { Pipe, type Message, type PipeOwner } from "../../../src/sockets/pipe.js";
import { FairQueue } from "../../../src/sockets/routing/fq.js";

/** A fair queue whose pipes activate it the way a socket does (pipeReadable -> activate). */
function setup() {
  const fq = new FairQueue();
  const owner: PipeOwner = { pipeReadable: (p) => fq.activate(p), pipeWritable: () => undefined };
  const pipe = (name: string) => new Pipe(owner, name, 0, 0);
  return { fq, pipe };
}

const msg = (...frames: string[]): Message => frames.map((f) => Buffer.from(f));
const str = (m: Message | undefined) => m?.map((f) => f.toString()).join("+");

describe("FairQueue", () => {
  it("returns undefined and is not readable when no pipe has messages", () => {
    const { fq, pipe } = setup();
    fq.activate(pipe("idle"));
    expect(fq.recv()).toBeUndefined();
    expect(fq.readable).toBe(false);
  });

  it("takes one whole message per pipe in turn", () => {
    const { fq, pipe } = setup();
    const a = pipe("a");
    const b = pipe("b");
    const c = pipe("c");
    for (let i = 0; i < 2; i++) {
      a.deliver(msg(`a${i}`, "more"));
      b.deliver(msg(`b${i}`));
      c.deliver(msg(`c${i}`, "x", "y"));
    }
    const got = [];
    for (let i = 0; i < 6; i++) got.push(str(fq.recv()));
    expect(got).toEqual(["a0+more", "b0", "c0+x+y", "a1+more", "b1", "c1+x+y"]);
    expect(fq.recv()).toBeUndefined();
  });

  it("a chatty pipe cannot starve a quiet one", () => {
    const { fq, pipe } = setup();
    const chatty = pipe("chatty");
    const quiet = pipe("quiet");
    for (let i = 0; i < 100; i++) chatty.deliver(msg(`c${i}`));
    expect(str(fq.recv())).toBe("c0");
    expect(str(fq.recv())).toBe("c1");
    quiet.deliver(msg("hello"));
    const next = [str(fq.recv()), str(fq.recv())];
    expect(next).toContain("hello");
  });

  it("lastPipe names the pipe the last message came from", () => {
    const { fq, pipe } = setup();
    const a = pipe("a");
    const b = pipe("b");
    expect(fq.lastPipe).toBeNull();
    a.deliver(msg("from a"));
    b.deliver(msg("from b"));
    expect(str(fq.recv())).toBe("from a");
    expect(fq.lastPipe).toBe(a);
    expect(str(fq.recv())).toBe("from b");
    expect(fq.lastPipe).toBe(b);
  });

  it("a detached pipe's messages that already arrived stay readable, then it leaves the rotation", () => {
    const { fq, pipe } = setup();
    const a = pipe("a");
    const b = pipe("b");
    a.deliver(msg("a0"));
    a.deliver(msg("a1"));
    b.deliver(msg("b0"));
    expect(str(fq.recv())).toBe("a0");
    fq.detach(a);
    expect(fq.lastPipe).toBeNull();
    expect(str(fq.recv())).toBe("b0");
    expect(str(fq.recv())).toBe("a1");
    expect(fq.recv()).toBeUndefined();
  });

  it("detach of an empty pipe removes it from the rotation", () => {
    const { fq, pipe } = setup();
    const a = pipe("a");
    a.deliver(msg("a0"));
    expect(str(fq.recv())).toBe("a0");
    a.closed = true; // as Socket.detachPipe does
    fq.detach(a);
    a.deliver(msg("late"));
    expect(fq.recv()).toBeUndefined();
  });

  it("readable reflects whether any active pipe holds a message", () => {
    const { fq, pipe } = setup();
    const a = pipe("a");
    a.deliver(msg("x"));
    expect(fq.readable).toBe(true);
    fq.recv();
    expect(fq.readable).toBe(false);
  });

  it("a pipe that empties and refills rejoins the rotation", () => {
    const { fq, pipe } = setup();
    const a = pipe("a");
    const b = pipe("b");
    a.deliver(msg("a0"));
    expect(str(fq.recv())).toBe("a0");
    b.deliver(msg("b0"));
    b.deliver(msg("b1"));
    a.deliver(msg("a1"));
    expect([str(fq.recv()), str(fq.recv()), str(fq.recv())]).toEqual(["b0", "a1", "b1"]);
  });

  it("activating the same pipe twice does not give it two turns", () => {
    const { fq, pipe } = setup();
    const a = pipe("a");
    const b = pipe("b");
    a.deliver(msg("a0"));
    a.deliver(msg("a1"));
    fq.activate(a);
    b.deliver(msg("b0"));
    expect([str(fq.recv()), str(fq.recv()), str(fq.recv())]).toEqual(["a0", "b0", "a1"]);
  });
});
