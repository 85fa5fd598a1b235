import { zmqError } from "../errors.js";
import type { Message } from "../sockets/pipe.js";
import { GROUP_MAX_LENGTH, groupOf } from "../zmtp/group.js";
import type { Envelope } from "./envelope.js";

/** A value zeromq.js reads as a string or buffer (convert_string_or_buffer), as bytes. */
function stringOrBuffer(value: unknown): Buffer {
  if (typeof value === "string") return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError("Value must be a string or buffer");
}

/**
 * SERVER: `send(msg, { routingId })`, `receive()` → `[body, { routingId }]`. The id is read as a
 * uint32 (N-API's: modulo 2^32); undefined is EINVAL and anything but a number a TypeError, both
 * thrown; 0 is EINVAL (zmq_msg_set_routing_id) once there is a part to set it on.
 */
export const serverEnvelope: Envelope = {
  wrap(frames: Message, options: object): Message {
    const value = (options as { routingId?: unknown }).routingId;
    if (value === undefined) throw zmqError("EINVAL");
    if (typeof value !== "number") throw new TypeError("A number was expected");
    const id = value >>> 0;
    if (id === 0 && frames.length > 0) throw zmqError("EINVAL");
    const frame = Buffer.allocUnsafe(4);
    frame.writeUInt32BE(id, 0);
    return [frame, ...frames];
  },
  unwrap(msg: Message): unknown[] {
    return [msg[1], { routingId: msg[0]!.readUInt32BE(0) }];
  },
};

/**
 * RADIO: `send(msg, { group })`. The group is a C string (cut at its first NUL) of at most 255
 * bytes: libzmq's zmq_msg_set_group cuts a longer one to 255 (strnlen), it is no error.
 */
export const radioEnvelope: Envelope = {
  wrap(frames: Message, options: object): Message {
    const value = (options as { group?: unknown }).group;
    if (value === undefined) throw zmqError("EINVAL");
    const group = groupOf(stringOrBuffer(value)).subarray(0, GROUP_MAX_LENGTH);
    return [Buffer.from(group), ...frames];
  },
};

/** DISH: `receive()` → `[body, { group }]`, the group a copy cut at its first NUL (strnlen). */
export const dishEnvelope: Envelope = {
  unwrap(msg: Message): unknown[] {
    return [msg[1], { group: Buffer.from(groupOf(msg[0]!).subarray(0, GROUP_MAX_LENGTH)) }];
  },
};
