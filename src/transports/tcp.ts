import { createConnection, createServer, type Socket as NetSocket } from "node:net";
import { fromSystemError, zmqError } from "../errors.js";
import { formatTcpEndpoint, parseEndpoint } from "./endpoint.js";
import type { ByteStream } from "./stream.js";
import type { Listener, StreamHandler, Transport, TransportOptions } from "./transport.js";

function tcpEndpoint(address: string, forBind: boolean): { host: string; port: number } {
  const endpoint = parseEndpoint(address, forBind);
  if (endpoint.transport !== "tcp") throw zmqError("EPROTONOSUPPORT", `Not a tcp:// endpoint: "${address}"`, address);
  return endpoint;
}

/** Applies the keepalive options to a fresh TCP stream. */
function applyKeepalive(stream: NetSocket, options: TransportOptions): void {
  if (options.tcpKeepalive === 1) {
    stream.setKeepAlive(true, options.tcpKeepaliveIdle > 0 ? options.tcpKeepaliveIdle * 1000 : 0);
  } else if (options.tcpKeepalive === 0) {
    stream.setKeepAlive(false);
  }
}

/** Binds a TCP listener; `tcp://*:port` means every interface. */
function listen(address: string, options: TransportOptions, onStream: StreamHandler): Promise<Listener> {
  let host: string;
  let port: number;
  try {
    ({ host, port } = tcpEndpoint(address, true));
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, (stream) => {
      applyKeepalive(stream, options);
      onStream(stream);
    });
    server.once("error", (err: NodeJS.ErrnoException) => reject(fromSystemError(err, address)));
    const bindHost = host !== "" ? host : options.ipv6 ? "::" : "0.0.0.0";
    server.listen({ host: bindHost, port, backlog: options.backlog, ipv6Only: false }, () => {
      const info = server.address();
      const real = typeof info === "object" && info !== null ? info : { address: bindHost, port };
      server.removeAllListeners("error");
      server.on("error", () => undefined);
      resolve({ endpoint: formatTcpEndpoint(real.address, real.port), close: () => server.close() });
    });
  });
}

/** Connects with Nagle off; ZMQ_CONNECT_TIMEOUT (tcp only in libzmq) ends a slow attempt with ETIMEDOUT. */
function dial(address: string, options: TransportOptions): ByteStream {
  const { host, port } = tcpEndpoint(address, false);
  const stream = createConnection({ host, port, noDelay: true });
  applyKeepalive(stream, options);
  if (options.connectTimeout > 0) {
    const timer = setTimeout(
      () => stream.destroy(Object.assign(new Error("connect timed out"), { code: "ETIMEDOUT" })),
      options.connectTimeout,
    );
    const clear = (): void => clearTimeout(timer);
    stream.once("connect", clear);
    stream.once("close", clear);
  }
  return stream;
}

export const tcp: Transport = { listen, dial };
