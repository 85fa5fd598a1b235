import { describe, expect, it } from "vitest";
import { Pipe, type Message, type PipeOwner } from "../../../src/sockets/pipe.js";
import { LoadBalancer } from "../../../src/sockets/routing/lb.js";

const owner: PipeOwner = { pipeReadable: () => undefined, pipeWritable: () => undefined };

function pipe(name: string, hwm = 100): Pipe {
  return new Pipe(owner, name, hwm, hwm);
}

/** Which pipe each of `n` messages went to, by endpoint name. */
function route(lb: LoadBalancer, n: number): Array<string | null> {
  const out: Array<string | null> = [];
  for (let i = 0; i < n; i++) out.push(lb.send([Buffer.from(`m${i}`)])?.endpoint ?? null);
  return out;
}

function drained(p: Pipe): string[] {
  const out: string[] = [];
  for (let m: Message | undefined = p.takeOutbound(); m !== undefined; m = p.takeOutbound()) {
    out.push(m.map((f) => f.toString()).join("+"));
  }
  return out;
}

describe("LoadBalancer", () => {
  it("returns null (would block) when it has no pipes", () => {
    const lb = new LoadBalancer();
    expect(lb.send([Buffer.from("x")])).toBeNull();
    expect(lb.hasOut).toBe(false);
  });

  it("round-robins per message over the writable pipes", () => {
    const lb = new LoadBalancer();
    for (const name of ["a", "b", "c"]) lb.attach(pipe(name));
    expect(route(lb, 7)).toEqual(["a", "b", "c", "a", "b", "c", "a"]);
  });

  it("keeps a multipart message whole on one pipe", () => {
    const lb = new LoadBalancer();
    const a = pipe("a");
    const b = pipe("b");
    lb.attach(a);
    lb.attach(b);
    lb.send([Buffer.from("1"), Buffer.from("2"), Buffer.from("3")]);
    lb.send([Buffer.from("4"), Buffer.from("5")]);
    expect(drained(a)).toEqual(["1+2+3"]);
    expect(drained(b)).toEqual(["4+5"]);
  });

  it("skips a full pipe and keeps rotating over the others", () => {
    const lb = new LoadBalancer();
    const b = pipe("b", 1);
    lb.attach(pipe("a"));
    lb.attach(b);
    lb.attach(pipe("c"));
    b.write([Buffer.from("fills b")]);
    expect(b.writable).toBe(false);
    expect(route(lb, 4)).toEqual(["a", "c", "a", "c"]);
  });

  it("returns null when every pipe is full, and hasOut is false", () => {
    const lb = new LoadBalancer();
    lb.attach(pipe("a", 1));
    lb.attach(pipe("b", 1));
    expect(route(lb, 3)).toEqual(["a", "b", null]);
    expect(lb.hasOut).toBe(false);
  });

  it("uses a pipe again once it has room", () => {
    const lb = new LoadBalancer();
    const a = pipe("a", 1);
    const b = pipe("b", 1);
    lb.attach(a);
    lb.attach(b);
    route(lb, 2);
    expect(lb.pick()).toBeNull();
    a.takeOutbound();
    expect(lb.hasOut).toBe(true);
    expect(route(lb, 1)).toEqual(["a"]);
  });

  it("skips a closed (detached) pipe", () => {
    const lb = new LoadBalancer();
    const a = pipe("a");
    lb.attach(a);
    lb.attach(pipe("b"));
    a.closed = true;
    expect(route(lb, 3)).toEqual(["b", "b", "b"]);
  });

  it("detaching a pipe before the cursor keeps the rotation on the pipe that was next", () => {
    const lb = new LoadBalancer();
    const a = pipe("a");
    lb.attach(a);
    lb.attach(pipe("b"));
    lb.attach(pipe("c"));
    expect(route(lb, 1)).toEqual(["a"]); // next is b
    lb.detach(a);
    expect(route(lb, 3)).toEqual(["b", "c", "b"]);
  });

  it("detaching the pipe under the cursor moves on to the following one", () => {
    const lb = new LoadBalancer();
    const b = pipe("b");
    lb.attach(pipe("a"));
    lb.attach(b);
    lb.attach(pipe("c"));
    expect(route(lb, 1)).toEqual(["a"]); // next is b
    lb.detach(b);
    expect(route(lb, 3)).toEqual(["c", "a", "c"]);
  });

  it("detaching the last pipe while it is next wraps the cursor to the first", () => {
    const lb = new LoadBalancer();
    const c = pipe("c");
    lb.attach(pipe("a"));
    lb.attach(pipe("b"));
    lb.attach(c);
    expect(route(lb, 2)).toEqual(["a", "b"]); // next is c
    lb.detach(c);
    expect(route(lb, 3)).toEqual(["a", "b", "a"]);
  });

  it("detaching every pipe then attaching a new one works", () => {
    const lb = new LoadBalancer();
    const a = pipe("a");
    const b = pipe("b");
    lb.attach(a);
    lb.attach(b);
    route(lb, 3);
    lb.detach(a);
    lb.detach(b);
    expect(route(lb, 1)).toEqual([null]);
    lb.attach(pipe("d"));
    expect(route(lb, 2)).toEqual(["d", "d"]);
  });

  it("ignores detaching a pipe it does not have", () => {
    const lb = new LoadBalancer();
    lb.attach(pipe("a"));
    lb.attach(pipe("b"));
    route(lb, 1);
    lb.detach(pipe("stranger"));
    expect(route(lb, 3)).toEqual(["b", "a", "b"]);
  });
});
