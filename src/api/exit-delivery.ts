import { pathToFileURL } from "node:url";
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
function ownFile(): URL {
  return typeof __filename === "string" ? pathToFileURL(__filename) : new URL(import.meta.url);
}

/** Starts the delivery thread; its progress is read from the returned flag (STARTING, RUNNING, DONE). */
export function startDeliveryThread(items: FinalDelivery[]): Int32Array {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const data: DeliveryData = { [MARK]: { items, flag: flag.buffer as SharedArrayBuffer } };
  // Its output would go through this thread's event loop, which no longer runs.
  const worker = new Worker(ownFile(), { workerData: data, stdout: true, stderr: true });
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
