import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { MonitorRouter } from "../../src/router/router.js";
import { sinksConnected, sleep, startAgent, startRouter, startSinks, tempDir, waitFor } from "../helpers/fleet.js";

/** A cloned machine image: two live agents with one agent id. */

describe("two live agents with one id", () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it("raises one critical alert and makes the second stop; the first carries on", async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const routers: MonitorRouter[] = [await startRouter(), await startRouter()];
    cleanups.push(() => routers.forEach((r) => r.close()));
    const store = new MemoryStore();
    const sinks = startSinks(store, routers);
    cleanups.push(async () => {
      for (const s of Object.values(sinks)) await s.close();
    });
    await sinksConnected(routers);
    const original = await startAgent(join(dir.path, "original"), routers, { hostname: "web-1" });
    cleanups.push(() => original.close());
    await waitFor("the original up", async () => (await store.presence()).some((p) => p.agent === original.id));
    // The image is cloned: the copy has the same agent id.
    mkdirSync(join(dir.path, "clone"));
    copyFileSync(join(dir.path, "original", "agent-id"), join(dir.path, "clone", "agent-id"));
    const clone: Agent = await startAgent(join(dir.path, "clone"), routers, { hostname: "web-1-clone" });
    cleanups.push(() => clone.close());
    expect(clone.id).toBe(original.id);
    const stopped = new Promise<string>((resolve) => clone.on("duplicate", resolve));

    const other = await stopped;
    expect(other).toMatch(/^web-1 \(pid \d+\)$/);
    expect(clone.duplicateOf).toBe(other);
    expect(original.duplicateOf).toBeNull();
    const alerts = await waitFor("the alert", async () => {
      const list = (await store.notifications()).filter((n) => n.kind === "duplicate-agent");
      return list.length > 0 && list;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ agent: original.id, severity: "critical" });
    expect(alerts[0]!.text).toMatch(
      /^two live agents share the id of \S+: web-1 \(pid \d+\) and web-1-clone \(pid \d+\)/,
    );
    // The original keeps reporting under the id.
    const before = original.counters.sent;
    await sleep(500);
    expect(original.counters.sent).toBeGreaterThan(before);
    const [presence] = (await store.presence()).filter((p) => p.agent === original.id && p.process === null);
    expect(presence!.state).toBe("up");
    expect((await store.notifications()).filter((n) => n.kind === "duplicate-agent")).toHaveLength(1);
    // The routers found the original cut off and carried it on under its id, acks included.
    expect(routers.reduce((n, r) => n + r.counters.duplicates, 0)).toBeGreaterThan(0);
    const id = original.notify({ severity: "warning", text: "still here" });
    await waitFor("the original's notification acked", () => original.outboxSize === 0, 10_000);
    expect((await store.notifications()).some((n) => n.id === id)).toBe(true);
  }, 30_000);
});
