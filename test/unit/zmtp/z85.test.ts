import { describe, expect, it } from "vitest";
import { x25519 } from "@noble/curves/ed25519.js";
import { curveKeyPair, curvePublicKey, decodeCurveKey, z85Decode, z85Encode } from "../../../src/zmtp/z85.js";

const HELLO_WORLD = Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe("Z85 (RFC 32)", () => {
  it("encodes the RFC test vector 86 4F D2 6F B5 59 F7 5B as HelloWorld", () => {
    expect(z85Encode(HELLO_WORLD)).toBe("HelloWorld");
  });

  it("decodes HelloWorld back to the RFC bytes", () => {
    expect(z85Decode("HelloWorld").equals(HELLO_WORLD)).toBe(true);
  });

  it("encodes the extremes of a group: 0 → 00000, 2^32-1 → %nSc0", () => {
    expect(z85Encode(Buffer.alloc(4))).toBe("00000");
    expect(z85Encode(Buffer.alloc(4, 0xff))).toBe("%nSc0");
    expect(z85Decode("%nSc0").equals(Buffer.alloc(4, 0xff))).toBe(true);
  });

  it("round-trips random data of every multiple-of-4 length up to 64", () => {
    for (let n = 0; n <= 64; n += 4) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff));
      const text = z85Encode(data);
      expect(text.length).toBe((n / 4) * 5);
      expect(z85Decode(text).equals(data)).toBe(true);
    }
  });

  it("refuses to encode a length that is not a multiple of 4 (EINVAL)", () => {
    expect(codeOf(() => z85Encode(Buffer.alloc(5)))).toBe("EINVAL");
  });

  it("refuses to decode a length that is not a multiple of 5 (EINVAL)", () => {
    expect(codeOf(() => z85Decode("Hello1"))).toBe("EINVAL");
  });

  it("refuses characters outside the alphabet (EINVAL)", () => {
    for (const bad of ['Hell"', "Hell ", "Hell,", "Hell;", "Hell'", "Hell`", "Hell|", "Hell~", "Hell\\", "Hellé"]) {
      expect(
        codeOf(() => z85Decode(bad)),
        JSON.stringify(bad),
      ).toBe("EINVAL");
    }
  });

  it("refuses a group above 2^32-1, as libzmq does (EINVAL)", () => {
    expect(codeOf(() => z85Decode("%nSc1"))).toBe("EINVAL");
    expect(codeOf(() => z85Decode("#####"))).toBe("EINVAL");
  });
});

describe("CURVE keys", () => {
  it("curveKeyPair gives 40-character Z85 keys whose public half is X25519(secret, 9)", () => {
    const pair = curveKeyPair();
    expect(pair.publicKey).toMatch(/^.{40}$/);
    expect(pair.secretKey).toMatch(/^.{40}$/);
    const expected = Buffer.from(x25519.getPublicKey(z85Decode(pair.secretKey)));
    expect(z85Decode(pair.publicKey).equals(expected)).toBe(true);
    expect(curvePublicKey(pair.secretKey)).toBe(pair.publicKey);
  });

  it("curvePublicKey matches libzmq's documented example pair (zmq_curve_keypair)", () => {
    // From libzmq's test_security_curve.cpp / zmq_curve(7) example keys.
    expect(curvePublicKey("D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")).toBe("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID");
    expect(curvePublicKey("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6")).toBe("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
  });

  it("decodeCurveKey accepts 40 Z85 chars, 41 with a trailing NUL, and 32 raw bytes", () => {
    const pair = curveKeyPair();
    const raw = z85Decode(pair.publicKey);
    expect(decodeCurveKey(pair.publicKey).equals(raw)).toBe(true);
    expect(decodeCurveKey(`${pair.publicKey}\0`).equals(raw)).toBe(true);
    expect(decodeCurveKey(raw).equals(raw)).toBe(true);
    expect(decodeCurveKey(raw.toString("latin1")).equals(raw)).toBe(true);
  });

  it("decodeCurveKey refuses other lengths and bad characters (EINVAL)", () => {
    expect(codeOf(() => decodeCurveKey("short"))).toBe("EINVAL");
    expect(codeOf(() => decodeCurveKey("x".repeat(39) + " "))).toBe("EINVAL");
    expect(codeOf(() => decodeCurveKey(Buffer.alloc(31)))).toBe("EINVAL");
  });
});
