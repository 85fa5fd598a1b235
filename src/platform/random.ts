/**
 * Random bytes for every runtime from one code path: Web Crypto's `getRandomValues`, which Node
 * (≥ 19, as `globalThis.crypto`), Bun, Deno and browsers all have. The CSPRNG is the runtime's
 * (OpenSSL's on Node, as `randomFillSync` used).
 */

/** getRandomValues fills at most this many bytes per call (Web Crypto's QuotaExceededError). */
const MAX_PER_CALL = 65536;

/** Fills `view` with random bytes (a view of a SharedArrayBuffer too, on Node). */
export function randomFill<T extends Uint8Array | Int32Array | Uint32Array>(view: T): T {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let at = 0; at < bytes.length; at += MAX_PER_CALL) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(bytes.length, at + MAX_PER_CALL)));
  }
  return view;
}

/** `n` random bytes in a new Buffer. */
export function randomBytes(n: number): Buffer {
  return randomFill(Buffer.allocUnsafe(n));
}
