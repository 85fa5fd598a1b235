import type { Message } from "./pipe.js";

/** What zeromq.js accepts as a message frame. */
export type MessageLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | number | null | undefined;

const EMPTY = Buffer.alloc(0);

/** One frame as a Buffer: Buffers pass through untouched (zero copy), views share memory. */
export function toFrame(frame: MessageLike): Buffer {
  if (Buffer.isBuffer(frame)) return frame;
  if (typeof frame === "string") return Buffer.from(frame);
  if (frame === null || frame === undefined) return EMPTY;
  if (typeof frame === "number") return Buffer.from(String(frame));
  if (ArrayBuffer.isView(frame)) return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && frame instanceof SharedArrayBuffer)) {
    return Buffer.from(frame);
  }
  throw new TypeError("Message must be a string, number, null, Buffer, ArrayBuffer or typed array (or an array of them)");
}

/** A single frame or an array of frames, as send() takes them. */
export function toFrames(message: MessageLike | MessageLike[]): Message {
  if (Array.isArray(message)) {
    const frames = new Array<Buffer>(message.length);
    for (let i = 0; i < message.length; i++) frames[i] = toFrame(message[i]);
    return frames;
  }
  return [toFrame(message)];
}
