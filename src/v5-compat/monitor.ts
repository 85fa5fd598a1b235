/**
 * The v5 monitor events, read from a v6 socket's `events`: libzmq's monitor event names as the
 * `zmq` package spelled them (`listen` for a bind, `connect_retry`, `bind_error`, ...), each
 * emitted on the v5 socket as `(value, address, error)`: the retry interval, or the errno of an
 * error event with the error itself. Other v6 events (handshakes) have no v5 name and are skipped.
 */
import { isZmqError } from "../entries/errors.js";
import type { Event, Observer } from "../index.js";

interface V5Event {
  name: string;
  value: number | undefined;
  error: Error | undefined;
}

/** The v5 form of a v6 event; null for the ones v5 has no name for. */
export function v5Event(event: Event): V5Event | null {
  switch (event.type) {
    case "connect":
    case "accept":
    case "close":
    case "disconnect":
      return { name: event.type, value: undefined, error: undefined };
    case "connect:delay":
      return { name: "connect_delay", value: undefined, error: undefined };
    case "connect:retry":
      return { name: "connect_retry", value: event.interval, error: undefined };
    case "bind":
      return { name: "listen", value: undefined, error: undefined };
    case "bind:error":
    case "accept:error":
    case "close:error": {
      const error = event.error;
      const name = `${event.type.slice(0, -":error".length)}_error`;
      return { name, value: error ? error.errno : 0, error };
    }
    default:
      return null;
  }
}

/** What the reader needs from the v5 socket it serves. */
export interface MonitorTarget {
  emit(name: string, ...args: unknown[]): boolean;
  /** Whether the v6 socket is closed (errors are then not reported). */
  socketClosed(): boolean;
}

/**
 * Reads `events` until the observer closes or ends, emitting each as its v5 event on `target`.
 * A failure to read, or a listener that throws, becomes an `error` event unless the socket is
 * closed by then; an `error` with no listener then rejects this loop, as it does in the binding.
 */
export async function readEvents(events: Observer, target: MonitorTarget): Promise<void> {
  while (!events.closed) {
    let event: Event;
    try {
      event = await events.receive();
    } catch (err) {
      if (!target.socketClosed()) target.emit("error", err);
      // Another reader has the events (monitor() called twice): the binding tries again at once,
      // forever, and never lets the event loop turn; this reader stops after reporting it.
      if (isZmqError(err) && err.code === "EBUSY") return;
      continue;
    }
    if (event.type === "end") return;
    const v5 = v5Event(event);
    if (v5 === null) continue;
    try {
      target.emit(v5.name, v5.value, (event as { address?: string }).address, v5.error);
    } catch (err) {
      if (!target.socketClosed()) target.emit("error", err);
    }
  }
}
