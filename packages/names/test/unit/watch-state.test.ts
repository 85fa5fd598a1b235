import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WatchState, type Change } from "../../src/client/watch-state.js";
import type { Entry, Update } from "../../src/wire/protocol.js";

/** A replica reduced to its state and numbering: what the watcher must end up agreeing with. */
class ModelReplica {
  readonly groups = new Map<string, Set<string>>();
  readonly seqs = new Map<string, number>();
  readonly published: Extract<Update, { type: "UPDATE" }>[] = [];
  constructor(readonly epoch: string) {}

  change(name: string, op: "+" | "-", endpoint: string): void {
    const group = this.groups.get(name) ?? new Set<string>();
    this.groups.set(name, group);
    if (op === "+" ? group.has(endpoint) : !group.has(endpoint)) return;
    if (op === "+") group.add(endpoint);
    else group.delete(endpoint);
    const seq = (this.seqs.get(name) ?? 0) + 1;
    this.seqs.set(name, seq);
    this.published.push({ type: "UPDATE", name, epoch: this.epoch, seq, op, endpoint });
  }

  snapshot(name: string | null): Entry[] {
    const names = name === null ? [...this.seqs.keys()] : [name];
    return names.map((n) => ({
      name: n,
      seq: this.seqs.get(n) ?? 0,
      members: [...(this.groups.get(n) ?? [])].map((endpoint) => ({ endpoint, ttl: 1 })),
    }));
  }
}

/** The view rebuilt from change events, failing on a duplicate or phantom change. */
function replay(changes: Change[]): Map<string, Set<string>> {
  const view = new Map<string, Set<string>>();
  for (const c of changes) {
    const group = view.get(c.name) ?? new Set<string>();
    view.set(c.name, group);
    if (c.op === "+" ? group.has(c.endpoint) : !group.has(c.endpoint))
      throw new Error(`duplicate change ${c.name} ${c.op}${c.endpoint}`);
    if (c.op === "+") group.add(c.endpoint);
    else group.delete(c.endpoint);
  }
  return view;
}

const members = (groups: Map<string, Set<string>>): Record<string, string[]> =>
  Object.fromEntries([...groups].filter(([, s]) => s.size > 0).map(([n, s]) => [n, [...s].sort()]));

const op = fc.record({
  name: fc.constantFrom("a", "b", "c"),
  op: fc.constantFrom("+" as const, "-" as const),
  endpoint: fc.constantFrom("tcp://1:1", "tcp://2:1", "tcp://3:1", "tcp://4:1"),
});

/** Each step: a change at the replica, delivered, dropped, or delivered late (after the next one). */
const step = fc.record({ change: op, fate: fc.constantFrom("deliver", "deliver", "deliver", "drop", "late") });

describe("WatchState (the Clone pattern's client)", () => {
  it("ends equal to the replica, whatever updates are lost or reordered, with no duplicate change", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), fc.array(step, { maxLength: 60 }), (before, steps) => {
        const replica = new ModelReplica("e1");
        const changes: Change[] = [];
        const state = new WatchState(null, (c) => changes.push(c));
        for (const c of before) replica.change(c.name, c.op, c.endpoint);
        state.beginFull("e1");
        for (const e of replica.snapshot(null)) state.entry(e);
        const resyncs: string[] = state.endFull();
        let late: Update[] = [];
        for (const s of steps) {
          const sent = replica.published.length;
          replica.change(s.change.name, s.change.op, s.change.endpoint);
          const fresh = replica.published.slice(sent);
          const deliver = s.fate === "drop" ? [] : s.fate === "late" ? [] : fresh;
          for (const u of [...deliver, ...late])
            if (state.update(u) === "gap") resyncs.push((u as { name: string }).name);
          late = s.fate === "late" ? fresh : [];
          // The watcher's re-sync requests are answered at once, between two changes.
          while (resyncs.length > 0) {
            const name = resyncs.shift()!;
            for (const e of replica.snapshot(name)) state.entry(e);
            resyncs.push(...state.endName(name));
          }
        }
        for (const u of late) if (state.update(u) === "gap") resyncs.push((u as { name: string }).name);
        // A last change to every name exposes any gap left at the tail (a heartbeat cannot).
        for (const n of ["a", "b", "c"]) {
          replica.change(n, "+", "tcp://tail:1");
          replica.change(n, "-", "tcp://tail:1");
        }
        for (const u of replica.published.slice(-6)) if (state.update(u) === "gap") resyncs.push(u.name);
        while (resyncs.length > 0) {
          const name = resyncs.shift()!;
          for (const e of replica.snapshot(name)) state.entry(e);
          resyncs.push(...state.endName(name));
        }
        expect(members(replay(changes))).toEqual(members(replica.groups));
      }),
      { numRuns: 500 },
    );
  });

  it("fails over to another replica's snapshot by reporting only the differences", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), fc.array(op, { maxLength: 20 }), (first, second) => {
        const a = new ModelReplica("a");
        const b = new ModelReplica("b");
        for (const c of first) a.change(c.name, c.op, c.endpoint);
        for (const c of second) b.change(c.name, c.op, c.endpoint);
        const changes: Change[] = [];
        const state = new WatchState(null, (c) => changes.push(c));
        state.beginFull("a");
        for (const e of a.snapshot(null)) state.entry(e);
        state.endFull();
        const before = changes.length;
        // An update of the old epoch arriving during the failover must not count.
        state.beginFull("b");
        expect(state.update({ type: "UPDATE", name: "a", epoch: "a", seq: 99, op: "+", endpoint: "tcp://9:9" })).toBe(
          "ignored",
        );
        for (const e of b.snapshot(null)) state.entry(e);
        state.endFull();
        expect(members(replay(changes))).toEqual(members(b.groups));
        // Nothing is reported for members both replicas have.
        const both = [...a.groups].flatMap(([n, s]) => [...s].filter((e) => b.groups.get(n)?.has(e)).map((e) => n + e));
        for (const c of changes.slice(before)) expect(both).not.toContain(c.name + c.endpoint);
      }),
    );
  });

  it("buffers updates that arrive during a snapshot and drops those it already covers", () => {
    const changes: Change[] = [];
    const state = new WatchState("a", (c) => changes.push(c));
    state.beginFull("e");
    const u = (seq: number, op: "+" | "-", endpoint: string): Update => ({
      type: "UPDATE",
      name: "a",
      epoch: "e",
      seq,
      op,
      endpoint,
    });
    expect(state.update(u(2, "+", "tcp://2:1"))).toBe("buffered");
    expect(state.update(u(3, "-", "tcp://1:1"))).toBe("buffered");
    state.entry({
      name: "a",
      seq: 2,
      members: [
        { endpoint: "tcp://1:1", ttl: 5 },
        { endpoint: "tcp://2:1", ttl: 5 },
      ],
    });
    expect(state.endFull()).toEqual([]);
    expect(state.members("a")).toEqual(["tcp://2:1"]);
    expect(state.update(u(3, "-", "tcp://1:1"))).toBe("stale");
    expect(state.update(u(5, "+", "tcp://5:1"))).toBe("gap");
    expect(state.update({ type: "HUGZ", epoch: "other" })).toBe("epoch");
  });
});
