/** RFC 23 §2.4 frame flags. Bits 3–7 are reserved: sent as 0, ignored on receipt (as libzmq does). */
export const FLAG_MORE = 0x01;
export const FLAG_LONG = 0x02;
export const FLAG_COMMAND = 0x04;

/** Largest header: flags + 8-byte size. */
export const MAX_HEADER_SIZE = 9;

/** Bytes a frame header takes for a body of `size` bytes (canonical form: long iff size > 255). */
export function headerSize(size: number): number {
  return size > 255 ? 9 : 2;
}

/**
 * Writes a canonical frame header for a body of `size` bytes at `offset` in `target` and returns
 * the new offset. `flags` carries MORE/COMMAND; LONG is set here from the size.
 */
export function writeFrameHeader(target: Buffer, offset: number, flags: number, size: number): number {
  if (size > 255) {
    target[offset] = flags | FLAG_LONG;
    // Sizes above 2^32 cannot occur for a Node Buffer in practice, but the wire form is 64-bit.
    target.writeUInt32BE(Math.floor(size / 0x1_0000_0000), offset + 1);
    target.writeUInt32BE(size >>> 0, offset + 5);
    return offset + 9;
  }
  target[offset] = flags;
  target[offset + 1] = size;
  return offset + 2;
}

/** One whole frame as a new buffer (header + body); for commands and tests, not the hot path. */
export function encodeFrame(body: Buffer, flags = 0): Buffer {
  const out = Buffer.allocUnsafe(headerSize(body.length) + body.length);
  const at = writeFrameHeader(out, 0, flags, body.length);
  body.copy(out, at);
  return out;
}

/**
 * zeromq.js copies frames of up to 128 bytes when send() is called and keeps larger ones as they
 * are (its zero-copy threshold): a small Buffer changed after send() never changes what is sent.
 * zmtp copies only where the bytes would otherwise stay referenced: a message left in a queue,
 * or handed to an inproc peer. An engine copies what it takes at once into its batch anyway.
 */
const ZERO_COPY_THRESHOLD = 128;

/** Replaces the message's frames of 1..128 bytes with copies (in place). */
export function copySmallFrames(msg: Buffer[]): Buffer[] {
  for (let i = 0; i < msg.length; i++) {
    const frame = msg[i]!;
    const size = frame.length;
    if (size === 0 || size > ZERO_COPY_THRESHOLD) continue;
    const copy = Buffer.allocUnsafe(size);
    copy.set(frame);
    msg[i] = copy;
  }
  return msg;
}
