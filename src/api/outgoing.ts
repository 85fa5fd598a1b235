import type { Message } from "../sockets/pipe.js";

/** What zeromq.js accepts as a message frame. */
export type MessageLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | number | null;

/**
 * Byte views of this size or smaller are copied at send(), larger ones are sent as they are:
 * zeromq.js's zero-copy threshold (128 bytes). A small buffer changed right after send() never
 * changes what is sent; a large one may, as with the binding.
 */
const ZERO_COPY_THRESHOLD = 128;
const EMPTY = Buffer.alloc(0);

function bytes(data: ArrayBufferView | ArrayBuffer): Buffer {
  const view = ArrayBuffer.isView(data)
    ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    : Buffer.from(data);
  if (view.length > ZERO_COPY_THRESHOLD) return view;
  const copy = Buffer.allocUnsafe(view.length);
  view.copy(copy);
  return copy;
}

/**
 * One frame as zeromq.js makes it: any ArrayBuffer view and ArrayBuffer as bytes, `null` as an
 * empty frame, a string as UTF-8, and anything else (numbers, booleans, objects, a
 * SharedArrayBuffer, undefined inside an array) as the UTF-8 of its string conversion.
 */
export function toFrame(value: unknown): Buffer {
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
