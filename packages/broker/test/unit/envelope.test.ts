import { describe, expect, it } from "vitest";
import { answerTo, decodeEnvelope, encodeEnvelope, newMessageId, type Envelope } from "../../src/network/envelope.js";

const request: Envelope = {
  id: newMessageId(),
  original: null,
  possibleDuplicate: true,
  retries: 2,
  ttl: 4500,
  sender: "client-7",
  service: "échos",
};

describe("envelope", () => {
  it("carries every field of document 003's metadata through one frame", () => {
    const decoded = decodeEnvelope(encodeEnvelope(request))!;
    expect({ ...decoded, id: Buffer.from(decoded.id) }).toEqual(request);
  });

  it("an answer has a new id, the request's id as original, and no duplicate flag", () => {
    const answer = decodeEnvelope(encodeEnvelope(answerTo(request)))!;
    expect(answer.id.equals(request.id)).toBe(false);
    expect(answer.original!.equals(request.id)).toBe(true);
    expect(answer.possibleDuplicate).toBe(false);
    expect([answer.sender, answer.service, answer.ttl]).toEqual([request.sender, request.service, request.ttl]);
  });

  it("saturates the retry count at 255 and clamps the ttl to an unsigned 32-bit value", () => {
    const decoded = decodeEnvelope(encodeEnvelope({ ...request, retries: 1000, ttl: -5 }))!;
    expect([decoded.retries, decoded.ttl]).toEqual([255, 0]);
  });

  it("reads nothing from a frame that is not an envelope: wrong version, truncated, trailing bytes", () => {
    const good = encodeEnvelope(request);
    const wrongVersion = Buffer.from(good);
    wrongVersion[0] = 2;
    expect(decodeEnvelope(wrongVersion)).toBeNull();
    for (let length = 0; length < good.length; length++) expect(decodeEnvelope(good.subarray(0, length))).toBeNull();
    expect(decodeEnvelope(Buffer.concat([good, Buffer.from([0])]))).toBeNull();
    expect(decodeEnvelope(undefined)).toBeNull();
  });

  it("refuses to encode names longer than one length byte can say", () => {
    expect(() => encodeEnvelope({ ...request, service: "s".repeat(256) })).toThrow(RangeError);
  });
});
