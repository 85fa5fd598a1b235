import { describe, expect, it } from "vitest";
import type { ByteStream } from "../../../src/transports/stream.js";
import { FrameWriter } from "../../../src/zmtp/frame-writer.js";

/** A stream that takes every write at once and keeps the chunks. */
function recordingStream(): { stream: ByteStream; written: Uint8Array[] } {
  const written: Uint8Array[] = [];
  const stream = {
    write: (chunk: Uint8Array) => {
      written.push(chunk);
      return true;
    },
    cork: () => undefined,
    uncork: () => undefined,
    writableLength: 0,
    writableNeedDrain: false,
  } as unknown as ByteStream;
  return { stream, written };
}

/** Size of the batch buffer a written chunk was cut from (Buffers under 4 KiB share Node's 8 KiB pool). */
const bufferOf = (chunk: Uint8Array): number => chunk.buffer.byteLength;

/** `b` was cut from the same buffer right after `a`. */
const follows = (b: Uint8Array, a: Uint8Array): boolean =>
  b.buffer === a.buffer && b.byteOffset === a.byteOffset + a.byteLength;

describe("FrameWriter batch buffer", () => {
  it("keeps a small batch buffer for a connection that writes many small batches", () => {
    const { stream, written } = recordingStream();
    const writer = new FrameWriter(stream, { bytesOut: 0 });
    const body = Buffer.alloc(100, 0x61);
    // 5,000 batches of 3 messages: 1.5 MB in all, never more than 306 bytes at once.
    for (let i = 0; i < 5000; i++) {
      for (let j = 0; j < 3; j++) writer.appendMessage([body]);
      writer.flush();
    }
    expect(Math.max(...written.slice(-100).map(bufferOf))).toBeLessThanOrEqual(8 * 1024);
  });

  it("gives a connection of large batches a 64 KiB batch buffer", () => {
    const { stream, written } = recordingStream();
    const writer = new FrameWriter(stream, { bytesOut: 0 });
    const body = Buffer.alloc(100, 0x61);
    for (let i = 0; i < 5; i++) {
      while (!writer.batchFull) writer.appendMessage([body]);
      written.length = 0;
      writer.flush();
    }
    // The last batch was gathered in one 64 KiB buffer (its tail may spill into the next).
    expect(bufferOf(written[0]!)).toBe(64 * 1024);
    expect(written[0]!.byteLength).toBeGreaterThanOrEqual(60 * 1024);
  });

  it("writes the frames of every batch in order whatever buffer they were gathered in", () => {
    const { stream, written } = recordingStream();
    const writer = new FrameWriter(stream, { bytesOut: 0 });
    const expected: number[] = [];
    for (let batch = 0; batch < 50; batch++) {
      for (let j = 0; j <= batch * 10; j++) {
        const body = Buffer.alloc(100, (batch * 7 + j) & 0xff);
        writer.appendMessage([body]);
        expected.push(0, 100, ...body);
      }
      writer.flush();
    }
    const bytes = Buffer.concat(written);
    expect(bytes.equals(Buffer.from(expected))).toBe(true);
  });
});

describe("FrameWriter and a slow peer", () => {
  it("lets go of its batch buffer when the stream could not write everything", () => {
    const { stream, written } = recordingStream();
    const writer = new FrameWriter(stream, { bytesOut: 0 });
    const body = Buffer.alloc(100, 0x61);
    writer.appendMessage([body]);
    writer.flush();
    (stream as { writableLength: number }).writableLength = 102;
    writer.appendMessage([body]);
    writer.flush();
    writer.appendMessage([body]);
    writer.flush();
    // The second batch followed the first in its buffer; the third went into a new one.
    expect(follows(written[1]!, written[0]!)).toBe(true);
    expect(follows(written[2]!, written[1]!)).toBe(false);
  });
});
