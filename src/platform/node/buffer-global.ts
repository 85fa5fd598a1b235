import { Buffer as NodeBuffer } from "node:buffer";

/**
 * Injected by the Node build (esbuild `inject`, scripts/build.mjs): every free `Buffer` in the
 * library becomes this module binding. Node 20's global `Buffer` is an accessor property of
 * globalThis, so each free reference would be a getter call, and the per-message paths
 * (`instanceof Buffer`, `Buffer.allocUnsafe`) make several.
 */
export const Buffer: typeof NodeBuffer = NodeBuffer;
