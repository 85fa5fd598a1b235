/**
 * The metadata every request, and every answer to one, carries through the broker network
 * (document 003, D.2): sender, receiver (the service), a unique message id, the "possible
 * duplicate" flag, the original id (on answers: the request's id), the retry count, and the time
 * left in the client's budget. One binary frame, the payload travelling untouched beside it:
 *
 *   0  version (1)          4  ttl, ms left (u32 BE)     40  sender length, sender (UTF-8)
 *   1  flags (bit 0: possible duplicate)                  ..  service length, service (UTF-8)
 *   2  retry count (u8, saturating)                       8  id (16 bytes)
 *   3  reserved (0)                                       24  original id (16 bytes, zeros: none)
 */
import { randomBytes } from "node:crypto";

export const ENVELOPE_VERSION = 1;
const FIXED = 40;
const NO_ID = Buffer.alloc(16);

export interface Envelope {
  /** 16 random bytes, unique per message. */
  id: Buffer;
  /** On an answer (RESERVED, REPLY, ERROR), the id of the request it answers; null on a request. */
  original: Buffer | null;
  /** Set on every resend: a worker may already have this request. */
  possibleDuplicate: boolean;
  /** How many times this request was sent before this copy. */
  retries: number;
  /** ms left of the client's budget when this copy was sent (a worker keeps its answer this long). */
  ttl: number;
  /** The client's id. */
  sender: string;
  /** The service asked for. */
  service: string;
}

export function newMessageId(): Buffer {
  return randomBytes(16);
}

export function encodeEnvelope(e: Envelope): Buffer {
  const sender = Buffer.from(e.sender);
  const service = Buffer.from(e.service);
  if (sender.length > 255 || service.length > 255) throw new RangeError("sender and service are at most 255 bytes");
  const out = Buffer.alloc(FIXED + 2 + sender.length + service.length);
  out[0] = ENVELOPE_VERSION;
  out[1] = e.possibleDuplicate ? 1 : 0;
  out[2] = Math.min(255, Math.max(0, e.retries));
  out.writeUInt32BE(Math.min(0xffffffff, Math.max(0, Math.round(e.ttl))), 4);
  e.id.copy(out, 8, 0, 16);
  (e.original ?? NO_ID).copy(out, 24, 0, 16);
  out[FIXED] = sender.length;
  sender.copy(out, FIXED + 1);
  out[FIXED + 1 + sender.length] = service.length;
  service.copy(out, FIXED + 2 + sender.length);
  return out;
}

/** Reads an envelope frame; null when it is not one (wrong version, lengths that do not add up). */
export function decodeEnvelope(frame: Buffer | undefined): Envelope | null {
  if (frame === undefined || frame.length < FIXED + 2 || frame[0] !== ENVELOPE_VERSION) return null;
  const senderLength = frame[FIXED]!;
  if (frame.length < FIXED + 2 + senderLength) return null;
  const serviceLength = frame[FIXED + 1 + senderLength]!;
  if (frame.length !== FIXED + 2 + senderLength + serviceLength) return null;
  const original = frame.subarray(24, 40);
  return {
    possibleDuplicate: (frame[1]! & 1) === 1,
    retries: frame[2]!,
    ttl: frame.readUInt32BE(4),
    id: frame.subarray(8, 24),
    original: original.equals(NO_ID) ? null : original,
    sender: frame.toString("utf8", FIXED + 1, FIXED + 1 + senderLength),
    service: frame.toString("utf8", FIXED + 2 + senderLength),
  };
}

/** The envelope of an answer to `request`: a new id, `original` set, the same sender and service. */
export function answerTo(request: Envelope): Envelope {
  return { ...request, id: newMessageId(), original: request.id, possibleDuplicate: false, retries: 0 };
}
