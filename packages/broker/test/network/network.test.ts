import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/helpers/time.js";
import { isBrokerError } from "../../src/common/errors.js";
import { TAG } from "../../src/network/protocol.js";
import { Cleanup, rawDealer, text } from "../helpers/sockets.js";
import { listed, startBroker, startClient, startWorker } from "../helpers/network.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => null,
    (err: unknown) => err,
  );

describe("broker network", () => {
  it("answers a request once, through the broker its reservation came through", async () => {
    const b = await startBroker(cleanup);
    const w = startWorker(cleanup, b.address.endpoint, "echo", (body) => ["echo", ...body]);
    const c = startClient(cleanup, b.address.endpoint);
    await until(() => b.services.workerCount("echo") === 1, 5000, "worker registered");
    expect(text(await c.request("echo", ["a", "b"]))).toEqual(["echo", "a", "b"]);
    expect(w.counters).toMatchObject({ executed: 1, reservations: 1, deduplicated: 0 });
    expect(b.counters).toMatchObject({ reservations: 1, dispatched: 1, requests: 1, replies: 1 });
    expect(c.counters).toMatchObject({ requests: 1, answered: 1, resends: 0 });
  });

  it("dispatches a service's requests to its idle workers least recently used first", async () => {
    const b = await startBroker(cleanup);
    for (const name of ["w1", "w2", "w3"]) {
      startWorker(cleanup, b.address.endpoint, "who", () => name, { name });
      await until(() => b.services.idleCount("who") === Number(name[1]), 5000, `${name} idle`);
    }
    const c = startClient(cleanup, b.address.endpoint);
    const served: string[] = [];
    for (let i = 0; i < 6; i++) served.push(text(await c.request("who", "x"))[0]!);
    expect(served).toEqual(["w1", "w2", "w3", "w1", "w2", "w3"]);
  });

  it("forms from a chain of seeds: every broker lists every other, and nodes that know one learn all", async () => {
    const b1 = await startBroker(cleanup);
    const b2 = await startBroker(cleanup, [b1.address]);
    const b3 = await startBroker(cleanup, [b2.address]);
    const all = [b1, b2, b3].map((b) => b.address.endpoint).sort();
    await until(() => [b1, b2, b3].every((b) => listed(b).join() === all.join()), 5000, "full lists");
    startWorker(cleanup, b1.address.endpoint, "echo", (body) => body);
    const c = startClient(cleanup, b3.address.endpoint);
    await until(() => c.links.upLinks().length === 3, 5000, "the client up with all three");
    await until(() => [b1, b2, b3].every((b) => b.services.workerCount("echo") === 1), 5000, "the worker at all three");
    // Requests spread over the brokers.
    await Promise.all(Array.from({ length: 30 }, (_, i) => c.request("echo", `${i}`)));
    expect([b1, b2, b3].map((b) => b.counters.reservations > 0)).toEqual([true, true, true]);
  });

  it("drops a broker that stopped from every list once it has been silent for the window", async () => {
    const b1 = await startBroker(cleanup);
    const b2 = await startBroker(cleanup, [b1.address]);
    const b3 = await startBroker(cleanup, [b1.address]);
    await until(() => [b1, b2, b3].every((b) => listed(b).length === 3), 5000, "full lists");
    b3.close();
    const closedAt = performance.now();
    await until(() => listed(b1).length === 2 && listed(b2).length === 2, 5000, "b3 dropped");
    // Not before the window (3 × 50 ms) after b3's last gossip, itself at most an interval before it closed.
    expect(performance.now() - closedAt).toBeGreaterThanOrEqual(150 - 50 - 5);
    expect(listed(b1)).not.toContain(b3.address.endpoint);
  });

  it("clients spread requests over the brokers they know, and all are answered when one closes", async () => {
    const b1 = await startBroker(cleanup);
    const b2 = await startBroker(cleanup, [b1.address]);
    let runs = 0;
    startWorker(cleanup, b1.address.endpoint, "count", () => `${++runs}`);
    startWorker(cleanup, b1.address.endpoint, "count", () => `${++runs}`);
    const c = startClient(cleanup, [b1.address.endpoint, b2.address.endpoint]);
    await until(() => b2.services.workerCount("count") === 2 && c.links.upLinks().length === 2, 5000, "ready");
    const first = await Promise.all(Array.from({ length: 20 }, () => c.request("count", "x")));
    b1.close();
    const second = await Promise.all(Array.from({ length: 20 }, () => c.request("count", "x")));
    expect(first.length + second.length).toBe(40);
    expect(runs).toBe(40);
    expect(b2.counters.reservations).toBeGreaterThanOrEqual(20);
  });

  it("a handler slower than the client's timeout: the resent request waits for the one run, not a second", async () => {
    const b1 = await startBroker(cleanup);
    const b2 = await startBroker(cleanup, [b1.address]);
    let release: () => void = () => undefined;
    const w = startWorker(
      cleanup,
      b1.address.endpoint,
      "slow",
      () => new Promise<string>((r) => (release = () => r("done"))),
    );
    const c = startClient(cleanup, [b1.address.endpoint, b2.address.endpoint], {
      timeout: 50,
      retries: 20,
      deadline: 5000,
    });
    await until(() => c.links.upLinks().length === 2 && b2.services.workerCount("slow") === 1, 5000, "ready");
    const reply = c.request("slow", "x");
    await until(() => c.counters.resends >= 3, 5000, "resends");
    release();
    expect(text(await reply)).toEqual(["done"]);
    expect(w.counters.executed).toBe(1);
    expect(w.counters.deduplicated).toBeGreaterThanOrEqual(2);
  });

  it("a handler that throws: the client gets EWORKER with its message, and it ran once", async () => {
    const b = await startBroker(cleanup);
    const w = startWorker(cleanup, b.address.endpoint, "fail", () => {
      throw new Error("disk on fire");
    });
    const c = startClient(cleanup, b.address.endpoint);
    await until(() => b.services.workerCount("fail") === 1, 5000, "registered");
    const err = await errorOf(c.request("fail", "x"));
    expect(isBrokerError(err) && [err.code, err.mayHaveRun]).toEqual(["EWORKER", true]);
    expect((err as Error).message).toContain("disk on fire");
    expect(w.counters.executed).toBe(1);
  });

  it("a service nobody offers fails with ENOSERVICE after asking every live broker", async () => {
    const b1 = await startBroker(cleanup);
    const b2 = await startBroker(cleanup, [b1.address]);
    const c = startClient(cleanup, b1.address.endpoint);
    await until(() => c.links.upLinks().length === 2, 5000, "both brokers up");
    const err = await errorOf(c.request("nobody", "x"));
    expect(isBrokerError(err) && [err.code, err.mayHaveRun]).toEqual(["ENOSERVICE", false]);
    expect([b1.counters.errors.NO_SERVICE, b2.counters.errors.NO_SERVICE]).toEqual([1, 1]);
  });

  it("a flood for a service nobody offers: bounded queues, and every request fails clearly", async () => {
    const b = await startBroker(cleanup, [], { maxQueued: 20, maxQueuedTotal: 30 });
    const echo = startWorker(cleanup, b.address.endpoint, "echo", (body) => body);
    const c = startClient(cleanup, b.address.endpoint, { maxPending: 1500 });
    await until(() => b.services.workerCount("echo") === 1, 5000, "registered");
    let maxQueued = 0;
    const sampler = setInterval(() => (maxQueued = Math.max(maxQueued, b.services.unservedCount())), 1);
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => errorOf(c.request(`nobody-${i % 3}`, "x"))),
    );
    clearInterval(sampler);
    const codes = outcomes.map((e) => (isBrokerError(e) ? e.code : String(e)));
    expect(new Set(codes)).toEqual(new Set(["ENOSERVICE", "EBUSY"]));
    expect(maxQueued).toBeLessThanOrEqual(30);
    expect(b.services.queuedCount()).toBe(0);
    // The broker still serves the other service.
    expect(text(await c.request("echo", "still here"))).toEqual(["still here"]);
    expect(echo.counters.executed).toBe(1);
  });

  it("refuses more requests than maxPending at once with EBUSY", async () => {
    const b = await startBroker(cleanup);
    const c = startClient(cleanup, b.address.endpoint, { maxPending: 2 });
    const pending = [c.request("s", "1"), c.request("s", "2")];
    const err = await errorOf(c.request("s", "3"));
    expect(isBrokerError(err) && err.code).toBe("EBUSY");
    for (const p of pending) p.catch(() => undefined);
  });

  it("counts and drops what a peer sends that is not the protocol, and carries on", async () => {
    const b = await startBroker(cleanup);
    startWorker(cleanup, b.address.endpoint, "echo", (body) => body);
    const rogue = rawDealer(b.address.endpoint, "C:rogue");
    cleanup.add(rogue.socket);
    await rogue.socket.send(["garbage"]);
    await rogue.socket.send([TAG, Buffer.from([0x04]), "not an envelope"]);
    await rogue.socket.send([TAG, Buffer.from([0x06]), "C:someone-else", "x"]); // REQUEST to a client
    const stranger = rawDealer(b.address.endpoint, "X:who");
    cleanup.add(stranger.socket);
    await stranger.socket.send([TAG, Buffer.from([0x01])]);
    await until(() => b.counters.malformed === 4, 5000, "four malformed");
    const c = startClient(cleanup, b.address.endpoint);
    expect(text(await c.request("echo", "fine"))).toEqual(["fine"]);
  });

  it("a client that closes fails its pending requests with ECLOSED", async () => {
    const b = await startBroker(cleanup);
    const c = startClient(cleanup, b.address.endpoint);
    const pending = errorOf(c.request("never", "x"));
    c.close();
    const err = await pending;
    expect(isBrokerError(err) && err.code).toBe("ECLOSED");
  });
});
