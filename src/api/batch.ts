import { publicError, zmqError } from "../errors.js";
import type { Message } from "../sockets/pipe.js";
import { toMessage, type MessageLike } from "./outgoing.js";
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
  let next = 0;
  while (next < messages.length) {
    await send.call(socket, messages[next++]);
    try {
      while (next < messages.length && core.hasOut && core.send(toMessage(messages[next]))) next++;
    } catch (err) {
      throw publicError(err);
    } finally {
      retryPending(socket);
    }
  }
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
    for (let msg: Message | undefined; batch.length < max && core.hasIn && (msg = core.receive()) !== undefined;)
      batch.push(msg);
  } catch (err) {
    throw publicError(err);
  } finally {
    retryPending(socket);
  }
  return batch;
}
