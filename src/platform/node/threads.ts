import { getEnvironmentData, setEnvironmentData } from "node:worker_threads";
import { CrossThreadInproc } from "../../sockets/session/cross-thread.js";

/**
 * Threads on Node: the default context's options live in memory shared with worker threads, and
 * its inproc names reach across them. ../browser/threads.ts is the page's side (one thread).
 */

/**
 * The default context's store, shared by every thread of the process that loads zmtp: the first
 * makes it, and Node hands it to each Worker created afterwards (worker environment data), since
 * zeromq.js's default context is one libzmq context for all threads.
 */
export function sharedContextStore(key: string, bytes: number, init: (store: Int32Array) => Int32Array): Int32Array {
  const inherited = getEnvironmentData(key);
  if (inherited instanceof SharedArrayBuffer) return new Int32Array(inherited);
  const store = init(new Int32Array(new SharedArrayBuffer(bytes)));
  setEnvironmentData(key, store.buffer as SharedArrayBuffer);
  return store;
}

/** inproc between the threads that share the default context (`secret`). */
export function crossThreadInproc(secret: Buffer): CrossThreadInproc | null {
  return new CrossThreadInproc(secret);
}
