import { datagramTransports, streamTransports } from "#platform/transports";
import type { DatagramTransport } from "./datagram.js";
import type { Transport } from "./transport.js";

/**
 * The byte-stream transports by endpoint scheme: the runtime's (tcp, ipc and tipc on Node; a
 * browser has none of those). inproc is not here: it links pipes, no bytes (inproc.ts).
 */

/** The transport for a scheme ("tcp", "ipc", "ws"), or null when none carries bytes for it here. */
export function streamTransport(scheme: string): Transport | null {
  return streamTransports.get(scheme) ?? null;
}

/** The datagram transport for a scheme ("udp", on Node), or null when this runtime has none. */
export function datagramTransport(scheme: string): DatagramTransport | null {
  return datagramTransports.get(scheme) ?? null;
}
