// Does a worker thread emit process "beforeExit" when its event loop empties? Node and Bun do;
// Deno 2.9 does not (it emits "exit" only). zmtp keeps a worker alive at "beforeExit" while a
// closed socket still has messages to deliver within its linger (src/api/process-exit.ts).
import { Worker, isMainThread, workerData } from "node:worker_threads";

if (isMainThread) {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL(import.meta.url), { workerData: flag });
  worker.on("exit", () => {
    console.log(Atomics.load(flag, 0) === 1 ? "beforeExit emitted in the worker" : "no beforeExit in the worker");
  });
} else {
  process.on("beforeExit", () => Atomics.store(workerData, 0, 1));
}
