import { describe, expect, it } from "vitest";
import { FrameDecoder, SMALL_READ, type FrameSink } from "../../../src/zmtp/decoder.js";
import { FLAG_COMMAND, FLAG_MORE, encodeFrame } from "../../../src/zmtp/frame.js";
import { ProtocolError } from "../../../src/errors.js";

interface Received {
  body: Buffer;
  more: boolean;
  command: boolean;
}

class Collector implements FrameSink {
  readonly frames: Received[] = [];
  /** Called after each frame is recorded; lets a test pause the decoder from inside onFrame. */
  after: ((decoder: FrameDecoder) => void) | null = null;
  decoder!: FrameDecoder;
  onFrame(body: Buffer, more: boolean, command: boolean): void {
    this.frames.push({ body, more, command });
    this.after?.(this.decoder);
  }
}

function makeDecoder(maxFrameSize?: number): { decoder: FrameDecoder; sink: Collector } {
  const sink = new Collector();
  const decoder = new FrameDecoder(sink, maxFrameSize);
  sink.decoder = decoder;
  return { decoder, sink };
}

/** A copy in its own ArrayBuffer (not Node's shared pool), so `.buffer` identity means something. */
function own(bytes: Buffer | number[]): Buffer {
  const src = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const out = Buffer.alloc(src.length);
  src.copy(out);
  return out;
}

function summary(frames: Received[]): Array<[string, boolean, boolean]> {
  return frames.map((f) => [f.body.toString("hex"), f.more, f.command]);
}

function expectProtocolError(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error("expected a ProtocolError, nothing was thrown");
}

const pattern = (size: number, seed: number) => {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
};

/** A stream covering both header forms, every flag combination and the 255/256 edge. */
const FRAMES: Array<[Buffer, number]> = [
  [Buffer.alloc(0), 0],
  [Buffer.from("a"), FLAG_MORE],
  [pattern(255, 1), FLAG_MORE],
  [pattern(256, 2), 0],
  [Buffer.from("\x04PING\x00\x0a"), FLAG_COMMAND],
  [pattern(300, 3), FLAG_COMMAND | FLAG_MORE],
  [Buffer.alloc(0), FLAG_COMMAND],
  [Buffer.from("end"), 0],
];
const STREAM = Buffer.concat(FRAMES.map(([body, flags]) => encodeFrame(body, flags)));
const EXPECTED = FRAMES.map(([body, flags]): [string, boolean, boolean] => [
  body.toString("hex"),
  (flags & FLAG_MORE) !== 0,
  (flags & FLAG_COMMAND) !== 0,
]);

/** An empty frame of `size` header + body bytes, to bring a chunk up to a length. */
function filler(size: number): Buffer {
  return encodeFrame(Buffer.alloc(size - (size - 2 > 255 ? 9 : 2)));
}

describe("FrameDecoder views and copies", () => {
  it("delivers a frame inside one large chunk as a view of that chunk (no copy)", () => {
    const { decoder, sink } = makeDecoder();
    const frames = [encodeFrame(Buffer.from("hello")), encodeFrame(pattern(400, 9), FLAG_MORE)];
    const chunk = own(Buffer.concat([...frames, filler(SMALL_READ - 7 - 409)]));
    expect(chunk.length).toBe(SMALL_READ);
    decoder.push(chunk);
    expect(sink.frames).toHaveLength(3);
    const [a, b] = sink.frames as [Received, Received];
    expect(a.body.buffer).toBe(chunk.buffer);
    expect(a.body.byteOffset).toBe(chunk.byteOffset + 2);
    expect(a.body.toString()).toBe("hello");
    expect(b.body.buffer).toBe(chunk.buffer);
    expect(b.body.byteOffset).toBe(chunk.byteOffset + 7 + 9);
    expect(b.body).toEqual(pattern(400, 9));
    // A view shares memory: proof that nothing was copied.
    chunk[2] = 0x48;
    expect(a.body.toString()).toBe("Hello");
  });

  it("delivers a view when only the header straddles and the body lies in the next, large chunk", () => {
    const { decoder, sink } = makeDecoder();
    const frame = encodeFrame(pattern(SMALL_READ, 4));
    const first = own(frame.subarray(0, 4));
    const second = own(frame.subarray(4));
    decoder.push(first);
    expect(sink.frames).toHaveLength(0);
    decoder.push(second);
    expect(sink.frames).toHaveLength(1);
    expect(sink.frames[0]!.body.buffer).toBe(second.buffer);
    expect(sink.frames[0]!.body).toEqual(pattern(SMALL_READ, 4));
  });

  it("copies a small read before cutting frames from it, so a queued frame does not keep the read alive", () => {
    const { decoder, sink } = makeDecoder();
    const frames = [
      encodeFrame(Buffer.from("hello")),
      encodeFrame(pattern(400, 9), FLAG_MORE),
      encodeFrame(Buffer.alloc(0)),
    ];
    const chunk = own(Buffer.concat(frames));
    expect(chunk.length).toBeLessThan(SMALL_READ);
    decoder.push(chunk);
    expect(sink.frames).toHaveLength(3);
    const [a, b, empty] = sink.frames as [Received, Received, Received];
    expect(a.body.buffer).not.toBe(chunk.buffer);
    expect(b.body.buffer).not.toBe(chunk.buffer);
    expect(empty.body.buffer).not.toBe(chunk.buffer);
    expect(empty.body.length).toBe(0);
    expect(b.more).toBe(true);
    chunk.fill(0);
    expect(a.body.toString()).toBe("hello");
    expect(b.body).toEqual(pattern(400, 9));
  });

  it("copies or views by the length of the chunk the frame lies in, one chunk at a time", () => {
    const { decoder, sink } = makeDecoder();
    const large = own(Buffer.concat([filler(SMALL_READ - 7), encodeFrame(Buffer.from("large"))]));
    const small = own(encodeFrame(Buffer.from("small")));
    expect(large.length).toBe(SMALL_READ);
    // The large chunk is still being decoded when the pause leaves the small one pending behind it.
    sink.after = (d) => d.pause();
    decoder.push(large);
    decoder.push(small);
    sink.after = null;
    decoder.resume();
    expect(sink.frames.map((f) => f.body.length)).toEqual([SMALL_READ - 7 - 9, 5, 5]);
    expect(sink.frames[1]!.body.buffer).toBe(large.buffer);
    expect(sink.frames[2]!.body.buffer).not.toBe(small.buffer);
    expect(sink.frames[2]!.body.toString()).toBe("small");
  });

  it("copies a body that straddles chunks into its own buffer", () => {
    const { decoder, sink } = makeDecoder();
    const frame = encodeFrame(pattern(1000, 5));
    const chunks = [own(frame.subarray(0, 100)), own(frame.subarray(100, 600)), own(frame.subarray(600))];
    for (const c of chunks) decoder.push(c);
    expect(sink.frames).toHaveLength(1);
    const body = sink.frames[0]!.body;
    for (const c of chunks) expect(body.buffer).not.toBe(c.buffer);
    for (const c of chunks) c.fill(0);
    expect(body).toEqual(pattern(1000, 5));
  });

  it("ignores empty chunks", () => {
    const { decoder, sink } = makeDecoder();
    decoder.push(Buffer.alloc(0));
    decoder.push(STREAM.subarray(0, 3));
    decoder.push(Buffer.alloc(0));
    decoder.push(STREAM.subarray(3));
    expect(summary(sink.frames)).toEqual(EXPECTED);
  });
});

describe("FrameDecoder chunking", () => {
  it("decodes the whole stream pushed at once", () => {
    const { decoder, sink } = makeDecoder();
    decoder.push(STREAM);
    expect(summary(sink.frames)).toEqual(EXPECTED);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("gives the same frames for every single split point", () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const { decoder, sink } = makeDecoder();
      decoder.push(STREAM.subarray(0, cut));
      decoder.push(STREAM.subarray(cut));
      expect(summary(sink.frames), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it("gives the same frames for every pair of split points of a small stream", () => {
    const small = Buffer.concat([
      encodeFrame(Buffer.from("ab"), FLAG_MORE),
      Buffer.from([0x02, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x7a]), // long form, 1-byte body
      encodeFrame(Buffer.alloc(0), FLAG_COMMAND),
      encodeFrame(Buffer.from("xyz")),
    ]);
    const expected = [
      ["6162", true, false],
      ["7a", false, false],
      ["", false, true],
      ["78797a", false, false],
    ];
    for (let i = 0; i <= small.length; i++) {
      for (let j = i; j <= small.length; j++) {
        const { decoder, sink } = makeDecoder();
        decoder.push(small.subarray(0, i));
        decoder.push(small.subarray(i, j));
        decoder.push(small.subarray(j));
        expect(summary(sink.frames), `cuts at ${i}, ${j}`).toEqual(expected);
      }
    }
  });

  it("decodes the stream fed one byte at a time", () => {
    const { decoder, sink } = makeDecoder();
    for (let i = 0; i < STREAM.length; i++) decoder.push(STREAM.subarray(i, i + 1));
    expect(summary(sink.frames)).toEqual(EXPECTED);
    expect(decoder.bufferedBytes).toBe(0);
  });
});

describe("FrameDecoder leniency (parse what libzmq accepts)", () => {
  it("accepts the long form for small bodies, including empty ones", () => {
    const { decoder, sink } = makeDecoder();
    decoder.push(Buffer.from([0x02, 0, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x62, 0x63]));
    decoder.push(Buffer.from([0x03, 0, 0, 0, 0, 0, 0, 0, 0]));
    decoder.push(Buffer.from([0x06, 0, 0, 0, 0, 0, 0, 0, 1, 0x00]));
    expect(summary(sink.frames)).toEqual([
      ["616263", false, false],
      ["", true, false],
      ["00", false, true],
    ]);
  });

  it("ignores reserved flag bits 3-7", () => {
    const { decoder, sink } = makeDecoder();
    decoder.push(Buffer.from([0x80, 1, 0x61]));
    decoder.push(Buffer.from([0xf9, 1, 0x62]));
    decoder.push(Buffer.from([0xfc, 0]));
    decoder.push(Buffer.from([0xfa, 0, 0, 0, 0, 0, 0, 0, 1, 0x63]));
    expect(summary(sink.frames)).toEqual([
      ["61", false, false],
      ["62", true, false],
      ["", false, true],
      ["63", false, false],
    ]);
  });
});

describe("FrameDecoder size limits", () => {
  const FOUR_GIB_HEADER = [0x02, 0, 0, 0, 0x01, 0, 0, 0, 0];

  it("rejects an oversized frame from its header alone, before buffering the body", () => {
    const { decoder, sink } = makeDecoder(1 << 20);
    const err = expectProtocolError(() => decoder.push(Buffer.from(FOUR_GIB_HEADER)));
    expect(err.message).toMatch(/4294967296/);
    expect(sink.frames).toHaveLength(0);
  });

  it("rejects an oversized header fed byte by byte on its last size byte", () => {
    const { decoder } = makeDecoder(1 << 20);
    for (let i = 0; i < 8; i++) decoder.push(Buffer.from([FOUR_GIB_HEADER[i]!]));
    expectProtocolError(() => decoder.push(Buffer.from([FOUR_GIB_HEADER[8]!])));
  });

  it("accepts a body of exactly maxFrameSize and rejects one byte more", () => {
    const ok = makeDecoder(10);
    ok.decoder.push(encodeFrame(Buffer.alloc(10)));
    expect(ok.sink.frames).toHaveLength(1);
    const bad = makeDecoder(10);
    expectProtocolError(() => bad.decoder.push(Buffer.from([0x00, 11])));
    const long = makeDecoder(300);
    expectProtocolError(() => long.decoder.push(encodeFrame(Buffer.alloc(301)).subarray(0, 9)));
  });

  it("with maxFrameSize 0 accepts only empty frames", () => {
    const { decoder, sink } = makeDecoder(0);
    decoder.push(Buffer.from([0x00, 0x00, 0x04, 0x00]));
    expect(sink.frames).toHaveLength(2);
    expectProtocolError(() => decoder.push(Buffer.from([0x00, 0x01])));
  });

  it("applies a maxFrameSize changed after construction", () => {
    const { decoder, sink } = makeDecoder();
    decoder.push(encodeFrame(Buffer.alloc(100)));
    decoder.maxFrameSize = 99;
    expectProtocolError(() => decoder.push(encodeFrame(Buffer.alloc(100))));
    expect(sink.frames).toHaveLength(1);
  });

  it("rejects a size field >= 2^53 even without a limit", () => {
    for (const header of [
      [0x02, 0x00, 0x20, 0, 0, 0, 0, 0, 0], // exactly 2^53
      [0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0x02, 0x80, 0, 0, 0, 0, 0, 0, 0], // 2^63: not even a valid signed size
    ]) {
      expectProtocolError(() => makeDecoder().decoder.push(Buffer.from(header)));
      expectProtocolError(() => makeDecoder(1 << 20).decoder.push(Buffer.from(header)));
    }
  });

  it("rejects, as a ProtocolError, a size Node cannot buffer when no limit is set", () => {
    // 2^40 bytes is below 2^53 but above buffer.constants.MAX_LENGTH: the peer is broken or hostile,
    // and the error must be the protocol error the engine handles, not a RangeError from Buffer.
    const { decoder } = makeDecoder();
    expectProtocolError(() => decoder.push(Buffer.from([0x02, 0, 0, 0x01, 0, 0, 0, 0, 0])));
  });
});

describe("FrameDecoder pause/resume (backpressure)", () => {
  it("delivers no frame after pause() inside onFrame until resume(), and loses nothing", () => {
    const { decoder, sink } = makeDecoder();
    sink.after = (d) => d.pause();
    decoder.push(STREAM.subarray(0, 600));
    expect(sink.frames).toHaveLength(1);
    expect(decoder.isPaused).toBe(true);
    decoder.push(STREAM.subarray(600, 700));
    decoder.push(STREAM.subarray(700));
    expect(sink.frames).toHaveLength(1);
    expect(decoder.bufferedBytes).toBe(STREAM.length - 2);

    let guard = 0;
    while (sink.frames.length < EXPECTED.length && guard++ < 100) {
      const before = sink.frames.length;
      decoder.resume();
      expect(sink.frames.length).toBe(before + 1);
    }
    expect(summary(sink.frames)).toEqual(EXPECTED);
    decoder.resume();
    expect(decoder.isPaused).toBe(false);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("holds chunks pushed while paused from outside onFrame", () => {
    const { decoder, sink } = makeDecoder();
    decoder.pause();
    decoder.push(STREAM.subarray(0, 10));
    decoder.push(STREAM.subarray(10));
    expect(sink.frames).toHaveLength(0);
    expect(decoder.bufferedBytes).toBe(STREAM.length);
    decoder.resume();
    expect(summary(sink.frames)).toEqual(EXPECTED);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("pauses in the middle of a straddled body and resumes it intact", () => {
    const { decoder, sink } = makeDecoder();
    const frame = encodeFrame(pattern(500, 7));
    decoder.push(frame.subarray(0, 200));
    decoder.pause();
    decoder.push(frame.subarray(200, 400));
    decoder.push(frame.subarray(400));
    expect(sink.frames).toHaveLength(0);
    decoder.resume();
    expect(sink.frames).toHaveLength(1);
    expect(sink.frames[0]!.body).toEqual(pattern(500, 7));
  });

  it("resume() when not paused is a no-op", () => {
    const { decoder, sink } = makeDecoder();
    decoder.resume();
    decoder.push(STREAM);
    decoder.resume();
    expect(sink.frames).toHaveLength(EXPECTED.length);
  });
});

describe("FrameDecoder.bufferedBytes", () => {
  it("is 0 when idle and counts the received part of a straddled body", () => {
    const { decoder } = makeDecoder();
    expect(decoder.bufferedBytes).toBe(0);
    const frame = encodeFrame(pattern(1000, 8));
    decoder.push(frame.subarray(0, 9 + 300));
    expect(decoder.bufferedBytes).toBe(300);
    decoder.push(frame.subarray(309, 809));
    expect(decoder.bufferedBytes).toBe(800);
    decoder.push(frame.subarray(809));
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("counts every unconsumed byte held while paused", () => {
    const { decoder, sink } = makeDecoder();
    sink.after = (d) => d.pause();
    const two = Buffer.concat([encodeFrame(Buffer.from("one")), encodeFrame(Buffer.from("two"))]);
    decoder.push(two);
    expect(decoder.bufferedBytes).toBe(5);
    decoder.push(Buffer.from([0x00]));
    expect(decoder.bufferedBytes).toBe(6);
  });
});
