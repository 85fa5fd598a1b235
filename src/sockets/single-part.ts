import type { Message } from "./pipe.js";
import type { FairQueue } from "./routing/fq.js";

/**
 * The next single-part message from a fair queue, dropping multipart ones whole: the draft types
 * carry single parts only, and libzmq's CLIENT, SERVER and GATHER skip what a peer sent in parts.
 */
export function dropMultipart(fq: FairQueue): Message | undefined {
  for (;;) {
    const msg = fq.recv();
    if (msg === undefined || msg.length === 1) return msg;
  }
}
