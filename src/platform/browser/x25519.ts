import { montgomery } from "@noble/curves/abstract/montgomery.js";
import { pow } from "@noble/curves/abstract/modular.js";

/**
 * X25519 (RFC 7748) for CURVE in a page: @noble/curves' audited Montgomery ladder, built from
 * the curve's parameters as its documentation shows, which keeps the Edwards-curve code (and
 * 7 KB gzipped) out of the bundle. The side of ../node/x25519.ts that needs no node:crypto.
 */

export type X25519Secret = Uint8Array;

const P = 2n ** 255n - 19n;

const curve25519 = montgomery({
  P,
  type: "x25519",
  // RFC 7748 §5: the scalar's clamping.
  adjustScalarBytes(bytes: Uint8Array): Uint8Array {
    bytes[0]! &= 248;
    bytes[31]! &= 127;
    bytes[31]! |= 64;
    return bytes;
  },
  powPminus2: (x: bigint): bigint => pow(x, P - 2n, P),
});

export function x25519Import(secretKey: Uint8Array): { secret: X25519Secret; publicKey: Buffer } {
  const secret = Uint8Array.from(secretKey);
  const publicKey = curve25519.getPublicKey(secret);
  return { secret, publicKey: Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength) };
}

export function x25519(secret: X25519Secret, peerPublicKey: Uint8Array): Uint8Array | null {
  try {
    // @noble/curves refuses low-order points, as libsodium does (they would give all zeros).
    return curve25519.getSharedSecret(secret, peerPublicKey);
  } catch {
    return null;
  }
}
