import { describe, expect, it } from "vitest";
import {
  decodeCommand,
  decodeError,
  decodePing,
  decodeReady,
  encodeCancel,
  encodeCommand,
  encodeError,
  encodePing,
  encodePong,
  encodeReady,
  encodeSubscribe,
} from "../../../src/zmtp/command.js";
import { FLAG_COMMAND, encodeFrame } from "../../../src/zmtp/frame.js";
import { getProperty } from "../../../src/zmtp/metadata.js";
import { ProtocolError } from "../../../src/errors.js";

function expectProtocolError(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error("expected a ProtocolError, nothing was thrown");
}

function decoded(body: Buffer) {
  const cmd = decodeCommand(body);
  if (cmd === null) throw new Error("command did not decode");
  return cmd;
}

describe("encodeCommand / decodeCommand", () => {
  it("lays out name-len, name, data and decodes back", () => {
    const body = encodeCommand("HELLO", Buffer.from([1, 2, 3]));
    expect(body.toString("hex")).toBe("0548454c4c4f010203");
    const cmd = decoded(body);
    expect(cmd.name).toBe("HELLO");
    expect(cmd.data).toEqual(Buffer.from([1, 2, 3]));
  });

  it("encodes a command without data as name only", () => {
    expect(encodeCommand("READY").toString("latin1")).toBe("\x05READY");
    expect(decoded(encodeCommand("READY")).data.length).toBe(0);
  });

  it("returns data as a view of the body", () => {
    const body = encodeCommand("X", Buffer.from("data"));
    const cmd = decoded(body);
    expect(cmd.data.buffer).toBe(body.buffer);
    expect(cmd.data.byteOffset).toBe(body.byteOffset + 2);
  });

  it("returns null for an empty body", () => {
    expect(decodeCommand(Buffer.alloc(0))).toBeNull();
  });

  it("returns null when the name is longer than the body", () => {
    expect(decodeCommand(Buffer.from("\x05READ", "latin1"))).toBeNull();
    expect(decodeCommand(Buffer.from([0xff]))).toBeNull();
  });

  it("returns null for a zero-length name", () => {
    expect(decodeCommand(Buffer.from([0x00, 0x41]))).toBeNull();
  });

  it("accepts a name that exactly fills the body", () => {
    expect(decodeCommand(Buffer.from("\x04PING", "latin1"))).toEqual({ name: "PING", data: Buffer.alloc(0) });
  });
});

describe("READY", () => {
  it("is byte-exact for a DEALER with empty identity (docs/protocol.md §3.1)", () => {
    const frame = encodeFrame(
      encodeReady([
        ["Socket-Type", "DEALER"],
        ["Identity", Buffer.alloc(0)],
      ]),
      FLAG_COMMAND,
    );
    const expected = Buffer.concat([
      Buffer.from([0x04, 0x29, 0x05]),
      Buffer.from("READY"),
      Buffer.from([0x0b]),
      Buffer.from("Socket-Type"),
      Buffer.from([0, 0, 0, 6]),
      Buffer.from("DEALER"),
      Buffer.from([0x08]),
      Buffer.from("Identity"),
      Buffer.from([0, 0, 0, 0]),
    ]);
    expect(frame.toString("hex")).toBe(expected.toString("hex"));
  });

  it("round-trips Socket-Type, an empty Identity and a binary X- property", () => {
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x00]);
    const cmd = decoded(
      encodeReady([
        ["Socket-Type", "ROUTER"],
        ["Identity", Buffer.alloc(0)],
        ["X-Foo", binary],
      ]),
    );
    expect(cmd.name).toBe("READY");
    const props = decodeReady(cmd.data);
    expect([...props.keys()]).toEqual(["Socket-Type", "Identity", "X-Foo"]);
    expect(props.get("Socket-Type")?.toString()).toBe("ROUTER");
    expect(props.get("Identity")).toEqual(Buffer.alloc(0));
    expect(props.get("X-Foo")).toEqual(binary);
    expect(getProperty(props, "socket-type")?.toString()).toBe("ROUTER");
  });

  it("decodes a READY with no properties to an empty map", () => {
    expect(decodeReady(decoded(encodeReady([])).data).size).toBe(0);
  });

  it("rejects truncated READY metadata with ERR_ZMTP_INVALID_METADATA", () => {
    const body = encodeReady([["Socket-Type", "PUB"]]);
    const cmd = decoded(body.subarray(0, body.length - 1));
    expect(expectProtocolError(() => decodeReady(cmd.data)).code).toBe("ERR_ZMTP_INVALID_METADATA");
  });
});

describe("ERROR", () => {
  it("encodes reason-len and reason, and decodes back", () => {
    const body = encodeError("400");
    expect(body.toString("latin1")).toBe("\x05ERROR\x03400");
    const cmd = decoded(body);
    expect(cmd.name).toBe("ERROR");
    expect(decodeError(cmd.data)).toBe("400");
  });

  it("round-trips an empty reason", () => {
    expect(decodeError(decoded(encodeError("")).data)).toBe("");
  });

  it("cuts reasons to 255 bytes", () => {
    const body = encodeError("x".repeat(300));
    const cmd = decoded(body);
    expect(cmd.data[0]).toBe(255);
    expect(cmd.data.length).toBe(256);
    expect(decodeError(cmd.data)).toBe("x".repeat(255));
  });

  it("ignores bytes after the reason", () => {
    expect(decodeError(Buffer.from("\x02okJUNK", "latin1"))).toBe("ok");
  });

  it("rejects a missing or truncated reason with ERR_ZMTP_MALFORMED_COMMAND_ERROR", () => {
    expect(expectProtocolError(() => decodeError(Buffer.alloc(0))).code).toBe("ERR_ZMTP_MALFORMED_COMMAND_ERROR");
    expect(expectProtocolError(() => decodeError(Buffer.from("\x05abc", "latin1"))).code).toBe(
      "ERR_ZMTP_MALFORMED_COMMAND_ERROR",
    );
  });
});

describe("PING / PONG", () => {
  it("always sends the 2-byte TTL in deciseconds (docs/protocol.md §6.1)", () => {
    expect(encodePing(0).toString("hex")).toBe("0450494e470000");
    expect(encodePing(0x1234).toString("hex")).toBe("0450494e471234");
  });

  it("clamps the TTL to 0..65535 and floors fractions", () => {
    expect(decodePing(decoded(encodePing(70000)).data).ttlDeciseconds).toBe(0xffff);
    expect(decodePing(decoded(encodePing(-5)).data).ttlDeciseconds).toBe(0);
    expect(decodePing(decoded(encodePing(12.9)).data).ttlDeciseconds).toBe(12);
  });

  it("round-trips TTL and context", () => {
    const cmd = decoded(encodePing(300, Buffer.from("ctx")));
    expect(cmd.name).toBe("PING");
    expect(decodePing(cmd.data)).toEqual({ ttlDeciseconds: 300, context: Buffer.from("ctx") });
  });

  it("truncates the context to 16 bytes when encoding and decoding", () => {
    const ctx = Buffer.from("0123456789abcdefXYZW");
    const sent = decoded(encodePing(10, ctx));
    expect(sent.data.length).toBe(18);
    expect(decodePing(sent.data).context.toString()).toBe("0123456789abcdef");
    const received = decodePing(Buffer.concat([Buffer.from([0, 10]), ctx]));
    expect(received.context.toString()).toBe("0123456789abcdef");
  });

  it("decodes a PING without TTL bytes as TTL 0, empty context", () => {
    expect(decodePing(Buffer.alloc(0))).toEqual({ ttlDeciseconds: 0, context: Buffer.alloc(0) });
    expect(decodePing(Buffer.from([7]))).toEqual({ ttlDeciseconds: 0, context: Buffer.alloc(0) });
  });

  it("PONG echoes at most 16 context bytes", () => {
    expect(encodePong(Buffer.from("hi")).toString("latin1")).toBe("\x04PONGhi");
    const cmd = decoded(encodePong(Buffer.from("0123456789abcdefXYZW")));
    expect(cmd.name).toBe("PONG");
    expect(cmd.data.toString()).toBe("0123456789abcdef");
  });
});

describe("SUBSCRIBE / CANCEL", () => {
  it("carry the topic as raw data, including empty and binary topics", () => {
    const sub = decoded(encodeSubscribe(Buffer.from("weather")));
    expect(sub).toEqual({ name: "SUBSCRIBE", data: Buffer.from("weather") });
    expect(encodeSubscribe(Buffer.alloc(0)).toString("latin1")).toBe("\x09SUBSCRIBE");
    const cancel = decoded(encodeCancel(Buffer.from([0x00, 0xff])));
    expect(cancel).toEqual({ name: "CANCEL", data: Buffer.from([0x00, 0xff]) });
    expect(encodeCancel(Buffer.from("t")).toString("latin1")).toBe("\x06CANCELt");
  });
});
