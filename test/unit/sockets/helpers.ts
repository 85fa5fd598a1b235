/**
 * Shared pieces of the socket and transport unit tests: sockets closed after each test, one
 * Context per test, fresh endpoints, and bounded waits so a broken socket fails instead of hanging.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach } from "vitest";
import { Context, type EventOfType, type EventType, type Socket, type SocketOptions } from "../../../src/index.js";

export { sleep };

/** How long a receive may wait before the test fails (the default receiveTimeout of `open`). */
export const RECEIVE_MS = 2000;

export interface Harness {
  /** A fresh Context for the running test (inproc names never leak between tests). */
  readonly ctx: Context;
  /** Creates a socket in this test's Context, closed (linger 0) after the test. */
  open<S extends Socket>(cls: new (options?: SocketOptions<S>) => S, options?: SocketOptions<S>): S;
  /** Registers a socket made elsewhere for closing after the test. */
  track<S extends Socket>(socket: S): S;
  /** A unique ipc path in os.tmpdir(), removed after the test. */
  ipcPath(): string;
}

/** Call once per test file: sets up per-test contexts and cleanup. */
export function useHarness(): Harness {
  let ctx = new Context();
  const sockets: Socket[] = [];
  const paths: string[] = [];
  beforeEach(() => {
    ctx = new Context();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      if (socket.closed) continue;
      socket.linger = 0;
      socket.close();
    }
    for (const path of paths.splice(0)) rmSync(path, { force: true });
  });
  const track = <S extends Socket>(socket: S): S => {
    sockets.push(socket);
    return socket;
  };
  return {
    get ctx() {
      return ctx;
    },
    open<S extends Socket>(cls: new (options?: SocketOptions<S>) => S, options: SocketOptions<S> = {}): S {
      const socket = track(new cls({ context: ctx, ...options } as SocketOptions<S>));
      // Sockets that receive get a bounded wait unless the test set one (others have no such option).
      if ("receiveTimeout" in socket && !("receiveTimeout" in options)) (socket as { receiveTimeout: number }).receiveTimeout = RECEIVE_MS;
      return socket;
    },
    track,
    ipcPath() {
      const path = join(tmpdir(), `zmtp-unit-${process.pid}-${randomBytes(6).toString("hex")}.ipc`);
      paths.push(path);
      return path;
    },
  };
}

/** A unique inproc name (Contexts are per test, this only keeps names readable). */
export function inproc(name: string): string {
  return `inproc://${name}-${randomBytes(3).toString("hex")}`;
}

/** A TCP port that was free a moment ago (bound then released), for "connect before bind". */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const info = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof info !== "object" || info === null) throw new Error("no port");
  return info.port;
}

/** Frames as strings, for readable assertions. */
export function text(msg: Buffer[]): string[] {
  return msg.map((frame) => frame.toString());
}

/** True when `promise` has not settled after `ms`. */
export async function stillPending(promise: Promise<unknown>, ms = 50): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await sleep(ms);
  return !settled;
}

/** The next event of `type` on the socket (listener registered now), or a rejection after `ms`. */
export function nextEvent<E extends EventType>(
  socket: Socket,
  type: E,
  ms = RECEIVE_MS,
  accept: (event: EventOfType<E>) => boolean = () => true,
): Promise<EventOfType<E>> {
  return new Promise((resolve, reject) => {
    const listener = (event: EventOfType<E>): void => {
      if (!accept(event)) return;
      clearTimeout(timer);
      socket.events.off(type, listener);
      resolve(event);
    };
    const timer = setTimeout(() => {
      socket.events.off(type, listener);
      reject(new Error(`no "${type}" event within ${ms} ms`));
    }, ms);
    socket.events.on(type, listener);
  });
}

/** Collects every event of `type` from now on. */
export function collectEvents<E extends EventType>(socket: Socket, type: E): EventOfType<E>[] {
  const seen: EventOfType<E>[] = [];
  socket.events.on(type, (event) => seen.push(event));
  return seen;
}

/** Polls `condition` every 5 ms until it holds, or throws after `ms`. */
export async function until(condition: () => boolean, ms = RECEIVE_MS, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await sleep(5);
  }
}

interface Receiver {
  receiveTimeout: number;
  receive(): Promise<Buffer[]>;
}

/** Asserts that nothing arrives within `ms` (the receive times out with EAGAIN). */
export async function expectNothing(socket: Receiver, ms = 100): Promise<void> {
  const before = socket.receiveTimeout;
  socket.receiveTimeout = ms;
  try {
    let got: Buffer[] | undefined;
    try {
      got = await socket.receive();
    } catch (err) {
      if ((err as { code?: string }).code !== "EAGAIN") throw err;
      return;
    }
    throw new Error(`expected nothing, received [${text(got).join(", ")}]`);
  } finally {
    socket.receiveTimeout = before;
  }
}

/**
 * The error `fn` fails with, whether it throws synchronously (zeromq.js does for EBUSY/EBADF) or
 * returns a rejected promise (ours does); fails the test when `fn` succeeds.
 */
export async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the operation to fail");
}
