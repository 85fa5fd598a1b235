import { afterAll, describe, expect, it } from "vitest";
import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import {
  MessageBoxes,
  WASM_MAX_BYTES,
  secretboxEngine,
  useSecretboxEngine,
} from "../../../src/zmtp/mechanisms/curve-message-box.js";

/**
 * MESSAGE boxes sealed in place and opened in place, by libsodium's WebAssembly build and by
 * @noble/ciphers' primitives: the same bytes as NaCl's crypto_secretbox either way.
 */

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

// NaCl's crypto_box vector (tests/box.c, "Cryptography in NaCl" §10): beforenm key, nonce, message, box.
const KEY = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
const NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
const MESSAGE = hex(`
  be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705`);
const BOX = hex(`
  f3ffc7703f9400e52a7dfb4b3d3305d9
  8e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5`);

const SIZES = [0, 1, 15, 31, 32, 33, 63, 64, 65, 1000, 4096, 70_000];

function boxes(key: Uint8Array = KEY, nonce: Uint8Array = NONCE): MessageBoxes {
  const b = new MessageBoxes(key, nonce.subarray(0, 16));
  b.counter.set(nonce.subarray(16));
  return b;
}

function body(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

/** Seals [flags, body] at `at` in a larger buffer, as the frame writer does in its batch. */
function sealAt(b: MessageBoxes, flags: number, payload: Buffer, at = 5): Buffer {
  const target = Buffer.alloc(at + 17 + payload.length + 3, 0xee);
  b.seal(target, at, flags, payload);
  expect(target.subarray(0, at).every((x) => x === 0xee)).toBe(true);
  expect(target.subarray(at + 17 + payload.length).every((x) => x === 0xee)).toBe(true);
  return target.subarray(at, at + 17 + payload.length);
}

afterAll(() => useSecretboxEngine("libsodium"));

describe.each(["libsodium", "noble"] as const)("MESSAGE boxes with %s", (engine) => {
  it(`uses ${engine}`, async () => {
    await useSecretboxEngine(engine);
    expect(secretboxEngine()).toBe(engine);
  });

  it("seals NaCl's crypto_box test vector to its box (tag, then ciphertext)", async () => {
    await useSecretboxEngine(engine);
    expect(sealAt(boxes(), MESSAGE[0]!, MESSAGE.subarray(1)).toString("hex")).toBe(BOX.toString("hex"));
  });

  it("opens the vector's box in place: the message replaces the ciphertext", async () => {
    await useSecretboxEngine(engine);
    const wire = Buffer.concat([Buffer.from("xx"), BOX]);
    expect(boxes().open(wire, 2, wire.length)).toBe(true);
    expect(wire.subarray(18).equals(MESSAGE)).toBe(true);
  });

  it.each(SIZES)("a %i-byte body seals as xsalsa20poly1305 does and opens back", async (size) => {
    await useSecretboxEngine(engine);
    const payload = body(size);
    const sealed = Buffer.from(sealAt(boxes(), 3, payload));
    const expected = xsalsa20poly1305(KEY, NONCE).encrypt(Buffer.concat([Buffer.from([3]), payload]));
    expect(sealed.equals(Buffer.from(expected))).toBe(true);
    expect(boxes().open(sealed, 0, sealed.length)).toBe(true);
    expect(sealed[16]).toBe(3);
    expect(sealed.subarray(17).equals(payload)).toBe(true);
  });

  it("refuses a box with one flipped bit, a wrong counter or a wrong key, and leaves its bytes as they were", async () => {
    await useSecretboxEngine(engine);
    const sealed = Buffer.from(sealAt(boxes(), 0, body(100)));
    for (const at of [0, 15, 16, 17, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at]! ^= 0x01;
      const before = Buffer.from(bad);
      expect(boxes().open(bad, 0, bad.length)).toBe(false);
      expect(bad.equals(before)).toBe(true);
    }
    const otherCounter = boxes();
    otherCounter.counter[7]! ^= 1;
    expect(otherCounter.open(Buffer.from(sealed), 0, sealed.length)).toBe(false);
    expect(boxes(Buffer.alloc(32, 1)).open(Buffer.from(sealed), 0, sealed.length)).toBe(false);
  });

  it("boxes of two connections interleave without mixing keys or nonces", async () => {
    await useSecretboxEngine(engine);
    const a = boxes();
    const b = boxes(Buffer.alloc(32, 9), Buffer.alloc(24, 4));
    const reference = (key: Uint8Array, nonce: Uint8Array, payload: Buffer): Buffer =>
      Buffer.from(xsalsa20poly1305(key, nonce).encrypt(Buffer.concat([Buffer.from([0]), payload])));
    for (let i = 0; i < 4; i++) {
      a.counter[7] = i;
      b.counter[7] = i;
      const nonceA = Buffer.concat([NONCE.subarray(0, 16), a.counter]);
      const nonceB = Buffer.concat([Buffer.alloc(16, 4), b.counter]);
      expect(sealAt(a, 0, body(40)).equals(reference(KEY, nonceA, body(40)))).toBe(true);
      expect(sealAt(b, 0, body(40)).equals(reference(Buffer.alloc(32, 9), nonceB, body(40)))).toBe(true);
    }
  });
});

describe("MESSAGE boxes across engines", () => {
  it("a box sealed by libsodium opens with @noble/ciphers, and the reverse", async () => {
    for (const [from, to] of [
      ["libsodium", "noble"],
      ["noble", "libsodium"],
    ] as const) {
      await useSecretboxEngine(from);
      const sealed = Buffer.from(sealAt(boxes(), 1, body(5000)));
      await useSecretboxEngine(to);
      expect(boxes().open(sealed, 0, sealed.length)).toBe(true);
      expect(sealed.subarray(17).equals(body(5000))).toBe(true);
    }
  });

  it("a box larger than the module's heap budget goes through @noble/ciphers, with the same bytes", async () => {
    await useSecretboxEngine("libsodium");
    const payload = body(WASM_MAX_BYTES + 100);
    const sealed = Buffer.from(sealAt(boxes(), 0, payload));
    const expected = xsalsa20poly1305(KEY, NONCE).encrypt(Buffer.concat([Buffer.from([0]), payload]));
    expect(sealed.equals(Buffer.from(expected))).toBe(true);
    expect(boxes().open(sealed, 0, sealed.length)).toBe(true);
    expect(sealed.subarray(17).equals(payload)).toBe(true);
  });
});
