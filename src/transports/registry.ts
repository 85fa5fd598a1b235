import { streamTransports } from "#platform/transports";
import type { Transport } from "./transport.js";

/**
 * The byte-stream transports by endpoint scheme: the runtime's (tcp, ipc and tipc on Node; a
 * browser has none of those). inproc is not here: it links pipes, no bytes (inproc.ts).
 */

/** The transport for a scheme ("tcp", "ipc", "ws"), or null when none carries bytes for it here. */
export function streamTransport(scheme: string): Transport | null {
  return streamTransports.get(scheme) ?? null;
}
