import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SubscriptionTrie, type RemoveResult, type TrieMode } from "../../src/sockets/routing/trie.js";

/**
 * The obvious implementation: a map from prefix to (value -> count), every query a scan. The
 * trie must give the same answer to every call of any sequence of calls.
 */
class NaiveSubscriptions {
  private readonly byPrefix = new Map<string, Map<string, number>>();

  constructor(private readonly mode: TrieMode) {}

  add(prefix: Buffer, value: string): boolean {
    const key = prefix.toString("hex");
    let values = this.byPrefix.get(key);
    const first = values === undefined;
    if (values === undefined) this.byPrefix.set(key, (values = new Map()));
    const count = values.get(value) ?? 0;
    values.set(value, this.mode === "count" ? count + 1 : 1);
    return first;
  }

  remove(prefix: Buffer, value: string): RemoveResult {
    const key = prefix.toString("hex");
    const values = this.byPrefix.get(key);
    const count = values?.get(value);
    if (values === undefined || count === undefined) return "notFound";
    if (count > 1) {
      values.set(value, count - 1);
      return "valuesRemain";
    }
    values.delete(value);
    if (values.size > 0) return "valuesRemain";
    this.byPrefix.delete(key);
    return "lastValueRemoved";
  }

  removeValue(value: string): Array<[string, boolean]> {
    const removed: Array<[string, boolean]> = [];
    for (const prefix of this.prefixes()) {
      const key = prefix.toString("hex");
      const values = this.byPrefix.get(key)!;
      if (!values.delete(value)) continue;
      if (values.size === 0) this.byPrefix.delete(key);
      removed.push([key, values.size === 0]);
    }
    return removed;
  }

  /** Every value of every subscribed prefix of `topic`, once per matching prefix. */
  match(topic: Buffer): string[] {
    const seen: string[] = [];
    for (const [key, values] of this.byPrefix) {
      const prefix = Buffer.from(key, "hex");
      if (prefix.length <= topic.length && topic.subarray(0, prefix.length).equals(prefix)) seen.push(...values.keys());
    }
    return seen.sort();
  }

  matches(topic: Buffer): boolean {
    return this.match(topic).length > 0;
  }

  count(prefix: Buffer, value: string): number {
    return this.byPrefix.get(prefix.toString("hex"))?.get(value) ?? 0;
  }

  /** Byte order, which is also the trie's depth-first order (a prefix before its extensions). */
  prefixes(): Buffer[] {
    return [...this.byPrefix.keys()].map((k) => Buffer.from(k, "hex")).sort(Buffer.compare);
  }

  get size(): number {
    return this.byPrefix.size;
  }
}

// A tiny alphabet, so prefixes overlap and collide often; 0x00/0xff probe the table edges.
const bytes = fc
  .uint8Array({ maxLength: 5 })
  .map((a) => Buffer.from(a.map((b) => [0x00, 0x01, 0x61, 0x62, 0xff][b % 5]!)));
const value = fc.constantFrom("p1", "p2", "p3");

type Op =
  | { op: "add"; prefix: Buffer; value: string }
  | { op: "remove"; prefix: Buffer; value: string }
  | { op: "removeValue"; value: string }
  | { op: "match"; topic: Buffer }
  | { op: "count"; prefix: Buffer; value: string };

const operation: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("add" as const), prefix: bytes, value }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("remove" as const), prefix: bytes, value }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("removeValue" as const), value }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("match" as const), topic: bytes }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("count" as const), prefix: bytes, value }) },
);

function run(mode: TrieMode, ops: Op[]): void {
  const trie = new SubscriptionTrie<string>(mode);
  const model = new NaiveSubscriptions(mode);
  for (const [step, o] of ops.entries()) {
    const at = `step ${step}: ${o.op}`;
    switch (o.op) {
      case "add":
        expect(trie.add(o.prefix, o.value), at).toBe(model.add(o.prefix, o.value));
        break;
      case "remove":
        expect(trie.remove(o.prefix, o.value), at).toBe(model.remove(o.prefix, o.value));
        break;
      case "removeValue": {
        const removed: Array<[string, boolean]> = [];
        trie.removeValue(o.value, (prefix, last) => removed.push([prefix.toString("hex"), last]));
        expect(removed, at).toEqual(model.removeValue(o.value));
        break;
      }
      case "match": {
        const seen: string[] = [];
        trie.match(o.topic, (v) => seen.push(v));
        expect(seen.sort(), at).toEqual(model.match(o.topic));
        expect(trie.matches(o.topic), at).toBe(model.matches(o.topic));
        break;
      }
      case "count":
        expect(trie.count(o.prefix, o.value), at).toBe(model.count(o.prefix, o.value));
        break;
    }
    expect(trie.size, at).toBe(model.size);
  }
  expect(trie.prefixes()).toEqual(model.prefixes());
  // Nothing leaks: once every subscription is gone, so is every node.
  for (const v of ["p1", "p2", "p3"]) trie.removeValue(v);
  expect(trie.size).toBe(0);
  const root = (trie as unknown as { root: { values: unknown; next: unknown; live: number } }).root;
  expect(root).toMatchObject({ values: null, next: null, live: 0 });
}

describe("SubscriptionTrie against a naive model", () => {
  it("counted mode (SUB/XSUB): any sequence of add/remove/removeValue/match/count agrees", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (ops) => run("count", ops)),
      { numRuns: 500 },
    );
  });

  it("set mode (PUB/XPUB): any sequence of add/remove/removeValue/match/count agrees", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (ops) => run("set", ops)),
      { numRuns: 500 },
    );
  });

  it("removing the only subscription prunes the whole path (no node leak)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(bytes, value), { maxLength: 20 }), (subs) => {
        const trie = new SubscriptionTrie<string>("count");
        for (const [prefix, v] of subs) trie.add(prefix, v);
        for (const [prefix, v] of subs) expect(trie.remove(prefix, v)).not.toBe("notFound");
        expect(trie.size).toBe(0);
        expect((trie as unknown as { root: { next: unknown } }).root.next).toBeNull();
      }),
    );
  });

  it("a 128 KiB prefix neither overflows the stack nor slows matching of short topics", () => {
    const trie = new SubscriptionTrie<string>("set");
    const long = Buffer.alloc(1 << 17, 0x61);
    trie.add(long, "p1");
    trie.add(Buffer.from("b"), "p2");
    const seen: string[] = [];
    trie.match(Buffer.from("bcd"), (v) => seen.push(v));
    expect(seen).toEqual(["p2"]);
    expect(
      trie
        .prefixes()
        .map((p) => p.length)
        .sort(),
    ).toEqual([1, 1 << 17]);
    const removed: number[] = [];
    trie.removeValue("p1", (prefix) => removed.push(prefix.length));
    expect(removed).toEqual([1 << 17]);
    expect(trie.size).toBe(1);
  });
});
