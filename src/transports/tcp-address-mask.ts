/**
 * Numeric IP addresses and networks as libzmq reads them with getaddrinfo(AI_NUMERICHOST): the
 * networks of ZMQ_TCP_ACCEPT_FILTER (tcp_address_mask_t) and the address a SOCKS5 CONNECT names.
 * Pure functions; nothing here looks a name up.
 */

/** A network: 4 bytes (IPv4) or 16 (IPv6, IPv4 mapped into it when the socket has `ipv6`). */
export interface AddressMask {
  readonly bytes: Uint8Array;
  /** Leading bits compared; 0 matches every address of the family. */
  readonly prefix: number;
}

/**
 * glibc's inet_aton, which getaddrinfo uses for numeric IPv4: one to four parts, each decimal,
 * octal (leading 0) or hex (0x), the last filling the remaining bytes ("127.1" is 127.0.0.1).
 */
export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    if (/^0[xX][0-9a-fA-F]+$/.test(part)) values.push(Number.parseInt(part.slice(2), 16));
    else if (/^0[0-7]*$/.test(part)) values.push(Number.parseInt(part, 8));
    else if (/^[1-9][0-9]*$/.test(part)) values.push(Number(part));
    else return null;
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  let n = last;
  values.forEach((v, i) => (n += v * 2 ** (8 * (3 - i))));
  return Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** inet_pton(AF_INET6): hex groups, one `::`, an optional dotted quad at the end. */
export function parseIpv6(text: string): Uint8Array | null {
  let head = text;
  const tailStart = text.lastIndexOf(":") + 1;
  if (text.includes(".", tailStart)) {
    const quad = text.slice(tailStart);
    const v4 = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(quad) ? parseIpv4(quad) : null;
    if (v4 === null || tailStart === 0) return null;
    head = `${text.slice(0, tailStart)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): number[] =>
    s === "" ? [] : s.split(":").map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const before = groups(halves[0]!);
  const after = halves.length === 2 ? groups(halves[1]!) : [];
  const count = before.length + after.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = [...before, ...new Array<number>(8 - count).fill(0), ...after];
  if (all.some(Number.isNaN)) return null;
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 255;
  });
  return bytes;
}

/** An IPv4 address as IPv6 sees it (::ffff:a.b.c.d, getaddrinfo's AI_V4MAPPED). */
function mapped(v4: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes[10] = bytes[11] = 255;
  bytes.set(v4, 12);
  return bytes;
}

/**
 * libzmq's ip_resolver for a filter: brackets and a zone (`%lo`, `%2`) are dropped, then the
 * address must be numeric in the socket's family: IPv4 only without `ipv6`, IPv6 (an IPv4 address
 * mapped into it) with it.
 */
function numericAddress(text: string, ipv6: boolean): Uint8Array | null {
  let address = text.length >= 2 && text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = address.lastIndexOf("%");
  if (zone !== -1) {
    const name = address.slice(zone + 1);
    // An interface name, or a non-zero index as atoi() reads it.
    if (name === "" || (!/^[a-zA-Z]/.test(name) && atoi(name) === 0)) return null;
    address = address.slice(0, zone);
  }
  const v4 = parseIpv4(address);
  if (v4 !== null) return ipv6 ? mapped(v4) : v4;
  return ipv6 ? parseIpv6(address) : null;
}

/** C's strtol/atoi in base 10: leading blanks and a sign, then digits up to the first other character. */
function atoi(text: string): number {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match === null ? 0 : Number(match[1]);
}

/**
 * A ZMQ_TCP_ACCEPT_FILTER value, `address[/prefix]`, resolved in the family the socket's `ipv6`
 * option gives when the filter is set (tcp_address_mask_t::resolve); null where libzmq says EINVAL.
 * With `ipv6` an IPv4 network is mapped, and its prefix counts IPv6 bits (libzmq does the same).
 */
export function parseAddressMask(text: string, ipv6: boolean): AddressMask | null {
  const slash = text.lastIndexOf("/");
  const bytes = numericAddress(slash === -1 ? text : text.slice(0, slash), ipv6);
  if (bytes === null) return null;
  const full = bytes.length * 8;
  if (slash === -1) return { bytes, prefix: full };
  const prefixText = text.slice(slash + 1);
  if (prefixText === "0") return { bytes, prefix: 0 };
  const prefix = atoi(prefixText);
  return prefix >= 1 && prefix <= full ? { bytes, prefix } : null;
}

/**
 * Whether a peer (Node's remoteAddress and remoteFamily, as the kernel reported the peer: an IPv4
 * peer of a dual-stack listener is ::ffff:a.b.c.d) is in the network (match_address): a network of
 * the other family never matches.
 */
export function matchesMask(mask: AddressMask, address: string, family: string): boolean {
  const zone = address.indexOf("%");
  const host = zone === -1 ? address : address.slice(0, zone);
  const peer = family === "IPv6" ? parseIpv6(host) : parseIpv4(host);
  if (peer === null || peer.length !== mask.bytes.length) return false;
  const full = mask.prefix >> 3;
  for (let i = 0; i < full; i++) if (peer[i] !== mask.bytes[i]) return false;
  const bits = mask.prefix & 7;
  if (bits === 0) return true;
  const keep = (0xff << (8 - bits)) & 0xff;
  return (peer[full]! & keep) === (mask.bytes[full]! & keep);
}
