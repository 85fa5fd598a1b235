import { ipc } from "../../transports/ipc.js";
import { tcp } from "../../transports/tcp.js";
import { tipc } from "../../transports/tipc.js";
import type { Transport } from "../../transports/transport.js";
import { ws, wss } from "../../transports/ws.js";

/** The byte-stream transports Node has, by endpoint scheme (../../transports/registry.ts looks them up). */
export const streamTransports: ReadonlyMap<string, Transport> = new Map<string, Transport>([
  ["tcp", tcp],
  ["ipc", ipc],
  ["tipc", tipc],
  ["ws", ws],
  ["wss", wss],
]);
