import { describe, expect, it } from "vitest";
import { Backoff } from "../../src/common/backoff.js";

describe("Backoff", () => {
  it("doubles each wait from the initial one up to the maximum, and starts over after a reset", () => {
    const backoff = new Backoff({ initial: 100, max: 800 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 800, 800]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it("defaults to the Guide's Paranoid Pirate waits: 1 s doubling to 32 s", () => {
    const backoff = new Backoff();
    expect(Array.from({ length: 7 }, () => backoff.next())).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 32000]);
  });

  it("refuses a maximum below the initial wait", () => {
    expect(() => new Backoff({ initial: 500, max: 100 })).toThrow(RangeError);
    expect(() => new Backoff({ initial: 0 })).toThrow(RangeError);
  });
});
