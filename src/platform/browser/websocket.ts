import { zmqError } from "../../errors.js";
import type { ByteStream } from "../../transports/stream.js";
import type { Transport, TransportOptions } from "../../transports/transport.js";

/**
 * ws:// and wss:// in a page, over the browser's own WebSocket. The protocol (ZWS 2.0, RFC 45:
 * one ZMTP frame per WebSocket message, bare ZWS2.0's routing ids) is the ws transport's adapter,
 * shared with Node; this file makes the WebSocket a page can make, and refuses what a page cannot
 * do:
 * - listen: bind() is ENOTSUP ("Operation not supported"), as libzmq answers for a feature its
 *   build lacks; an unknown scheme would be EPROTONOSUPPORT. The peer binds (Node, libzmq).
 * - name a mechanism: a browser's WebSocket takes only tokens as subprotocols, and "/" is none
 *   (RFC 6455 §4.1, RFC 7230 §3.2.6): `new WebSocket(url, ["ZWS2.0/NULL"])` throws SyntaxError.
 *   So a page offers bare "ZWS2.0" (which libzmq and zmtp servers accept for NULL, as jszmq
 *   uses it), and a PLAIN or CURVE socket's connect() to ws:// in a page is ENOTSUP; wss:// is
 *   how a page's traffic is encrypted.
 */

/** What a page needs from the ws transport's ZWS 2.0 adapter: a ByteStream over a WHATWG WebSocket. */
export type ZwsAdapter = (socket: WebSocket, options: TransportOptions) => ByteStream;

/** What a page's WebSocket constructor is (a test may pass another with the same shape). */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocket;

/** The one subprotocol a browser can offer (RFC 45's bare ZWS 2.0). */
export const PAGE_SUBPROTOCOL = "ZWS2.0";

/** SEAM(ws): TransportOptions gains the socket's mechanism with the ws transport; until then it may be absent. */
type DialOptions = TransportOptions & { mechanism?: "NULL" | "PLAIN" | "CURVE" };

export function browserWebSocketTransport(
  adapter: ZwsAdapter,
  webSocket: WebSocketConstructor = globalThis.WebSocket,
): Transport {
  return {
    // The browser resolves the host and opens the connection: connecting takes time, as tcp's.
    connectDelayed: true,
    listen: (address) =>
      Promise.reject(
        zmqError("ENOTSUP", "A browser cannot listen: bind in a server and connect from the page", address),
      ),
    checkDial(address: string, options: DialOptions): void {
      const mechanism = options.mechanism ?? "NULL";
      if (mechanism !== "NULL") {
        throw zmqError("ENOTSUP", `A browser cannot offer ZWS2.0/${mechanism}: ws:// from a page is NULL`, address);
      }
    },
    dial: (address, options) => adapter(new webSocket(address, [PAGE_SUBPROTOCOL]), options),
  };
}
