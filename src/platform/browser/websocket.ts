import { zmqError } from "../../errors.js";
import type { ByteStream } from "../../transports/stream.js";
import type { Transport, TransportOptions } from "../../transports/transport.js";

/**
 * ws:// and wss:// in a page, over the browser's own WebSocket. The protocol (ZWS 2.0, RFC 45:
 * subprotocol names, one ZMTP frame per WebSocket message) is the ws transport's adapter, shared
 * with Node; this file only makes the WebSocket a page can make, and refuses what a page cannot
 * do: listen.
 */

/** The part of the ws transport's ZWS 2.0 adapter a page uses (it runs unchanged over a WHATWG WebSocket). */
export interface ZwsAdapter {
  /** The Sec-WebSocket-Protocol values a client offers for these options (RFC 45). */
  protocols(options: TransportOptions): string[];
  /** A ByteStream over a WebSocket that is connecting: `connect` on open, `data` per message. */
  stream(socket: WebSocket): ByteStream;
}

/** What a page's WebSocket constructor is (a test may pass another with the same shape). */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocket;

/**
 * A page cannot listen, whatever the scheme: bind() is an operation this runtime does not
 * support, as libzmq answers for a feature its build lacks (ENOTSUP, "Operation not supported";
 * an unknown scheme is EPROTONOSUPPORT). The peer binds, in Node or libzmq; the page connects.
 */
export function bindNotSupported(address: string): Promise<never> {
  return Promise.reject(
    zmqError("ENOTSUP", "A browser cannot listen: bind in a server (Node, libzmq) and connect from the page", address),
  );
}

export function browserWebSocketTransport(
  adapter: ZwsAdapter,
  webSocket: WebSocketConstructor = globalThis.WebSocket,
): Transport {
  return {
    // The browser resolves the host and opens the connection: connecting takes time, as tcp's.
    connectDelayed: true,
    listen: (address) => bindNotSupported(address),
    dial(address: string, options: TransportOptions): ByteStream {
      const socket = new webSocket(address, adapter.protocols(options));
      socket.binaryType = "arraybuffer";
      return adapter.stream(socket);
    },
  };
}
