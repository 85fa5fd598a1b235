/**
 * Shared pieces of the socket specs and the socket and transport unit tests: sockets closed after
 * each test, one Context per test, fresh endpoints on every transport, and bounded waits so a
 * broken socket fails instead of hanging.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { Context, type EventOfType, type EventType, type Socket, type SocketOptions } from "../../src/index.js";
import { eventually, sleep, until } from "./time.js";

/** The transports every socket type runs over in the specs (ours on both sides). */
export type Transport = "inproc" | "tcp" | "ipc" | "ws";
export const TRANSPORTS: readonly Transport[] = ["inproc", "tcp", "ipc", "ws"];
/** The transports that carry ZMTP bytes (connection events, handshakes, reconnects). */
export const WIRE_TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "ws"];

/** How long a receive may wait before the test fails (the default receiveTimeout of `open`). */
export const RECEIVE_MS = 2000;

export interface Harness {
  /** A fresh Context for the running test (inproc names never leak between tests). */
  readonly ctx: Context;
  /** Creates a socket in this test's Context, closed (linger 0) after the test. */
  open<S extends Socket>(cls: new (options?: SocketOptions<S>) => S, options?: SocketOptions<S>): S;
  /** Registers a socket made elsewhere (ours or libzmq's) for closing after the test. */
  track<S extends Closable>(socket: S): S;
  /** A unique ipc path in os.tmpdir(), removed after the test. */
  ipcPath(): string;
  /** A fresh address to bind on `transport` (tcp: an ephemeral port). */
  bindAddress(transport: Transport): string;
  /** Binds `socket` to a fresh address on `transport` and returns the endpoint peers connect to. */
  bound(socket: Bindable, transport: Transport): Promise<string>;
  /** An endpoint on `transport` that nobody has bound yet, for "connect before bind". */
  unboundEndpoint(transport: Transport): Promise<string>;
}

/** What clean-up needs of a socket, ours or the native binding's. */
interface Closable {
  readonly closed: boolean;
  linger: number;
  close(): void;
}

interface Bindable {
  bind(address: string): Promise<void>;
  readonly lastEndpoint: string | null;
}

/** Call once per test file: sets up per-test contexts and cleanup. */
export function useHarness(): Harness {
  let ctx = new Context();
  const sockets: Closable[] = [];
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
  const track = <S extends Closable>(socket: S): S => {
    sockets.push(socket);
    return socket;
  };
  const ipcPath = (): string => {
    const path = join(tmpdir(), `zmtp-unit-${process.pid}-${randomBytes(6).toString("hex")}.ipc`);
    paths.push(path);
    return path;
  };
  const bindAddress = (transport: Transport): string => {
    if (transport === "inproc") return inproc("spec");
    if (transport === "tcp") return "tcp://127.0.0.1:*";
    if (transport === "ws") return "ws://127.0.0.1:*/spec";
    return `ipc://${ipcPath()}`;
  };
  return {
    get ctx() {
      return ctx;
    },
    open<S extends Socket>(cls: new (options?: SocketOptions<S>) => S, options: SocketOptions<S> = {}): S {
      const socket = track(new cls({ context: ctx, ...options } as SocketOptions<S>));
      // Sockets that receive get a bounded wait unless the test set one (others have no such option).
      if ("receiveTimeout" in socket && !("receiveTimeout" in options))
        (socket as { receiveTimeout: number }).receiveTimeout = RECEIVE_MS;
      return socket;
    },
    track,
    ipcPath,
    bindAddress,
    async bound(socket, transport) {
      await socket.bind(bindAddress(transport));
      return socket.lastEndpoint!;
    },
    async unboundEndpoint(transport) {
      if (transport === "tcp") return `tcp://127.0.0.1:${await freePort()}`;
      if (transport === "ws") return `ws://127.0.0.1:${await freePort()}/spec`;
      return bindAddress(transport);
    },
  };
}

/** The peers a socket has a live connection to (inproc pipes count from the moment they join). */
export function connectedPeers(socket: Socket): number {
  return socket.peers().filter((peer) => peer.connected).length;
}

/** Waits until `socket` has `count` connected peers: the handshakes are done, whatever the transport. */
export function joined(socket: Socket, count = 1): Promise<void> {
  return until(() => connectedPeers(socket) >= count, RECEIVE_MS, `${count} connected peer(s)`);
}

/**
 * Resolves at `socket`'s next handshake over a wire transport; at once over inproc, which has no
 * handshake (its pipes join at connect). Call it before connecting.
 */
export function nextHandshake(socket: Socket, transport: Transport): Promise<void> {
  if (transport === "inproc") return Promise.resolve();
  return nextEvent(socket, "handshake").then(() => undefined);
}

/** Binds `endpoint` again, retrying while the previous owner is still releasing it. */
export function bindAgain(
  socket: { bind(address: string): Promise<void> },
  endpoint: string,
  ms = 3000,
): Promise<void> {
  return eventually(
    () => socket.bind(endpoint),
    (err) => (err as { code?: string }).code === "EADDRINUSE",
    ms,
  );
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

/** Messages queued inbound at `socket`, over all its peers. */
export function queuedIn(socket: Socket): number {
  return socket.peers().reduce((sum, peer) => sum + peer.queuedIn, 0);
}

/**
 * Splits what a fair-queuing socket delivered into rounds of one message per source: round r holds
 * the r-th message of every source, in whichever order the sources' pipes joined.
 */
export function fairRounds(got: readonly string[], sources: number): string[][] {
  const rounds: string[][] = [];
  for (let i = 0; i < got.length; i += sources) rounds.push(got.slice(i, i + sources).sort());
  return rounds;
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
  await sleep(ms); // on purpose: the point is that nothing settles within `ms`
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

interface Receiver {
  receiveTimeout: number;
  /** Frames, or (draft SERVER and DISH) a body and an object. */
  receive(): Promise<Array<Buffer | object>>;
}

/** Asserts that nothing arrives within `ms` (the receive times out with EAGAIN). */
export async function expectNothing(socket: Receiver, ms = 100): Promise<void> {
  const before = socket.receiveTimeout;
  socket.receiveTimeout = ms;
  try {
    let got: Array<Buffer | object> | undefined;
    try {
      got = await socket.receive();
    } catch (err) {
      if ((err as { code?: string }).code !== "EAGAIN") throw err;
      return;
    }
    const shown = got.map((part) => (Buffer.isBuffer(part) ? part.toString() : JSON.stringify(part)));
    throw new Error(`expected nothing, received [${shown.join(", ")}]`);
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
