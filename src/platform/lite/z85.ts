import { zmqError } from "../../errors.js";
import type { curveKeyPair as fullKeyPair, z85Decode as fullDecode } from "../../zmtp/z85.js";

/**
 * `zmtp/browser-lite` has no CURVE, and Z85 is the text of CURVE keys: `curveKeyPair()` is ENOTSUP
 * (as zmq_curve_keypair without libsodium, and as ../../zmtp/z85.ts answers without CURVE), and a
 * CURVE option is EINVAL before any key is decoded. So the codec stays out of that bundle.
 */
export const curveKeyPair: typeof fullKeyPair = () => {
  throw zmqError("ENOTSUP");
};

export const z85Decode: typeof fullDecode = () => {
  throw zmqError("EINVAL");
};
