/**
 * node:util parseArgs refuses `--option -value` as ambiguous, but Z85 keys (and passwords) may
 * start with "-": for the named string options, `--name VALUE` becomes `--name=VALUE` first.
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
