import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/**
 * Flags of the `zmtp-broker` commands, parsed the way `zmtp-monitor` parses its roles': node's
 * parseArgs, each flag also accepted in `--config FILE.json` under its camelCase name (the
 * command line wins; a list given on the command line replaces the file's).
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
}

export type FlagValue = string | number | boolean | readonly string[];
export type FlagValues = Record<string, FlagValue | undefined>;

/** A usage error: exit code 2 and the command's help. */
export class UsageError extends Error {}

const CONFIG: FlagSpec = { name: "config", kind: "string", arg: "FILE.json", help: "read flags from a JSON file" };
const HELP: FlagSpec = { name: "help", kind: "boolean", help: "show this help" };

export const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function formatHelp(usage: string, summary: string, specs: readonly FlagSpec[]): string {
  const rows = [...specs, CONFIG, HELP].map((s) => {
    const left = `  --${s.name}${s.kind === "boolean" ? "" : ` ${s.arg ?? "VALUE"}`}${s.kind === "list" ? " ..." : ""}`;
    return [left, `${s.help}${s.default !== undefined ? ` (default ${s.default})` : ""}`] as const;
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
  const bad = (what: string): never => {
    throw new UsageError(`${file}: "${camel(spec.name)}" must be ${what}`);
  };
  switch (spec.kind) {
    case "boolean":
      return typeof value === "boolean" ? value : bad("true or false");
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? value : bad("a number");
    case "string":
      return typeof value === "string" ? value : bad("a string");
    case "list":
      if (typeof value === "string") return [value];
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : bad("an array of strings");
  }
}

/**
 * parseArgs refuses `--option -value` as ambiguous, but Z85 keys may start with "-": for the
 * valued options, `--name VALUE` becomes `--name=VALUE` first.
 */
function attachValues(args: readonly string[], names: readonly string[]): string[] {
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

export function parseFlags(
  specs: readonly FlagSpec[],
  argv: readonly string[],
): { values: FlagValues; positionals: string[]; help: boolean } {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const s of [...specs, CONFIG, HELP])
    options[s.name] = {
      type: s.kind === "boolean" ? "boolean" : "string",
      ...(s.kind === "list" && { multiple: true }),
    };
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
export const list = (v: FlagValues, name: string): string[] => [...((v[name] as readonly string[] | undefined) ?? [])];
