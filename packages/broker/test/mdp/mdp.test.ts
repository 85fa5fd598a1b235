import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/helpers/time.js";
import { isBrokerError } from "../../src/common/errors.js";
import { MajordomoBroker } from "../../src/mdp/broker.js";
import { MajordomoClient } from "../../src/mdp/client.js";
import { MDP_CLIENT, MDP_WORKER } from "../../src/mdp/protocol.js";
import { MajordomoWorker } from "../../src/mdp/worker.js";
import { Cleanup, rawDealer, text } from "../helpers/sockets.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const E = Buffer.alloc(0);
const cmd = (n: number): Buffer => Buffer.from([n]);

async function broker(options: { heartbeatInterval?: number; maxQueued?: number; endpoint?: string } = {}) {
  return cleanup.add(
    await MajordomoBroker.start({
      endpoints: options.endpoint ?? "tcp://127.0.0.1:*",
      heartbeatInterval: options.heartbeatInterval ?? 50,
      ...(options.maxQueued !== undefined && { maxQueued: options.maxQueued }),
    }),
  );
}

function worker(endpoint: string, service: string, name: string): MajordomoWorker {
  return cleanup
    .add(
      new MajordomoWorker({
        broker: endpoint,
        service,
        heartbeatInterval: 50,
        reconnect: { initial: 10, max: 100 },
        handler: (body) => [Buffer.from(name), ...body],
      }),
    )
    .start();
}

function client(endpoint: string, timeout = 2000): MajordomoClient {
  return cleanup.add(new MajordomoClient({ broker: endpoint, timeout, retries: 2 }));
}

describe("Majordomo (MDP/0.1)", () => {
  it("routes a multi-frame request to a worker of the service, least recently used first", async () => {
    const b = await broker();
    const endpoint = b.endpoints[0]!;
    worker(endpoint, "echo", "w1");
    await until(() => b.workersOf("echo") === 1, 5000, "w1 registered");
    worker(endpoint, "echo", "w2");
    await until(() => b.workersOf("echo") === 2, 5000, "w2 registered");
    worker(endpoint, "other", "w3");
    const c = client(endpoint);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(text(await c.request("echo", ["a", `${i}`])));
    expect(replies).toEqual([
      ["w1", "a", "0"],
      ["w2", "a", "1"],
      ["w1", "a", "2"],
      ["w2", "a", "3"],
    ]);
  });

  it("answers mmi.service with 200 or 404, and any other mmi.* with 501 (RFC 8)", async () => {
    const b = await broker();
    const endpoint = b.endpoints[0]!;
    worker(endpoint, "echo", "w");
    await until(() => b.workersOf("echo") === 1, 5000, "registered");
    const c = client(endpoint);
    expect(await c.hasService("echo")).toBe(true);
    expect(await c.hasService("nothing")).toBe(false);
    expect(text(await c.request("mmi.nothing", "x"))).toEqual(["501"]);
  });

  it("tells a worker that breaks the protocol DISCONNECT: a command before READY, READY twice, a reserved name", async () => {
    const b = await broker();
    const endpoint = b.endpoints[0]!;
    const disconnect = (m: Buffer[]): boolean => m.length === 3 && m[2]!.equals(cmd(5));
    const early = rawDealer(endpoint);
    cleanup.add(early.socket);
    await early.socket.send([E, MDP_WORKER, cmd(4)]);
    const twice = rawDealer(endpoint);
    cleanup.add(twice.socket);
    await twice.socket.send([E, MDP_WORKER, cmd(1), "echo"]);
    await twice.socket.send([E, MDP_WORKER, cmd(1), "echo"]);
    const reserved = rawDealer(endpoint);
    cleanup.add(reserved.socket);
    await reserved.socket.send([E, MDP_WORKER, cmd(1), "mmi.service"]);
    await until(() => [early, twice, reserved].every((p) => p.received.some(disconnect)), 5000, "three DISCONNECTs");
    expect(b.counters.malformed).toBe(3);
    expect(b.workersOf("echo")).toBe(0);
  });

  it("keeps requests for a service without a worker until one comes, dropping the oldest beyond maxQueued", async () => {
    const b = await broker({ maxQueued: 2 });
    const endpoint = b.endpoints[0]!;
    const clients = [0, 1, 2].map(() => rawDealer(endpoint));
    for (const [i, c] of clients.entries()) {
      cleanup.add(c.socket);
      await c.socket.send([E, MDP_CLIENT, "late", `r${i}`]);
      await until(() => b.counters.requests === i + 1, 5000, `request ${i} in`);
    }
    expect([b.queuedRequests, b.counters.dropped]).toEqual([2, 1]);
    worker(endpoint, "late", "w");
    await until(() => clients[1]!.received.length === 1 && clients[2]!.received.length === 1, 5000, "answers");
    expect(text(clients[2]!.received[0]!)).toEqual(["", "MDPC01", "late", "w", "r2"]);
    expect(clients[0]!.received).toEqual([]);
  });

  it("drops a worker silent for `liveness` intervals", async () => {
    const b = await broker({ heartbeatInterval: 30 });
    const mute = rawDealer(b.endpoints[0]!);
    cleanup.add(mute.socket);
    await mute.socket.send([E, MDP_WORKER, cmd(1), "echo"]);
    await until(() => b.workersOf("echo") === 1, 5000, "registered");
    await until(() => b.counters.expired === 1, 5000, "expired");
    expect(b.workersOf("echo")).toBe(0);
    expect(mute.received.some((m) => m[2]?.equals(cmd(4)))).toBe(true); // it was heartbeated first
  });

  it("a worker whose broker restarts registers again and serves", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zmtp-mdp-"));
    try {
      const endpoint = `ipc://${join(dir, "broker.ipc")}`;
      const first = await broker({ endpoint });
      const w = worker(endpoint, "echo", "w");
      await until(() => first.workersOf("echo") === 1, 5000, "registered");
      first.close();
      const second = await broker({ endpoint });
      await until(() => second.workersOf("echo") === 1, 5000, "registered again");
      expect(text(await client(endpoint).request("echo", "again"))).toEqual(["w", "again"]);
      expect(w.handled).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a client whose broker never answers fails with ETIMEDOUT after its retries", async () => {
    const b = await broker();
    const c = client(b.endpoints[0]!, 50);
    const err: unknown = await c.request("nobody", "x").catch((e: unknown) => e);
    expect(isBrokerError(err) && err.code).toBe("ETIMEDOUT");
    expect(b.counters.requests).toBe(3);
  });
});
