import { ipc } from "./ipc.js";
import { tcp } from "./tcp.js";
import { tipc } from "./tipc.js";
import type { Transport } from "./transport.js";
import { ws, wss } from "./ws.js";

/**
 * The byte-stream transports by endpoint scheme. inproc is not here: it links pipes, no bytes
 * (inproc.ts).
 */
const transports = new Map<string, Transport>([
  ["tcp", tcp],
  ["ipc", ipc],
  ["tipc", tipc],
  ["ws", ws],
  ["wss", wss],
]);

/** The transport for a scheme ("tcp", "ipc", "ws"), or null when none carries bytes for it. */
export function streamTransport(scheme: string): Transport | null {
  return transports.get(scheme) ?? null;
}
