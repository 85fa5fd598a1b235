/**
 * Child process of limits.test.ts: our PULL binds tcp://127.0.0.1:* (with the backlog given as
 * argv[2], or the default), prints the endpoint, then blocks its event loop so that nothing is
 * ever accepted. The kernel completes handshakes into the accept queue until the listen backlog
 * is full and then drops further SYNs: a peer's connect() hangs.
 */
import { Pull } from "../../../src/index.js";

const arg = process.argv[2] ?? "default";
const pull = new Pull(arg === "default" ? {} : { backlog: Number(arg) });
await pull.bind("tcp://127.0.0.1:*");
// Writes to a pipe are synchronous on Linux: the line is out before the loop blocks.
process.stdout.write(`${pull.lastEndpoint}\n`);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[3] ?? 20_000));
process.exit(0);
