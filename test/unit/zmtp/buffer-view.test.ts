import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { bufferView } from "../../../src/zmtp/buffer-view.js";

describe("bufferView", () => {
  const backing = Buffer.from("0123456789abcdef");

  it("shares memory with the bytes start..end, as subarray does", () => {
    const view = bufferView(backing, 4, 10);
    expect(view.toString()).toBe("456789");
    expect(view.equals(backing.subarray(4, 10))).toBe(true);
    expect(view.buffer).toBe(backing.buffer);
    const copy = Buffer.from(backing);
    bufferView(copy, 0, 1)[0] = 0x41;
    expect(copy.toString()).toBe("A123456789abcdef");
  });

  it("is a Buffer to every check and method users rely on", () => {
    const view = bufferView(backing, 2, 6);
    expect(Buffer.isBuffer(view)).toBe(true);
    expect(view).toBeInstanceOf(Buffer);
    expect(view).toBeInstanceOf(Uint8Array);
    expect(view.constructor).toBe(Buffer);
    expect(view.readUInt32BE(0)).toBe(backing.readUInt32BE(2));
    expect(view.toString("hex")).toBe("32333435");
    expect(inspect(view)).toBe("<Buffer 32 33 34 35>");
    expect(JSON.stringify(view)).toBe(JSON.stringify(backing.subarray(2, 6)));
    expect(Buffer.concat([view, view]).toString()).toBe("23452345");
  });

  it("slices to ordinary Buffers", () => {
    const view = bufferView(backing, 2, 10);
    for (const part of [view.subarray(1, 3), view.slice(1, 3)]) {
      expect(Object.getPrototypeOf(part)).toBe(Buffer.prototype);
      expect(part.toString()).toBe("34");
    }
  });

  it("works on a chunk that is itself a view with an offset", () => {
    const chunk = backing.subarray(8);
    expect(bufferView(chunk, 2, 5).toString()).toBe("abc");
    expect(bufferView(chunk, 3, 3).length).toBe(0);
  });
});
