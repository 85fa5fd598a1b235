/**
 * The process's life, on Node: pending operations hold the event loop, sockets are closed and
 * their queues delivered at exit (../../api/process-exit.ts), warnings are process warnings.
 * ../browser/process.ts is the page's side, where none of this exists.
 */
export { holdProcess, releaseProcess } from "../../api/keep-alive.js";
export { watchProcessExit } from "../../api/process-exit.js";

/** A process warning, as the binding emits them (`process.emitWarning(message)`). */
export function warn(message: string): void {
  process.emitWarning(message);
}
