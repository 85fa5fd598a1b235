import { describe, expect, it } from "vitest";
import { newMessageId } from "../../src/network/envelope.js";
import { RequestLedger, type Reservation } from "../../src/network/ledger.js";

const ticket = (n: number): Buffer => Buffer.alloc(16, n);

function reservation(broker = "tcp://b1", expires = 1000, n = 1): Reservation {
  return {
    ticket: ticket(n),
    client: Buffer.from("C:c"),
    envelope: {
      id: newMessageId(),
      original: null,
      possibleDuplicate: false,
      retries: 0,
      ttl: 1000,
      sender: "c",
      service: "s",
    },
    broker,
    expires,
  };
}

const reply = { kind: "reply" as const, body: [Buffer.from("done")] };

describe("RequestLedger (at most once)", () => {
  it("runs a reserved request once; every later copy, through any broker, gets the stored answer", () => {
    const ledger = new RequestLedger();
    expect(ledger.reserve("r1", reservation("tcp://b1"))).toEqual({ outcome: "reserved", ticket: ticket(1) });
    expect(ledger.start("r1", ticket(1), "tcp://b1").kind).toBe("run");
    expect(ledger.start("r1", ticket(1), "tcp://b2")).toEqual({ kind: "running" });
    expect(ledger.finish("r1", reply, 1000, 0)).toEqual(["tcp://b1", "tcp://b2"]);
    expect(ledger.start("r1", ticket(1), "tcp://b3")).toEqual({ kind: "done", answer: reply });
  });

  it("never runs a request without the ticket of a reservation it holds (NOT_RESERVED)", () => {
    const ledger = new RequestLedger();
    expect(ledger.start("r1", ticket(1), "tcp://b1")).toEqual({ kind: "not-reserved" });
    ledger.reserve("r1", reservation("tcp://b1", 1000, 2));
    // A copy with the ticket of an earlier reservation (expired, then reserved again) does not run.
    expect(ledger.start("r1", ticket(1), "tcp://b1")).toEqual({ kind: "not-reserved" });
    expect(ledger.cancel("r1", ticket(1))).toBeUndefined();
    expect(ledger.cancel("r1", ticket(2))).toBeDefined();
    expect(ledger.start("r1", ticket(2), "tcp://b1")).toEqual({ kind: "not-reserved" });
  });

  it("answers a second RESERVE for a known id with the ticket it holds, without a second reservation", () => {
    const ledger = new RequestLedger();
    ledger.reserve("r1", reservation("tcp://b1", 1000, 1));
    expect(ledger.reserve("r1", reservation("tcp://b2", 1000, 2))).toEqual({ outcome: "known", ticket: ticket(1) });
    expect([ledger.busyWith("tcp://b1"), ledger.busyWith("tcp://b2")]).toEqual([1, 0]);
    ledger.start("r1", ticket(1), "tcp://b1");
    expect(ledger.reserve("r1", reservation("tcp://b2", 1000, 3))).toEqual({ outcome: "known", ticket: ticket(1) });
  });

  it("keeps an answer for the client's remaining time, then forgets it; an unused reservation expires", () => {
    const ledger = new RequestLedger();
    ledger.reserve("r1", reservation("tcp://b1", 500));
    ledger.reserve("r2", reservation("tcp://b1", 5000));
    ledger.start("r2", ticket(1), "tcp://b1");
    ledger.finish("r2", reply, 2000, 100);
    expect(ledger.expire(500).map((r) => r.broker)).toEqual(["tcp://b1"]);
    expect(ledger.start("r1", ticket(1), "tcp://b1").kind).toBe("not-reserved");
    expect(ledger.start("r2", ticket(1), "tcp://b1").kind).toBe("done");
    ledger.expire(2100);
    expect(ledger.size).toEqual({ reservations: 0, records: 0, bytes: 0 });
  });

  it("counts a broker's reservations until they run to the end, for its credit", () => {
    const ledger = new RequestLedger();
    ledger.reserve("r1", reservation("tcp://b1"));
    ledger.start("r1", ticket(1), "tcp://b2");
    expect([ledger.busyWith("tcp://b1"), ledger.busyWith("tcp://b2")]).toEqual([1, 0]);
    ledger.finish("r1", reply, 1000, 0);
    expect(ledger.busyWith("tcp://b1")).toBe(0);
  });

  it("takes no new reservation once full, in entries or in bytes of stored answers", () => {
    const byCount = new RequestLedger({ maxEntries: 2 });
    expect(["a", "b", "c"].map((k) => byCount.reserve(k, reservation()))).toEqual([
      { outcome: "reserved", ticket: ticket(1) },
      { outcome: "reserved", ticket: ticket(1) },
      "full",
    ]);
    const byBytes = new RequestLedger({ maxBytes: 4 });
    byBytes.reserve("a", reservation());
    byBytes.start("a", ticket(1), "tcp://b1");
    byBytes.finish("a", reply, 1000, 0);
    expect(byBytes.hasRoom()).toBe(false);
    expect(byBytes.reserve("b", reservation())).toBe("full");
  });
});
