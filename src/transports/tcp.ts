import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { createConnection, createServer, isIPv4, isIPv6, type Socket as NetSocket } from "node:net";
import { networkInterfaces } from "node:os";
import { fromSystemError, zmqError } from "../errors.js";
import {
  bracketedIpv6,
  formatTcpEndpoint,
  parseTcpBind,
  parseTcpConnect,
  parseUri,
  type TcpAddress,
  type TcpDialAddress,
} from "./endpoint.js";
import type { ByteStream } from "./stream.js";
import { matchesMask } from "./tcp-address-mask.js";
import { SocksStream } from "./tcp-socks.js";
import { splitTarget } from "./tcp-socks-codec.js";
import type { Listener, StreamHandler, Transport, TransportOptions } from "./transport.js";

/** Applies the keepalive options to a fresh TCP stream. */
function applyKeepalive(stream: NetSocket, options: TransportOptions): void {
  if (options.tcpKeepalive === 1) {
    stream.setKeepAlive(true, options.tcpKeepaliveIdle > 0 ? options.tcpKeepaliveIdle * 1000 : 0);
  } else if (options.tcpKeepalive === 0) {
    stream.setKeepAlive(false);
  }
}

/** The first address of a network interface by name ("lo", "eth0"), as libzmq binds to one. */
function interfaceAddress(name: string, ipv6: boolean): string | null {
  const addresses = networkInterfaces()[name];
  if (addresses === undefined) return null;
  const v4 = addresses.find((a) => a.family === "IPv4");
  const v6 = addresses.find((a) => a.family === "IPv6");
  return (ipv6 ? (v6 ?? v4) : v4)?.address ?? null;
}

/**
 * The local address to bind to, as libzmq resolves it: `*` is every interface, then a NIC name,
 * an IP literal (IPv6 only with the `ipv6` option), or a host name (not for ws, whose binds
 * libzmq does not look up: `allowDns` false); ENODEV when none fits.
 */
export function resolveLocal(host: string, ipv6: boolean, uri: string, allowDns = true): Promise<string> {
  if (host === "*") return Promise.resolve(ipv6 ? "::" : "0.0.0.0");
  const v6 = bracketedIpv6(host);
  if (v6 !== null) return ipv6 && isIPv6(v6) ? Promise.resolve(v6) : Promise.reject(zmqError("ENODEV", undefined, uri));
  const nic = interfaceAddress(host, ipv6);
  if (nic !== null) return Promise.resolve(nic);
  // With ipv6, libzmq resolves in AF_INET6 with AI_V4MAPPED: an IPv4 address is bound mapped
  // (tcp://[::ffff:127.0.0.1]:port), and its peers arrive as IPv6 (what tcpAcceptFilter sees).
  const family = (address: string): string => (ipv6 && isIPv4(address) ? `::ffff:${address}` : address);
  if (isIPv4(host)) return Promise.resolve(family(host));
  if (host === "" || !allowDns) return Promise.reject(zmqError("ENODEV", undefined, uri));
  return new Promise((resolve, reject) => {
    lookup(host, { family: ipv6 ? 0 : 4 }, (err, address) => {
      if (err !== null) reject(zmqError("ENODEV", undefined, uri));
      else resolve(family(address));
    });
  });
}

/**
 * Binds a TCP listener. Resolution failures are ENODEV (no socket was made); others keep the OS
 * code. ZMQ_TCP_ACCEPT_FILTER, as the socket had it at bind (libzmq copies its options into the
 * listener): a peer in none of the networks is closed at once and reported as a failed accept.
 */
async function listen(
  uri: string,
  options: TransportOptions,
  onStream: StreamHandler,
  onRefused?: (error: Error) => void,
): Promise<Listener> {
  const { host, port } = parseTcpBind(uri, parseUri(uri).address);
  const bindHost = await resolveLocal(host, options.ipv6, uri);
  const filters = options.acceptFilters;
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, (stream) => {
      // The peer's address costs a getpeername(2): asked only when there is a filter to match.
      if (filters.length > 0 && !acceptable(filters, stream.remoteAddress ?? "", stream.remoteFamily ?? "")) {
        stream.destroy();
        // libzmq reports whatever errno its I/O thread last saw (close() succeeded): EAGAIN, as a rule.
        onRefused?.(zmqError("EAGAIN", undefined, uri));
        return;
      }
      applyKeepalive(stream, options);
      onStream(stream);
    });
    server.once("error", (err: NodeJS.ErrnoException) => reject(fromSystemError(err, uri)));
    server.listen({ host: bindHost, port, backlog: options.backlog, ipv6Only: false }, () => {
      const info = server.address();
      const real = typeof info === "object" && info !== null ? info : { address: bindHost, port };
      server.removeAllListeners("error");
      server.on("error", () => undefined);
      resolve({
        endpoint: formatTcpEndpoint(real.address, real.port),
        close: () => server.close(),
        unref: () => server.unref(),
      });
    });
  });
}

function acceptable(filters: TransportOptions["acceptFilters"], peer: string, family: string): boolean {
  return filters.some((mask) => matchesMask(mask, peer, family));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * How a host is looked up when dialling: IPv4 only unless the socket allows IPv6, as libzmq;
 * an IPv6 literal in brackets is taken as it is. Node asks for every address (`all`) when it
 * may try several families in turn.
 */
export function hostLookup(ipv6: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const v6 = bracketedIpv6(hostname);
    if (v6 !== null) {
      if (!ipv6) {
        callback(zmqError("EINVAL", `IPv6 address ${hostname} without the ipv6 option`), "", 0);
      } else if (options.all === true) {
        callback(null, [{ address: v6, family: 6 }]);
      } else {
        callback(null, v6, 6);
      }
      return;
    }
    lookup(hostname, { ...options, family: ipv6 ? 0 : 4 }, callback as never);
  };
}

function localSource(source: TcpAddress): { localAddress?: string; localPort?: number } {
  const host = bracketedIpv6(source.host) ?? source.host;
  return { localAddress: host === "*" ? undefined : host, localPort: source.port === 0 ? undefined : source.port };
}

/**
 * Connects with Nagle off. The stream emits `connecting` once the host is resolved and the
 * connection is under way (libzmq's connect:delay); an error before that is a resolution
 * failure. ZMQ_CONNECT_TIMEOUT (tcp only in libzmq) ends a slow attempt with ETIMEDOUT. With
 * ZMQ_SOCKS_PROXY the connection goes to the proxy (libzmq's socks_connecter, which has no
 * connect timeout), and the endpoint's address is the proxy's to reach.
 */
function dial(uri: string, options: TransportOptions): ByteStream {
  const address = parseUri(uri).address;
  const socks = options.socks;
  if (socks === null) return connect(parseTcpConnect(uri, address), options, options.connectTimeout);
  const target = splitTarget(address);
  if (target === null) throw zmqError("EINVAL", undefined, uri);
  const proxy = parseTcpConnect(`tcp://${socks.proxy}`, socks.proxy);
  return new SocksStream(connect(proxy, options, 0), target, socks);
}

/** libzmq's monitor names a proxied connection by its proxy (`tcp://` and ZMQ_SOCKS_PROXY as set). */
function eventAddress(uri: string, options: TransportOptions): string {
  return options.socks === null ? uri : `tcp://${options.socks.proxy}`;
}

function connect({ host, port, source }: TcpDialAddress, options: TransportOptions, timeout: number): NetSocket {
  const literal = isIPv4(host) ? host : null;
  const stream = createConnection({
    host: literal ?? host,
    port,
    noDelay: true,
    lookup: hostLookup(options.ipv6),
    ...(source === null ? {} : localSource(source)),
  });
  if (literal !== null) process.nextTick(() => stream.emit("connecting"));
  else stream.once("lookup", (err: Error | null) => err === null && stream.emit("connecting"));
  applyKeepalive(stream, options);
  if (timeout > 0) {
    const timer = setTimeout(() => stream.destroy(zmqError("ETIMEDOUT", "connect timed out")), timeout);
    timer.unref();
    const clear = (): void => clearTimeout(timer);
    stream.once("connect", clear);
    stream.once("close", clear);
  }
  return stream;
}

export const tcp: Transport = { listen, dial, eventAddress, connectDelayed: true };
