import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { x25519, x25519Import, type X25519Secret } from "#platform/x25519";
import { randomBytes } from "../../platform/random.js";
import { wasmOpen, wasmSeal } from "./curve-message-box.js";
import { KEY_BYTES } from "./curve-support.js";

/**
 * The NaCl primitives CurveZMQ is built on (RFC 26 §2.1), from audited libraries: X25519 from
 * the platform (node:crypto's OpenSSL on Node, @noble/curves in a browser), HSalsa20 from
 * @noble/ciphers, XSalsa20-Poly1305 from libsodium's WebAssembly build once it has loaded
 * (./curve-message-box.ts) and from @noble/ciphers before that and in a page. A box on the wire
 * is the 16-byte Poly1305 tag followed by the ciphertext (NaCl's "easy" layout); the classic
 * API's zero padding never leaves this file (docs/protocol.md §8.2).
 */

export { KEY_BYTES };
/** Bytes a box adds to its plaintext. */
export const BOX_OVERHEAD = 16;
export const NONCE_BYTES = 24;

const SIGMA = new Uint32Array(new Uint8Array(Buffer.from("expand 32-byte k", "latin1")).buffer);
const ZERO_NONCE = new Uint32Array(4);

/** A Curve25519 key pair; `privateKey` is the platform's handle, so X25519 never re-parses it. */
export interface CurveKeyPair {
  readonly publicKey: Buffer;
  readonly secretKey: Buffer;
  /** @internal */
  readonly privateKey: X25519Secret;
}

/**
 * A fresh key pair from 32 random bytes (libsodium's crypto_box_keypair does the same; X25519
 * clamps the secret). Not generateKeyPairSync: on Node 20 a GC that finalises its key-generation
 * job while the new key is being exported deadlocks the process (seen as a hung test worker).
 */
export function generateKeyPair(): CurveKeyPair {
  return keyPairFromSecret(randomBytes(KEY_BYTES));
}

/** The key pair of a 32-byte secret key (`zmq_curve_public`: public = X25519(secret, 9)). */
export function keyPairFromSecret(secretKey: Uint8Array): CurveKeyPair {
  if (secretKey.length !== KEY_BYTES) throw new RangeError(`a CURVE secret key has ${KEY_BYTES} bytes`);
  const { secret, publicKey } = x25519Import(secretKey);
  return { publicKey, secretKey: Buffer.from(secretKey), privateKey: secret };
}

/**
 * crypto_box_beforenm: HSalsa20(X25519(own secret, peer public), 0). Returns null when the peer's
 * key is a low-order point (the shared secret would be all zeros; libsodium refuses it too).
 */
export function sharedKey(own: CurveKeyPair, peerPublicKey: Uint8Array): Buffer | null {
  const shared = x25519(own.privateKey, peerPublicKey);
  if (shared === null) return null;
  const key = new Uint32Array(8);
  hsalsa(
    SIGMA,
    new Uint32Array(shared.buffer.slice(shared.byteOffset, shared.byteOffset + KEY_BYTES)),
    ZERO_NONCE,
    key,
  );
  return Buffer.from(key.buffer);
}

/** 24-byte nonce: an ASCII prefix followed by `tail` (a counter or random bytes). */
export function nonce(prefix: Buffer, tail: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(NONCE_BYTES);
  prefix.copy(out, 0);
  out.set(tail, prefix.length);
  return out;
}

/** crypto_box_afternm / crypto_secretbox: tag(16) + ciphertext. */
export function seal(plaintext: Uint8Array, nonce24: Uint8Array, key: Uint8Array): Buffer {
  const sealed = wasmSeal(key, nonce24, plaintext);
  if (sealed !== null) return sealed;
  const out = xsalsa20poly1305(key, nonce24).encrypt(plaintext);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** crypto_box_open_afternm / crypto_secretbox_open; null when the box does not authenticate. */
export function open(box: Uint8Array, nonce24: Uint8Array, key: Uint8Array): Buffer | null {
  if (box.length < BOX_OVERHEAD) return null;
  const opened = wasmOpen(key, nonce24, box);
  if (opened !== null) return opened === false ? null : opened;
  try {
    const out = xsalsa20poly1305(key, nonce24).decrypt(box);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return null;
  }
}
