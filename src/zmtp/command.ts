import { encodeProperties, decodeProperties, type Metadata } from "./metadata.js";
import { ProtocolError } from "../errors.js";

/** A decoded command frame body: `name-len(1) name data` (RFC 23 §2.5). */
export interface Command {
  name: string;
  data: Buffer;
}

export function encodeCommand(name: string, data?: Buffer): Buffer {
  const nameLen = Buffer.byteLength(name, "latin1");
  const out = Buffer.allocUnsafe(1 + nameLen + (data?.length ?? 0));
  out[0] = nameLen;
  out.write(name, 1, "latin1");
  data?.copy(out, 1 + nameLen);
  return out;
}

/** Returns null for a command body that cannot be parsed (empty, or name longer than the body). */
export function decodeCommand(body: Buffer): Command | null {
  if (body.length === 0) return null;
  const nameLen = body[0]!;
  if (nameLen === 0 || 1 + nameLen > body.length) return null;
  return { name: body.toString("latin1", 1, 1 + nameLen), data: body.subarray(1 + nameLen) };
}

export function encodeReady(props: Iterable<readonly [string, Buffer | string]>): Buffer {
  return encodeCommand("READY", encodeProperties(props));
}

export function decodeReady(data: Buffer): Metadata {
  return decodeProperties(data);
}

/** ERROR = reason-len(1) reason (RFC 23 §2.5.2); reasons longer than 255 bytes are cut. */
export function encodeError(reason: string): Buffer {
  const text = Buffer.from(reason).subarray(0, 255);
  const data = Buffer.allocUnsafe(1 + text.length);
  data[0] = text.length;
  text.copy(data, 1);
  return encodeCommand("ERROR", data);
}

export function decodeError(data: Buffer): string {
  if (data.length < 1 || 1 + data[0]! > data.length) {
    throw new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_ERROR", "malformed ERROR command");
  }
  return data.toString("utf8", 1, 1 + data[0]!);
}

/** RFC 37 §2.5.3: PING = ttl(2, deciseconds) context(0..16). libzmq always sends the TTL. */
export function encodePing(ttlDeciseconds: number, context: Buffer = Buffer.alloc(0)): Buffer {
  const data = Buffer.allocUnsafe(2 + Math.min(context.length, 16));
  data.writeUInt16BE(Math.max(0, Math.min(0xffff, Math.floor(ttlDeciseconds))), 0);
  context.copy(data, 2, 0, 16);
  return encodeCommand("PING", data);
}

export interface Ping {
  ttlDeciseconds: number;
  context: Buffer;
}

export function decodePing(data: Buffer): Ping {
  if (data.length < 2) return { ttlDeciseconds: 0, context: Buffer.alloc(0) };
  return { ttlDeciseconds: data.readUInt16BE(0), context: data.subarray(2, 18) };
}

export function encodePong(context: Buffer): Buffer {
  return encodeCommand("PONG", context.subarray(0, 16));
}

export function encodeSubscribe(topic: Buffer): Buffer {
  return encodeCommand("SUBSCRIBE", topic);
}

export function encodeCancel(topic: Buffer): Buffer {
  return encodeCommand("CANCEL", topic);
}
