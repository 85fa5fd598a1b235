import type { Kind } from "./api.js";

/**
 * What `zmtp interop` and an interop agent (`zmtp interop-agent`, an implementation in a child
 * process, possibly under another JavaScript runtime) say to each other: one JSON object per line,
 * requests on the agent's stdin, replies on its stdout. Bytes travel as base64; a request names
 * its socket by a number the parent chose.
 */

/** A value that may hold bytes: Buffers become `{ $bytes: base64 }`, the rest is plain JSON. */
export type WireValue = string | number | boolean | null | { $bytes: string } | WireValue[];

export type Request =
  | { id: number; op: "hello" }
  | { id: number; op: "new"; sock: number; kind: Kind; options: Record<string, WireValue> }
  | { id: number; op: "set"; sock: number; name: string; value: WireValue }
  | { id: number; op: "bind"; sock: number; address: string }
  | { id: number; op: "connect"; sock: number; address: string; options?: Record<string, WireValue> }
  | { id: number; op: "send"; sock: number; message: WireValue }
  | { id: number; op: "receive"; sock: number }
  | { id: number; op: "subscribe" | "unsubscribe"; sock: number; topics: WireValue[] }
  | { id: number; op: "close"; sock: number };

/** What a socket of one kind has: the names `in` finds on it, and its options' initial values. */
export interface KindShape {
  names: string[];
  defaults: Record<string, WireValue>;
}

export interface Hello {
  /** The implementation's name, as `loadImplementation` gives it. */
  name: string;
  /** Whether it is this package's own library (then its `version` names the libzmq it follows). */
  self: boolean;
  /** "bun 1.4.5", "deno 2.9.6", "node 22.23.5". */
  runtime: string;
  /** zeromq.js's `version` and `capability` exports, when it has them. */
  version: string | null;
  capability: Record<string, boolean> | null;
  kinds: Partial<Record<Kind, KindShape>>;
}

export interface WireError {
  name: string;
  message: string;
  code?: string;
  errno?: number;
}

export type Reply = { id: number; ok: true; value?: WireValue | Hello } | { id: number; ok: false; error: WireError };

export function toWire(value: unknown): WireValue {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(toWire);
  if (value === undefined) return null;
  if (typeof value === "object" && value !== null) {
    throw new TypeError(`cannot send ${Object.prototype.toString.call(value)} to an interop agent`);
  }
  return value as string | number | boolean | null;
}

export function fromWire(value: WireValue): unknown {
  if (Array.isArray(value)) return value.map(fromWire);
  if (typeof value === "object" && value !== null) return Buffer.from(value.$bytes, "base64");
  return value;
}

export function recordToWire(record: Record<string, unknown>): Record<string, WireValue> {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toWire(v)]),
  );
}

export function recordFromWire(record: Record<string, WireValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromWire(v)]));
}

/** An error as a reply carries it, with the `code` and `errno` that zeromq.js errors have. */
export function errorToWire(err: unknown): WireError {
  const e = err as Partial<WireError> | null;
  const wire: WireError = {
    name: typeof e?.name === "string" ? e.name : "Error",
    message: typeof e?.message === "string" ? e.message : String(err),
  };
  if (typeof e?.code === "string") wire.code = e.code;
  if (typeof e?.errno === "number") wire.errno = e.errno;
  return wire;
}

export function errorFromWire(wire: WireError): Error {
  const err = new Error(wire.message) as Error & { code?: string; errno?: number };
  err.name = wire.name;
  if (wire.code !== undefined) err.code = wire.code;
  if (wire.errno !== undefined) err.errno = wire.errno;
  return err;
}
