import { describe, expect, it } from "vitest";
import { Fifo } from "../../../src/sockets/fifo.js";

function drain<T>(fifo: Fifo<T>): T[] {
  const out: T[] = [];
  for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) out.push(item);
  return out;
}

describe("Fifo", () => {
  it("is empty when new: length 0, shift and peek give undefined", () => {
    const fifo = new Fifo<number>();
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
  });

  it("returns items in the order they were pushed and counts them", () => {
    const fifo = new Fifo<string>();
    fifo.push("a");
    fifo.push("b");
    fifo.push("c");
    expect(fifo.length).toBe(3);
    expect(drain(fifo)).toEqual(["a", "b", "c"]);
    expect(fifo.length).toBe(0);
  });

  it("peek shows the head without removing it", () => {
    const fifo = new Fifo<number>();
    fifo.push(1);
    fifo.push(2);
    expect(fifo.peek()).toBe(1);
    expect(fifo.length).toBe(2);
    expect(fifo.shift()).toBe(1);
    expect(fifo.peek()).toBe(2);
  });

  it("grows past its initial capacity without losing order", () => {
    const fifo = new Fifo<number>(2);
    for (let i = 0; i < 100; i++) fifo.push(i);
    expect(fifo.length).toBe(100);
    expect(drain(fifo)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("keeps order when it grows while the ring has wrapped around", () => {
    const fifo = new Fifo<number>(4);
    for (let i = 0; i < 4; i++) fifo.push(i);
    fifo.shift();
    fifo.shift();
    // head is now in the middle of the ring; these wrap, then force a grow
    for (let i = 4; i < 12; i++) fifo.push(i);
    expect(drain(fifo)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("interleaved push and shift over many cycles behaves like an array queue", () => {
    const fifo = new Fifo<number>(3);
    const model: number[] = [];
    let next = 0;
    for (let round = 0; round < 500; round++) {
      const pushes = round % 3 === 0 ? 2 : 1;
      for (let i = 0; i < pushes; i++) {
        fifo.push(next);
        model.push(next++);
      }
      if (round % 2 === 0) expect(fifo.shift()).toBe(model.shift());
      expect(fifo.length).toBe(model.length);
    }
    expect(drain(fifo)).toEqual(model);
  });

  it("clear empties it and it stays usable", () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 40; i++) fifo.push(i);
    fifo.clear();
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
    fifo.push(7);
    expect(drain(fifo)).toEqual([7]);
  });

  it("holds falsy items (0, empty string) as items, not as emptiness", () => {
    const fifo = new Fifo<number | string>();
    fifo.push(0);
    fifo.push("");
    expect(fifo.length).toBe(2);
    expect(fifo.shift()).toBe(0);
    expect(fifo.shift()).toBe("");
  });
});
