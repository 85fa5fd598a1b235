import { ipc } from "../../transports/ipc.js";
import { tcp } from "../../transports/tcp.js";
import { tipc } from "../../transports/tipc.js";
import type { DatagramTransport } from "../../transports/datagram.js";
import type { Transport } from "../../transports/transport.js";
import { ws, wss } from "../../transports/ws.js";
import { udp } from "../../transports/udp.js";

/** The byte-stream transports Node has, by endpoint scheme (../../transports/registry.ts looks them up). */
export const streamTransports: ReadonlyMap<string, Transport> = new Map<string, Transport>([
  ["tcp", tcp],
  ["ipc", ipc],
  ["tipc", tipc],
  ["ws", ws],
  ["wss", wss],
]);

/** The datagram transports Node has (udp://, for the draft RADIO, DISH and DGRAM). */
export const datagramTransports: ReadonlyMap<string, DatagramTransport> = new Map<string, DatagramTransport>([
  ["udp", udp],
]);
