import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { NotificationRecord, Store } from "../../src/store/store.js";
import { sinksConnected, startAgent, startRouter, startSink, tempDir, waitFor } from "../helpers/fleet.js";

describe("sink", () => {
  it("handles messages concurrently (a slow store is not a queue of waits), yet acks each only after its own write", async () => {
    const dir = tempDir();
    const memory = new MemoryStore();
    const written = new Set<string>();
    // Every write takes 200 ms, as a store committing to a slow disk would.
    const slow = new Proxy(memory, {
      get(target, prop, receiver) {
        if (prop === "addNotification") {
          return async (n: NotificationRecord) => {
            await new Promise((resolve) => setTimeout(resolve, 200));
            const fresh = await target.addNotification(n);
            written.add(n.id);
            return fresh;
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Store;
    const router = await startRouter();
    const sink = startSink("notification", slow, [router], { maxInFlight: 64 });
    await sinksConnected([router], ["notification"]);
    const agent = await startAgent(join(dir.path, "agent"), [router], { ackTimeout: 5000 });
    const early: string[] = [];
    const acked = new Set<string>();
    agent.on("acked", (id: string) => {
      acked.add(id);
      if (!written.has(id)) early.push(id);
    });
    const started = Date.now();
    const ids = Array.from({ length: 30 }, (_, i) => agent.notify({ severity: "info", text: `n${i}` }));
    await waitFor("all written", () => ids.every((id) => written.has(id)), 10_000);
    // One at a time would take 30 x 200 ms = 6 s.
    expect(Date.now() - started).toBeLessThan(3000);
    await waitFor("all acked", () => ids.every((id) => acked.has(id)), 5000);
    expect(early).toEqual([]);
    await agent.close();
    await sink.close();
    router.close();
    dir.remove();
  });
});
