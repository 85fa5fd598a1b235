/**
 * The SOCKS5 client messages libzmq sends (socks.cpp) and the replies it accepts: RFC 1928 method
 * selection and CONNECT, RFC 1929 username/password. Pure functions over bytes.
 */
import { parseIpv4, parseIpv6 } from "./tcp-address-mask.js";

/** RFC 1928 §3 method numbers libzmq knows. */
export const NO_AUTH = 0x00;
export const USERNAME_PASSWORD = 0x02;

/**
 * RFC 1928 §3: version 5 and one method. libzmq offers exactly one, username/password when
 * ZMQ_SOCKS_USERNAME is set and no authentication otherwise.
 */
export function encodeGreeting(method: number): Uint8Array {
  return Uint8Array.of(5, 1, method);
}

/** RFC 1929 §2: version 1, then the username and the password, each with a length byte. */
export function encodeAuthRequest(username: Uint8Array, password: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + username.length + password.length);
  out[0] = 1;
  out[1] = username.length;
  out.set(username, 2);
  out[2 + username.length] = password.length;
  out.set(password, 3 + username.length);
  return out;
}

/**
 * The host and port libzmq's socks connecter takes from a tcp endpoint's address (parse_address):
 * the port after the last ':', the host before it without IPv6 brackets. null when the port reads
 * as 0 (a uint16 of atoi, as libzmq).
 */
export function splitTarget(address: string): { host: string; port: number } | null {
  const colon = address.lastIndexOf(":");
  if (colon === -1) return null;
  const bracketed = colon >= 2 && address.startsWith("[") && address[colon - 1] === "]";
  const host = bracketed ? address.slice(1, colon - 1) : address.slice(0, colon);
  const match = /^\s*([+-]?\d+)/.exec(address.slice(colon + 1));
  const port = (match === null ? 0 : Number(match[1])) & 0xffff;
  return port === 0 ? null : { host, port };
}

/**
 * RFC 1928 §4: CONNECT. libzmq names the target by address when the host is numeric (ATYP 1 or 4,
 * getaddrinfo with AI_NUMERICHOST) and otherwise by name (ATYP 3): the proxy resolves it.
 * null when a name is longer than the 255 bytes a SOCKS request can carry.
 */
export function encodeConnectRequest(host: string, port: number): Uint8Array | null {
  const zone = host.indexOf("%");
  const v4 = parseIpv4(host);
  const v6 = v4 === null ? parseIpv6(zone === -1 ? host : host.slice(0, zone)) : null;
  const name = v4 === null && v6 === null ? new TextEncoder().encode(host) : null;
  if (name !== null && name.length > 255) return null;
  const address = v4 !== null ? [1, ...v4] : v6 !== null ? [4, ...v6] : [3, name!.length, ...name!];
  return Uint8Array.of(5, 1, 0, ...address, port >> 8, port & 255);
}

/** How far a reply has come: wait for more bytes, done (with its length), or broken. */
export type ReplyStatus = { kind: "more" } | { kind: "done"; length: number; code: number } | { kind: "bad" };

const MORE: ReplyStatus = { kind: "more" };
const BAD: ReplyStatus = { kind: "bad" };

/** RFC 1928 §3: the method the server chose. libzmq checks only the version byte. */
export function readChoice(bytes: Uint8Array): ReplyStatus {
  if (bytes.length >= 1 && bytes[0] !== 5) return BAD;
  return bytes.length < 2 ? MORE : { kind: "done", length: 2, code: bytes[1]! };
}

/** RFC 1929 §2: the server's verdict on the username and password (version 1, status 0 = success). */
export function readAuthReply(bytes: Uint8Array): ReplyStatus {
  if (bytes.length >= 1 && bytes[0] !== 1) return BAD;
  return bytes.length < 2 ? MORE : { kind: "done", length: 2, code: bytes[1]! };
}

/**
 * RFC 1928 §6: the CONNECT reply, checked as libzmq's decoder checks it (version 5, a reply code
 * up to 8, reserved 0, address type 1, 3 or 4); its bound address is skipped.
 */
export function readConnectReply(bytes: Uint8Array): ReplyStatus {
  const [version, code, reserved, type] = bytes;
  if (version !== undefined && version !== 5) return BAD;
  if (code !== undefined && code > 8) return BAD;
  if (reserved !== undefined && reserved !== 0) return BAD;
  if (type === undefined) return MORE;
  if (type !== 1 && type !== 3 && type !== 4) return BAD;
  if (type === 3 && bytes.length < 5) return MORE;
  const length = type === 1 ? 10 : type === 4 ? 22 : 7 + bytes[4]!;
  return bytes.length < length ? MORE : { kind: "done", length, code: code! };
}
