import { describe, expect, it } from "vitest";
import { decodeProperties, encodeProperties, getProperty } from "../../../src/zmtp/metadata.js";
import { ProtocolError } from "../../../src/errors.js";

function expectInvalidMetadata(buf: Buffer): void {
  try {
    decodeProperties(buf);
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe("ERR_ZMTP_INVALID_METADATA");
    return;
  }
  throw new Error(`expected ERR_ZMTP_INVALID_METADATA for ${buf.toString("hex")}`);
}

describe("encodeProperties", () => {
  it("writes name-len(1) name value-len(4, BE) value per property", () => {
    expect(encodeProperties([["Socket-Type", "PUB"]]).toString("hex")).toBe(
      "0b" + Buffer.from("Socket-Type").toString("hex") + "00000003" + Buffer.from("PUB").toString("hex"),
    );
  });

  it("encodes string values as UTF-8 and Buffer values as given", () => {
    const buf = encodeProperties([
      ["X-Text", "é"],
      ["X-Bin", Buffer.from([0xff])],
    ]);
    const props = decodeProperties(buf);
    expect(props.get("X-Text")).toEqual(Buffer.from([0xc3, 0xa9]));
    expect(props.get("X-Bin")).toEqual(Buffer.from([0xff]));
  });

  it("encodes nothing for no properties", () => {
    expect(encodeProperties([]).length).toBe(0);
  });

  it("refuses empty names and names over 255 bytes", () => {
    expect(() => encodeProperties([["", "x"]])).toThrow(RangeError);
    expect(() => encodeProperties([["a".repeat(256), "x"]])).toThrow(RangeError);
    expect(() => encodeProperties([["a".repeat(255), "x"]])).not.toThrow();
  });
});

describe("decodeProperties", () => {
  it("round-trips Socket-Type, empty Identity and a binary X-Foo in order", () => {
    const xfoo = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    const props = decodeProperties(
      encodeProperties([
        ["Socket-Type", "DEALER"],
        ["Identity", ""],
        ["X-Foo", xfoo],
      ]),
    );
    expect([...props.entries()].map(([k, v]) => [k, v.toString("hex")])).toEqual([
      ["Socket-Type", Buffer.from("DEALER").toString("hex")],
      ["Identity", ""],
      ["X-Foo", xfoo.toString("hex")],
    ]);
  });

  it("keeps names as received (case preserved)", () => {
    const props = decodeProperties(encodeProperties([["socket-TYPE", "SUB"]]));
    expect([...props.keys()]).toEqual(["socket-TYPE"]);
  });

  it("decodes an empty buffer to an empty map", () => {
    expect(decodeProperties(Buffer.alloc(0)).size).toBe(0);
  });

  it("rejects every truncation of a valid property list", () => {
    const buf = encodeProperties([
      ["Socket-Type", "ROUTER"],
      ["X-Foo", "bar"],
    ]);
    const boundaries = new Set([0, 1 + 11 + 4 + 6, buf.length]);
    for (let cut = 1; cut < buf.length; cut++) {
      if (boundaries.has(cut)) continue;
      expectInvalidMetadata(buf.subarray(0, cut));
    }
  });

  it("rejects a zero-length name", () => {
    expectInvalidMetadata(Buffer.from([0x00, 0, 0, 0, 0]));
  });

  it("rejects a value length larger than what is left", () => {
    expectInvalidMetadata(Buffer.from([0x01, 0x41, 0, 0, 0, 2, 0x42]));
    expectInvalidMetadata(Buffer.from([0x01, 0x41, 0xff, 0xff, 0xff, 0xff]));
  });

  it("returns values as views of the input", () => {
    const buf = encodeProperties([["X-A", "value"]]);
    const value = decodeProperties(buf).get("X-A")!;
    expect(value.buffer).toBe(buf.buffer);
    expect(value.toString()).toBe("value");
  });
});

describe("getProperty", () => {
  const props = decodeProperties(
    encodeProperties([
      ["Socket-Type", "REQ"],
      ["identity", "abc"],
    ]),
  );

  it("matches names without regard to case (RFC 23 §2.5.1)", () => {
    expect(getProperty(props, "Socket-Type")?.toString()).toBe("REQ");
    expect(getProperty(props, "socket-type")?.toString()).toBe("REQ");
    expect(getProperty(props, "SOCKET-TYPE")?.toString()).toBe("REQ");
    expect(getProperty(props, "Identity")?.toString()).toBe("abc");
  });

  it("returns undefined for an absent name", () => {
    expect(getProperty(props, "Resource")).toBeUndefined();
    expect(getProperty(props, "Socket-Typ")).toBeUndefined();
  });

  it("prefers an exact match over a case-insensitive one", () => {
    const both = decodeProperties(
      encodeProperties([
        ["x-key", "lower"],
        ["X-Key", "exact"],
      ]),
    );
    expect(getProperty(both, "X-Key")?.toString()).toBe("exact");
    expect(getProperty(both, "x-key")?.toString()).toBe("lower");
  });
});
