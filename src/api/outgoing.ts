import type { Message } from "../sockets/pipe.js";

/** What zeromq.js accepts as a message frame. */
export type MessageLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | number | null;

const EMPTY = Buffer.alloc(0);

/**
 * Bytes as they are: a Buffer is kept (zeromq.js keeps a reference to it until it is sent), other
 * views and ArrayBuffers are wrapped without copying. Small frames are copied further down, where
 * they would otherwise stay referenced (copySmallFrames).
 */
function bytes(data: ArrayBufferView | ArrayBuffer): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/**
 * One frame as zeromq.js makes it: any ArrayBuffer view and ArrayBuffer as bytes, `null` as an
 * empty frame, a string as UTF-8, and anything else (numbers, booleans, objects, a
 * SharedArrayBuffer, undefined inside an array) as the UTF-8 of its string conversion.
 */
export function toFrame(value: unknown): Buffer {
  // The common case first: a Buffer is kept as it is.
  if (value instanceof Buffer) return value;
  if (typeof value === "string") return Buffer.from(value);
  if (ArrayBuffer.isView(value)) {
    // N-API takes a DataView for a buffer but cannot read it as one: zeromq.js throws this.
    if (value instanceof DataView) throw new Error("Invalid argument");
    return bytes(value);
  }
  if (value === null) return EMPTY;
  if (value instanceof ArrayBuffer) return bytes(value);
  // ToString, as N-API coerces: a Symbol throws a TypeError here, as it does in zeromq.js.
  return Buffer.from(`${value as string}`);
}

/** A frame or an array of frames (an empty array is a message of no frames: nothing is sent). */
export function toMessage(value: unknown): Message {
  if (!Array.isArray(value)) return [toFrame(value)];
  const frames = new Array<Buffer>(value.length);
  for (let i = 0; i < value.length; i++) frames[i] = toFrame(value[i]);
  return frames;
}
