import { describe, expect, it } from "vitest";
import { FLAP_WINDOW, percentStateChange, watchFlapping } from "../../src/sink/flapping.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { CheckResultRecord, NotificationRecord } from "../../src/store/store.js";
import { newId } from "../../src/wire/protocol.js";

/** Flap detection, Nagios-style: a check changing state too often has its alerts held, once. */

describe("flap detection", () => {
  it("percent state change: 0 when steady, 100 when every result changes, newer changes weigh more", () => {
    expect(percentStateChange([0, 0, 0, 0])).toBe(0);
    expect(percentStateChange(Array.from({ length: FLAP_WINDOW }, (_, i) => i % 2))).toBeCloseTo(100);
    const oldChange = percentStateChange([0, 2, ...Array(19).fill(2)]);
    const newChange = percentStateChange([...Array(20).fill(0), 2]);
    expect(newChange).toBeGreaterThan(oldChange);
    expect(oldChange).toBeCloseTo(4); // 0.8 of one change in 20
    expect(newChange).toBeCloseTo(6); // 1.2 of one change in 20
  });

  it("a flapping check: held (its alerts silenced) with one alert; released with another once it settles", async () => {
    const store = new MemoryStore();
    await store.putAction({ name: "pager", type: "command", command: "true" });
    const agent = newId();
    let time = 0;
    const result = async (status: 0 | 2): Promise<"started" | "stopped" | null> => {
      time += 1000;
      const r: CheckResultRecord = {
        agent,
        id: newId(),
        check: "disk",
        status,
        text: "",
        perfdata: "",
        duration: 1,
        trigger: "schedule",
        time,
      };
      await store.addCheckResult(r);
      return watchFlapping(store, r, "web-1");
    };
    const changes: Array<string | null> = [];
    for (let i = 0; i < 12; i++) changes.push(await result(i % 2 === 0 ? 0 : 2));
    expect(changes.filter((c) => c !== null)).toEqual(["started"]);
    const alerts = (await store.notifications()).filter((n) => n.kind === "flapping");
    expect(alerts.map((n) => n.text)).toEqual([
      expect.stringMatching(/^disk on web-1 is flapping: \d+% state change; its alerts are held$/),
    ]);
    // The agent's own state-change notification for that check is stored, not delivered.
    const change: NotificationRecord = {
      agent,
      id: newId(),
      severity: "critical",
      text: "disk OK -> CRITICAL",
      check: "disk",
      time,
      received: time,
      acknowledged: null,
    };
    await store.addNotification(change);
    expect((await store.notifications()).find((n) => n.id === change.id)!.silenced).toBeDefined();
    expect((await store.deliveries({ notification: change.id })).length).toBe(0);
    // It settles: released once the change share falls under 25%.
    const after: Array<string | null> = [];
    for (let i = 0; i < FLAP_WINDOW; i++) after.push(await result(0));
    expect(after.filter((c) => c !== null)).toEqual(["stopped"]);
    expect((await store.notifications()).filter((n) => n.kind === "flapping-stopped")).toHaveLength(1);
    expect(await store.silences({ activeAt: time })).toEqual([]);
  });
});
