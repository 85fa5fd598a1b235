import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HEADER_SIZE,
  MAX_BODY_SIZE,
  createMessage,
  decode,
  decodeHeader,
  encode,
  encodeHeader,
  newId,
} from "../../src/wire/protocol.js";
import { validateBody } from "../../src/wire/schema.js";

describe("monitor protocol", () => {
  it("round-trips every message type through [header, body] frames", () => {
    const samples = [
      createMessage("heartbeat", { interval: 5000, process: "web", pid: 42, hostname: "h1" }),
      createMessage("stats", {
        stats: [{ name: "a.b", value: -1.5, time: 1, kind: "gauge", unit: "ms", process: "p" }],
      }),
      createMessage("registration", {
        process: "web",
        pid: 1,
        version: "1.2",
        checks: [{ name: "disk", command: ["/bin/true"], interval: 1000, timeout: 50 }],
      }),
      createMessage("notification", { severity: "critical", text: "down", check: "disk" }, { ack: true }),
      createMessage("result", {
        check: "disk",
        status: 2,
        text: "x",
        perfdata: "a=1",
        duration: 3.5,
        trigger: "schedule",
        ref: newId(),
      }),
      createMessage("ack", { ref: newId() }),
      createMessage("run", { check: "disk", trigger: "demand" }),
      createMessage("delivery", { ref: newId(), agent: newId(), status: "unknown-agent" }),
    ];
    for (const message of samples) {
      const frames = encode(message);
      expect(frames[0]).toHaveLength(HEADER_SIZE);
      const decoded = decode(frames);
      expect(decoded).toEqual({ ok: true, value: message });
    }
  });

  it("keeps the header's id, time and ack flag exactly", () => {
    const id = newId();
    const header = decodeHeader(encodeHeader({ type: "notification", ack: true, time: 1_700_000_000_123, id }));
    expect(header).toEqual({
      ok: true,
      value: { version: 1, type: "notification", ack: true, time: 1_700_000_000_123, id },
    });
  });

  it("rejects bad headers with a reason: size, version, type, flags, time", () => {
    const good = encodeHeader({ type: "stats", ack: false, time: 1, id: newId() });
    const variant = (at: number, value: number): Buffer => {
      const b = Buffer.from(good);
      b[at] = value;
      return b;
    };
    const nan = Buffer.from(good);
    nan.writeDoubleBE(NaN, 4);
    for (const bad of [
      undefined,
      Buffer.alloc(0),
      good.subarray(0, 27),
      Buffer.concat([good, Buffer.alloc(1)]),
      variant(0, 2),
      variant(1, 99),
      variant(2, 2),
      variant(3, 1),
      nan,
    ]) {
      const result = decodeHeader(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/\w/);
    }
  });

  it("rejects bodies that are not JSON, too big, of the wrong shape, or of an unexpected type", () => {
    const header = encodeHeader({ type: "notification", ack: true, time: 1, id: newId() });
    const bad = [
      [header, Buffer.from("{")],
      [header, Buffer.from("[]")],
      [header, Buffer.from(JSON.stringify({ severity: "apocalyptic", text: "x" }))],
      [header, Buffer.from(JSON.stringify({ severity: "info" }))],
      [header, Buffer.alloc(MAX_BODY_SIZE + 1, 0x20)],
      [header],
      [header, Buffer.from("{}"), Buffer.from("{}")],
    ];
    for (const frames of bad) expect(decode(frames).ok).toBe(false);
    const ok = [header, Buffer.from(JSON.stringify({ severity: "info", text: "x" }))];
    expect(decode(ok).ok).toBe(true);
    expect(decode(ok, ["stats"]).ok).toBe(false);
  });

  it("validates body fields: numbers finite, statuses 0..3, ids UUIDs, lists bounded; unknown fields dropped", () => {
    expect(validateBody("stats", { stats: [{ name: "x", value: Infinity }] }).ok).toBe(false);
    expect(validateBody("stats", { stats: new Array(1001).fill({ name: "x", value: 1 }) }).ok).toBe(false);
    expect(
      validateBody("result", { check: "c", status: 1.5, text: "", perfdata: "", duration: 0, trigger: "local" }).ok,
    ).toBe(false);
    expect(
      validateBody("result", { check: "c", status: 4, text: "", perfdata: "", duration: 0, trigger: "local" }).ok,
    ).toBe(false);
    expect(validateBody("ack", { ref: "not-a-uuid" }).ok).toBe(false);
    expect(validateBody("heartbeat", { interval: 0 }).ok).toBe(false);
    expect(validateBody("registration", { process: "p", checks: [{ name: "c", command: [], interval: 10 }] }).ok).toBe(
      false,
    );
    expect(validateBody("heartbeat", { interval: 10, evil: { __proto__: 1 } })).toEqual({
      ok: true,
      value: { interval: 10 },
    });
  });

  it("never throws on garbage frames (property)", () => {
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
      fc.json().map((j) => Buffer.from(j)),
      fc.constantFrom(
        ...["stats", "notification", "registration", "heartbeat", "result", "ack", "run", "delivery"].map((type) =>
          encodeHeader({ type: type as "stats", ack: false, time: 1, id: newId() }),
        ),
      ),
      fc.uint8Array({ minLength: 28, maxLength: 28 }).map((a) => {
        const b = Buffer.from(a);
        b[0] = 1;
        b[1] = b[1]! % 20;
        b[2] = b[2]! & 1;
        b[3] = 0;
        return b;
      }),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 4 }), (frames) => {
        const result = decode(frames);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          "stats",
          "notification",
          "registration",
          "heartbeat",
          "result",
          "ack",
          "run",
          "delivery" as const,
        ),
        fc.anything(),
        (type, body) => {
          const result = validateBody(type as "stats", body);
          expect(typeof result.ok).toBe("boolean");
        },
      ),
      { numRuns: 2000 },
    );
  });
});
