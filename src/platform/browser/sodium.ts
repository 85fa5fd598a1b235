import type { Sodium } from "../node/sodium.js";

/**
 * In a page CURVE's MESSAGE boxes stay with @noble/ciphers: libsodium's WebAssembly build would
 * add 135 KB gzipped to a bundle whose budget is 80 KB (see ../node/sodium.ts).
 */

export type { Sodium };

export function loadSodium(): Promise<Sodium | null> {
  return Promise.resolve(null);
}
