import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { curveKeyPair } from "zmtp";
import type { Agent } from "../../src/agent/agent.js";
import { parseCurveKeyList } from "zmtp/auth";
import { MemoryStore } from "../../src/store/memory-store.js";
import { MonitorRouter, type Refusal } from "../../src/router/router.js";
import type { AnySink } from "../../src/sink/sinks.js";
import { sinksConnected, startAgent, startSinks, tempDir, waitFor } from "../helpers/fleet.js";

describe("CURVE between agents and routers", () => {
  const dir = tempDir();
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
    dir.remove();
  });

  it("parses allow-lists: keys, names, comments; rejects a bad key with its line", () => {
    const { publicKey } = curveKeyPair();
    expect(parseCurveKeyList(`# fleet\n${publicKey} web-1 (rack 4)\n\n`)).toEqual(
      new Map([[publicKey, "web-1 (rack 4)"]]),
    );
    expect(() => parseCurveKeyList(`${publicKey}\nnot-a-key`, "keys.txt")).toThrow(/keys.txt:2/);
  });

  it("admits only agents in the allow-list, logs and counts refusals, and picks up a changed list", async () => {
    const server = curveKeyPair();
    const allowed = curveKeyPair();
    const stranger = curveKeyPair();
    const allowFile = join(dir.path, "agents.keys");
    writeFileSync(allowFile, `${allowed.publicKey} allowed\n`);
    const any = "tcp://127.0.0.1:*";
    const router = await MonitorRouter.start({
      endpoints: { agents: any, back: any, heartbeat: any, registration: any, stats: any, notification: any },
      agentHeartbeatInterval: 0,
      curve: { secretKey: server.secretKey, allowList: allowFile },
    });
    cleanup.push(() => router.close());
    expect(router.publicKey).toBe(server.publicKey);
    const refusals: Refusal[] = [];
    router.on("refused", (r: Refusal) => refusals.push(r));
    const store = new MemoryStore();
    const sinks: Record<string, AnySink> = startSinks(store, [router]);
    cleanup.push(async () => {
      for (const s of Object.values(sinks)) await s.close();
    });
    await sinksConnected([router]);

    const start = async (name: string, keyPair: { publicKey: string; secretKey: string }): Promise<Agent> => {
      const agent = await startAgent(join(dir.path, name), [router], {
        curve: { serverKey: server.publicKey, keyPair },
        hostname: name,
      });
      cleanup.push(() => agent.close());
      return agent;
    };
    const good = await start("good", allowed);
    const bad = await start("bad", stranger);
    expect(good.publicKey).toBe(allowed.publicKey);

    const hostnames = async (): Promise<Set<string | undefined>> =>
      new Set((await store.agents()).map((a) => a.hostname));
    await waitFor("the allowed agent's heartbeat", async () => (await hostnames()).has("good"));
    await waitFor("a refusal", () => refusals.length > 0);
    expect(refusals[0]).toMatchObject({
      key: stranger.publicKey,
      address: "127.0.0.1",
      reason: "CURVE key not allowed",
    });
    expect(router.counters.refused).toBeGreaterThanOrEqual(1);
    expect(await hostnames()).not.toContain("bad");
    expect(bad.connectedRouters).toBe(0);
    await waitFor("the agent counts its refusals", () => bad.counters.refused > 0);

    // Registering the stranger's key: the file is reloaded, and its next attempt gets in.
    const changed = new Promise((resolve) => router.once("allow-list", resolve));
    writeFileSync(allowFile, `${allowed.publicKey} allowed\n${stranger.publicKey} now registered\n`);
    expect(await changed).toBe(2);
    await waitFor("the newly allowed agent", async () => (await hostnames()).has("bad"), 10_000);
    expect(bad.connectedRouters).toBe(1);
  }, 30_000);

  it("a router keeps its last good allow-list when the file turns bad", async () => {
    const server = curveKeyPair();
    const file = join(dir.path, "bad.keys");
    writeFileSync(file, `${curveKeyPair().publicKey}\n`);
    const any = "tcp://127.0.0.1:*";
    const router = await MonitorRouter.start({
      endpoints: { agents: any, back: any, heartbeat: any, registration: any, stats: any, notification: any },
      curve: { secretKey: server.secretKey, allowList: file },
    });
    cleanup.push(() => router.close());
    const error = new Promise<Error>((resolve) => router.once("allow-list-error", resolve));
    writeFileSync(file, "garbage garbage\n");
    expect((await error).message).toMatch(/bad.keys:1/);
    expect(router.allowedKeys).toBe(1);
  });
});
