/**
 * bindSync/unbindSync of zmtp/v5-compat, which cannot block as the binding does: the bind starts
 * at once (a tcp port is taken before the next I/O callback, an inproc name takes connects at
 * once), later calls on the socket run after it in order, close() is immediate for the program,
 * and a failure is an `error` event. What can be compared with the binding is in
 * test/conformance/v5-compat/endpoints.test.ts; this is what only zmtp does.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as zmq from "../../../src/entries/v5-compat.js";
import { freePort } from "../../helpers/sockets.js";
import { until } from "../../helpers/time.js";

const sockets: zmq.Socket[] = [];

function open(type: zmq.SocketType): zmq.Socket {
  const socket = zmq.socket(type);
  socket.on("error", () => undefined);
  sockets.push(socket);
  return socket;
}

afterEach(() => {
  for (const socket of sockets.splice(0)) {
    if (!socket.closed) {
      socket.linger = 0;
      socket.close();
    }
  }
});

function inproc(): string {
  return `inproc://bind-sync-${randomBytes(6).toString("hex")}`;
}

/** Frames of every message `socket` emits, as text. */
function collect(socket: zmq.Socket): string[][] {
  const got: string[][] = [];
  socket.on("message", (...frames: Buffer[]) => got.push(frames.map(String)));
  return got;
}

function errors(socket: zmq.Socket): Error[] {
  const got: Error[] = [];
  socket.on("error", (err: Error) => got.push(err));
  return got;
}

/** Whether another listener can take `port` now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("bindSync", () => {
  it("takes a tcp port before the next I/O callback runs", async () => {
    const port = await freePort();
    const pull = open("pull");
    pull.bindSync(`tcp://127.0.0.1:${port}`);
    const free = await new Promise<boolean>((resolve) => setImmediate(() => void portFree(port).then(resolve)));
    expect(free).toBe(false);
  });

  it("lets another socket connect over inproc at once, and messages flow", async () => {
    const ep = inproc();
    const pull = open("pull");
    const push = open("push");
    const got = collect(pull);
    pull.bindSync(ep);
    push.connect(ep);
    push.send("right away");
    await until(() => got.length === 1);
    expect(got).toEqual([["right away"]]);
  });

  it("runs the socket's later calls after the bind, in the order they were made", async () => {
    const ep = inproc();
    const other = inproc();
    const push = open("push");
    const pull = open("pull");
    const elsewhere = open("pull");
    const got = collect(pull);
    const order: string[] = [];
    push.bindSync(ep);
    push.send("one", 0, (err) => order.push(`sent one ${String(err)}`));
    push.bind(other, (err) => order.push(`bound other ${String(err)}`));
    push.connect(inproc());
    push.disconnect(other);
    pull.connect(ep);
    elsewhere.connect(other);
    await until(() => got.length === 1 && order.length === 2);
    expect(order).toEqual(["sent one undefined", "bound other undefined"]);
    expect(got).toEqual([["one"]]);
  });

  it("reports the bound endpoint once the bind is done", async () => {
    const pull = open("pull");
    pull.bindSync("tcp://127.0.0.1:*");
    expect(pull.last_endpoint).toBeNull();
    await until(() => pull.last_endpoint !== null);
    expect(pull.last_endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  });

  it("emits a failure as an error event, and the calls made after it still run", async () => {
    const port = await freePort();
    const first = open("pull");
    first.bindSync(`tcp://127.0.0.1:${port}`);
    await until(() => first.last_endpoint !== null);
    const second = open("pull");
    const failed = errors(second);
    second.bindSync(`tcp://127.0.0.1:${port}`);
    const connected: string[] = [];
    second.connect(`tcp://127.0.0.1:${port}`);
    second.monitor();
    second.on("connect", (_value: unknown, address: string) => connected.push(address));
    await until(() => failed.length === 1 && connected.length === 1);
    expect(failed[0]).toMatchObject({ code: "EADDRINUSE", address: `tcp://127.0.0.1:${port}` });
  });

  it("throws at once what the v6 bind checks synchronously", () => {
    const pull = open("pull");
    expect(() => pull.bindSync(5 as unknown as string)).toThrow(new TypeError("Address must be a string"));
    pull.bindSync(inproc());
    // While a bindSync is pending the check is the compatibility layer's own: the same error.
    expect(() => pull.bindSync(5 as unknown as string)).toThrow(new TypeError("Address must be a string"));
    expect(() => pull.connect(5 as unknown as string)).toThrow(new TypeError("Address must be a string"));
  });

  it("close() while the bind runs: closed at once, queued sends go first, the socket closes after", async () => {
    const ep = inproc();
    const push = open("push");
    const pull = open("pull");
    const got = collect(pull);
    pull.connect(ep);
    push.bindSync(ep);
    push.send("before close");
    push.close();
    expect(push.closed).toBe(true);
    expect(() => push.bind(inproc())).toThrow(expect.objectContaining({ code: "EBADF" }));
    expect(() => push.bindSync(inproc())).toThrow(expect.objectContaining({ code: "EBADF" }));
    expect(() => push.connect(inproc())).toThrow(expect.objectContaining({ code: "EBADF" }));
    expect(push.close()).toBe(push);
    await until(() => got.length === 1);
    expect(got).toEqual([["before close"]]);
  });
});

describe("unbindSync", () => {
  it.each(["tcp", "ipc", "inproc"] as const)(
    "unbinds over %s: a bind of the same address made after it succeeds",
    async (transport) => {
      const pull = open("pull");
      // (Not ipc://*: its directory goes with the listener.)
      const first =
        transport === "inproc"
          ? inproc()
          : transport === "tcp"
            ? "tcp://127.0.0.1:*"
            : `ipc://${join(tmpdir(), `bind-sync-${randomBytes(6).toString("hex")}`)}`;
      pull.bindSync(first);
      await until(() => pull.last_endpoint !== null);
      const ep = String(pull.last_endpoint);
      const unbound: string[] = [];
      pull.on("unbind", (address: string) => unbound.push(address));
      pull.unbindSync(ep);
      const outcome = await new Promise<Error | undefined>((resolve) => pull.bind(ep, resolve));
      expect(outcome).toBeUndefined();
      // As the binding's bindSync emits no bind event, unbindSync emits no unbind event.
      expect(unbound).toEqual([]);
    },
  );

  it("emits ENOENT for an address never bound", async () => {
    const pull = open("pull");
    const failed = errors(pull);
    const ep = inproc();
    pull.unbindSync(ep);
    await until(() => failed.length === 1);
    expect(failed[0]).toMatchObject({ code: "ENOENT", message: "No such endpoint", address: ep });
  });
});
