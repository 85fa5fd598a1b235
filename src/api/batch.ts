import { publicError, zmqError } from "../errors.js";
import type { Message, OutgoingMessage } from "../sockets/pipe.js";
import { toFrame, toMessage, type MessageLike } from "./outgoing.js";
import { retryPending, unwrapSocket } from "./socket-access.js";
import type { Socket } from "./socket.js";

/**
 * `zmtp/batch`: many messages per call, for code that moves many small ones (not in zeromq.js).
 * Each call is one send() or receive() of the socket, which waits, times out and yields to the
 * event loop as they do, plus whatever else can be sent or received at once without a promise
 * per message. Messages are what send() takes and receive() gives, copied where send() copies.
 */

/** The classic socket types (PAIR 0 ... STREAM 11): the draft ones wrap messages in envelopes. */
const LAST_CLASSIC_TYPE = 11;

function coreOf(socket: Socket): NonNullable<ReturnType<typeof unwrapSocket>> {
  const core = unwrapSocket(socket);
  if (core === null) throw new TypeError("Socket must be a socket object");
  if (core.type > LAST_CLASSIC_TYPE) throw zmqError("ENOTSUP", "zmtp/batch takes the classic socket types");
  return core;
}

/**
 * Sends `messages` in order (each a frame or an array of frames, as send() takes them); resolves
 * once all are queued. Waits, as send() does, whenever none can be queued at once.
 */
export async function sendMany(socket: Socket, messages: ReadonlyArray<MessageLike | MessageLike[]>): Promise<void> {
  const core = coreOf(socket);
  const send = (socket as unknown as { send(message: unknown): Promise<void> }).send;
  const { outgoing, bad } = outgoingOf(messages);
  const end = outgoing.length;
  // A call of only empty messages is still one send(): it fails on a closed socket.
  if (end === 0 && bad === null && messages.length > 0) return send.call(socket, messages[0]);
  let next = 0;
  while (next < end) {
    await send.call(socket, outgoing[next++]);
    try {
      // A run in one go where the type can route it so; then (several peers, other types) one by one.
      if (core.sendMany !== undefined && next < end && core.hasOut) next += core.sendMany(outgoing, next, end);
      while (next < end && core.hasOut && core.send(asMessage(outgoing[next]!))) next++;
    } catch (err) {
      throw publicError(err);
    } finally {
      retryPending(socket);
    }
  }
  // The message that could not be converted fails as send() fails on it, after those before it.
  if (bad !== null) await send.call(socket, bad.value);
}

function asMessage(msg: OutgoingMessage): Message {
  return Array.isArray(msg) ? msg : [msg as Buffer];
}

/**
 * The messages as the core takes them, up to the first that does not convert: a Buffer as it is
 * (a message of one frame), others as send() converts them. Messages of no frames send nothing
 * (as send([]) does), so they are left out.
 */
function outgoingOf(messages: ReadonlyArray<unknown>): { outgoing: OutgoingMessage[]; bad: { value: unknown } | null } {
  const outgoing: OutgoingMessage[] = [];
  for (const value of messages) {
    try {
      if (value instanceof Buffer) outgoing.push(value);
      else if (!Array.isArray(value)) outgoing.push(toFrame(value));
      else if (value.length > 0) outgoing.push(toMessage(value));
    } catch {
      return { outgoing, bad: { value } };
    }
  }
  return { outgoing, bad: null };
}

/**
 * Resolves with every message that can be received now, at least one and at most `max`: waits,
 * as receive() does, while there is none.
 */
export async function receiveMany(socket: Socket, max = Infinity): Promise<Message[]> {
  const core = coreOf(socket);
  const receive = (socket as unknown as { receive(): Promise<Message> }).receive;
  const batch = [await receive.call(socket)];
  try {
    if (core.receiveMany !== undefined) {
      if (batch.length < max && core.hasIn) core.receiveMany(batch, max - batch.length);
    } else {
      for (let msg: Message | undefined; batch.length < max && core.hasIn && (msg = core.receive()) !== undefined;)
        batch.push(msg);
    }
  } catch (err) {
    throw publicError(err);
  } finally {
    retryPending(socket);
  }
  return batch;
}
