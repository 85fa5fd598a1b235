import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, isMainThread, workerData } from "node:worker_threads";
import { systemClock } from "../clock.js";
import { deliverFinally, type FinalDelivery } from "../sockets/session/final-delivery.js";

/**
 * The thread that delivers, while the process exits, what sockets still kept for peers that were
 * away. zeromq.js terminates its context after the process's `exit` event: libzmq's I/O thread
 * keeps reconnecting and delivering while the main thread waits. Once `exit` has been emitted
 * the event loop never runs again, so zmtp does the same from a thread of its own: this module's
 * file is loaded again in a Worker, which finds its work in `workerData`.
 */

const MARK = "zmtp:final-delivery";
/** The delivery thread's progress, in the shared flag. */
export const STARTING = 0;
export const RUNNING = 1;
export const DONE = 2;

interface DeliveryData {
  [MARK]: { items: FinalDelivery[]; flag: SharedArrayBuffer };
}

declare const __filename: string | undefined;

/** This module's file: the ESM build's chunk, or the CommonJS build's file. */
function ownFile(): string {
  return typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
}

let entry: string | null | undefined;

/**
 * This module's file if a thread can load it for the delivery alone: a file of zmtp's own build
 * (dist/esm or dist/cjs of the package). Bundled into an application, the file is the
 * application, which a thread must not start again; under test, a TypeScript source.
 */
export function deliveryThreadFile(): string | null {
  if (entry !== undefined) return entry;
  entry = null;
  const file = ownFile();
  const dist = /^(.*)[\\/]dist[\\/](?:esm|cjs)[\\/][^]*\.c?js$/.exec(file);
  if (dist === null) return null;
  try {
    const pkg = JSON.parse(readFileSync(join(dist[1]!, "package.json"), "utf8")) as { name?: unknown };
    if (pkg.name === "zmtp") entry = file;
  } catch {
    // Not inside the package.
  }
  return entry;
}

/** Starts the delivery thread; its progress is read from the returned flag (STARTING, RUNNING, DONE). */
export function startDeliveryThread(items: FinalDelivery[]): Int32Array {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const file = deliveryThreadFile();
  if (file === null) {
    Atomics.store(flag, 0, DONE);
    return flag;
  }
  const data: DeliveryData = { [MARK]: { items, flag: flag.buffer as SharedArrayBuffer } };
  // Its output would go through this thread's event loop, which no longer runs.
  const worker = new Worker(pathToFileURL(file), { workerData: data, stdout: true, stderr: true });
  worker.unref();
  return flag;
}

function isDeliveryData(value: unknown): value is DeliveryData {
  return typeof value === "object" && value !== null && MARK in value;
}

/** structured clone turned Buffers into Uint8Arrays: the engine wants Buffers back. */
function revive<T>(value: T): T {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength) as T;
  if (Array.isArray(value)) return value.map(revive) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, revive(v)])) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)])) as T;
  }
  return value;
}

async function run({ items, flag: buffer }: DeliveryData[typeof MARK]): Promise<void> {
  const flag = new Int32Array(buffer);
  Atomics.store(flag, 0, RUNNING);
  Atomics.notify(flag, 0);
  try {
    await Promise.all(items.map((item) => deliverFinally(revive(item), systemClock)));
  } finally {
    Atomics.store(flag, 0, DONE);
    Atomics.notify(flag, 0);
  }
}

if (!isMainThread && isDeliveryData(workerData)) void run(workerData[MARK]);
