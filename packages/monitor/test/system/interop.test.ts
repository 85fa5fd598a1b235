import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { MonitorRouter } from "../../src/router/router.js";
import type { AnySink } from "../../src/sink/sinks.js";
import type { Stream } from "../../src/wire/protocol.js";
import { sinksConnected, startRouter, startSinks, waitFor } from "../helpers/fleet.js";

/**
 * An agent written with the native `zeromq` package (libzmq), from the wire format alone — no
 * code of ours — works against our router and sinks, acks included.
 */

/** The 28-byte header: version 1, type, flags (1 = ack), reserved, time (f64 BE), id (16 bytes). */
function header(type: number, ack: boolean, id: string): Buffer {
  const h = Buffer.alloc(28);
  h.writeUInt8(1, 0);
  h.writeUInt8(type, 1);
  h.writeUInt8(ack ? 1 : 0, 2);
  h.writeDoubleBE(Date.now(), 4);
  Buffer.from(id.replaceAll("-", ""), "hex").copy(h, 12);
  return h;
}

describe("monitoring interop", () => {
  const store = new MemoryStore();
  let router: MonitorRouter;
  let sinks: Record<Stream, AnySink>;

  beforeAll(async () => {
    router = await startRouter();
    sinks = startSinks(store, [router]);
    await sinksConnected([router]);
  });

  afterAll(async () => {
    for (const s of Object.values(sinks)) await s.close();
    router.close();
  });

  it("a zeromq.js DEALER agent reports stats and gets its notification acked through our router", async () => {
    const agentId = randomUUID();
    const dealer = new zmq.Dealer({ routingId: agentId, linger: 0 });
    dealer.connect(router.endpoints.agents);
    try {
      await dealer.send([
        header(2, false, randomUUID()),
        JSON.stringify({ stats: [{ name: "libzmq.agent.up", value: 1 }] }),
      ]);
      const notificationId = randomUUID();
      await dealer.send([
        header(4, true, notificationId),
        JSON.stringify({ severity: "warning", text: "from libzmq" }),
      ]);

      const [ackHeader, ackBody] = await dealer.receive();
      expect(ackHeader!.readUInt8(1)).toBe(16); // ack
      expect(JSON.parse(ackBody!.toString())).toEqual({ ref: notificationId });

      const stats = await waitFor("stat stored", async () => (await store.stats({ agent: agentId })).at(0));
      expect(stats).toMatchObject({ name: "libzmq.agent.up", value: 1 });
      expect(await store.notifications({ agent: agentId })).toMatchObject([
        { id: notificationId, text: "from libzmq" },
      ]);
    } finally {
      dealer.close();
    }
  });

  it("a zeromq.js back-channel client reaches an agent by UUID and hears 'unknown-agent' for a stranger", async () => {
    const agentId = randomUUID();
    const agent = new zmq.Dealer({ routingId: agentId, linger: 0 });
    agent.connect(router.endpoints.agents);
    const back = new zmq.Dealer({ linger: 0 });
    back.connect(router.endpoints.back);
    try {
      // The router knows the agent once it has connected; a heartbeat makes sure of it.
      await agent.send([header(1, false, randomUUID()), JSON.stringify({ interval: 1000 })]);
      await waitFor("agent connected", async () => (await store.presence()).some((p) => p.agent === agentId));

      const runId = randomUUID();
      await back.send([agentId, header(17, false, runId), JSON.stringify({ check: "disk", trigger: "demand" })]);
      const [, runBody] = await agent.receive();
      expect(JSON.parse(runBody!.toString())).toEqual({ check: "disk", trigger: "demand" });
      const [, delivered] = await back.receive();
      expect(JSON.parse(delivered!.toString())).toEqual({ ref: runId, agent: agentId, status: "delivered" });

      const stranger = randomUUID();
      const lostId = randomUUID();
      await back.send([stranger, header(17, false, lostId), JSON.stringify({ check: "disk", trigger: "demand" })]);
      const [, unknown] = await back.receive();
      expect(JSON.parse(unknown!.toString())).toEqual({ ref: lostId, agent: stranger, status: "unknown-agent" });
    } finally {
      agent.close();
      back.close();
    }
  });
});
