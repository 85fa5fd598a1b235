import { zmqError } from "../errors.js";
import { parseTipc, parseUri } from "./endpoint.js";
import type { ByteStream } from "./stream.js";
import type { Listener, Transport } from "./transport.js";

/**
 * TIPC as libzmq behaves on a kernel without the TIPC module (the usual case, and zeromq.js's
 * prebuilt binaries are built with it): the endpoint is accepted, a bind fails with
 * EAFNOSUPPORT when the socket is made, and a connect keeps retrying without ever connecting.
 */
function listen(uri: string): Promise<Listener> {
  parseTipc(uri, parseUri(uri).address);
  return Promise.reject(zmqError("EAFNOSUPPORT", undefined, uri));
}

function dial(uri: string): ByteStream {
  throw zmqError("EAFNOSUPPORT", undefined, uri);
}

export const tipc: Transport = { listen, dial, connectDelayed: false };
