import type { Transport } from "../../transports/transport.js";

/**
 * The byte-stream transports a page has: none of Node's (tcp://, ipc:// and tipc:// are
 * EPROTONOSUPPORT, as from a libzmq built without them), and ws:// / wss:// over the browser's
 * WebSocket once the ws transport's ZWS 2.0 adapter is in the tree.
 *
 * SEAM(ws): connect it here when the ws transport lands, e.g. with its adapter module
 *   import { zwsAdapter } from "../../transports/ws-adapter.js";
 *   import { browserWebSocketTransport } from "./websocket.js";
 *   ["ws", browserWebSocketTransport(zwsAdapter)], ["wss", browserWebSocketTransport(zwsAdapter)]
 * (checkProtocol in transports/endpoint.ts must then know "ws" and "wss", as the ws branch makes it).
 */
export const streamTransports: ReadonlyMap<string, Transport> = new Map<string, Transport>();
