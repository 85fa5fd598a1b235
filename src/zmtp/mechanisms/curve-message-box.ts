import { poly1305 } from "@noble/ciphers/_poly1305.js";
import { hsalsa, salsa20 } from "@noble/ciphers/salsa.js";
import { equalBytes } from "@noble/ciphers/utils.js";
import { loadSodium, type Sodium } from "#platform/sodium";

/**
 * The secretboxes of one direction of a CURVE connection's traffic (RFC 26 §2.6): the session key
 * from crypto_box_beforenm, a 24-byte nonce of a fixed 16-byte prefix ("CurveZMQMESSAGEC" or
 * "…S") and an 8-byte counter. Boxes are sealed straight into the writer's batch and opened in
 * the received bytes, with no buffer of their own.
 *
 * Two composers of the same XSalsa20-Poly1305 (NaCl's crypto_secretbox), byte for byte:
 *   - libsodium's WebAssembly build (`#platform/sodium`, on Node, Bun and Deno) once it has
 *     loaded, for boxes up to WASM_MAX_BYTES;
 *   - @noble/ciphers' Salsa20 and Poly1305 otherwise (in a page, before the module is ready, and
 *     for larger boxes). XSalsa20(k, prefix ‖ n) is Salsa20(HSalsa20(k, prefix), n), and the
 *     prefix never changes, so HSalsa20 runs once per direction, not once per message.
 * Either way a box on the wire is the 16-byte tag followed by the ciphertext.
 */

export const TAG_BYTES = 16;
/** Boxes above this go through @noble/ciphers, so the module's heap never holds more. */
export const WASM_MAX_BYTES = 4 * 2 ** 20;

const SIGMA = new Uint32Array(new Uint8Array(Buffer.from("expand 32-byte k", "latin1")).buffer);
/** Salsa20's first keystream block: the Poly1305 key (bytes 0-31), then the pad of the first 32 plaintext bytes. */
const ZERO_BLOCK = new Uint8Array(64);
const block0 = new Uint8Array(64);

/** One shared scratch region in the module's heap: [key 32][nonce 24][tag 16][text …]. */
class WasmSecretbox {
  private scratch = 0;
  private capacity = 0;
  /** Whose key and nonce prefix are in the scratch (MessageBoxes.id): a run of boxes for one direction copies them once. */
  private keyOwner = 0;

  constructor(private readonly sodium: Sodium) {}

  /** The scratch's address, grown to hold `length` bytes of text; null when the module has no room. */
  private reserve(length: number): number | null {
    if (length <= this.capacity) return this.scratch;
    const capacity = Math.max(length, 2 * this.capacity, 16 * 1024);
    const scratch = this.sodium._malloc(72 + capacity);
    if (scratch === 0) return null;
    if (this.scratch !== 0) this.sodium._free(this.scratch);
    this.scratch = scratch;
    this.capacity = capacity;
    this.keyOwner = 0;
    return scratch;
  }

  private prepare(boxes: MessageBoxes, heap: Uint8Array, scratch: number): void {
    if (this.keyOwner === boxes.id) {
      heap.set(boxes.counter, scratch + 48);
      return;
    }
    heap.set(boxes.key, scratch);
    heap.set(boxes.nonce, scratch + 32);
    this.keyOwner = boxes.id;
  }

  seal(boxes: MessageBoxes, target: Uint8Array, at: number, flags: number, body: Uint8Array): boolean {
    const length = 1 + body.length;
    const scratch = this.reserve(length);
    if (scratch === null) return false;
    // HEAPU8 is replaced when the heap grows (reserve's malloc): read it after.
    const heap = this.sodium.HEAPU8;
    this.prepare(boxes, heap, scratch);
    const text = scratch + 72;
    heap[text] = flags;
    heap.set(body, text + 1);
    this.sodium._crypto_secretbox_detached(text, scratch + 56, text, length, 0, scratch + 32, scratch);
    target.set(heap.subarray(scratch + 56, text + length), at);
    return true;
  }

  /** A handshake box (tag, then ciphertext) of `plaintext` under its own key and nonce; null when the module has no room. */
  sealBox(key: Uint8Array, nonce24: Uint8Array, plaintext: Uint8Array): Buffer | null {
    const length = plaintext.length;
    const scratch = this.reserve(length);
    if (scratch === null) return null;
    const heap = this.sodium.HEAPU8;
    this.loadKey(heap, scratch, key, nonce24);
    const text = scratch + 72;
    heap.set(plaintext, text);
    this.sodium._crypto_secretbox_detached(text, scratch + 56, text, length, 0, scratch + 32, scratch);
    const out = Buffer.allocUnsafe(TAG_BYTES + length);
    out.set(heap.subarray(scratch + 56, text + length));
    return out;
  }

  /** The plaintext of a handshake box; false when it does not authenticate, null when the module has no room. */
  openBox(key: Uint8Array, nonce24: Uint8Array, box: Uint8Array): Buffer | false | null {
    const length = box.length - TAG_BYTES;
    const scratch = this.reserve(length);
    if (scratch === null) return null;
    const heap = this.sodium.HEAPU8;
    this.loadKey(heap, scratch, key, nonce24);
    const text = scratch + 72;
    heap.set(box, scratch + 56);
    if (this.sodium._crypto_secretbox_open_detached(text, text, scratch + 56, length, 0, scratch + 32, scratch) !== 0) {
      return false;
    }
    const out = Buffer.allocUnsafe(length);
    out.set(heap.subarray(text, text + length));
    return out;
  }

  /** A handshake's key and nonce in the scratch: no MessageBoxes' any more. */
  private loadKey(heap: Uint8Array, scratch: number, key: Uint8Array, nonce24: Uint8Array): void {
    heap.set(key, scratch);
    heap.set(nonce24, scratch + 32);
    this.keyOwner = 0;
  }

  open(boxes: MessageBoxes, box: Uint8Array, at: number, end: number): boolean | null {
    const length = end - at - TAG_BYTES;
    const scratch = this.reserve(length);
    if (scratch === null) return null;
    const heap = this.sodium.HEAPU8;
    this.prepare(boxes, heap, scratch);
    const text = scratch + 72;
    heap.set(box.subarray(at, end), scratch + 56);
    if (this.sodium._crypto_secretbox_open_detached(text, text, scratch + 56, length, 0, scratch + 32, scratch) !== 0) {
      return false;
    }
    box.set(heap.subarray(text, text + length), at + TAG_BYTES);
    return true;
  }
}

let wasm: WasmSecretbox | null = null;
let lastId = 0;
let loading: Promise<void> | null = null;

/**
 * Starts loading libsodium's module (once per process); boxes use it from when it is ready.
 * A runtime that cannot load it keeps @noble/ciphers.
 */
export function loadWasmSecretbox(): Promise<void> {
  loading ??= loadSodium().then(
    (sodium) => {
      if (sodium !== null) wasm = new WasmSecretbox(sodium);
    },
    () => {},
  );
  return loading;
}

/**
 * crypto_secretbox of a handshake box through the module: tag(16) + ciphertext, or null when
 * the module is not loaded (or has no room) and the caller must use @noble/ciphers.
 */
export function wasmSeal(key: Uint8Array, nonce24: Uint8Array, plaintext: Uint8Array): Buffer | null {
  if (wasm === null || plaintext.length >= WASM_MAX_BYTES) return null;
  return wasm.sealBox(key, nonce24, plaintext);
}

/**
 * crypto_secretbox_open of a handshake box (at least TAG_BYTES long) through the module: the
 * plaintext, false when the box does not authenticate, null when the caller must use @noble/ciphers.
 */
export function wasmOpen(key: Uint8Array, nonce24: Uint8Array, box: Uint8Array): Buffer | false | null {
  if (wasm === null || box.length >= WASM_MAX_BYTES) return null;
  return wasm.openBox(key, nonce24, box);
}

/** Which composer seals and opens boxes now (for tests and the bench's report). */
export function secretboxEngine(): "libsodium" | "noble" {
  return wasm === null ? "noble" : "libsodium";
}

/**
 * Test hook: "noble" makes every box use @noble/ciphers from now on, "libsodium" puts the module
 * back once it is loaded.
 */
export async function useSecretboxEngine(engine: "libsodium" | "noble"): Promise<void> {
  if (engine === "noble") {
    wasm = null;
    loading = Promise.resolve();
    return;
  }
  loading = null;
  await loadWasmSecretbox();
}

export class MessageBoxes {
  /** The 24-byte nonce; `counter` (its last 8 bytes) is set by the caller before each box. */
  readonly nonce: Uint8Array;
  readonly counter: Uint8Array;
  /** HSalsa20(key, prefix): the Salsa20 key of every box of this direction. */
  private readonly subkey: Uint8Array;
  /** Tells the module's scratch whose key it holds (a number: the scratch keeps no connection alive). */
  readonly id = ++lastId;

  constructor(
    /** crypto_box_beforenm of the two transient keys. */
    readonly key: Uint8Array,
    prefix: Uint8Array,
  ) {
    this.nonce = new Uint8Array(24);
    this.nonce.set(prefix);
    this.counter = this.nonce.subarray(16);
    const subkey = new Uint32Array(8);
    hsalsa(
      SIGMA,
      new Uint32Array(Uint8Array.from(key).buffer),
      new Uint32Array(Uint8Array.from(prefix).buffer),
      subkey,
    );
    this.subkey = new Uint8Array(subkey.buffer);
  }

  /** Writes the box of [flags, body] (tag, then ciphertext: 17 + body.length bytes) at `target[at..]`. */
  seal(target: Uint8Array, at: number, flags: number, body: Uint8Array): void {
    if (wasm !== null && body.length < WASM_MAX_BYTES && wasm.seal(this, target, at, flags, body)) return;
    const text = at + TAG_BYTES;
    const length = 1 + body.length;
    target[text] = flags;
    target.set(body, text + 1);
    salsa20(this.subkey, this.counter, ZERO_BLOCK, block0);
    this.xor(target, text, length);
    target.set(poly1305(target.subarray(text, text + length), block0.subarray(0, 32)), at);
  }

  /**
   * Opens the box at `box[at..end]` in place: on success the plaintext replaces the ciphertext
   * at `box[at + 16..end]`. False (the bytes untouched) when the box does not authenticate.
   */
  open(box: Uint8Array, at: number, end: number): boolean {
    if (wasm !== null && end - at < WASM_MAX_BYTES) {
      const opened = wasm.open(this, box, at, end);
      if (opened !== null) return opened;
    }
    const text = at + TAG_BYTES;
    salsa20(this.subkey, this.counter, ZERO_BLOCK, block0);
    // Poly1305 authenticates the ciphertext before anything is decrypted (NaCl's order).
    if (!equalBytes(poly1305(box.subarray(text, end), block0.subarray(0, 32)), box.subarray(at, text))) return false;
    this.xor(box, text, end - text);
    return true;
  }

  /** XORs `length` bytes at `buf[from..]` with the keystream after the Poly1305 key (block0 holds block 0). */
  private xor(buf: Uint8Array, from: number, length: number): void {
    const head = Math.min(32, length);
    for (let i = 0; i < head; i++) buf[from + i]! ^= block0[32 + i]!;
    if (length > 32) {
      const rest = buf.subarray(from + 32, from + length);
      salsa20(this.subkey, this.counter, rest, rest, 1);
    }
  }
}
