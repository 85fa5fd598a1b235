import { Router } from "zmtp";
import { afterEach, describe, expect, it } from "vitest";
import { isBrokerError } from "../../src/common/errors.js";
import { LazyPirateClient } from "../../src/pirate/lazy-pirate.js";
import { Cleanup, recordingRouter, text } from "../helpers/sockets.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A REP-like server over a ROUTER that answers request n (from 1) with `answer(n)`, or not at all. */
async function server(answer: (n: number, body: string) => string | null | Promise<string | null>) {
  const socket = cleanup.add(new Router({ linger: 0 }));
  await socket.bind("tcp://127.0.0.1:*");
  const ids: string[] = [];
  void (async () => {
    for await (const [id, , body] of socket) {
      ids.push(id!.toString("hex"));
      void Promise.resolve(answer(ids.length, body!.toString())).then((reply) => {
        if (reply !== null) void socket.send([id!, "", reply]).catch(() => undefined);
      });
    }
  })().catch(() => undefined);
  return { endpoint: socket.lastEndpoint!, ids };
}

describe("LazyPirateClient", () => {
  it("resends on a fresh socket after each silent wait, then fails with ETIMEDOUT", async () => {
    const silent = await server(() => null);
    // Long enough for each fresh socket to connect before it is abandoned, even on a loaded machine.
    const client = cleanup.add(new LazyPirateClient({ endpoints: silent.endpoint, timeout: 250, retries: 2 }));
    const retries: number[] = [];
    client.on("retry", (e: { attempt: number }) => retries.push(e.attempt));
    const err: unknown = await client.request("hello").catch((e: unknown) => e);
    expect(isBrokerError(err) && err.code).toBe("ETIMEDOUT");
    expect(isBrokerError(err) && err.mayHaveRun).toBe(true);
    expect(retries).toEqual([1, 2]);
    expect(silent.ids).toHaveLength(3);
    expect(new Set(silent.ids).size).toBe(3); // three connections: a new REQ socket per attempt
  });

  it("gets the answer from a server that drops the first requests", async () => {
    const flaky = await server((n, body) => (n < 3 ? null : `re: ${body}`));
    const client = cleanup.add(new LazyPirateClient({ endpoints: flaky.endpoint, timeout: 50, retries: 3 }));
    expect(text(await client.request("hello"))).toEqual(["re: hello"]);
    expect(flaky.ids).toHaveLength(3);
  });

  it("never takes a late reply to an abandoned attempt for the answer", async () => {
    let releaseFirst: (reply: string) => void = () => undefined;
    const slow = await server((n) => (n === 1 ? new Promise<string>((r) => (releaseFirst = r)) : "fresh"));
    const client = cleanup.add(new LazyPirateClient({ endpoints: slow.endpoint, timeout: 50, retries: 1 }));
    client.on("retry", () => releaseFirst("stale")); // the first answer comes after the client gave up on it
    expect(text(await client.request("x"))).toEqual(["fresh"]);
    expect(text(await client.request("y"))).toEqual(["fresh"]);
  });

  it("sends requests one at a time, in call order, like REQ", async () => {
    const echo = await server((_, body) => body);
    const client = cleanup.add(new LazyPirateClient({ endpoints: echo.endpoint, timeout: 1000 }));
    const replies = await Promise.all(["a", "b", "c"].map((body) => client.request(body)));
    expect(replies.map(text)).toEqual([["a"], ["b"], ["c"]]);
  });

  it("tries the next server on each retry", async () => {
    const dead = await recordingRouter();
    cleanup.add(dead.socket);
    const alive = await server(() => "from the second");
    const client = cleanup.add(new LazyPirateClient({ endpoints: [dead.endpoint, alive.endpoint], timeout: 50 }));
    expect(text(await client.request("x"))).toEqual(["from the second"]);
    expect(dead.received).toHaveLength(1);
  });
});
