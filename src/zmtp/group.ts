import { encodeCommand } from "./command.js";

/** A message as the engine sees it: its frames. */
type Message = Buffer[];

/**
 * RADIO/DISH groups (RFC 48) as libzmq 4.3 carries them. A group is at most 255 bytes
 * (ZMQ_GROUP_MAX_LENGTH) and is a C string inside libzmq: it ends at its first NUL byte. Over
 * ZMTP a DISH sends `JOIN` / `LEAVE` commands with the group as their data, and a RADIO sends
 * each message as two frames, the group (MORE) then the body (radio_session / dish_session).
 */
export const GROUP_MAX_LENGTH = 255;

const NUL = 0;

/** A group as libzmq reads one from a string or buffer it is given: cut at the first NUL. */
export function groupOf(bytes: Buffer): Buffer {
  const end = bytes.indexOf(NUL);
  return end === -1 ? bytes : bytes.subarray(0, end);
}

/** The key a group is matched by (latin1 keeps every byte). */
export function groupKey(group: Buffer): string {
  return groupOf(group).toString("latin1");
}

/**
 * JOIN / LEAVE travel through pipes as one-frame messages holding the whole command body
 * (`name-len name group`), marked so that the engine sends them as commands and a RADIO tells
 * them from data: a DISH makes them, the engine makes them from the commands a DISH peer sent.
 */
const marked = new WeakSet<Message>();

export function groupCommandMessage(join: boolean, group: Buffer): Message {
  const msg = [encodeCommand(join ? "JOIN" : "LEAVE", group)];
  marked.add(msg);
  return msg;
}

/** True for a message made by `groupCommandMessage` (cheap pre-checks first: called per message). */
export function isGroupCommand(msg: Message): boolean {
  return msg.length === 1 && msg[0]!.length >= 5 && marked.has(msg);
}

export interface GroupCommand {
  join: boolean;
  group: Buffer;
}

/**
 * A JOIN or LEAVE command body as libzmq's radio_session reads it (`\x04JOIN` or `\x05LEAVE`,
 * then the group); null for any other command, and for a group longer than 255 bytes (libzmq
 * asserts on one; it is ignored here).
 */
export function decodeGroupCommand(body: Buffer): GroupCommand | null {
  if (body.length >= 5 && body[0] === 4 && body.toString("latin1", 1, 5) === "JOIN")
    return groupCommand("JOIN", body.subarray(5));
  if (body.length >= 6 && body[0] === 5 && body.toString("latin1", 1, 6) === "LEAVE")
    return groupCommand("LEAVE", body.subarray(6));
  return null;
}

/** A decoded command (name, data) as a JOIN or LEAVE; null for others (see decodeGroupCommand). */
export function groupCommand(name: string, data: Buffer): GroupCommand | null {
  if ((name !== "JOIN" && name !== "LEAVE") || data.length > GROUP_MAX_LENGTH) return null;
  return { join: name === "JOIN", group: data };
}

/**
 * A RADIO's message as a DISH takes it from the wire: exactly a group frame of at most 255 bytes
 * and a body (libzmq's dish_session fails the connection with EFAULT otherwise).
 */
export function isGroupMessage(msg: Message): boolean {
  return msg.length === 2 && msg[0]!.length <= GROUP_MAX_LENGTH;
}
