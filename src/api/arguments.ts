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
  for (let i = 0; i < rules.length; i++) checkRule(rules[i]!, args[i]);
  checkCount(args.length, rules);
}

/**
 * validateArguments for methods of at most two rules, given the call's first two arguments and
 * its argument count: per-message methods (send) then make no `arguments` object.
 */
export function validateTwoArguments(count: number, first: unknown, second: unknown, rules: readonly Rule[]): void {
  if (rules.length > 0) checkRule(rules[0]!, first);
  if (rules.length > 1) checkRule(rules[1]!, second);
  checkCount(count, rules);
}

function checkRule(rule: Rule, value: unknown): void {
  if (rule.optional && value === undefined) return;
  const checks = rule.checks;
  for (let i = 0; i < checks.length; i++) if (checks[i]!(value)) return;
  throw new TypeError(rule.message);
}

function checkCount(count: number, rules: readonly Rule[]): void {
  if (count > rules.length) {
    const n = rules.length;
    throw new TypeError(`Expected ${n} argument${n === 1 ? "" : "s"} but received ${count}`);
  }
}

/** noArguments given the count alone (`arguments.length`: V8 then makes no arguments object). */
export function noArgumentCount(count: number): void {
  if (count > 0) checkCount(count, NO_RULES);
}

/** The common case of methods that take no argument at all. */
export function noArguments(args: ArrayLike<unknown>): void {
  if (args.length > 0) validateArguments(args, NO_RULES);
}
