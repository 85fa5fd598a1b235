import { ProtocolError } from "../errors.js";

/** RFC 23 §2.3: the greeting is always 64 bytes. */
export const GREETING_SIZE = 64;
const MECHANISM_OFFSET = 12;
const MECHANISM_SIZE = 20;

export interface Greeting {
  major: number;
  minor: number;
  /** Mechanism name as sent, NUL padding removed. */
  mechanism: string;
  asServer: boolean;
}

/** Our greeting: always ZMTP 3.1, padding zero, as-server only for PLAIN/CURVE servers. */
export function encodeGreeting(mechanism: string, asServer: boolean): Buffer {
  const buf = Buffer.alloc(GREETING_SIZE);
  buf[0] = 0xff;
  buf[9] = 0x7f;
  buf[10] = 3;
  buf[11] = 1;
  buf.write(mechanism, MECHANISM_OFFSET, MECHANISM_SIZE, "latin1");
  buf[32] = asServer ? 1 : 0;
  return buf;
}

/** The 20-byte NUL-padded mechanism field, for the exact comparison libzmq performs. */
function mechanismField(buf: Buffer): string {
  const field = buf.subarray(MECHANISM_OFFSET, MECHANISM_OFFSET + MECHANISM_SIZE);
  const end = field.indexOf(0);
  return field.toString("latin1", 0, end === -1 ? MECHANISM_SIZE : end);
}

/**
 * Checks what is known of a greeting from its first `length` bytes, so a bad peer is refused
 * as early as libzmq refuses it (signature after 10 bytes, version after 11). Throws a
 * ProtocolError; returns nothing while the prefix is acceptable.
 */
export function checkGreetingPrefix(buf: Buffer, length: number): void {
  if (length >= 1 && buf[0] !== 0xff) {
    throw new ProtocolError("ERR_ZMTP_UNSPECIFIED", "peer is not ZMTP 3 (bad signature start)");
  }
  // RFC 23 §2.3: only bit 0 of the signature's last byte is significant (libzmq's padding is not zero).
  if (length >= 10 && (buf[9]! & 1) === 0) {
    throw new ProtocolError("ERR_ZMTP_UNSPECIFIED", "peer is not ZMTP 3 (bad signature end)");
  }
  // RFC 37 §2.2: a peer that cannot downgrade closes; we speak 3.0 and 3.1 only.
  if (length >= 11 && buf[10]! < 3) {
    throw new ProtocolError("ERR_ZMTP_UNSPECIFIED", `peer speaks ZMTP ${buf[10]}.x; only 3.x is supported`);
  }
}

/** Decodes a complete 64-byte greeting. Padding and filler are never validated (libzmq fills them). */
export function decodeGreeting(buf: Buffer): Greeting {
  if (buf.length < GREETING_SIZE) {
    throw new ProtocolError("ERR_ZMTP_UNSPECIFIED", "greeting shorter than 64 bytes");
  }
  checkGreetingPrefix(buf, GREETING_SIZE);
  const major = buf[10]!;
  // A peer announcing 4.x is handled as 3.1, as libzmq does.
  const minor = major > 3 ? 1 : buf[11]!;
  return { major: 3, minor: minor >= 1 ? 1 : 0, mechanism: mechanismField(buf), asServer: buf[32] === 1 };
}

/** True when the peer's 20-byte mechanism field equals ours exactly (RFC 23 §2.3). */
export function sameMechanism(peerGreeting: Buffer, mechanism: string): boolean {
  const expected = Buffer.alloc(MECHANISM_SIZE);
  expected.write(mechanism, 0, MECHANISM_SIZE, "latin1");
  return expected.equals(peerGreeting.subarray(MECHANISM_OFFSET, MECHANISM_OFFSET + MECHANISM_SIZE));
}
