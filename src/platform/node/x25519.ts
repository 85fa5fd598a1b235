import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";

/**
 * X25519 (RFC 7748) for CURVE on Node: OpenSSL's, through node:crypto. ../browser/x25519.ts is
 * the page's side (@noble/curves). A secret key is imported once into a handle, so that every
 * Diffie-Hellman with it skips the parsing.
 */

export type X25519Secret = KeyObject;

// DER wrappers that turn a raw 32-byte X25519 key into something node:crypto imports (RFC 8410).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

/** The handle of a 32-byte secret key and its public key (X25519(secret, 9)). */
export function x25519Import(secretKey: Uint8Array): { secret: X25519Secret; publicKey: Buffer } {
  const secret = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(secret).export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
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
