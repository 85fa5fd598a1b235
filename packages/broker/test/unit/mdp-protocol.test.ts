import { describe, expect, it } from "vitest";
import { MDP_CLIENT, MDP_WORKER, parseBrokerInbound, parseWorkerInbound } from "../../src/mdp/protocol.js";

const E = Buffer.alloc(0);
const b = (s: string): Buffer => Buffer.from(s);
const cmd = (n: number): Buffer => Buffer.from([n]);

describe("MDP/0.1 frames (RFC 7)", () => {
  it("reads a client request, a worker's READY, REPLY, HEARTBEAT and DISCONNECT", () => {
    expect(parseBrokerInbound([E, MDP_CLIENT, b("echo"), b("a"), b("b")])).toEqual({
      kind: "request",
      service: "echo",
      body: [b("a"), b("b")],
    });
    expect(parseBrokerInbound([E, MDP_WORKER, cmd(1), b("echo")])).toEqual({ kind: "ready", service: "echo" });
    expect(parseBrokerInbound([E, MDP_WORKER, cmd(3), b("client"), E, b("answer")])).toEqual({
      kind: "reply",
      client: [b("client")],
      body: [b("answer")],
    });
    expect(parseBrokerInbound([E, MDP_WORKER, cmd(4)])).toEqual({ kind: "heartbeat" });
    expect(parseBrokerInbound([E, MDP_WORKER, cmd(5)])).toEqual({ kind: "disconnect" });
  });

  it("refuses what RFC 7 does not allow", () => {
    const bad = [
      [MDP_CLIENT, b("echo")], // no empty frame first
      [E, b("MDPC02"), b("echo")], // another version
      [E, MDP_CLIENT], // no service
      [E, MDP_WORKER, cmd(1)], // READY without a service
      [E, MDP_WORKER, cmd(3), b("client"), b("answer")], // REPLY without the delimiter
      [E, MDP_WORKER, cmd(4), b("extra")],
      [E, MDP_WORKER, cmd(9)],
      [E, MDP_WORKER, b("\x01\x01")],
    ];
    for (const frames of bad) expect(parseBrokerInbound(frames), frames.map(String).join("|")).toBeNull();
  });

  it("reads what a worker receives: REQUEST with the client's address, HEARTBEAT, DISCONNECT", () => {
    expect(parseWorkerInbound([E, MDP_WORKER, cmd(2), b("c"), E, b("x")])).toEqual({
      kind: "request",
      client: [b("c")],
      body: [b("x")],
    });
    expect(parseWorkerInbound([E, MDP_WORKER, cmd(4)])).toEqual({ kind: "heartbeat" });
    expect(parseWorkerInbound([E, MDP_WORKER, cmd(5)])).toEqual({ kind: "disconnect" });
    expect(parseWorkerInbound([E, MDP_WORKER, cmd(2), b("c"), b("x")])).toBeNull();
    expect(parseWorkerInbound([E, MDP_CLIENT, cmd(4)])).toBeNull();
  });
});
