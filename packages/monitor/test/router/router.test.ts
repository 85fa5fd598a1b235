import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dealer, Pull } from "zmtp";
import { type MonitorRouter } from "../../src/router/router.js";
import { createMessage, encode, newId } from "../../src/wire/protocol.js";
import { routerEndpoints } from "../../src/wire/endpoints.js";
import { startRouter, waitFor } from "../helpers/fleet.js";

describe("monitor router", () => {
  let router: MonitorRouter;
  const reasons: string[] = [];

  beforeAll(async () => {
    router = await startRouter();
    router.on("malformed", (reason: string) => reasons.push(reason));
  });
  afterAll(() => router.close());

  it("forwards each message to its stream's PUSH, prefixed with the agent id", async () => {
    const stats = new Pull({ linger: 0 });
    stats.connect(router.endpoints.stats);
    const agentId = newId();
    const agent = new Dealer({ routingId: agentId, linger: 0 });
    agent.connect(router.endpoints.agents);
    try {
      await waitFor("sink connected", () => router.sinks.stats === 1);
      const result = createMessage("result", {
        check: "c",
        status: 0,
        text: "",
        perfdata: "",
        duration: 1,
        trigger: "local",
      });
      await agent.send(encode(result));
      const [id, header, body] = await stats.receive();
      expect(id!.toString()).toBe(agentId);
      expect(Buffer.compare(header!, encode(result)[0])).toBe(0);
      expect(JSON.parse(body!.toString())).toMatchObject({ check: "c" });
    } finally {
      agent.close();
      stats.close();
    }
  });

  it("counts and drops malformed messages and carries on", async () => {
    const goodAgent = newId();
    const anonymous = new Dealer({ linger: 0 });
    const agent = new Dealer({ routingId: goodAgent, linger: 0 });
    const back = new Dealer({ linger: 0 });
    anonymous.connect(router.endpoints.agents);
    agent.connect(router.endpoints.agents);
    back.connect(router.endpoints.back);
    const before = router.counters.malformed;
    try {
      const valid = encode(createMessage("heartbeat", { interval: 100 }));
      await anonymous.send(valid); // no UUID routing id
      await agent.send([valid[0]!]); // one frame
      await agent.send([Buffer.from("garbage"), valid[1]!]); // bad header
      await agent.send(encode(createMessage("ack", { ref: newId() }))); // not an upstream type
      await back.send([goodAgent, valid[0]!, valid[1]!]); // upstream type on the back channel
      await back.send(["not-a-uuid", ...encode(createMessage("run", { check: "x", trigger: "demand" }))]);
      await back.send([Buffer.alloc(0)]);
      await waitFor("all counted", () => router.counters.malformed - before === 7);
      expect(reasons.length).toBeGreaterThanOrEqual(7);

      // Still routing: the back channel answers for a well-formed request.
      const run = createMessage("run", { check: "x", trigger: "demand" });
      await back.send([newId(), ...encode(run)]);
      const [, reply] = await back.receive();
      expect(JSON.parse(reply!.toString())).toMatchObject({ ref: run.header.id, status: "unknown-agent" });
    } finally {
      for (const s of [anonymous, agent, back]) s.close();
    }
  });

  it("drops (and counts) a stream with no sink instead of stalling the others", async () => {
    const agent = new Dealer({ routingId: newId(), linger: 0 });
    agent.connect(router.endpoints.agents);
    const before = router.counters.dropped.notification;
    try {
      await agent.send(
        encode(createMessage("notification", { severity: "info", text: "nobody listens" }, { ack: true })),
      );
      await waitFor("dropped", () => router.counters.dropped.notification === before + 1);
    } finally {
      agent.close();
    }
  });

  it("derives the six endpoints from one base address", () => {
    expect(routerEndpoints("tcp://10.0.0.1:5570")).toEqual({
      agents: "tcp://10.0.0.1:5570",
      back: "tcp://10.0.0.1:5571",
      heartbeat: "tcp://10.0.0.1:5572",
      registration: "tcp://10.0.0.1:5573",
      stats: "tcp://10.0.0.1:5574",
      notification: "tcp://10.0.0.1:5575",
    });
    expect(routerEndpoints("ipc:///run/mon/r1")).toMatchObject({
      agents: "ipc:///run/mon/r1",
      back: "ipc:///run/mon/r1.back",
    });
    expect(() => routerEndpoints("tcp://host:0")).toThrow(TypeError);
    expect(() => routerEndpoints("udp://x:1")).toThrow(TypeError);
  });
});
