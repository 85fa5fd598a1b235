/**
 * Shared set-up for the fault suite: a process guard that fails the test when anything escapes
 * (uncaught exception or unhandled rejection), socket clean-up, and "good peers" (ours or libzmq)
 * that must keep exchanging messages with the socket under attack.
 */
import { afterEach, beforeEach, expect } from "vitest";
import * as libzmq from "zeromq";
import { type Dealer, Pull, Push, type Router, type Event, type EventType } from "../../src/index.js";
import { RawPeer, RawServer } from "../helpers/raw-peer.js";
import { sleep } from "../helpers/time.js";

const cleanups: Array<() => void> = [];
const escaped: unknown[] = [];
const onEscape = (err: unknown): void => void escaped.push(err);

/** Registers the guard and the clean-up for the calling test file. */
export function useFaultGuard(): void {
  beforeEach(() => {
    escaped.length = 0;
    process.on("uncaughtException", onEscape);
    process.on("unhandledRejection", onEscape);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    // On purpose: close/destroy callbacks get time to run (and fail) while the guard still listens.
    await sleep(20);
    process.off("uncaughtException", onEscape);
    process.off("unhandledRejection", onEscape);
    expect(escaped, "something escaped the library").toEqual([]);
  });
}

export function track<T extends { close(): void }>(sock: T): T {
  cleanups.push(() => sock.close());
  return sock;
}

export async function rawServer(
  onConnection?: (peer: RawPeer) => void,
  options?: { allowHalfOpen?: boolean },
): Promise<RawServer> {
  const server = await RawServer.listen(onConnection, options);
  cleanups.push(() => server.close());
  return server;
}

/** A raw peer connected to a tcp:// or ipc:// endpoint. */
export async function rawClient(endpoint: string): Promise<RawPeer> {
  const peer = await RawPeer.connect(
    endpoint.startsWith("ipc://") ? endpoint.slice("ipc://".length) : portOf(endpoint),
  );
  cleanups.push(() => peer.destroy());
  return peer;
}

export function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
}

type OurSocket = Dealer | Push | Pull | Router;

export function waitEvent<E extends EventType>(
  sock: OurSocket,
  type: E,
  timeoutMs = 2000,
): Promise<Extract<Event, { type: E }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" event within ${timeoutMs} ms`)), timeoutMs);
    const listener = (e: Extract<Event, { type: E }>): void => {
      clearTimeout(timer);
      sock.events.off(type, listener);
      resolve(e);
    };
    sock.events.on(type, listener);
  });
}

/** What `handshakeOf` needs: the events of ours or of a libzmq socket. */
export interface Observed {
  readonly events: {
    on(type: "handshake" | "disconnect", listener: () => void): unknown;
    off(type: "handshake" | "disconnect", listener: () => void): unknown;
  };
}

/** Resolves at the next `type` event of `sock`, ours or libzmq's (register before acting). */
export function eventOf(sock: Observed, type: "handshake" | "disconnect", timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.events.off(type, listener);
      reject(new Error(`no "${type}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (): void => {
      clearTimeout(timer);
      sock.events.off(type, listener);
      resolve();
    };
    sock.events.on(type, listener);
  });
}

/** Every event of the given types, in order. */
export function record(sock: OurSocket, types: EventType[]): Event[] {
  const seen: Event[] = [];
  for (const type of types) sock.events.on(type, (e) => seen.push(e));
  return seen;
}

export type GoodKind = "ours" | "libzmq";
export const GOOD_KINDS: readonly GoodKind[] = ["ours", "libzmq"];

interface Sender {
  send(msg: string): Promise<void>;
  connect(address: string): void;
  bind(address: string): Promise<void>;
  readonly lastEndpoint: string | null;
  close(): void;
}

/** Sends a fresh message from the good peer and waits for it, skipping what hostile peers sent. */
function servingCheck(good: GoodKind, push: Sender, pull: Pull): () => Promise<void> {
  let n = 0;
  return async () => {
    const body = `good-${good}-${n++}`;
    await push.send(body);
    for (;;) {
      const msg = await pull.receive();
      if (msg.length === 1 && msg[0]!.toString() === body) return;
    }
  };
}

/**
 * Our PULL bound on 127.0.0.1 with a good PUSH (ours or libzmq) connected to it. `expectServing`
 * proves the socket still works: a fresh message from the good peer arrives (messages from
 * hostile peers are skipped).
 */
export async function servingPull(good: GoodKind, options: ConstructorParameters<typeof Pull>[0] = {}) {
  const pull = track(new Pull({ linger: 0, receiveTimeout: 2000, ...options }));
  await pull.bind("tcp://127.0.0.1:*");
  const endpoint = pull.lastEndpoint!;
  const push: Sender = good === "ours" ? new Push({ linger: 0 }) : new libzmq.Push({ linger: 0 });
  track(push);
  push.connect(endpoint);
  const expectServing = servingCheck(good, push, pull);
  await expectServing();
  return { pull, endpoint, expectServing };
}

/**
 * Our PULL that connects out: to a good PUSH bound by ours or libzmq, and later (by the test)
 * to hostile raw servers.
 */
export async function connectingPull(good: GoodKind, options: ConstructorParameters<typeof Pull>[0] = {}) {
  const push: Sender = good === "ours" ? new Push({ linger: 0 }) : new libzmq.Push({ linger: 0 });
  track(push);
  await push.bind("tcp://127.0.0.1:*");
  const pull = track(new Pull({ linger: 0, receiveTimeout: 2000, ...options }));
  pull.connect(push.lastEndpoint!);
  const expectServing = servingCheck(good, push, pull);
  await expectServing();
  return { pull, expectServing };
}
