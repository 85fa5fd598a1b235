import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import * as ours from "../../src/index.js";
import { sleep, within } from "../helpers/time.js";

/** Heartbeats (ZMTP 3.1 PING/PONG) against libzmq 4.3.5, in both directions. */

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function close(...sockets: Array<{ linger: number; close(): void }>): void {
  cleanup.push(() => {
    for (const s of sockets) {
      s.linger = 0;
      s.close();
    }
  });
}

describe("heartbeats with libzmq", () => {
  it("libzmq pings our ROUTER; we answer, so its short heartbeat timeout never fires", async () => {
    const router = new ours.Router();
    await router.bind("tcp://127.0.0.1:*");
    const dealer = new zmq.Dealer({ routingId: "hb", heartbeatInterval: 50, heartbeatTimeout: 150 });
    close(router, dealer);
    const theirDisconnects: string[] = [];
    dealer.events.on("disconnect", (e) => theirDisconnects.push(e.address));
    dealer.connect(router.lastEndpoint!);
    await dealer.send("before");
    expect((await router.receive()).map(String)).toEqual(["hb", "before"]);
    await sleep(800); // on purpose: 16 of its PING intervals, over 5 of its timeouts, must pass without a disconnect
    expect(theirDisconnects).toEqual([]);
    await router.send(["hb", "after"]);
    expect((await dealer.receive()).map(String)).toEqual(["after"]);
  });

  it("our DEALER pings a libzmq ROUTER; its PONGs keep our heartbeat timeout from firing", async () => {
    const router = new zmq.Router();
    await router.bind("tcp://127.0.0.1:*");
    const dealer = new ours.Dealer({
      routingId: "hb2",
      heartbeatInterval: 50,
      heartbeatTimeout: 150,
      heartbeatTimeToLive: 1000,
    });
    close(router, dealer);
    const ourDisconnects: string[] = [];
    dealer.events.on("disconnect", (e) => ourDisconnects.push(e.address));
    dealer.connect(router.lastEndpoint!);
    await dealer.send("x");
    await router.receive();
    await sleep(800); // on purpose: 16 of our PING intervals, over 5 of our timeouts, must pass without a disconnect
    expect(ourDisconnects).toEqual([]);
    await router.send(["hb2", "still here"]);
    expect((await dealer.receive()).map(String)).toEqual(["still here"]);
  });

  it("libzmq drops us when our process goes silent (SIGSTOP), and we reconnect when it resumes", async () => {
    const router = new zmq.Router({ heartbeatInterval: 100, heartbeatTimeout: 300 });
    await router.bind("tcp://127.0.0.1:*");
    close(router);
    const dist = fileURLToPath(new URL("../../dist/esm/index.js", import.meta.url));
    const script = `
      const { Dealer } = await import(${JSON.stringify(dist)});
      // No fixed routing id: libzmq may still hold the dead connection's id when we come back.
      const d = new Dealer({ linger: 0 });
      d.connect(${JSON.stringify(router.lastEndpoint)});
      await d.send("hello");
      setInterval(() => d.send("tick"), 100);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    cleanup.push(() => child.kill("SIGKILL"));
    const disconnected = new Promise<void>((resolve) => router.events.on("disconnect", () => resolve()));
    expect(String((await router.receive())[1])).toBe("hello");
    child.kill("SIGSTOP");
    const stoppedAt = Date.now();
    await disconnected;
    const detectedAfter = Date.now() - stoppedAt;
    expect(detectedAfter).toBeLessThan(3000);
    // Whatever arrived before the freeze is not evidence of a reconnect: drop it first.
    router.receiveTimeout = 0;
    for (;;) {
      try {
        await router.receive();
      } catch {
        break;
      }
    }
    const reconnected = new Promise<void>((resolve) => router.events.on("handshake", () => resolve()));
    child.kill("SIGCONT");
    await reconnected;
    // Once resumed, our DEALER notices the closed connection and reconnects; ticks flow again.
    router.receiveTimeout = 5000;
    for (;;) {
      const [, body] = await router.receive();
      if (body!.toString() === "tick") break;
    }
  });

  it("a libzmq DEALER whose PINGs carry a TTL is dropped about a TTL after it froze, though it sent traffic after its first PING", async () => {
    const router = new ours.Router();
    await router.bind("tcp://127.0.0.1:*");
    close(router);
    const zeromq = pathToFileURL(createRequire(import.meta.url).resolve("zeromq")).href;
    // PINGs every 100 ms with TTL 1 s; some data after the first PINGs; then only PINGs for a
    // while, so the last thing we get before the freeze is a PING.
    const script = `
      const zmq = await import(${JSON.stringify(zeromq)});
      const d = new zmq.Dealer({ linger: 0, heartbeatInterval: 100, heartbeatTimeToLive: 1000, heartbeatTimeout: 5000 });
      d.connect(${JSON.stringify(router.lastEndpoint)});
      const wait = (ms) => new Promise((r) => setTimeout(r, ms));
      await d.send("hello");
      for (let i = 0; i < 3; i++) {
        await wait(150);
        await d.send("a little");
      }
      await wait(400);
      console.log("quiet");
      setInterval(() => undefined, 1000);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    cleanup.push(() => child.kill("SIGKILL"));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const received: string[] = [];
    for (let i = 0; i < 4; i++) received.push(String((await router.receive())[1]));
    expect(received).toEqual(["hello", "a little", "a little", "a little"]);
    expect((await lines.next()).value).toBe("quiet");
    const disconnected = new Promise<number>((resolve) => router.events.on("disconnect", () => resolve(Date.now())));
    child.kill("SIGSTOP");
    const stoppedAt = Date.now();
    // An engine that let the TTL lapse after newer PINGs would never drop the peer: bound the wait.
    const droppedAt = await within(disconnected, 5000, "the frozen peer dropped");
    // The last PING came at most one interval (100 ms) before the freeze.
    const after = droppedAt - stoppedAt;
    expect(after).toBeGreaterThanOrEqual(850);
    expect(after).toBeLessThan(2500);
  });
});
