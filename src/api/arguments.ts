/**
 * Argument checks with zeromq.js's exact outcomes: each rule throws its own `TypeError` message,
 * and a call with more arguments than rules throws "Expected N arguments but received M" once
 * every given rule has passed (zeromq.js's `Arg::Validator`). Type tests follow N-API's: an
 * "object" is any non-null object or a function, a "buffer" is any ArrayBuffer view.
 */

export type Check = (value: unknown) => boolean;

export const isString: Check = (value) => typeof value === "string";
export const isNumber: Check = (value) => typeof value === "number";
export const isBoolean: Check = (value) => typeof value === "boolean";
export const isNull: Check = (value) => value === null;
export const isBuffer: Check = (value) => ArrayBuffer.isView(value);
export const isObject: Check = (value) => (typeof value === "object" && value !== null) || typeof value === "function";
export const isDefined: Check = (value) => value !== undefined;

export interface Rule {
  readonly checks: readonly Check[];
  readonly message: string;
  readonly optional: boolean;
}

export function required(message: string, ...checks: Check[]): Rule {
  return { checks, message, optional: false };
}

/** Passes when the argument is missing or undefined, or passes one of `checks`. */
export function optional(message: string, ...checks: Check[]): Rule {
  return { checks, message, optional: true };
}

const NO_RULES: readonly Rule[] = [];

export function validateArguments(args: ArrayLike<unknown>, rules: readonly Rule[] = NO_RULES): void {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const value = args[i];
    if (rule.optional && value === undefined) continue;
    if (!rule.checks.some((check) => check(value))) throw new TypeError(rule.message);
  }
  if (args.length > rules.length) {
    const n = rules.length;
    throw new TypeError(`Expected ${n} argument${n === 1 ? "" : "s"} but received ${args.length}`);
  }
}

/** The common case of methods that take no argument at all. */
export function noArguments(args: ArrayLike<unknown>): void {
  if (args.length > 0) validateArguments(args, NO_RULES);
}
