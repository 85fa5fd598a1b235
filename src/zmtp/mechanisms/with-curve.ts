import { generateKeyPair, keyPairFromSecret } from "./curve-box.js";
import { CurveClient, CurveServer } from "./curve.js";
import { loadWasmSecretbox } from "./curve-message-box.js";
import type { CurveSupport } from "./curve-support.js";

/** CURVE built in (see ./curve-support.ts). */
export const curve: CurveSupport | null = {
  generateKeyPair,
  keyPairFromSecret,
  loadBoxes: loadWasmSecretbox,
  CurveClient,
  CurveServer,
};
