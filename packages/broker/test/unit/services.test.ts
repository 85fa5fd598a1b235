import { describe, expect, it } from "vitest";
import { newMessageId } from "../../src/network/envelope.js";
import { ServiceTable, type Waiting } from "../../src/network/services.js";

const INC = Buffer.from("00000001");
const rid = (name: string): Buffer => Buffer.from(`W:${name}`);

function table(overrides: Partial<ConstructorParameters<typeof ServiceTable>[0]> = {}): ServiceTable {
  return new ServiceTable({ workerWindow: 300, queueTimeout: 1000, maxQueued: 3, maxQueuedTotal: 5, ...overrides });
}

function waiting(service: string, expires = 1000, client = "C:c"): Waiting {
  return {
    client: Buffer.from(client),
    envelopeFrame: Buffer.alloc(0),
    envelope: {
      id: newMessageId(),
      original: null,
      possibleDuplicate: false,
      retries: 0,
      ttl: 5000,
      sender: "c",
      service,
    },
    expires,
  };
}

describe("ServiceTable", () => {
  it("hands requests to idle workers least recently used first; a worker idle again goes to the back", () => {
    const t = table();
    for (const name of ["a", "b", "c"]) t.upsert(rid(name), "echo", INC, 1, 0);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) t.enqueue("echo", waiting("echo"));
    for (let pair = t.next("echo"); pair !== null; pair = t.next("echo")) order.push(pair.worker.rid.toString());
    expect(order).toEqual(["W:a", "W:b", "W:c"]);
    t.upsert(rid("b"), "echo", INC, 1, 1);
    t.upsert(rid("a"), "echo", INC, 1, 1);
    expect(t.idleOrder("echo").map(String)).toEqual(["W:b", "W:a"]);
  });

  it("a ping that repeats a credit keeps the worker's place in line", () => {
    const t = table();
    t.upsert(rid("a"), "echo", INC, 1, 0);
    t.upsert(rid("b"), "echo", INC, 1, 0);
    t.upsert(rid("a"), "echo", INC, 1, 5);
    expect(t.idleOrder("echo").map(String)).toEqual(["W:a", "W:b"]);
    t.upsert(rid("a"), "echo", INC, 0, 6);
    expect(t.idleOrder("echo").map(String)).toEqual(["W:b"]);
  });

  it("spends a worker's credits one at a time, sending it to the back of the line after each", () => {
    const t = table();
    t.upsert(rid("a"), "echo", INC, 2, 0);
    t.upsert(rid("b"), "echo", INC, 1, 0);
    for (let i = 0; i < 3; i++) t.enqueue("echo", waiting("echo"));
    const order: string[] = [];
    for (let pair = t.next("echo"); pair !== null; pair = t.next("echo")) order.push(pair.worker.rid.toString());
    expect(order).toEqual(["W:a", "W:b", "W:a"]);
    expect(t.idleCount("echo")).toBe(0);
  });

  it("registers a restarted worker (new run) or one that changed service afresh, reporting the old one", () => {
    const t = table();
    t.upsert(rid("a"), "echo", INC, 1, 0);
    const again = t.upsert(rid("a"), "echo", Buffer.from("00000002"), 0, 1);
    expect(again.added).toBe(true);
    expect(again.replaced?.incarnation.toString()).toBe("00000001");
    expect(t.idleCount("echo")).toBe(0);
    const moved = t.upsert(rid("a"), "upper", Buffer.from("00000002"), 1, 2);
    expect(moved.replaced?.service).toBe("echo");
    expect([t.workerCount("echo"), t.workerCount("upper"), t.serviceCount()]).toEqual([0, 1, 1]);
  });

  it("bounds the waiting requests per service, and those for services nobody offers together", () => {
    const t = table();
    expect([1, 2, 3, 4].map(() => t.enqueue("x", waiting("x")))).toEqual(["queued", "queued", "queued", "full"]);
    expect([1, 2, 3].map(() => t.enqueue("y", waiting("y")))).toEqual(["queued", "queued", "full"]);
    expect([t.queuedCount(), t.unservedCount()]).toEqual([5, 5]);
  });

  it("never refuses a served service's requests because of a flood for services nobody offers", () => {
    const t = table();
    for (const s of ["x", "x", "x", "y", "y"]) t.enqueue(s, waiting(s));
    expect(t.enqueue("z", waiting("z"))).toBe("full");
    t.upsert(rid("a"), "echo", INC, 0, 0); // busy: its requests wait
    expect([1, 2, 3, 4].map(() => t.enqueue("echo", waiting("echo")))).toEqual(["queued", "queued", "queued", "full"]);
    expect(t.unservedCount()).toBe(5);
  });

  it("expires silent workers, and waiting requests as NO_SERVICE (no worker at all) or BUSY", () => {
    const t = table();
    t.upsert(rid("a"), "busy", INC, 0, 0);
    t.enqueue("busy", waiting("busy", 500));
    t.enqueue("nobody", waiting("nobody", 500));
    t.enqueue("nobody", waiting("nobody", 900));
    const early = t.expire(300);
    expect(early.workers).toEqual([]);
    t.touch(rid("a"), 400);
    const late = t.expire(600);
    expect(late.workers).toEqual([]);
    expect(late.requests.map((r) => [r.waiting.envelope.service, r.code]).sort()).toEqual([
      ["busy", "BUSY"],
      ["nobody", "NO_SERVICE"],
    ]);
    expect(t.queuedCount()).toBe(1);
    const last = t.expire(901);
    expect(last.workers.map((w) => w.rid.toString())).toEqual(["W:a"]);
    expect(last.requests.map((r) => r.code)).toEqual(["NO_SERVICE"]);
    expect([t.queuedCount(), t.serviceCount()]).toEqual([0, 0]);
  });

  it("puts a request whose worker vanished back first in line", () => {
    const t = table();
    t.upsert(rid("a"), "echo", INC, 1, 0);
    const first = waiting("echo");
    t.enqueue("echo", first);
    t.enqueue("echo", waiting("echo"));
    const pair = t.next("echo")!;
    t.remove(pair.worker.key);
    t.requeueFront(pair.waiting);
    t.upsert(rid("b"), "echo", INC, 1, 0);
    expect(t.next("echo")!.waiting).toBe(first);
  });
});
