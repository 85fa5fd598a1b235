import { describe, expect, it } from "vitest";
import {
  GREETING_SIZE,
  checkGreetingPrefix,
  decodeGreeting,
  encodeGreeting,
  sameMechanism,
} from "../../../src/zmtp/greeting.js";
import { ProtocolError } from "../../../src/errors.js";

/** What libzmq 4.3 actually sends for a NULL socket without routing id (docs/protocol.md §1.1): padding `…01 7F`. */
function libzmqGreeting(): Buffer {
  const buf = Buffer.alloc(GREETING_SIZE);
  Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x7f, 0x03, 0x01]).copy(buf, 0);
  buf.write("NULL", 12, "latin1");
  return buf;
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

describe("encodeGreeting", () => {
  it("produces 64 bytes: signature FF..7F, version 3.1, NUL-padded mechanism, as-server, zero filler", () => {
    const g = encodeGreeting("NULL", false);
    expect(g.length).toBe(64);
    expect(g.subarray(0, 10)).toEqual(Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f]));
    expect(g[10]).toBe(3);
    expect(g[11]).toBe(1);
    const mech = Buffer.alloc(20);
    mech.write("NULL", "latin1");
    expect(g.subarray(12, 32)).toEqual(mech);
    expect(g[32]).toBe(0);
    expect(g.subarray(33)).toEqual(Buffer.alloc(31));
  });

  it("sets the as-server byte to 1 for a PLAIN/CURVE server", () => {
    const g = encodeGreeting("CURVE", true);
    expect(g[32]).toBe(1);
    expect(g.toString("latin1", 12, 17)).toBe("CURVE");
    expect(g.subarray(17, 32)).toEqual(Buffer.alloc(15));
  });

  it("round-trips through decodeGreeting", () => {
    expect(decodeGreeting(encodeGreeting("PLAIN", true))).toEqual({
      major: 3,
      minor: 1,
      mechanism: "PLAIN",
      asServer: true,
    });
  });
});

describe("decodeGreeting", () => {
  it("accepts libzmq's real greeting with non-zero padding", () => {
    expect(decodeGreeting(libzmqGreeting())).toEqual({ major: 3, minor: 1, mechanism: "NULL", asServer: false });
  });

  it("never validates padding, filler or the other bits of byte 9", () => {
    const g = libzmqGreeting();
    g.fill(0xaa, 1, 9);
    g[9] = 0xff; // only bit 0 is significant
    g.fill(0x55, 33, 64);
    expect(decodeGreeting(g).mechanism).toBe("NULL");
  });

  it("handles major 4 as ZMTP 3.1, whatever its minor", () => {
    const g = libzmqGreeting();
    g[10] = 4;
    g[11] = 0;
    expect(decodeGreeting(g)).toMatchObject({ major: 3, minor: 1 });
  });

  it("handles minor 0 as ZMTP 3.0 and any minor >= 1 as 3.1", () => {
    const g = libzmqGreeting();
    g[11] = 0;
    expect(decodeGreeting(g)).toMatchObject({ major: 3, minor: 0 });
    g[11] = 2;
    expect(decodeGreeting(g)).toMatchObject({ major: 3, minor: 1 });
  });

  it("reads a full 20-byte mechanism name without a terminating NUL", () => {
    const g = libzmqGreeting();
    g.write("ABCDEFGHIJKLMNOPQRST", 12, "latin1");
    expect(decodeGreeting(g).mechanism).toBe("ABCDEFGHIJKLMNOPQRST");
  });

  it("rejects a greeting shorter than 64 bytes", () => {
    expectProtocolError(() => decodeGreeting(libzmqGreeting().subarray(0, 63)));
  });

  it("rejects a bad signature or a pre-3 major version", () => {
    const a = libzmqGreeting();
    a[0] = 0x00;
    expectProtocolError(() => decodeGreeting(a));
    const b = libzmqGreeting();
    b[9] = 0x7e;
    expectProtocolError(() => decodeGreeting(b));
    const c = libzmqGreeting();
    c[10] = 2;
    expectProtocolError(() => decodeGreeting(c));
  });
});

describe("checkGreetingPrefix", () => {
  it("accepts every prefix length 0..64 of our greeting and of libzmq's", () => {
    for (const g of [encodeGreeting("NULL", false), encodeGreeting("CURVE", true), libzmqGreeting()]) {
      for (let length = 0; length <= GREETING_SIZE; length++) {
        expect(() => checkGreetingPrefix(g.subarray(0, length), length)).not.toThrow();
      }
    }
  });

  it("rejects byte 0 != 0xFF as soon as one byte is known", () => {
    const g = libzmqGreeting();
    g[0] = 0x01; // a ZMTP/1.0 length byte
    expect(() => checkGreetingPrefix(g, 0)).not.toThrow();
    const err = expectProtocolError(() => checkGreetingPrefix(g, 1));
    expect(err.code).toBe("ERR_ZMTP_UNSPECIFIED");
  });

  it("rejects byte 9 with bit 0 clear once 10 bytes are known, not before", () => {
    const g = libzmqGreeting();
    g[9] = 0x7e;
    expect(() => checkGreetingPrefix(g, 9)).not.toThrow();
    expectProtocolError(() => checkGreetingPrefix(g, 10));
  });

  it("rejects major < 3 once 11 bytes are known, not before", () => {
    for (const major of [0, 1, 2]) {
      const g = libzmqGreeting();
      g[10] = major;
      expect(() => checkGreetingPrefix(g, 10)).not.toThrow();
      expectProtocolError(() => checkGreetingPrefix(g, 11));
    }
  });

  it("accepts the libzmq stream split 10 / 1 / 53 (docs/protocol.md §1.2)", () => {
    const g = libzmqGreeting();
    for (const length of [10, 11, 64]) expect(() => checkGreetingPrefix(g, length)).not.toThrow();
  });
});

describe("sameMechanism", () => {
  const nullGreeting = encodeGreeting("NULL", false);

  it("is true for the identical 20-byte field", () => {
    expect(sameMechanism(nullGreeting, "NULL")).toBe(true);
    expect(sameMechanism(libzmqGreeting(), "NULL")).toBe(true);
  });

  it("compares all 20 bytes, not a trimmed or prefix string", () => {
    expect(sameMechanism(nullGreeting, "NULLX")).toBe(false);
    expect(sameMechanism(nullGreeting, "NUL")).toBe(false);
    expect(sameMechanism(nullGreeting, "PLAIN")).toBe(false);
    expect(sameMechanism(encodeGreeting("NULLX", false), "NULL")).toBe(false);
  });

  it("treats garbage after the NUL terminator as a mismatch", () => {
    const g = encodeGreeting("NULL", false);
    g[31] = 0x20;
    expect(sameMechanism(g, "NULL")).toBe(false);
  });

  it("is case-sensitive", () => {
    expect(sameMechanism(nullGreeting, "null")).toBe(false);
  });
});
