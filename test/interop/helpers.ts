/**
 * Shared pieces of the interop suite: sides (ours / libzmq), socket creation with
 * cleanup, endpoints, bounded receives and checkable payloads.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect } from "vitest";
import type { MessageLike } from "zeromq";
import { ours, theirs, type Zmq } from "./impl.js";

export type Transport = "tcp" | "ipc";
export const TRANSPORTS: readonly Transport[] = ["tcp", "ipc"];

export type Kind = "Pair" | "Request" | "Reply" | "Dealer" | "Router" | "Push" | "Pull";

/** ZeroMQ's own names, used in test names. */
export const KIND_NAME: Record<Kind, string> = {
  Pair: "PAIR",
  Request: "REQ",
  Reply: "REP",
  Dealer: "DEALER",
  Router: "ROUTER",
  Push: "PUSH",
  Pull: "PULL",
};

export interface Side {
  impl: Zmq;
  /** "our" or "libzmq", as written in test names. */
  who: "our" | "libzmq";
}
export const OURS: Side = { impl: ours, who: "our" };
export const THEIRS: Side = { impl: theirs, who: "libzmq" };

/**
 * The part of the zeromq.js v6 socket surface the suite uses, for every type; calling
 * `receive` on a PUSH is a test bug, not something this type has to prevent.
 */
export interface Sock {
  bind(address: string): Promise<void>;
  connect(address: string, options?: { routingId?: string }): void;
  unbind(address: string): Promise<void>;
  disconnect(address: string): void;
  close(): void;
  send(message: MessageLike | MessageLike[]): Promise<void>;
  receive(): Promise<Buffer[]>;
  readonly lastEndpoint: string | null;
  receiveTimeout: number;
  sendTimeout: number;
}

/** Options accepted by the constructors (a loose superset; zeromq.js ignores none). */
export interface SockOptions {
  linger?: number;
  routingId?: string;
  sendHighWaterMark?: number;
  receiveHighWaterMark?: number;
  sendTimeout?: number;
  receiveTimeout?: number;
  reconnectInterval?: number;
  immediate?: boolean;
  mandatory?: boolean;
  handover?: boolean;
  probeRouter?: boolean;
  correlate?: boolean;
  relaxed?: boolean;
}

const openSockets: Sock[] = [];
const ipcFiles: string[] = [];

/**
 * Registers the per-test cleanup in the calling test file: every socket made with
 * `open` is closed (linger 0 was set at creation, so nothing keeps the process alive)
 * and ipc socket files are removed.
 */
export function useCleanup(): void {
  afterEach(() => {
    for (const sock of openSockets.splice(0)) {
      try {
        sock.close();
      } catch {
        // already closed by the test
      }
    }
    for (const file of ipcFiles.splice(0)) rmSync(file, { force: true });
  });
}

/** A socket of `kind` from `side`, with linger 0 unless the options say otherwise. */
export function open(side: Side, kind: Kind, options: SockOptions = {}): Sock {
  const Ctor = side.impl[kind] as unknown as new (options: SockOptions) => Sock;
  const sock = new Ctor({ linger: 0, ...options });
  openSockets.push(sock);
  return sock;
}

/** Closes a socket in the middle of a test (afterEach tolerates the second close). */
export function closeNow(sock: Sock): void {
  sock.close();
}

/** A fresh ipc path under the OS temp dir (unique per process and call). */
export function ipcPath(): string {
  const file = join(tmpdir(), `zmtp-it-${process.pid}-${randomBytes(4).toString("hex")}.sock`);
  ipcFiles.push(file);
  return file;
}

/** The address to bind: an ephemeral tcp port on loopback, or a fresh ipc path. */
export function bindAddress(transport: Transport): string {
  return transport === "tcp" ? "tcp://127.0.0.1:*" : `ipc://${ipcPath()}`;
}

/** Binds to a fresh address of `transport` and returns the endpoint peers connect to. */
export async function bindFresh(sock: Sock, transport: Transport): Promise<string> {
  const address = bindAddress(transport);
  await within(sock.bind(address), 3000, `bind ${address}`);
  const endpoint = sock.lastEndpoint;
  if (transport === "tcp") {
    expect(endpoint, "lastEndpoint after binding tcp://127.0.0.1:*").toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoint).not.toMatch(/:0$/);
  }
  return endpoint ?? address;
}

/**
 * Binds to a known endpoint, retrying while the previous owner (closed asynchronously
 * by libzmq's I/O thread) still holds it.
 */
export async function bindAgain(sock: Sock, endpoint: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await sock.bind(endpoint);
      return;
    } catch (err) {
      if (errorCode(err) !== "EADDRINUSE" || Date.now() > deadline) throw err;
      await sleep(20);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
}

class Timeout extends Error {
  override name = "Timeout";
}

/**
 * Settles like `promise`, or rejects after `ms` so a hung implementation fails one
 * case quickly instead of eating the suite's time. The abandoned promise's eventual
 * rejection (e.g. when afterEach closes the socket) is swallowed.
 */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`${what}: not done within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Receives one message, failing with a clear message after `ms`. */
export async function receiveWithin(sock: Sock, ms = 3000, what = "message"): Promise<Buffer[]> {
  sock.receiveTimeout = ms;
  try {
    // The extra second is the safety net for a receiveTimeout that is ignored.
    return await within(sock.receive(), ms + 1000, `receive ${what}`);
  } catch (err) {
    if (errorCode(err) === "EAGAIN") throw new Error(`receive ${what}: nothing arrived within ${ms} ms`);
    throw err;
  }
}

/** Asserts that no message arrives within `ms`. */
export async function expectNothingWithin(sock: Sock, ms: number, why: string): Promise<void> {
  sock.receiveTimeout = ms;
  let got: Buffer[];
  try {
    got = await within(sock.receive(), ms + 1000, "receive");
  } catch (err) {
    if (errorCode(err) === "EAGAIN" || err instanceof Timeout) return;
    throw err;
  }
  expect.fail(`${why}, but received ${describeFrames(got)}`);
}

/** Sends, failing after `ms` instead of hanging (sends to a live peer never wait long). */
export function sendWithin(sock: Sock, message: MessageLike | MessageLike[], ms = 3000): Promise<void> {
  return within(sock.send(message), ms, "send");
}

export const EMPTY = Buffer.alloc(0);
export const MIB = 1024 * 1024;

/** The frame sizes every pairing exchanges: the short/long frame boundary and > 64 KiB. */
export const FRAME_SIZES = [0, 1, 255, 256, 70_000] as const;

/**
 * `size` bytes that depend on position and seed, so truncation, reordering, swapped
 * frames and zeroed chunks all show up as a byte mismatch.
 */
export function payload(size: number, seed: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap, and no period short enough to hide a misplaced 64 KiB chunk.
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    buf[i] = x & 0xff;
  }
  return buf;
}

/** One payload frame per size, each with its own seed. */
export function frames(sizes: readonly number[], seed: number): Buffer[] {
  return sizes.map((size, i) => payload(size, seed * 100 + i));
}

export function describeFrames(msg: readonly Buffer[]): string {
  const parts = msg.map((f) =>
    f.length <= 16 ? `<${f.toString("hex")}>` : `<${f.length} bytes ${f.subarray(0, 8).toString("hex")}…>`,
  );
  return `[${parts.join(", ")}]`;
}

/**
 * Asserts that `actual` is exactly `expected`, frame by frame and byte by byte, with a
 * failure message that names the first difference (no 8 MiB diffs in the output).
 */
export function expectFrames(actual: readonly Buffer[], expected: readonly Buffer[], what = "message"): void {
  if (actual.length !== expected.length) {
    expect.fail(
      `${what}: expected ${expected.length} frames ${describeFrames(expected)}, got ${actual.length} ${describeFrames(actual)}`,
    );
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a.length !== e.length) {
      expect.fail(`${what}: frame ${i} has ${a.length} bytes, expected ${e.length}`);
    }
    if (!a.equals(e)) {
      let at = 0;
      while (a[at] === e[at]) at++;
      expect.fail(`${what}: frame ${i} (${e.length} bytes) differs first at byte ${at}: ${a[at]} != ${e[at]}`);
    }
  }
}

export function text(msg: readonly Buffer[]): string[] {
  return msg.map((f) => f.toString());
}

/** Describes one side in a test name: `our DEALER (connect, tcp)`. */
export function sideName(side: Side, kind: Kind, mode: "bind" | "connect", transport?: Transport): string {
  return `${side.who} ${KIND_NAME[kind]} (${mode}${transport ? `, ${transport}` : ""})`;
}
