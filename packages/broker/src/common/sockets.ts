import type { MessageLike, Socket } from "zmtp";
import type { Frames } from "./frames.js";

/** The part of zmtp's sockets the patterns use (every socket type that both sends and receives). */
export interface Duplex extends Socket {
  send(message: MessageLike | MessageLike[]): Promise<void>;
  receive(): Promise<Buffer[]>;
}

/**
 * Receives until the socket closes, handing each message to `onMessage` (awaited, so messages are
 * handled in order). A handler that throws does not end the loop: `onError` gets the error.
 */
export async function receiveLoop(
  socket: Duplex,
  onMessage: (frames: Frames) => void | Promise<void>,
  onError: (err: unknown) => void = () => undefined,
): Promise<void> {
  for (;;) {
    let frames: Frames;
    try {
      frames = await socket.receive();
    } catch (err) {
      if (socket.closed) return;
      onError(err);
      continue;
    }
    try {
      await onMessage(frames);
    } catch (err) {
      onError(err);
    }
  }
}

/**
 * Sends without waiting (the socket has `sendTimeout: 0`): resolves false when the message could
 * not be queued (EAGAIN: the peer's queue is full; EHOSTUNREACH: no such peer on a mandatory
 * ROUTER; the socket closed), true when it was.
 */
export function trySend(socket: Duplex, frames: MessageLike[]): Promise<boolean> {
  if (socket.closed) return Promise.resolve(false);
  try {
    return socket.send(frames).then(
      () => true,
      () => false,
    );
  } catch {
    return Promise.resolve(false);
  }
}
