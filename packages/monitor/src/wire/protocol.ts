import { randomUUID } from "node:crypto";
import { validateBody, type Bodies } from "./schema.js";

/**
 * The monitoring wire format, defined once. Every monitoring message is two frames:
 *
 *   header (28 bytes)  version u8 | type u8 | flags u8 | reserved u8 (0) | time f64 BE (ms since
 *                      the epoch) | message id (16 bytes, a UUID)
 *   body               UTF-8 JSON, one object whose shape depends on the type (see schema.ts)
 *
 * Routers read only the header; the roles at either end decode the body. Decoding never throws:
 * it returns `{ ok: false, reason }` and the caller counts and drops the message.
 */

export const PROTOCOL_VERSION = 1;
export const HEADER_SIZE = 28;
/** Largest body accepted, in bytes: a hostile or buggy peer cannot make a role buffer more. */
export const MAX_BODY_SIZE = 256 * 1024;

/** Message type codes on the wire. Upstream (agent to sinks) types are below 16. */
export const TYPE_CODES = {
  heartbeat: 1,
  stats: 2,
  registration: 3,
  notification: 4,
  result: 5,
  ack: 16,
  run: 17,
  delivery: 18,
  duplicate: 19,
} as const;

export type MessageType = keyof typeof TYPE_CODES;
const TYPE_BY_CODE = new Map<number, MessageType>(
  Object.entries(TYPE_CODES).map(([name, code]) => [code, name as MessageType]),
);

/** The sink streams a router forwards to, one PUSH each. */
export const STREAMS = ["heartbeat", "registration", "stats", "notification"] as const;
export type Stream = (typeof STREAMS)[number];

/** Which stream carries each upstream type; check results go to the stats sinks. */
export const STREAM_OF: Partial<Record<MessageType, Stream>> = {
  heartbeat: "heartbeat",
  registration: "registration",
  stats: "stats",
  result: "stats",
  notification: "notification",
};

const FLAG_ACK = 0x01;

export interface Header {
  version: number;
  type: MessageType;
  /** The sender keeps the message until a sink acks this id. */
  ack: boolean;
  /** ms since the epoch, at the sender. */
  time: number;
  /** A UUID, unique per message; acks and delivery reports refer to it. */
  id: string;
}

/** A decoded message. `type` repeats `header.type` at the top so that TypeScript narrows `body` on it. */
export type Message<T extends MessageType = MessageType> = T extends MessageType
  ? { type: T; header: Header & { type: T }; body: Bodies[T] }
  : never;

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Agent ids and message ids are UUIDs in canonical lower-case text form. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_RE.test(value);
}

export function newId(): string {
  return randomUUID();
}

export function encodeHeader(header: Omit<Header, "version">): Buffer {
  const buf = Buffer.alloc(HEADER_SIZE);
  buf[0] = PROTOCOL_VERSION;
  buf[1] = TYPE_CODES[header.type];
  buf[2] = header.ack ? FLAG_ACK : 0;
  buf.writeDoubleBE(header.time, 4);
  Buffer.from(header.id.replaceAll("-", ""), "hex").copy(buf, 12);
  return buf;
}

export function decodeHeader(buf: Buffer | undefined): Decoded<Header> {
  if (buf === undefined) return { ok: false, reason: "missing header frame" };
  if (buf.length !== HEADER_SIZE)
    return { ok: false, reason: `header is ${buf.length} bytes, expected ${HEADER_SIZE}` };
  if (buf[0] !== PROTOCOL_VERSION) return { ok: false, reason: `unsupported protocol version ${buf[0]}` };
  const type = TYPE_BY_CODE.get(buf[1]!);
  if (type === undefined) return { ok: false, reason: `unknown message type ${buf[1]}` };
  if ((buf[2]! & ~FLAG_ACK) !== 0 || buf[3] !== 0) return { ok: false, reason: "unknown header flags" };
  const time = buf.readDoubleBE(4);
  if (!Number.isFinite(time) || time < 0) return { ok: false, reason: "invalid time" };
  const hex = buf.toString("hex", 12, 28);
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { ok: true, value: { version: PROTOCOL_VERSION, type, ack: (buf[2]! & FLAG_ACK) !== 0, time, id } };
}

/** Builds a message with a fresh id and the current time. */
export function createMessage<T extends MessageType>(
  type: T,
  body: Bodies[T],
  options: { ack?: boolean; id?: string; time?: number } = {},
): Message<T> {
  const header = {
    version: PROTOCOL_VERSION,
    type,
    ack: options.ack ?? false,
    time: options.time ?? Date.now(),
    id: options.id ?? newId(),
  };
  return { type, header, body } as unknown as Message<T>;
}

/** The two frames of a message. */
export function encode(message: Message): [Buffer, Buffer] {
  return [encodeHeader(message.header), Buffer.from(JSON.stringify(message.body))];
}

/** Decodes [header, body] frames; `expect` restricts the accepted types. Never throws. */
export function decode(frames: readonly Buffer[], expect?: readonly MessageType[]): Decoded<Message> {
  if (frames.length !== 2) return { ok: false, reason: `expected 2 frames, got ${frames.length}` };
  const header = decodeHeader(frames[0]);
  if (!header.ok) return header;
  if (expect !== undefined && !expect.includes(header.value.type)) {
    return { ok: false, reason: `unexpected message type ${header.value.type}` };
  }
  const raw = frames[1]!;
  if (raw.length > MAX_BODY_SIZE) return { ok: false, reason: `body of ${raw.length} bytes exceeds ${MAX_BODY_SIZE}` };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  const body = validateBody(header.value.type, json);
  if (!body.ok) return body;
  return { ok: true, value: { type: header.value.type, header: header.value, body: body.value } as Message };
}
