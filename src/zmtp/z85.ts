import { curve } from "#curve";
import { zmqError } from "../errors.js";
import { KEY_BYTES } from "./mechanisms/curve-support.js";

/**
 * Z85 (RFC 32): 4 bytes ↔ 5 printable characters, the text form of CURVE keys (32 bytes ↔ 40
 * characters). There is no padding scheme; lengths must be multiples of 4 and 5.
 */

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes (length a multiple of 4) as Z85 text. */
export function z85Encode(data: Uint8Array): string {
  if (data.length % 4 !== 0) {
    throw zmqError("EINVAL", `Z85 encodes whole 4-byte groups: ${data.length} bytes is not a multiple of 4`);
  }
  let out = "";
  for (let i = 0; i < data.length; i += 4) {
    // RFC 32 §2: each group is a big-endian uint32, written most significant digit first.
    let value = ((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0;
    const group = new Array<string>(5);
    for (let j = 4; j >= 0; j--) {
      group[j] = ALPHABET[value % 85]!;
      value = Math.floor(value / 85);
    }
    out += group.join("");
  }
  return out;
}

/** Decodes Z85 text (length a multiple of 5). Throws EINVAL on a foreign character or an overflowing group. */
export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0) {
    throw zmqError("EINVAL", `Z85 text comes in 5-character groups: length ${text.length} is not a multiple of 5`);
  }
  const out = Buffer.allocUnsafe((text.length / 5) * 4);
  for (let i = 0, at = 0; i < text.length; i += 5, at += 4) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const code = text.charCodeAt(i + j);
      const digit = code < 128 ? DECODE[code]! : -1;
      if (digit < 0)
        throw zmqError("EINVAL", `Invalid Z85 character ${JSON.stringify(text[i + j])} at offset ${i + j}`);
      value = value * 85 + digit;
    }
    // Five digits reach 85^5 - 1 > 2^32 - 1; libzmq rejects such groups (docs/protocol.md §10).
    if (value > 0xffffffff) throw zmqError("EINVAL", `Z85 group at offset ${i} exceeds 2^32 - 1`);
    out.writeUInt32BE(value, at);
  }
  return out;
}

/**
 * A CURVE key from an option value: 40 Z85 characters (41 with libzmq's trailing NUL), or the 32
 * raw bytes (as a Buffer, or a latin1 string as our string options store buffers). EINVAL otherwise.
 */
export function decodeCurveKey(value: string | Uint8Array, what = "CURVE key"): Buffer {
  if (typeof value !== "string") {
    if (value.length === KEY_BYTES) return Buffer.from(value);
    value = Buffer.from(value).toString("latin1");
  }
  if (value.length === 41 && value.charCodeAt(40) === 0) value = value.slice(0, 40);
  if (value.length === 40) {
    try {
      return z85Decode(value);
    } catch (err) {
      throw zmqError("EINVAL", `Invalid ${what}: ${(err as Error).message}`);
    }
  }
  if (value.length === KEY_BYTES) return Buffer.from(value, "latin1");
  throw zmqError("EINVAL", `Invalid ${what}: expected 40 Z85 characters or 32 bytes, got ${value.length}`);
}

/**
 * A new CURVE key pair as 40-character Z85 strings, as zeromq.js's `curveKeyPair()`; ENOTSUP in a
 * build without CURVE, as zmq_curve_keypair without libsodium.
 */
export function curveKeyPair(): { publicKey: string; secretKey: string } {
  if (curve === null) throw zmqError("ENOTSUP");
  const pair = curve.generateKeyPair();
  return { publicKey: z85Encode(pair.publicKey), secretKey: z85Encode(pair.secretKey) };
}

/** The Z85 public key of a Z85 (or raw) secret key, as libzmq's `zmq_curve_public` (ENOTSUP without CURVE). */
export function curvePublicKey(secretKey: string | Uint8Array): string {
  if (curve === null) throw zmqError("ENOTSUP");
  return z85Encode(curve.keyPairFromSecret(decodeCurveKey(secretKey, "CURVE secret key")).publicKey);
}
