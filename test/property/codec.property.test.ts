import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCommand, encodeCommand } from "../../src/zmtp/command.js";
import { FrameDecoder, SMALL_READ, type FrameSink } from "../../src/zmtp/decoder.js";
import { FLAG_COMMAND, FLAG_MORE, encodeFrame } from "../../src/zmtp/frame.js";
import { checkGreetingPrefix, decodeGreeting, encodeGreeting } from "../../src/zmtp/greeting.js";
import { decodeProperties, encodeProperties, getProperty } from "../../src/zmtp/metadata.js";
import { ProtocolError } from "../../src/errors.js";

interface Received {
  body: Buffer;
  more: boolean;
  command: boolean;
}

class Collector implements FrameSink {
  readonly frames: Received[] = [];
  onFrame(body: Buffer, more: boolean, command: boolean): void {
    this.frames.push({ body, more, command });
  }
}

/** Runs `fn` and fails unless it returns normally or throws a ProtocolError. */
function onlyProtocolErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ProtocolError)) {
      throw new Error(`expected only ProtocolError, got ${String(err)}`, { cause: err });
    }
  }
}

/** Bodies are generated from a seed: drawing 70,000 shrinkable bytes per frame would dominate the run time. */
function seededBody(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const frameSize = fc.oneof(
  fc.constantFrom(0, 1, 254, 255, 256, 257, 65535, 65536, 70000),
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 70000 }),
);

const frameSpec = fc.record({
  size: frameSize,
  seed: fc.integer(),
  more: fc.boolean(),
  command: fc.boolean(),
});

/** Cut points as fractions of the stream, so one arbitrary works for any stream length. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 });

function splitAt(stream: Buffer, fractions: number[]): Buffer[] {
  const points = fractions.map((f) => Math.floor(f * stream.length)).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, stream.length]) {
    chunks.push(stream.subarray(prev, p)); // empty chunks included on purpose
    prev = p;
  }
  return chunks;
}

describe("FrameDecoder properties", () => {
  it("decodes any concatenation of encoded frames, split anywhere, to the same frames", () => {
    fc.assert(
      fc.property(fc.array(frameSpec, { maxLength: 8 }), cuts, (specs, fractions) => {
        const bodies = specs.map((s) => seededBody(s.size, s.seed));
        const stream = Buffer.concat(
          specs.map((s, i) => encodeFrame(bodies[i]!, (s.more ? FLAG_MORE : 0) | (s.command ? FLAG_COMMAND : 0))),
        );
        const sink = new Collector();
        const maxSize = Math.max(0, ...specs.map((s) => s.size));
        const decoder = new FrameDecoder(sink, maxSize);
        const chunks = splitAt(stream, fractions);
        for (const chunk of chunks) decoder.push(chunk);

        // Chunk index of every stream byte, to know which frames arrived whole in one chunk.
        const chunkOf = new Uint32Array(stream.length);
        let pos = 0;
        chunks.forEach((c, ci) => chunkOf.fill(ci, pos, (pos += c.length)));

        expect(sink.frames.length).toBe(specs.length);
        let frameStart = 0;
        specs.forEach((s, i) => {
          const got = sink.frames[i]!;
          expect(got.more).toBe(s.more);
          expect(got.command).toBe(s.command);
          expect(got.body.equals(bodies[i]!)).toBe(true);
          const bodyStart = frameStart + (s.size > 255 ? 9 : 2);
          const frameEnd = bodyStart + s.size;
          if (s.size > 0 && chunkOf[frameStart] === chunkOf[frameEnd - 1]) {
            // Whole frame in one chunk: a view of the received memory if the chunk is a large read,
            // else cut from a copy (which may share Node's pool with the stream: compare places, not pools).
            const view = got.body.buffer === stream.buffer && got.body.byteOffset === stream.byteOffset + bodyStart;
            expect(view).toBe(chunks[chunkOf[frameStart]!]!.length >= SMALL_READ);
          }
          frameStart = frameEnd;
        });
        expect(decoder.bufferedBytes).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it("decodes a small stream identically when fed in chunks of any fixed size down to 1 byte", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ size: fc.integer({ min: 0, max: 600 }), seed: fc.integer(), flags: fc.nat(255) }), {
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 64 }),
        (specs, step) => {
          // Reserved bits 3-7 are random too: the decoder must ignore them (LONG is rewritten by encodeFrame).
          const stream = Buffer.concat(specs.map((s) => encodeFrame(seededBody(s.size, s.seed), s.flags & ~0x02)));
          const whole = new Collector();
          new FrameDecoder(whole).push(stream);
          const pieces = new Collector();
          const decoder = new FrameDecoder(pieces);
          for (let at = 0; at < stream.length; at += step) decoder.push(stream.subarray(at, at + step));
          expect(pieces.frames.length).toBe(specs.length);
          expect(whole.frames.length).toBe(specs.length);
          pieces.frames.forEach((f, i) => {
            const w = whole.frames[i]!;
            expect([f.more, f.command]).toEqual([(specs[i]!.flags & 1) !== 0, (specs[i]!.flags & 4) !== 0]);
            expect([w.more, w.command]).toEqual([f.more, f.command]);
            expect(f.body.equals(w.body)).toBe(true);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("only ever throws ProtocolError on garbage input with a maxFrameSize", () => {
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      // Headers with the LONG bit set, so 8-byte size fields of every magnitude are exercised.
      fc
        .array(fc.tuple(fc.constantFrom(0x02, 0x03, 0x06, 0xff), fc.uint8Array({ minLength: 8, maxLength: 8 })), {
          maxLength: 4,
        })
        .map((hs) => Uint8Array.from(hs.flatMap(([f, s]) => [f, ...s]))),
    );
    fc.assert(
      fc.property(garbage, cuts, fc.integer({ min: 0, max: 1 << 20 }), (bytes, fractions, maxFrameSize) => {
        const stream = Buffer.from(bytes);
        const sink = new Collector();
        const decoder = new FrameDecoder(sink, maxFrameSize);
        onlyProtocolErrors(() => {
          for (const chunk of splitAt(stream, fractions)) decoder.push(chunk);
        });
        for (const f of sink.frames) expect(f.body.length).toBeLessThanOrEqual(maxFrameSize);
      }),
      { numRuns: 200 },
    );
  });
});

describe("metadata properties", () => {
  const name = fc.string({
    unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 255,
  });
  const value = fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u));
  const props = fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 8 });

  it("round-trips any property list through encodeProperties/decodeProperties", () => {
    fc.assert(
      fc.property(props, (list) => {
        const decoded = decodeProperties(encodeProperties(list));
        expect([...decoded.keys()]).toEqual(list.map(([n]) => n));
        for (const [n, v] of list) {
          expect(decoded.get(n)?.equals(v)).toBe(true);
          expect(getProperty(decoded, n)?.equals(v)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("only ever throws ProtocolError on garbage metadata", () => {
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
      // Valid lists truncated or with one byte flipped: the interesting near-misses.
      fc
        .tuple(props, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), fc.nat(255))
        .map(([list, cut, at, byte]) => {
          const buf = encodeProperties(list);
          if (buf.length > 0) buf[at % buf.length] = byte;
          return buf.subarray(0, Math.floor(cut * buf.length));
        }),
    );
    fc.assert(
      fc.property(garbage, (buf) => {
        onlyProtocolErrors(() => decodeProperties(buf));
      }),
      { numRuns: 200 },
    );
  });
});

describe("command properties", () => {
  it("round-trips any name of 1..255 letters with any data, and never throws on garbage", () => {
    const name = fc.string({
      unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
      minLength: 1,
      maxLength: 255,
    });
    fc.assert(
      fc.property(name, fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (n, data, junk) => {
        const cmd = decodeCommand(encodeCommand(n, Buffer.from(data)));
        expect(cmd?.name).toBe(n);
        expect(cmd?.data.equals(Buffer.from(data))).toBe(true);
        const any = decodeCommand(Buffer.from(junk));
        if (any !== null) expect(1 + any.name.length + any.data.length).toBe(junk.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe("greeting properties", () => {
  /** The rules of docs/protocol.md §1.3, restated independently of the implementation. */
  function shouldReject(buf: Uint8Array, length: number): boolean {
    return (length >= 1 && buf[0] !== 0xff) || (length >= 10 && (buf[9]! & 1) === 0) || (length >= 11 && buf[10]! < 3);
  }

  const nearlyValid = fc
    .tuple(fc.constantFrom("NULL", "PLAIN", "CURVE"), fc.boolean(), fc.nat(63), fc.nat(255), fc.boolean())
    .map(([mech, server, at, byte, mutate]) => {
      const g = encodeGreeting(mech, server);
      if (mutate) g[at] = byte;
      return Uint8Array.from(g);
    });
  const prefix = fc
    .tuple(fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), nearlyValid), fc.integer({ min: 0, max: 64 }))
    .map(([bytes, length]) => Buffer.from(bytes.subarray(0, length)));

  it("checkGreetingPrefix only throws ProtocolError, exactly when the known bytes break the rules", () => {
    fc.assert(
      fc.property(prefix, (buf) => {
        let threw = false;
        try {
          checkGreetingPrefix(buf, buf.length);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
          threw = true;
        }
        expect(threw).toBe(shouldReject(buf, buf.length));
      }),
      { numRuns: 200 },
    );
  });

  it("decodeGreeting only throws ProtocolError and accepts whatever a complete valid prefix accepts", () => {
    fc.assert(
      fc.property(prefix, (buf) => {
        let decoded = false;
        onlyProtocolErrors(() => {
          const g = decodeGreeting(buf);
          decoded = true;
          expect(g.major).toBe(3);
          expect([0, 1]).toContain(g.minor);
        });
        expect(decoded).toBe(buf.length === 64 && !shouldReject(buf, 64));
      }),
      { numRuns: 200 },
    );
  });
});
