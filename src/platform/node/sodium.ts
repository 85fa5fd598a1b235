import { randomFill } from "../random.js";

/**
 * libsodium's WebAssembly build (the `libsodium` package, libsodium.js by libsodium's author) for
 * CURVE's MESSAGE boxes on Node, Bun and Deno: its XSalsa20-Poly1305 runs about three times as
 * fast as @noble/ciphers' JavaScript. The module (wasm embedded as base64, no fs, no install
 * step) compiles asynchronously, so it is loaded on first use and CURVE uses @noble/ciphers until
 * it is ready. ../browser/sodium.ts keeps it out of a page's bundle (135 KB gzipped).
 */

/** The part of the module CURVE calls: the heap and the detached secretbox (i64 lengths as lo, hi). */
export interface Sodium {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _crypto_secretbox_detached(c: number, mac: number, m: number, mLo: number, mHi: number, n: number, k: number): number;
  _crypto_secretbox_open_detached(
    m: number,
    c: number,
    mac: number,
    cLo: number,
    cHi: number,
    n: number,
    k: number,
  ): number;
}

interface SodiumModule extends Sodium {
  _sodium_init(): number;
}

/** Resolves with the initialised module, or null where it cannot run (no WebAssembly). */
export async function loadSodium(): Promise<Sodium | null> {
  if ((globalThis as { WebAssembly?: unknown }).WebAssembly === undefined) return null;
  // A variable specifier: the package ships no types, and bundlers leave it to the runtime.
  const specifier = "libsodium";
  const { default: instantiate } = (await import(specifier)) as {
    default: (module: { getRandomValue(): number }) => Promise<SodiumModule>;
  };
  // libsodium seeds its own generator at init; CURVE draws its randomness elsewhere, but the
  // module refuses to start without a source (and finds none of its own under Node's ESM).
  const word = new Uint32Array(1);
  const sodium = await instantiate({ getRandomValue: () => randomFill(word)[0]! });
  if (sodium._sodium_init() < 0) return null;
  return sodium;
}
