import type { Pipe } from "./pipe.js";

const EMPTY = Buffer.alloc(0);

/** ZMQ_PROBE_ROUTER: one empty message on every new pipe, so a ROUTER peer learns our id at once. */
export function sendProbe(pipe: Pipe): void {
  if (pipe.writable) pipe.write([EMPTY]);
}
