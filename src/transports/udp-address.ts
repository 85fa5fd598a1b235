import { zmqError } from "../errors.js";

/**
 * udp:// addresses as libzmq 4.3.5 reads them (udp_address_t, ip_resolver_t): `[source;]host:port`.
 *
 * - bind (DISH, DGRAM): `host` is `*`, a network interface name, an IP literal or a host name;
 *   port `*` or `0` is any port. A unicast host is the address to bind; a multicast one is the
 *   group to join, on the interface named by `source` (default: any).
 * - connect (RADIO): `host` is an IP literal or a host name (not `*`), the destination; with a
 *   multicast destination `source` names the interface multicast leaves by.
 * - `source` is `*`, an interface name or an IP literal, without a port, never multicast, and
 *   only with a multicast host.
 *
 * The checks here need no lookups; udp.ts resolves names.
 */
export interface UdpAddress {
  /** As written, without brackets; `*` for any (bind only). */
  host: string;
  /** 0: any port (bind only). */
  port: number;
  /** The part before `;`, without brackets, or null. */
  source: string | null;
}

/** Splits and checks an address; throws EINVAL where libzmq does before any lookup. */
export function parseUdp(uri: string, address: string, bind: boolean): UdpAddress {
  const semicolon = address.lastIndexOf(";");
  const source = semicolon === -1 ? null : unbracket(address.slice(0, semicolon));
  const target = address.slice(semicolon + 1);
  const colon = target.lastIndexOf(":");
  if (colon === -1) throw zmqError("EINVAL", undefined, uri);
  return { host: unbracket(target.slice(0, colon)), port: parsePort(target.slice(colon + 1), uri, bind), source };
}

/** ip_resolver's port: `*` (bind only) and `0` are 0; otherwise atoi into a uint16, 0 is EINVAL. */
function parsePort(text: string, uri: string, bind: boolean): number {
  if (text === "*") {
    if (bind) return 0;
    throw zmqError("EINVAL", undefined, uri);
  }
  if (text === "0") return 0;
  const match = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(text);
  const port = (match === null ? 0 : Number.parseInt(match[1]!, 10) | 0) & 0xffff;
  if (port === 0) throw zmqError("EINVAL", undefined, uri);
  return port;
}

function unbracket(host: string): string {
  return host.length >= 2 && host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
