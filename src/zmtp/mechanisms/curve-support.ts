import type { CurveKeyPair } from "./curve-box.js";
import type { CurveClient, CurveServer } from "./curve.js";

/**
 * CURVE as the rest of the library reaches it: through `curve`, imported from `#curve` (package.json
 * "imports"), which is ./with-curve.ts in every build but the browser bundle built without it
 * (the "zmtp-without-curve" condition, ./without-curve.ts: null). Without CURVE zmtp answers as
 * a libzmq built without libsodium: CURVE options are EINVAL, zmq_curve_keypair ENOTSUP,
 * `capability.curve` false.
 */
export interface CurveSupport {
  generateKeyPair(): CurveKeyPair;
  keyPairFromSecret(secretKey: Uint8Array): CurveKeyPair;
  /**
   * Starts loading the box implementation (libsodium's WebAssembly build, ~20 ms of CPU once per
   * process) when a socket is given CURVE options, so that it is ready before the first handshake.
   */
  loadBoxes(): Promise<void>;
  readonly CurveClient: typeof CurveClient;
  readonly CurveServer: typeof CurveServer;
}

/** Bytes of a CURVE key, public or secret. */
export const KEY_BYTES = 32;
