import type { DatagramTransport } from "../../transports/datagram.js";
import type { Transport } from "../../transports/transport.js";

/**
 * The byte-stream transports a page has: none of Node's (tcp://, ipc:// and tipc:// are
 * EPROTONOSUPPORT, as from a libzmq built without them), and ws:// / wss:// over the browser's
 * WebSocket once the ws transport's ZWS 2.0 adapter is in the tree.
 *
 * SEAM(ws): connect it here when the ws transport lands (its ZWS adapter over a WHATWG
 * WebSocket, ws/zws-stream.ts over ws/port.ts's whatwgPort in the ws branch):
 *   const zws: ZwsAdapter = (socket, o) =>
 *     new ZwsStream(whatwgPort(socket), { mechanism: o.mechanism, socketType: o.socketType });
 *   ["ws", browserWebSocketTransport(zws)], ["wss", browserWebSocketTransport(zws)]
 * (checkProtocol in transports/endpoint.ts knows "ws" and "wss" once the ws branch is in).
 */
export const streamTransports: ReadonlyMap<string, Transport> = new Map<string, Transport>();

/** A page has no datagram socket: udp:// is EPROTONOSUPPORT there. */
export const datagramTransports: ReadonlyMap<string, DatagramTransport> = new Map<string, DatagramTransport>();
