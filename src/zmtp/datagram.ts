/**
 * The UDP datagram layouts of libzmq's udp_engine (4.3.5), pure functions:
 *
 * - RADIO/DISH: `group-length(1) group body`, one message per datagram.
 * - DGRAM: the datagram is the body; the peer's address travels beside it, as a frame
 *   `"a.b.c.d:port\0"` on receive and a frame `"a.b.c.d:port"` naming the destination on send.
 *
 * libzmq reads at most MAX_UDP_MSG bytes of a datagram: longer ones arrive cut to that size.
 */
export const MAX_UDP_MSG = 8192;

export function encodeGroupDatagram(group: Buffer, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(1 + group.length + body.length);
  out[0] = group.length;
  group.copy(out, 1);
  body.copy(out, 1 + group.length);
  return out;
}

export interface GroupDatagram {
  group: Buffer;
  body: Buffer;
}

/**
 * A RADIO's datagram as a DISH reads it: views into `datagram`, or null when the group does not
 * fit (libzmq ignores those). The length byte is unsigned here; libzmq 4.3.5 reads it as a
 * signed char and aborts on groups of 128 bytes or more.
 */
export function decodeGroupDatagram(datagram: Buffer): GroupDatagram | null {
  const data = datagram.length > MAX_UDP_MSG ? datagram.subarray(0, MAX_UDP_MSG) : datagram;
  if (data.length === 0) return null;
  const groupLength = data[0]!;
  if (data.length - 1 < groupLength) return null;
  return { group: data.subarray(1, 1 + groupLength), body: data.subarray(1 + groupLength) };
}

/** A DGRAM datagram's body as libzmq delivers it: cut to MAX_UDP_MSG. */
export function datagramBody(datagram: Buffer): Buffer {
  return datagram.length > MAX_UDP_MSG ? datagram.subarray(0, MAX_UDP_MSG) : datagram;
}

/** The address frame a DGRAM receives: inet_ntoa's text, a colon, the port, and a NUL. */
export function encodeDatagramAddress(address: string, port: number): Buffer {
  return Buffer.from(`${address}:${port}\0`, "latin1");
}

export interface DatagramAddress {
  /** An IPv4 address in dotted decimal. */
  address: string;
  port: number;
}

/**
 * The destination a DGRAM sends to, as libzmq's resolve_raw_address reads the address frame:
 * host before the last colon, read by inet_addr (IPv4 only, no host names), the port by atoi;
 * port 0 and an unreadable host make it null (libzmq then drops the message).
 */
export function decodeDatagramAddress(frame: Buffer): DatagramAddress | null {
  const colon = frame.lastIndexOf(0x3a);
  if (colon === -1) return null;
  const port = atoi(cString(frame.subarray(colon + 1))) & 0xffff;
  if (port === 0) return null;
  const ip = inetAddr(cString(frame.subarray(0, colon)));
  if (ip === null) return null;
  return { address: `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`, port };
}

/** The text of bytes read as a C string (up to the first NUL). */
function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.toString("latin1", 0, end === -1 ? bytes.length : end);
}

/** C's atoi: optional whitespace and sign, then digits up to the first non-digit. */
function atoi(text: string): number {
  const match = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(text);
  return match === null ? 0 : Number.parseInt(match[1]!, 10) | 0;
}

const WHITESPACE = /^[\t\n\v\f\r ]/;

/**
 * glibc's inet_addr: one to four parts, each decimal, octal (leading 0) or hex (0x), the last
 * filling the remaining bytes; trailing text is allowed after whitespace. 255.255.255.255 is
 * INADDR_NONE and so unusable, as in libzmq. Returns the address as a uint32, or null.
 */
export function inetAddr(text: string): number | null {
  const parts: number[] = [];
  let i = 0;
  for (;;) {
    const match = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(text.slice(i));
    if (match === null) return null;
    const digits = match[1]!;
    const value =
      digits.length > 1 && (digits[1] === "x" || digits[1] === "X")
        ? Number.parseInt(digits.slice(2), 16)
        : digits.startsWith("0")
          ? Number.parseInt(digits, 8) || 0
          : Number.parseInt(digits, 10);
    if (!Number.isFinite(value) || value > 0xffffffff) return null;
    parts.push(value);
    i += digits.length;
    if (text[i] === "." && parts.length < 4) {
      i += 1;
      continue;
    }
    break;
  }
  if (i < text.length && !WHITESPACE.test(text.slice(i))) return null;
  const last = parts[parts.length - 1]!;
  const limits = [0xffffffff, 0xffffff, 0xffff, 0xff];
  if (last > limits[parts.length - 1]!) return null;
  for (let k = 0; k < parts.length - 1; k++) if (parts[k]! > 0xff) return null;
  let ip = last;
  for (let k = 0; k < parts.length - 1; k++) ip += parts[k]! * 2 ** (24 - 8 * k);
  ip >>>= 0;
  return ip === 0xffffffff ? null : ip;
}
