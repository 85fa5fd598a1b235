import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/**
 * The applications' command-line flags: node's parseArgs, each flag also accepted in
 * `--config FILE.json` under its camelCase name (`--state-dir` is "stateDir"); the command line
 * wins over the file, and a list given on the command line replaces the file's.
 */

export type FlagKind = "string" | "number" | "boolean" | "list";

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  help: string;
  /** What the argument looks like in the help (MS, ENDPOINT, ...). */
  arg?: string;
  /** Applied when neither the command line nor the config file gives the flag. */
  default?: string;
  /** Shown in the help as the default, but not applied (the command computes it). */
  shown?: string;
}

export type FlagValue = string | number | boolean | readonly unknown[];
export type FlagValues = Record<string, FlagValue | undefined>;

/** A usage error: exit code 2 and the command's help. */
export class UsageError extends Error {}

export const CONFIG_FLAG: FlagSpec = {
  name: "config",
  kind: "string",
  arg: "FILE.json",
  help: "read flags from a JSON file (keys: the flags' camelCase names)",
};
export const HELP_FLAG: FlagSpec = { name: "help", kind: "boolean", help: "show this help" };

export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function formatHelp(usage: string, summary: string, specs: readonly FlagSpec[]): string {
  const rows = [...specs, CONFIG_FLAG, HELP_FLAG].map((s) => {
    const left = `  --${s.name}${s.kind === "boolean" ? "" : ` ${s.arg ?? "VALUE"}`}${s.kind === "list" ? " ..." : ""}`;
    return [
      left,
      `${s.help}${(s.default ?? s.shown) !== undefined ? ` (default ${s.default ?? s.shown})` : ""}`,
    ] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${rows.map(([l, r]) => l.padEnd(width) + r).join("\n")}\n`;
}

function fromString(spec: FlagSpec, raw: string): FlagValue {
  if (spec.kind !== "number") return raw;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${spec.name} expects a number, got "${raw}"`);
  return n;
}

function fromConfig(spec: FlagSpec, value: unknown, file: string): FlagValue {
  const key = camel(spec.name);
  const bad = (what: string): never => {
    throw new UsageError(`${file}: "${key}" must be ${what}`);
  };
  switch (spec.kind) {
    case "boolean":
      return typeof value === "boolean" ? value : bad("true or false");
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? value : bad("a number");
    case "string":
      return typeof value === "string" ? value : bad("a string");
    case "list":
      return Array.isArray(value) ? value : typeof value === "string" ? [value] : bad("an array");
  }
}

/**
 * node:util parseArgs refuses `--option -value` as ambiguous, but Z85 keys and negative numbers
 * may start with "-": for the named valued options, `--name VALUE` becomes `--name=VALUE` first.
 */
export function attachValues(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith("--") && names.includes(arg.slice(2)) && i + 1 < args.length) {
      out.push(`${arg}=${args[i + 1]}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Parses a command's arguments and its optional config file. */
export function parseFlags(
  specs: readonly FlagSpec[],
  argv: readonly string[],
): { values: FlagValues; positionals: string[]; help: boolean } {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const s of [...specs, CONFIG_FLAG, HELP_FLAG]) {
    options[s.name] = {
      type: s.kind === "boolean" ? "boolean" : "string",
      ...(s.kind === "list" && { multiple: true }),
    };
  }
  let parsed;
  try {
    const valued = Object.keys(options).filter((name) => options[name]!.type === "string");
    parsed = parseArgs({ args: attachValues(argv, valued), options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const raw = parsed.values as Record<string, string | boolean | string[] | undefined>;
  let config: Record<string, unknown> = {};
  const file = raw.config as string | undefined;
  if (file !== undefined) {
    try {
      config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`cannot read --config ${file}: ${(err as Error).message}`);
    }
    if (typeof config !== "object" || config === null || Array.isArray(config))
      throw new UsageError(`${file}: expected a JSON object`);
    const known = new Set(specs.map((s) => camel(s.name)));
    for (const key of Object.keys(config)) if (!known.has(key)) throw new UsageError(`${file}: unknown key "${key}"`);
  }
  const values: FlagValues = {};
  for (const spec of specs) {
    const given = raw[spec.name];
    if (given !== undefined) {
      values[spec.name] = Array.isArray(given) ? given : typeof given === "string" ? fromString(spec, given) : given;
    } else if (config[camel(spec.name)] !== undefined) {
      values[spec.name] = fromConfig(spec, config[camel(spec.name)], file!);
    } else if (spec.default !== undefined && spec.kind !== "list") {
      values[spec.name] = spec.kind === "boolean" ? spec.default === "true" : fromString(spec, spec.default);
    }
  }
  return { values, positionals: parsed.positionals, help: raw.help === true };
}

export const str = (v: FlagValues, name: string): string | undefined => v[name] as string | undefined;
export const num = (v: FlagValues, name: string): number => v[name] as number;
export const bool = (v: FlagValues, name: string): boolean => v[name] === true;

/** A list flag's values, checked to be strings (a config file may hold anything). */
export function stringList(values: FlagValues, name: string): string[] {
  const list = values[name];
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every((x) => typeof x === "string"))
    throw new UsageError(`--${name}: expected strings`);
  return list as string[];
}

/** `30s`, `30m`, `2h`, `1d` in ms. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(value);
  if (m === null) throw new UsageError(`--${flag}: "${value}" (expected 30s, 30m, 2h, 1d)`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
}
