import type { Transport } from "./transport.js";
import { dialWs } from "./ws/client.js";
import { listenWs } from "./ws/server.js";

/**
 * ZMTP over WebSocket (ZWS 2.0, RFC 45) on Node, with `ws`: the ZWS adapter (ws/zws-stream.ts)
 * shows the engine a ZMTP byte stream. Connecting reports connect:delay and connect as tcp does.
 */
export const ws: Transport = {
  listen: (uri, options, onStream) => listenWs("ws", uri, options, onStream),
  dial: (uri, options) => dialWs("ws", uri, options),
  connectDelayed: true,
};

/** ws over TLS: the certificate and trust come from the wss socket options (ZMQ_WSS_*). */
export const wss: Transport = {
  listen: (uri, options, onStream) => listenWs("wss", uri, options, onStream),
  dial: (uri, options) => dialWs("wss", uri, options),
  connectDelayed: true,
};
