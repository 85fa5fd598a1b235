import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeReply,
  decodeRequest,
  decodeUpdate,
  encodeReply,
  encodeRequest,
  encodeUpdate,
  type Reply,
  type Request,
  type Update,
} from "../../src/wire/protocol.js";

const name = fc.stringMatching(/^[a-z0-9._-]{1,20}$/);
const endpoint = fc.stringMatching(/^tcp:\/\/[a-z0-9.]{1,12}:[0-9]{1,5}$/);
const id = fc.stringMatching(/^[0-9a-z]{1,8}$/);
const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const count = fc.nat();

const request: fc.Arbitrary<Request> = fc.oneof(
  fc.record({ type: fc.constant("HELLO" as const), id }),
  fc.record({ type: fc.constant("REGISTER" as const), name, endpoint, ttl: fc.integer({ min: 1, max: 1e9 }) }),
  fc.record({ type: fc.constant("UNREGISTER" as const), name, endpoint }),
  fc.record({ type: fc.constant("LOOKUP" as const), id, name }),
  fc.record({ type: fc.constant("SNAPSHOT" as const), id, name: fc.oneof(name, fc.constant("")) }),
);

const reply: fc.Arbitrary<Reply> = fc.oneof(
  fc.record({ type: fc.constant("HELLO" as const), id, epoch: id, publish: endpoint }),
  fc.record({ type: fc.constant("OK" as const), name, endpoint }),
  fc.record({ type: fc.constant("ENDPOINTS" as const), id, name, endpoints: fc.array(endpoint) }),
  fc.record({
    type: fc.constant("ENTRY" as const),
    id,
    entry: fc.record({ name, seq: count, members: fc.array(fc.record({ endpoint, ttl: count })) }),
  }),
  fc.record({ type: fc.constant("END" as const), id, epoch: id, count }),
  fc.record({ type: fc.constant("ERROR" as const), id, message: fc.string() }),
);

const update: fc.Arbitrary<Update> = fc.oneof(
  fc.record({ type: fc.constant("UPDATE" as const), name, epoch: id, seq, op: fc.constantFrom("+", "-"), endpoint }),
  fc.record({ type: fc.constant("HUGZ" as const), epoch: id }),
);

describe("name service codec", () => {
  it("decodes every request it encodes", () => {
    fc.assert(
      fc.property(request, (r) => {
        expect(decodeRequest(encodeRequest(r))).toEqual(r);
      }),
    );
  });

  it("decodes every reply it encodes", () => {
    fc.assert(
      fc.property(reply, (r) => {
        expect(decodeReply(encodeReply(r))).toEqual(r);
      }),
    );
  });

  it("decodes every update it encodes", () => {
    fc.assert(
      fc.property(update, (u) => {
        expect(decodeUpdate(encodeUpdate(u))).toEqual(u);
      }),
    );
  });

  it("returns null rather than throwing on arbitrary frames", () => {
    const frames = fc.array(
      fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a)),
      { maxLength: 7 },
    );
    fc.assert(
      fc.property(frames, (f) => {
        expect(() => [decodeRequest(f), decodeReply(f), decodeUpdate(f)]).not.toThrow();
      }),
    );
  });

  it("refuses sequence numbers that are not decimal integers, TTLs of 0 and names starting with !", () => {
    const b = (...s: string[]): Buffer[] => s.map((x) => Buffer.from(x));
    expect(decodeUpdate(b("n", "e", "01", "+", "tcp://a:1"))).toBeNull();
    expect(decodeUpdate(b("n", "e", "1e3", "+", "tcp://a:1"))).toBeNull();
    expect(decodeUpdate(b("n", "e", "0", "+", "tcp://a:1"))).toBeNull();
    expect(decodeUpdate(b("n", "e", "1", "*", "tcp://a:1"))).toBeNull();
    expect(decodeRequest(b("REGISTER", "n", "tcp://a:1", "0"))).toBeNull();
    expect(decodeRequest(b("REGISTER", "!hugz", "tcp://a:1", "10"))).toBeNull();
    expect(decodeRequest(b("LOOKUP", "1", "has space"))).toBeNull();
  });
});
