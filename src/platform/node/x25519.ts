import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";

/**
 * X25519 (RFC 7748) for CURVE on Node: OpenSSL's, through node:crypto. ../browser/x25519.ts is
 * the page's side (@noble/curves). A secret key is imported once into a handle, so that every
 * Diffie-Hellman with it skips the parsing.
 *
 * Keys go in and out as JWK, not DER: OpenSSL 3's DER decoders cost 200-400 µs a key on the
 * build machine, the raw JWK path 1-90 µs, and a CURVE handshake imports a fresh key and two
 * peer keys on each side.
 */

export type X25519Secret = KeyObject;

/** The handle of a 32-byte secret key and its public key (X25519(secret, 9)). */
export function x25519Import(secretKey: Uint8Array): { secret: X25519Secret; publicKey: Buffer } {
  // Node builds an OKP private key from `d` alone; `x` must be a string but is not read.
  const d = Buffer.from(secretKey.buffer, secretKey.byteOffset, secretKey.byteLength).toString("base64url");
  const secret = createPrivateKey({ key: { kty: "OKP", crv: "X25519", d, x: "" }, format: "jwk" });
  const publicKey = Buffer.from(createPublicKey(secret).export({ format: "jwk" }).x!, "base64url");
  return { secret, publicKey };
}

/** X25519(secret, peer public key): 32 bytes, or null for a low-order point (an all-zero secret). */
export function x25519(secret: X25519Secret, peerPublicKey: Uint8Array): Uint8Array | null {
  try {
    const x = Buffer.from(peerPublicKey.buffer, peerPublicKey.byteOffset, peerPublicKey.byteLength).toString(
      "base64url",
    );
    const publicKey = createPublicKey({ key: { kty: "OKP", crv: "X25519", x }, format: "jwk" });
    return diffieHellman({ privateKey: secret, publicKey });
  } catch {
    return null;
  }
}
