import type { Transport } from "./transport.js";
import { dialWs } from "./ws/client.js";

/**
 * ZMTP over WebSocket (ZWS 2.0, RFC 45) on Node, with `ws`: the ZWS adapter (ws/zws-stream.ts)
 * shows the engine a ZMTP byte stream. Connecting reports connect:delay and connect as tcp does.
 * The listening side (node:http and node:https servers) is loaded at the first ws bind: a
 * program that never binds ws, such as a monitoring agent, does not carry it.
 */
export const ws: Transport = {
  listen: async (uri, options, onStream) => (await import("./ws/server.js")).listenWs("ws", uri, options, onStream),
  dial: (uri, options) => dialWs("ws", uri, options),
  connectDelayed: true,
};

/** ws over TLS: the certificate and trust come from the wss socket options (ZMQ_WSS_*). */
export const wss: Transport = {
  listen: async (uri, options, onStream) => (await import("./ws/server.js")).listenWs("wss", uri, options, onStream),
  dial: (uri, options) => dialWs("wss", uri, options),
  connectDelayed: true,
};
