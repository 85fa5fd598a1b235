import type { CrossThreadInproc } from "../../sockets/session/cross-thread.js";

/**
 * A page's zmtp lives in one thread: the default context's store is its own (a SharedArrayBuffer
 * exists only in cross-origin isolated pages), and inproc stays within the page. A Web Worker
 * loading zmtp has a default context of its own, as a separate process would.
 */

export function sharedContextStore(_key: string, bytes: number, init: (store: Int32Array) => Int32Array): Int32Array {
  return init(new Int32Array(new ArrayBuffer(bytes)));
}

export function crossThreadInproc(_secret: Buffer): CrossThreadInproc | null {
  return null;
}
