import type { CurveSupport } from "./curve-support.js";

/** CURVE left out of the build, as libzmq without libsodium (see ./curve-support.ts). */
export const curve: CurveSupport | null = null;
