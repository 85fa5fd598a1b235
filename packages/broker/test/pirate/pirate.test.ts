import { Router } from "zmtp";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/helpers/time.js";
import { LazyPirateClient } from "../../src/pirate/lazy-pirate.js";
import { PPP_HEARTBEAT, PPP_READY } from "../../src/pirate/protocol.js";
import { PirateQueue } from "../../src/pirate/queue.js";
import { PirateWorker } from "../../src/pirate/worker.js";
import { Cleanup, rawDealer, text } from "../helpers/sockets.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const ANY = "tcp://127.0.0.1:*";

async function queue(heartbeatInterval = 50): Promise<PirateQueue> {
  return cleanup.add(await PirateQueue.start({ frontend: ANY, backend: ANY, heartbeatInterval, liveness: 3 }));
}

function worker(
  q: PirateQueue,
  name: string,
  handler = (body: Buffer[]) => [Buffer.from(name), ...body],
): PirateWorker {
  return cleanup
    .add(
      new PirateWorker({
        endpoint: q.backendEndpoints[0]!,
        handler,
        heartbeatInterval: 50,
        socket: { routingId: name },
      }),
    )
    .start();
}

function client(q: PirateQueue, timeout = 2000): LazyPirateClient {
  return cleanup.add(new LazyPirateClient({ endpoints: q.frontendEndpoints[0]!, timeout, retries: 3 }));
}

describe("Paranoid Pirate queue and worker", () => {
  it("hands each request to the least recently used ready worker", async () => {
    const q = await queue();
    for (const [i, name] of ["a", "b", "c"].entries()) {
      worker(q, name);
      await until(() => q.readyCount === i + 1, 5000, `worker ${name} ready`);
    }
    const c = client(q);
    const served: string[] = [];
    for (let i = 0; i < 6; i++) served.push((await c.request(`r${i}`))[0]!.toString());
    expect(served).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("heartbeats a worker it has sent nothing to, and purges one silent for `liveness` intervals", async () => {
    const q = await queue(30);
    const silent = cleanup.add(rawDealer(q.backendEndpoints[0]!, "silent").socket);
    const heard = rawDealer(q.backendEndpoints[0]!, "mute");
    cleanup.add(heard.socket);
    await silent.send([PPP_READY]);
    await heard.socket.send([PPP_READY]);
    await until(() => heard.received.some((m) => m.length === 1 && m[0]!.equals(PPP_HEARTBEAT)), 5000, "a heartbeat");
    const purged: string[] = [];
    q.on("purged", (id: Buffer) => purged.push(id.toString()));
    await until(() => purged.length === 2, 5000, "both purged");
    expect(purged.sort()).toEqual(["mute", "silent"]);
    expect([q.workerCount, q.readyCount, q.counters.purged]).toEqual([0, 0, 2]);
  });

  it("a worker that swallows a request: the client's retry is answered by another worker", async () => {
    const q = await queue();
    const swallower = rawDealer(q.backendEndpoints[0]!, "swallower");
    cleanup.add(swallower.socket);
    await swallower.socket.send([PPP_READY]);
    await until(() => q.readyCount === 1, 5000, "the swallower ready");
    worker(q, "honest");
    await until(() => q.readyCount === 2, 5000, "the honest worker ready");
    const reply = await client(q, 200).request("work");
    expect(text(reply)).toEqual(["honest", "work"]);
    expect(swallower.received.filter((m) => m.length > 1)).toHaveLength(1); // it got the first copy
  });

  it("counts a worker's malformed message and goes on serving", async () => {
    const q = await queue();
    const bad = rawDealer(q.backendEndpoints[0]!, "bad");
    cleanup.add(bad.socket);
    await bad.socket.send(["no", "envelope"]);
    await until(() => q.counters.malformed === 1, 5000, "counted");
    worker(q, "good");
    expect(text(await client(q).request("still"))).toEqual(["good", "still"]);
  });

  it("reconnects with doubling waits while the queue is silent, and starts over once it is heard", async () => {
    // A fake queue that answers every message with a heartbeat only while `answering`.
    const fake = cleanup.add(new Router({ linger: 0 }));
    await fake.bind(ANY);
    let answering = false;
    let answered = 0;
    const received: Buffer[][] = [];
    void (async () => {
      for await (const [id, ...rest] of fake) {
        received.push(rest);
        if (answering) {
          answered++;
          await fake.send([id!, PPP_HEARTBEAT]);
        }
      }
    })().catch(() => undefined);
    const w = cleanup.add(
      new PirateWorker({
        endpoint: fake.lastEndpoint!,
        handler: () => "x",
        heartbeatInterval: 20,
        liveness: 2,
        reconnect: { initial: 10, max: 40 },
      }),
    );
    const delays: number[] = [];
    w.on("reconnect", (e: { delay: number }) => delays.push(e.delay));
    w.start();
    await until(() => delays.length === 4, 5000, "four reconnects");
    expect(delays).toEqual([10, 20, 40, 40]);
    answering = true;
    await until(() => answered >= 3, 5000, "the worker heard");
    answering = false;
    const before = delays.length;
    await until(() => delays.length > before, 5000, "a reconnect after silence again");
    expect(delays[before]).toBe(10);
    // Every fresh socket said READY first, and heartbeats went out when there was nothing else to say.
    expect(received.filter((m) => m[0]!.equals(PPP_READY)).length).toBeGreaterThanOrEqual(5);
    expect(received.some((m) => m[0]!.equals(PPP_HEARTBEAT))).toBe(true);
  });

  it("as the Simple Pirate (no heartbeats), still balances and answers", async () => {
    const q = await queue(0);
    const w = cleanup
      .add(new PirateWorker({ endpoint: q.backendEndpoints[0]!, handler: (b) => b, heartbeatInterval: 0 }))
      .start();
    await until(() => q.readyCount === 1, 5000, "ready");
    expect(text(await client(q).request("simple"))).toEqual(["simple"]);
    expect(w.handled).toBe(1);
  });
});
