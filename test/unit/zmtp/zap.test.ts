/** The ZAP request/reply frames (RFC 27) as the ZAP client and the Authenticator exchange them. */
import { describe, expect, it } from "vitest";
import { encodeProperties } from "../../../src/zmtp/metadata.js";
import { decodeZapReply, decodeZapRequest, encodeZapReply, encodeZapRequest } from "../../../src/zmtp/zap.js";

const text = (frames: Buffer[]): string[] => frames.map((f) => f.toString("latin1"));

describe("ZAP frames", () => {
  it("a request reads back as the handler sees it, credentials in order", () => {
    const frames = encodeZapRequest(
      {
        domain: "global",
        address: "10.0.0.1",
        identity: Buffer.from("srv"),
        mechanism: "PLAIN",
        credentials: [Buffer.from("admin"), Buffer.from("secret")],
      },
      "7",
    );
    expect(text(frames)).toEqual(["", "1.0", "7", "global", "10.0.0.1", "srv", "PLAIN", "admin", "secret"]);
    expect(decodeZapRequest(frames)).toEqual({
      version: "1.0",
      requestId: Buffer.from("7"),
      domain: "global",
      address: "10.0.0.1",
      identity: Buffer.from("srv"),
      mechanism: "PLAIN",
      credentials: [Buffer.from("admin"), Buffer.from("secret")],
    });
  });

  it("frames without the empty delimiter, or too few of them, are no request", () => {
    const frames = encodeZapRequest({
      domain: "",
      address: "",
      identity: Buffer.alloc(0),
      mechanism: "NULL",
      credentials: [],
    });
    expect(decodeZapRequest(frames)).not.toBeNull();
    expect(decodeZapRequest(frames.slice(1))).toBeNull();
    expect(decodeZapRequest([Buffer.from("x"), ...frames.slice(1)])).toBeNull();
  });

  it("a reply echoes the request id and reads back with its metadata", () => {
    const metadata = encodeProperties([["Role", Buffer.from("admin")]]);
    const frames = encodeZapReply(Buffer.from("1"), { statusCode: "200", statusText: "OK", userId: "alice", metadata });
    expect(text(frames).slice(0, 6)).toEqual(["", "1.0", "1", "200", "OK", "alice"]);
    expect(decodeZapReply(frames)).toEqual({ statusCode: "200", statusText: "OK", userId: "alice", metadata });
  });

  it("a reply to another request id is a ZAP protocol error", () => {
    const frames = encodeZapReply("2", { statusCode: "400", statusText: "no", userId: "", metadata: Buffer.alloc(0) });
    expect(() => decodeZapReply(frames)).toThrow(expect.objectContaining({ code: "ERR_ZAP_BAD_REQUEST_ID" }));
  });
});
