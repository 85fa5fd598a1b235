import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  agentCommand,
  keyCommand,
  lookupCommand,
  registerCommand,
  replicaCommand,
  watchCommand,
  type Command,
} from "./commands.js";
import { processIo, type CliIo } from "zmtp-app-kit/io";
import { UsageError } from "./keys.js";

const COMMANDS: Record<string, Command> = {
  replica: replicaCommand,
  agent: agentCommand,
  register: registerCommand,
  lookup: lookupCommand,
  watch: watchCommand,
  key: keyCommand,
};

const USAGE = `Usage: zmtp-names <command> [options]     (zmtp names <command>; <command> --help for its options)

A name service for zmtp: replicas, a local agent, and clients that register, look up and watch.

Commands:
  replica    run one replica of the registry
  agent      run the local agent (cache on ipc://, static ZPL lookup file)
  register   register an endpoint under a name and keep it alive
  lookup     print a name's endpoints
  watch      print members joining and leaving
  key        print the CURVE public key of a secret key file (created if missing)
`;

function help(command: Command): string {
  const rows = Object.entries(command.options).map(([name, o]) => {
    const left = `  --${name}${o.type === "string" ? " VALUE" : ""}${o.multiple === true ? " ..." : ""}`;
    return [left, `${o.help}${o.default !== undefined ? ` (default ${o.default})` : ""}`] as const;
  });
  const width = Math.max(20, ...rows.map(([l]) => l.length)) + 2;
  return `Usage: ${command.usage}\n\n${command.summary}\n\nOptions:\n${rows.map(([l, r]) => l.padEnd(width) + r).join("\n")}\n`;
}

/** `zmtp-names <command> ...`; exit codes as for `zmtp`: 0 success, 1 failure, 2 usage error. */
export async function namesCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    io.out(`${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`zmtp-names: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const options = { ...command.options, help: { type: "boolean" as const, help: "show this help" } };
    // Z85 keys may start with "-": `--name VALUE` becomes `--name=VALUE` for the valued options.
    const args: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const option = rest[i]!.startsWith("--") ? command.options[rest[i]!.slice(2)] : undefined;
      if (option?.type === "string" && i + 1 < rest.length) args.push(`${rest[i]}=${rest[++i]}`);
      else args.push(rest[i]!);
    }
    let parsed;
    try {
      parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (parsed.values.help === true) {
      io.out(help(command));
      return 0;
    }
    return await command.run(
      parsed.values as Record<string, string | boolean | string[] | undefined>,
      parsed.positionals,
      io,
    );
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`zmtp-names ${name}: ${err.message}\n\n${help(command)}`);
      return 2;
    }
    io.err(`zmtp-names ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
