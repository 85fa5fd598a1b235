import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Outbox } from "../../src/agent/outbox.js";
import { createMessage } from "../../src/wire/protocol.js";
import { StateDir } from "../../src/agent/state-dir.js";
import { tempDir } from "../helpers/fleet.js";

const note = (text: string) => createMessage("notification", { severity: "warning", text }, { ack: true });

describe("outbox persistence", () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.path, "outbox.jsonl");
  });
  afterEach(() => dir.remove());

  it("keeps unacked messages across a reopen, with their ids, and forgets acked ones", () => {
    const outbox = new Outbox(file);
    const [a, b, c] = [note("a"), note("b"), note("c")];
    for (const m of [a, b, c]) outbox.add(m);
    expect(outbox.ack(b.header.id)).toBe(true);
    expect(outbox.ack(b.header.id)).toBe(false); // a duplicate ack
    outbox.close();

    const reopened = new Outbox(file);
    expect(reopened.size).toBe(2);
    // Reopened entries are due at once: they are resent right after a restart.
    expect(reopened.due().map((e) => e.message)).toEqual([a, c]);
    reopened.close();
  });

  it("skips a torn last line and damaged entries", () => {
    const outbox = new Outbox(file);
    const kept = note("kept");
    outbox.add(kept);
    outbox.close();
    appendFileSync(file, `{"add":{"header":{"id":"not-a-uuid","type":"notification","time":1},"body":{}}}\n`);
    appendFileSync(
      file,
      `{"add":{"header":{"id":"${kept.header.id.slice(0, -1)}0","type":"notification","time":1},"body":{"severity":"bad","text":""}}}\n`,
    );
    appendFileSync(file, `{"add":{"header":`);
    const reopened = new Outbox(file);
    expect(reopened.due().map((e) => e.message)).toEqual([kept]);
    reopened.close();
    // Compaction on open rewrote the journal with the pending entries only.
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("compacts the journal once acked lines outnumber pending ones", () => {
    const outbox = new Outbox(file);
    for (let i = 0; i < 300; i++) {
      const m = note(`n${i}`);
      outbox.add(m);
      if (i >= 5) outbox.ack(m.header.id);
    }
    const lines = readFileSync(file, "utf8").trim().split("\n").length;
    expect(lines).toBeLessThan(300);
    outbox.close();
    expect(new Outbox(file).size).toBe(5);
  });

  it("backs off exponentially between resends, and expedites on demand", () => {
    const outbox = new Outbox(file, { ackTimeout: 1000, maxResendInterval: 4000 });
    outbox.add(note("x"));
    const [entry] = outbox.due(0 + Date.now());
    const now = 1_000_000;
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      outbox.sent(entry!, now);
      gaps.push(entry!.dueAt - now);
    }
    const expected = [1000, 2000, 4000, 4000, 4000];
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! * 0.8);
      expect(gap).toBeLessThanOrEqual(expected[i]! * 1.2);
    });
    expect(outbox.due(now)).toHaveLength(0);
    outbox.expedite(now + 10, 100); // sent only 10 ms ago: left alone
    expect(outbox.due(now + 10)).toHaveLength(0);
    outbox.expedite(now + 500, 100);
    expect(outbox.due(now + 500)).toHaveLength(1);
    outbox.close();
  });

  it("drops the oldest when full, and counts it", () => {
    const outbox = new Outbox(file, { maxEntries: 3 });
    const messages = [1, 2, 3, 4].map((n) => note(`${n}`));
    for (const m of messages) outbox.add(m);
    expect(outbox.dropped).toBe(1);
    expect(outbox.due(Infinity).map((e) => e.message)).toEqual(messages.slice(1));
    outbox.close();
  });

  it("the agent id is created once and kept", () => {
    const state = new StateDir(join(dir.path, "state"));
    const id = state.agentId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new StateDir(join(dir.path, "state")).agentId()).toBe(id);
  });
});
