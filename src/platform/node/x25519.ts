import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";

/**
 * X25519 (RFC 7748) for CURVE on Node: OpenSSL's, through node:crypto. ../browser/x25519.ts is
 * the page's side (@noble/curves). A secret key is imported once into a handle, so that every
 * Diffie-Hellman with it skips the parsing.
 *
 * Keys go in as JWK where the runtime allows, not DER: Node 20's OpenSSL 3 DER decoder costs
 * 200-400 µs a key on the build machine, the raw JWK path 1-90 µs, and a CURVE handshake imports
 * a fresh key and two peer keys on each side.
 */

export type X25519Secret = KeyObject;

// DER wrapper that turns a raw 32-byte X25519 secret into something node:crypto imports (RFC 8410).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

/**
 * Node 20 and 22, Bun and Deno build an OKP private key from JWK's `d` alone (`x` must be a string
 * but is not read); Node 24 insists on the matching `x`, which is what is being computed: there,
 * after the first refusal, secrets go in as DER (which Node 24 decodes quickly).
 */
let jwkWithoutX = true;

function importSecret(secretKey: Uint8Array): KeyObject {
  const raw = Buffer.from(secretKey.buffer, secretKey.byteOffset, secretKey.byteLength);
  if (jwkWithoutX) {
    try {
      return createPrivateKey({
        key: { kty: "OKP", crv: "X25519", d: raw.toString("base64url"), x: "" },
        format: "jwk",
      });
    } catch {
      jwkWithoutX = false;
    }
  }
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: "der", type: "pkcs8" });
}

/** The handle of a 32-byte secret key and its public key (X25519(secret, 9)). */
export function x25519Import(secretKey: Uint8Array): { secret: X25519Secret; publicKey: Buffer } {
  const secret = importSecret(secretKey);
  const publicKey = Buffer.from(createPublicKey(secret).export({ format: "jwk" }).x!, "base64url");
  return { secret, publicKey };
}

/**
 * The last few peer public keys imported, by their JWK `x`. A handshake uses each transient key
 * twice (client: S' with c' and with c; server: C' with s and with s'), and a client's server
 * key or a server's frequent clients come back connection after connection.
 */
const publicKeys = new Map<string, KeyObject>();
const MAX_PUBLIC_KEYS = 8;

function importPublic(x: string): KeyObject {
  let key = publicKeys.get(x);
  if (key === undefined) {
    key = createPublicKey({ key: { kty: "OKP", crv: "X25519", x }, format: "jwk" });
    if (publicKeys.size >= MAX_PUBLIC_KEYS) publicKeys.delete(publicKeys.keys().next().value!);
  } else {
    publicKeys.delete(x);
  }
  publicKeys.set(x, key);
  return key;
}

/** X25519(secret, peer public key): 32 bytes, or null for a low-order point (an all-zero secret). */
export function x25519(secret: X25519Secret, peerPublicKey: Uint8Array): Uint8Array | null {
  try {
    const x = Buffer.from(peerPublicKey.buffer, peerPublicKey.byteOffset, peerPublicKey.byteLength).toString(
      "base64url",
    );
    return diffieHellman({ privateKey: secret, publicKey: importPublic(x) });
  } catch {
    return null;
  }
}
