import { describe, expect, it } from "vitest";
import {
  FLAG_COMMAND,
  FLAG_LONG,
  FLAG_MORE,
  MAX_HEADER_SIZE,
  encodeFrame,
  headerSize,
  writeFrameHeader,
} from "../../../src/zmtp/frame.js";

const hex = (buf: Buffer) => buf.toString("hex");

describe("frame flags", () => {
  it("match RFC 23 §2.4 bit positions", () => {
    expect(FLAG_MORE).toBe(0x01);
    expect(FLAG_LONG).toBe(0x02);
    expect(FLAG_COMMAND).toBe(0x04);
    expect(MAX_HEADER_SIZE).toBe(9);
  });
});

describe("encodeFrame canonical form", () => {
  it("encodes an empty body as 00 00", () => {
    expect(hex(encodeFrame(Buffer.alloc(0)))).toBe("0000");
  });

  it("uses the short form up to 255 bytes: 255 -> 00 FF", () => {
    const body = Buffer.alloc(255, 0xab);
    const frame = encodeFrame(body);
    expect(frame.length).toBe(257);
    expect(hex(frame.subarray(0, 2))).toBe("00ff");
    expect(frame.subarray(2)).toEqual(body);
  });

  it("uses the long form from 256 bytes: 256 -> 02 00 00 00 00 00 00 01 00", () => {
    const body = Buffer.alloc(256, 0xcd);
    const frame = encodeFrame(body);
    expect(frame.length).toBe(265);
    expect(hex(frame.subarray(0, 9))).toBe("020000000000000100");
    expect(frame.subarray(9)).toEqual(body);
  });

  it("writes the 8-byte size big-endian for larger bodies", () => {
    expect(hex(encodeFrame(Buffer.alloc(65536)).subarray(0, 9))).toBe("020000000000010000");
    expect(hex(encodeFrame(Buffer.alloc(70000)).subarray(0, 9))).toBe("020000000000011170");
  });

  it("sets MORE and COMMAND as given, alone and together, in both forms", () => {
    expect(hex(encodeFrame(Buffer.from("a"), FLAG_MORE))).toBe("010161");
    expect(hex(encodeFrame(Buffer.from("a"), FLAG_COMMAND))).toBe("040161");
    expect(hex(encodeFrame(Buffer.from("a"), FLAG_MORE | FLAG_COMMAND))).toBe("050161");
    expect(encodeFrame(Buffer.alloc(300), FLAG_MORE)[0]).toBe(0x03);
    expect(encodeFrame(Buffer.alloc(300), FLAG_COMMAND)[0]).toBe(0x06);
  });

  it("copies the body, so later changes to the source do not leak into the frame", () => {
    const body = Buffer.from("hello");
    const frame = encodeFrame(body);
    body.fill(0);
    expect(frame.toString("latin1", 2)).toBe("hello");
  });
});

describe("headerSize", () => {
  it("is 2 up to 255 bytes and 9 above", () => {
    expect(headerSize(0)).toBe(2);
    expect(headerSize(255)).toBe(2);
    expect(headerSize(256)).toBe(9);
    expect(headerSize(2 ** 40)).toBe(9);
  });
});

describe("writeFrameHeader", () => {
  it("writes at the given offset and returns the offset after the header", () => {
    const target = Buffer.alloc(20, 0xee);
    expect(writeFrameHeader(target, 3, FLAG_MORE, 7)).toBe(5);
    expect(hex(target.subarray(3, 5))).toBe("0107");
    expect(target[2]).toBe(0xee);
    expect(target[5]).toBe(0xee);
    expect(writeFrameHeader(target, 5, 0, 256)).toBe(14);
    expect(hex(target.subarray(5, 14))).toBe("020000000000000100");
  });

  it("encodes sizes above 2^32 across both 32-bit halves", () => {
    const target = Buffer.alloc(9);
    writeFrameHeader(target, 0, 0, 2 ** 32 + 5);
    expect(hex(target)).toBe("020000000100000005");
    writeFrameHeader(target, 0, FLAG_COMMAND, 2 ** 52 + 2 ** 32 - 1);
    expect(hex(target)).toBe("0600100000ffffffff");
  });
});
