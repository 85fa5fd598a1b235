import { createConnection, createServer, type Socket as NetSocket } from "node:net";
import { fromSystemError } from "../errors.js";
import { formatTcpEndpoint } from "./endpoint.js";
import { applyKeepalive, type AcceptHandler, type Listener, type TransportOptions } from "./transport.js";

/** Binds a TCP listener; `host` "" means every interface (`tcp://*:port`). */
export function listenTcp(
  address: string,
  host: string,
  port: number,
  options: TransportOptions,
  onAccept: AcceptHandler,
): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, (stream) => {
      applyKeepalive(stream, options);
      onAccept(stream);
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

export function connectTcp(host: string, port: number, options: TransportOptions): NetSocket {
  const stream = createConnection({ host, port, noDelay: true });
  applyKeepalive(stream, options);
  return stream;
}
