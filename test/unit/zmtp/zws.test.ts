/**
 * ZWS 2.0 (RFC 45) translation: subprotocol negotiation as libzmq's ws engine does it, the
 * greeting made up for the engine, and frames both ways (ZMTP bytes → ZWS payloads, ZWS payloads →
 * ZMTP frames) as fast-check properties: any frames, cut anywhere, come out the same.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCommand, decodeReady, encodeReady } from "../../../src/zmtp/command.js";
import { FrameDecoder } from "../../../src/zmtp/decoder.js";
import { FLAG_COMMAND, FLAG_MORE, encodeFrame } from "../../../src/zmtp/frame.js";
import { decodeGreeting } from "../../../src/zmtp/greeting.js";
import { getProperty } from "../../../src/zmtp/metadata.js";
import {
  ZmtpFrameSplitter,
  chooseSubprotocol,
  offeredSubprotocols,
  readOwnReady,
  readyFromRoutingId,
  routingIdMessage,
  subprotocolMechanism,
  zmtpFrameOf,
  zwsGreeting,
} from "../../../src/zmtp/zws.js";
import { ProtocolError } from "../../../src/errors.js";

interface Frame {
  body: Uint8Array;
  more: boolean;
  command: boolean;
}

const frameArb = fc.record({
  body: fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.constantFrom(0, 255, 256, 70_000).map((n) => new Uint8Array(n).fill(n % 251)),
  ),
  more: fc.boolean(),
  command: fc.boolean(),
});

/** Cut points as fractions of the stream, so one arbitrary fits any length. */
const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

function cut(stream: Buffer, fractions: number[]): Buffer[] {
  const points = fractions.map((f) => Math.floor(f * stream.length)).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, stream.length]) {
    chunks.push(stream.subarray(prev, p));
    prev = p;
  }
  return chunks;
}

function zmtpBytes(frames: Frame[]): Buffer {
  return Buffer.concat(
    frames.map((f) => encodeFrame(Buffer.from(f.body), (f.more ? FLAG_MORE : 0) | (f.command ? FLAG_COMMAND : 0))),
  );
}

describe("ZWS subprotocols (libzmq's ws engine)", () => {
  it("a client offers ZWS2.0/NULL then bare ZWS2.0 for NULL, and only its mechanism's name otherwise", () => {
    expect(offeredSubprotocols("NULL")).toEqual(["ZWS2.0/NULL", "ZWS2.0"]);
    expect(offeredSubprotocols("PLAIN")).toEqual(["ZWS2.0/PLAIN"]);
    expect(offeredSubprotocols("CURVE")).toEqual(["ZWS2.0/CURVE"]);
  });

  it("a server picks the first offered subprotocol that runs its mechanism", () => {
    expect(chooseSubprotocol("ZWS2.0/NULL,ZWS2.0", "NULL")).toBe("ZWS2.0/NULL");
    expect(chooseSubprotocol("ZWS2.0, ZWS2.0/NULL", "NULL")).toBe("ZWS2.0");
    expect(chooseSubprotocol("ZWS2.0/PLAIN, ZWS2.0/CURVE", "CURVE")).toBe("ZWS2.0/CURVE");
    expect(chooseSubprotocol("chat, ZWS2.0/PLAIN", "PLAIN")).toBe("ZWS2.0/PLAIN");
  });

  it("a server finds nothing to run in a missing header, another mechanism, or a bare offer under PLAIN/CURVE", () => {
    expect(chooseSubprotocol(undefined, "NULL")).toBeNull();
    expect(chooseSubprotocol("ZWS2.0/CURVE", "NULL")).toBeNull();
    expect(chooseSubprotocol("ZWS2.0", "CURVE")).toBeNull();
    expect(chooseSubprotocol("zws2.0/null", "NULL")).toBeNull();
  });

  it("names the mechanism a subprotocol runs: null for bare ZWS2.0, undefined for other names", () => {
    expect(subprotocolMechanism("ZWS2.0")).toBeNull();
    expect(subprotocolMechanism("ZWS2.0/CURVE")).toBe("CURVE");
    expect(subprotocolMechanism("ZWS1.0")).toBeUndefined();
    expect(subprotocolMechanism("")).toBeUndefined();
  });

  it("the greeting made up for the engine is ZMTP 3.0 with the subprotocol's mechanism", () => {
    const greeting = decodeGreeting(zwsGreeting("CURVE"));
    expect(greeting).toMatchObject({ major: 3, minor: 0, mechanism: "CURVE" });
  });
});

describe("ZWS frames", () => {
  it("any ZMTP frames our engine writes, cut anywhere, become one payload each: flags byte, then the body", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 8 }), cutsArb, (frames, fractions) => {
        const got: Array<{ payload: Buffer; command: boolean }> = [];
        const splitter = new ZmtpFrameSplitter((payload, command) => got.push({ payload, command }));
        for (const chunk of cut(zmtpBytes(frames), fractions)) splitter.push(chunk);
        expect(got.length).toBe(frames.length);
        frames.forEach((f, i) => {
          const { payload, command } = got[i]!;
          const flags = (f.more ? 0x01 : 0) | (f.command ? 0x02 : 0);
          expect([payload[0], command, payload.subarray(1).equals(f.body)]).toEqual([flags, f.command, true]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("any ZWS payload becomes the ZMTP frame the engine's decoder reads back as the same frame", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), (frames) => {
        const decoded: Frame[] = [];
        const decoder = new FrameDecoder({
          onFrame: (body, more, command) => decoded.push({ body, more, command }),
        });
        for (const f of frames) {
          const payload = Buffer.concat([Buffer.from([(f.more ? 1 : 0) | (f.command ? 2 : 0)]), f.body]);
          decoder.push(zmtpFrameOf(payload));
        }
        expect(decoded.length).toBe(frames.length);
        frames.forEach((f, i) => {
          const d = decoded[i]!;
          expect([d.more, d.command, Buffer.from(d.body).equals(f.body)]).toEqual([f.more, f.command, true]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("a flags byte's other bits are ignored, as libzmq ignores them", () => {
    const frame = zmtpFrameOf(Buffer.from([0xfd, 0x41]));
    expect([...frame]).toEqual([FLAG_MORE, 1, 0x41]);
  });

  it("an empty message (no flags byte) is a protocol error, as in libzmq", () => {
    expect(() => zmtpFrameOf(new Uint8Array(0))).toThrow(ProtocolError);
  });
});

describe("bare ZWS2.0: routing ids instead of a handshake", () => {
  it("the peer's first message becomes a READY with a type ours accepts and its routing id as Identity", () => {
    const frame = readyFromRoutingId(Buffer.from("\x00peer-1", "latin1"), "DEALER");
    expect(frame[0]).toBe(FLAG_COMMAND);
    const command = decodeCommand(frame.subarray(2))!;
    expect(command.name).toBe("READY");
    const props = decodeReady(command.data);
    expect(getProperty(props, "Socket-Type")?.toString()).toBe("REP");
    expect(getProperty(props, "Identity")?.toString()).toBe("peer-1");
  });

  it("an empty routing id announces no Identity (the socket makes one up, as libzmq's ROUTER does)", () => {
    const command = decodeCommand(readyFromRoutingId(Buffer.from([0]), "ROUTER").subarray(2))!;
    expect(getProperty(decodeReady(command.data), "Identity")).toBeUndefined();
  });

  it("a first message that is a command or has more frames is a protocol error", () => {
    expect(() => readyFromRoutingId(Buffer.from([0x02, 0x41]), "PAIR")).toThrow(ProtocolError);
    expect(() => readyFromRoutingId(Buffer.from([0x01, 0x41]), "PAIR")).toThrow(ProtocolError);
    expect(() => readyFromRoutingId(Buffer.alloc(0), "PAIR")).toThrow(ProtocolError);
  });

  it("our READY gives the routing-id message: our Identity, or an empty one", () => {
    const ready = readOwnReady(
      encodeReady([
        ["Socket-Type", "DEALER"],
        ["Identity", "me"],
      ]),
    );
    expect(ready).toEqual({ socketType: "DEALER", routingId: Buffer.from("me") });
    expect(routingIdMessage(ready!.routingId)).toEqual(Buffer.from("\x00me", "latin1"));
    expect(readOwnReady(encodeReady([["Socket-Type", "PUB"]]))?.routingId.length).toBe(0);
    expect(readOwnReady(Buffer.from("\x04PING\x00\x00", "latin1"))).toBeNull();
  });
});
