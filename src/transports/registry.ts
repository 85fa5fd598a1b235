import type { DatagramTransport } from "./datagram.js";
import { ipc } from "./ipc.js";
import { tcp } from "./tcp.js";
import { tipc } from "./tipc.js";
import type { Transport } from "./transport.js";

/**
 * The byte-stream transports by endpoint scheme. inproc is not here: it links pipes, no bytes
 * (inproc.ts).
 */
const transports = new Map<string, Transport>([
  ["tcp", tcp],
  ["ipc", ipc],
  ["tipc", tipc],
]);

/** The transport for a scheme ("tcp", "ipc"), or null when none carries bytes for it. */
export function streamTransport(scheme: string): Transport | null {
  return transports.get(scheme) ?? null;
}

/** The datagram transports by scheme ("udp"), registered by the entry of the sockets that use them. */
const datagramTransports = new Map<string, DatagramTransport>();

export function registerDatagramTransport(scheme: string, transport: DatagramTransport): void {
  datagramTransports.set(scheme, transport);
}

/** The datagram transport for a scheme, or null when none is registered. */
export function datagramTransport(scheme: string): DatagramTransport | null {
  return datagramTransports.get(scheme) ?? null;
}
