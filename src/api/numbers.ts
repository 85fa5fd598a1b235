/**
 * JavaScript numbers to the C integer types of libzmq's option calls, as the binding converts
 * them (N-API's `napi_get_value_*`, and zeromq.js's own cast for uint64).
 */

/** int32_t: ToInt32 (fractions truncated, wrapped modulo 2^32, NaN and infinities are 0). */
export function toInt32(value: number): number {
  return value | 0;
}

/** uint32_t: ToUint32. */
export function toUint32(value: number): number {
  return value >>> 0;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** int64_t: truncated, saturating at the int64 range; NaN and infinities are 0. */
export function toInt64(value: number): bigint {
  if (!Number.isFinite(value)) return 0n;
  if (value >= 2 ** 63) return INT64_MAX;
  if (value <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(value));
}

export const MAX_SAFE_INTEGER_WARNING =
  "Value is larger than Number.MAX_SAFE_INTEGER and may have been rounded inaccurately.";

/**
 * uint64_t as zeromq.js casts it: negative values are 0, values from 2^64 up are the maximum;
 * `warn` is called for values above Number.MAX_SAFE_INTEGER (zeromq.js emits a process warning).
 */
export function toUint64(value: number, warn: (message: string) => void): bigint {
  if (value < 0 || Number.isNaN(value)) return 0n;
  if (value > Number.MAX_SAFE_INTEGER) warn(MAX_SAFE_INTEGER_WARNING);
  if (value >= 2 ** 64) return UINT64_MAX;
  return BigInt(Math.trunc(value));
}
