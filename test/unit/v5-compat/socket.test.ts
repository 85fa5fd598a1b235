/**
 * The v5 socket of zmtp/v5-compat where zmtp parts from the binding on purpose, and the pieces
 * that can be checked alone: the event-name mapping of monitor(), a socket that keeps reading
 * while one of its binds runs (the binding's loop freezes the process there), a second monitor()
 * reader (the binding's retries forever), the module's shapes. Side by side with the binding:
 * test/conformance/v5-compat/.
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import zmqDefault, * as zmq from "../../../src/entries/v5-compat.js";
import type { Event } from "../../../src/index.js";
import { v5Event } from "../../../src/v5-compat/monitor.js";
import { until } from "../../helpers/time.js";

const sockets: zmq.Socket[] = [];

function open(type: zmq.SocketType): zmq.Socket {
  const socket = zmq.socket(type);
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
  return `inproc://v5-socket-${randomBytes(6).toString("hex")}`;
}

describe("monitor event names", () => {
  const error = Object.assign(new Error("Address already in use"), { errno: 98, code: "EADDRINUSE" });
  it.each([
    [
      { type: "bind", address: "a" },
      { name: "listen", value: undefined, error: undefined },
    ],
    [
      { type: "accept", address: "a" },
      { name: "accept", value: undefined, error: undefined },
    ],
    [
      { type: "connect", address: "a" },
      { name: "connect", value: undefined, error: undefined },
    ],
    [
      { type: "connect:delay", address: "a" },
      { name: "connect_delay", value: undefined, error: undefined },
    ],
    [
      { type: "connect:retry", address: "a", interval: 150 },
      { name: "connect_retry", value: 150, error: undefined },
    ],
    [
      { type: "close", address: "a" },
      { name: "close", value: undefined, error: undefined },
    ],
    [
      { type: "disconnect", address: "a" },
      { name: "disconnect", value: undefined, error: undefined },
    ],
    [
      { type: "bind:error", address: "a", error },
      { name: "bind_error", value: 98, error },
    ],
    [
      { type: "accept:error", address: "a", error },
      { name: "accept_error", value: 98, error },
    ],
    [
      { type: "close:error", address: "a", error },
      { name: "close_error", value: 98, error },
    ],
  ])("%o is %o", (event, expected) => {
    expect(v5Event(event as Event)).toEqual(expected);
  });

  it.each(["handshake", "handshake:error:protocol", "handshake:error:auth", "handshake:error:other", "unknown"])(
    "%s has no v5 name",
    (type) => {
      expect(v5Event({ type, address: "a" } as Event)).toBeNull();
    },
  );
});

describe("v5 socket", () => {
  it("keeps delivering messages while one of its binds runs", async () => {
    const ep = inproc();
    const pull = open("pull");
    const push = open("push");
    let received = 0;
    pull.on("message", () => received++);
    pull.bindSync(ep);
    push.connect(ep);
    for (let i = 0; i < 50; i++) push.send("before");
    await until(() => received === 50);
    const bound: Array<Error | undefined> = [];
    pull.bind("tcp://127.0.0.1:*", (err) => bound.push(err));
    for (let i = 0; i < 50; i++) push.send("during");
    await until(() => received === 100 && bound.length === 1);
    expect(bound).toEqual([undefined]);
  });

  it("a second monitor() reports EBUSY once as an error and stops; the first goes on", async () => {
    const s = open("dealer");
    const errors: Error[] = [];
    const listens: string[] = [];
    s.on("error", (err: Error) => errors.push(err));
    s.on("listen", (_value: unknown, address: string) => listens.push(address));
    s.monitor();
    s.monitor();
    await until(() => errors.length === 1);
    s.bind("tcp://127.0.0.1:*");
    await until(() => listens.length === 1);
    expect(errors.map((err) => (err as Error & { code: string }).code)).toEqual(["EBUSY"]);
  });

  it("a monitor listener that throws becomes an error event, and events keep coming", async () => {
    const s = open("dealer");
    const errors: Error[] = [];
    const events: string[] = [];
    s.on("error", (err: Error) => errors.push(err));
    s.on("listen", () => {
      events.push("listen");
      throw new Error("from the listener");
    });
    s.on("close", () => events.push("close"));
    s.monitor();
    await new Promise<void>((resolve) => s.bind("tcp://127.0.0.1:*", () => resolve()));
    await until(() => errors.length === 1);
    s.unbind(String(s.last_endpoint));
    await until(() => events.includes("close"));
    expect(errors[0]!.message).toBe("from the listener");
  });

  it("removeAllListeners() leaves sending and receiving working (the binding's loops are listeners)", async () => {
    const ep = inproc();
    const pull = open("pull");
    const push = open("push");
    pull.removeAllListeners();
    push.removeAllListeners();
    const got: string[] = [];
    pull.on("message", (frame: Buffer) => got.push(String(frame)));
    pull.bindSync(ep);
    push.connect(ep);
    push.send("still works");
    await until(() => got.length === 1);
  });

  it("the default export holds every named export", () => {
    const named = Object.keys(zmq)
      .filter((key) => key !== "default")
      .sort();
    expect(Object.keys(zmqDefault).sort()).toEqual(named);
    expect(zmqDefault.socket).toBe(zmq.createSocket);
  });
});
