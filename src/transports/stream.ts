import { backgroundTimeout } from "#platform/timers";

/**
 * The byte stream a transport hands to the engine: the part of a Node `net.Socket` the engine and
 * the sessions use, so a `net.Socket` is one as it is (no wrapper on the hot path) and a
 * WebSocket, or another runtime's socket, can implement it.
 *
 * Events: `data` (a chunk the stream no longer needs: the engine may keep views into it),
 * `connecting` (a dialled tcp stream resolved its host and is connecting), `connect` (a dialled
 * stream is established), `drain` (writes are taken again after
 * `writableNeedDrain`), `end` (the peer finished sending), `close` (the stream is gone), `error`.
 */
export interface ByteStream {
  /** Queues bytes; false when the caller should wait for `drain` before writing more. */
  write(chunk: Uint8Array): boolean;
  /** Between cork() and uncork() writes are gathered and leave as one (one writev). */
  cork(): void;
  uncork(): void;
  /** Stops and restarts `data` events (backpressure towards the peer). */
  pause(): void;
  resume(): void;
  /** Flushes what was written, then closes our side. */
  end(): void;
  /** Closes at once, dropping what was not written. */
  destroy(error?: Error): void;
  /**
   * Lets the process exit while the stream is idle (a socket's connections do not hold it;
   * bytes being written still do, as Node's pending writes are).
   */
  unref?(): unknown;
  /** Bytes written but not yet taken by the kernel. */
  readonly writableLength: number;
  /** True from a `write()` that returned false until `drain`. */
  readonly writableNeedDrain: boolean;
  /** The peer's IP address (tcp); undefined where there is none (ipc). */
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;

  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "connect" | "connecting" | "drain" | "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  once(event: "connect" | "connecting" | "drain" | "end" | "close", listener: () => void): unknown;
  once(event: "error", listener: (error: Error) => void): unknown;
  off(event: "data", listener: (chunk: Buffer) => void): unknown;
  off(event: "connect" | "drain" | "end" | "close", listener: () => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
}

/** How long an ended stream may take to flush before it is destroyed. */
const CLOSE_GRACE_MS = 1000;

/**
 * Closes a stream: `graceful` flushes what was written first (an ERROR we sent, what linger
 * kept), within a grace period, since a peer that never reads must not hold the connection open.
 */
export function closeStream(stream: ByteStream, graceful: boolean): void {
  if (!graceful) {
    stream.destroy();
    return;
  }
  stream.end();
  backgroundTimeout(() => stream.destroy(), CLOSE_GRACE_MS);
}
