import type { DatagramTransport } from "../../transports/datagram.js";
import type { Transport } from "../../transports/transport.js";
import { whatwgPort, type WhatwgWebSocket } from "../../transports/ws/port.js";
import { ZwsStream } from "../../transports/ws/zws-stream.js";
import { browserWebSocketTransport, type ZwsAdapter } from "./websocket.js";

/** The ws transport's ZWS 2.0 adapter over the page's own WebSocket. */
const zws: ZwsAdapter = (socket, options) =>
  new ZwsStream(whatwgPort(socket as unknown as WhatwgWebSocket), {
    mechanism: options.mechanism,
    socketType: options.socketType,
  });

/**
 * The byte-stream transports a page has: none of Node's (tcp://, ipc:// and tipc:// are
 * EPROTONOSUPPORT, as from a libzmq built without them), and ws:// / wss:// over the browser's
 * WebSocket.
 */
export const streamTransports: ReadonlyMap<string, Transport> = new Map<string, Transport>([
  ["ws", browserWebSocketTransport(zws)],
  ["wss", browserWebSocketTransport(zws)],
]);

/** A page has no datagram socket: udp:// is EPROTONOSUPPORT there. */
export const datagramTransports: ReadonlyMap<string, DatagramTransport> = new Map<string, DatagramTransport>();
