import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/helpers/time.js";
import { Fleet, type Counts, type NodeProcess } from "../helpers/fleet.js";

/**
 * The broker network with real processes on localhost (document 003's promises): brokers,
 * workers and clients are killed (SIGKILL), stopped (SIGSTOP) and continued, restarted, and a
 * broker is flooded. Every request is then checked on its own: answered exactly once, or failed
 * with a timeout error (saying whether its worker may have run it), and never run twice. The
 * counts are printed for the record. Timings: heartbeats and gossip every 100 ms, a 300 ms window,
 * clients wait 300 ms per try and resend up to 6 times.
 */

let fleet: Fleet | null = null;
afterEach(() => {
  fleet?.close();
  fleet = null;
});

const PER_CLIENT = 300;

function report(name: string, counts: Counts): void {
  const other = Object.entries(counts.otherErrors).map(([code, n]) => `${code} ${n}`);
  console.log(
    `[fault] ${name}: sent ${counts.sent}, answered ${counts.answered}, timed out ${counts.timedOut}` +
      `${other.length > 0 ? `, other errors ${other.join(", ")}` : ""}` +
      `${counts.unresolved > 0 ? `, unresolved (client killed) ${counts.unresolved}` : ""}` +
      `, executed ${counts.executed}, executed twice ${counts.executedTwice}`,
  );
}

const progress = (client: NodeProcess): number => (client.last("progress")?.done as number | undefined) ?? 0;
const finished = (client: NodeProcess): Promise<unknown> => client.waitFor("done", () => true, 60_000);

async function twoBrokers(
  f: Fleet,
): Promise<[{ node: NodeProcess; endpoint: string }, { node: NodeProcess; endpoint: string }]> {
  const b1 = await f.broker();
  const b2 = await f.broker([b1.endpoint]);
  return [b1, b2];
}

async function ready(workers: NodeProcess[], brokers: number): Promise<void> {
  for (const w of workers) await w.waitFor("broker-up", (e) => e.brokers === brokers);
}

describe("broker network faults (real processes)", () => {
  it("a broker killed (SIGKILL) mid-traffic: no request is lost, none runs twice", async () => {
    const f = (fleet = await Fleet.create());
    const [b1, b2] = await twoBrokers(f);
    const workers = [f.worker("w1", [b1.endpoint], { delay: 5 }), f.worker("w2", [b2.endpoint], { delay: 5 })];
    await ready(workers, 2);
    const clients = ["k1", "k2"].map((p) =>
      f.client(p, [b1.endpoint, b2.endpoint], { count: PER_CLIENT, concurrency: 8 }),
    );
    await until(() => progress(clients[0]!) >= 60, 30_000, "traffic flowing");
    b1.node.kill("SIGKILL");
    await Promise.all(clients.map(finished));
    const counts = f.check(["k1", "k2"]);
    report("broker SIGKILL", counts);
    expect(counts).toMatchObject({ sent: 2 * PER_CLIENT, answered: 2 * PER_CLIENT, executedTwice: 0 });
  });

  it("a worker killed (SIGKILL) mid-request: its requests time out saying they may have run, the rest are answered", async () => {
    const f = (fleet = await Fleet.create());
    const [b1, b2] = await twoBrokers(f);
    const workers = ["w1", "w2", "w3"].map((name) => f.worker(name, [b1.endpoint], { delay: 30 }));
    await ready(workers, 2);
    const client = f.client("kw", [b1.endpoint, b2.endpoint], { count: PER_CLIENT, concurrency: 8 });
    await until(() => progress(client) >= 60, 30_000, "traffic flowing");
    workers[0]!.kill("SIGKILL");
    await finished(client);
    const counts = f.check(["kw"]);
    report("worker SIGKILL", counts);
    expect(counts.executedTwice).toBe(0);
    expect(counts.answered + counts.timedOut).toBe(PER_CLIENT);
    expect(counts.timedOut).toBeLessThanOrEqual(8); // at most the requests in flight when it died
  });

  it("a client killed (SIGKILL) mid-request: nothing of its runs twice, and the others are served", async () => {
    const f = (fleet = await Fleet.create());
    const [b1, b2] = await twoBrokers(f);
    const workers = ["w1", "w2"].map((name) => f.worker(name, [b1.endpoint], { delay: 20 }));
    await ready(workers, 2);
    const doomed = f.client("kc", [b1.endpoint, b2.endpoint], { count: PER_CLIENT, concurrency: 8 });
    const other = f.client("ok", [b2.endpoint], { count: PER_CLIENT, concurrency: 4 });
    await until(() => progress(doomed) >= 60, 30_000, "traffic flowing");
    doomed.kill("SIGKILL");
    await finished(other);
    const killed = f.check(["kc"]);
    const served = f.check(["ok"]);
    report("client SIGKILL (the killed client)", killed);
    report("client SIGKILL (another client)", served);
    expect(killed.executedTwice).toBe(0);
    expect(killed.unresolved).toBeGreaterThan(0);
    expect(served).toMatchObject({ sent: PER_CLIENT, answered: PER_CLIENT, executedTwice: 0 });
  });

  it("a broker stopped (SIGSTOP) then continued: all requests answered once, its stale backlog runs nothing twice", async () => {
    const f = (fleet = await Fleet.create());
    const [b1, b2] = await twoBrokers(f);
    const workers = [f.worker("w1", [b1.endpoint], { delay: 5 }), f.worker("w2", [b2.endpoint], { delay: 5 })];
    await ready(workers, 2);
    const clients = ["s1", "s2"].map((p) =>
      f.client(p, [b1.endpoint, b2.endpoint], { count: PER_CLIENT, concurrency: 8 }),
    );
    await until(() => progress(clients[0]!) >= 60, 30_000, "traffic flowing");
    b1.node.kill("SIGSTOP");
    const stoppedAt = progress(clients[0]!);
    await until(() => progress(clients[0]!) >= stoppedAt + 60, 30_000, "traffic flowing around the stopped broker");
    b1.node.kill("SIGCONT");
    await Promise.all(clients.map(finished));
    // The continued broker is back in the network.
    await until(() => (b2.node.last("status")?.brokers as number) === 2, 10_000, "b1 listed again");
    const counts = f.check(["s1", "s2"]);
    report("broker SIGSTOP + SIGCONT", counts);
    expect(counts).toMatchObject({ sent: 2 * PER_CLIENT, answered: 2 * PER_CLIENT, executedTwice: 0 });
  });

  it("a worker restarted with the same identity: never runs anything twice, and the new one serves", async () => {
    const f = (fleet = await Fleet.create());
    const [b1, b2] = await twoBrokers(f);
    const first = f.worker("w1", [b1.endpoint], { delay: 20 });
    const workers = [first, f.worker("w2", [b1.endpoint], { delay: 20 })];
    await ready(workers, 2);
    const client = f.client("rw", [b1.endpoint, b2.endpoint], { count: PER_CLIENT, concurrency: 8 });
    await until(() => progress(client) >= 60, 30_000, "traffic flowing");
    first.kill("SIGKILL");
    const second = f.worker("w1", [b2.endpoint], { delay: 20 });
    await finished(client);
    const counts = f.check(["rw"]);
    report("worker restarted with the same identity", counts);
    expect(counts.executedTwice).toBe(0);
    expect(counts.answered + counts.timedOut).toBe(PER_CLIENT);
    expect(counts.timedOut).toBeLessThanOrEqual(8);
    expect(f.executors("w1").has(String(second.run.child.pid))).toBe(true);
  });

  it("a broker flooded with requests for a service nobody offers: bounded queue, clear errors, others served", async () => {
    const f = (fleet = await Fleet.create());
    const b = await f.broker([], ["--max-queued-total", "200"]);
    await ready([f.worker("w1", [b.endpoint])], 1);
    const flood = f.client("fl", [b.endpoint], { count: 5000, concurrency: 1000, service: "nobody" });
    const other = f.client("ec", [b.endpoint], { count: 200, concurrency: 4 });
    await Promise.all([finished(flood), finished(other)]);
    const statuses = b.node.events.filter((e) => e.event === "status");
    const maxQueued = Math.max(...statuses.map((e) => e.unserved as number));
    const maxRss = Math.max(...statuses.map((e) => e.rss as number));
    const flooded = f.check(["fl"]);
    const served = f.check(["ec"]);
    report("flood (requests for a service with no worker)", flooded);
    report("flood (another service meanwhile)", served);
    console.log(
      `[fault] flood: requests waiting for the unserved service peaked at ${maxQueued} (bound 200), broker RSS at ${(maxRss / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(maxQueued).toBeLessThanOrEqual(200);
    expect(flooded.answered + flooded.executed).toBe(0);
    expect(Object.keys(flooded.otherErrors).sort()).toEqual(["EBUSY", "ENOSERVICE"]);
    expect(flooded.timedOut).toBe(0);
    expect(served).toMatchObject({ sent: 200, answered: 200, executedTwice: 0 });
  });
});
