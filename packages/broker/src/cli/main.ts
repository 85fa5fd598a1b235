import { readFileSync } from "node:fs";
import { brokerCommand } from "./broker.js";
import { callCommand } from "./call.js";
import type { Command } from "./command.js";
import { UsageError, formatHelp, parseFlags } from "zmtp-app-kit/flags";
import { processIo, type CliIo } from "zmtp-app-kit/io";
import { keyCommand } from "./key.js";
import { workerCommand } from "./worker.js";

export type { CliIo } from "zmtp-app-kit/io";

/**
 * `zmtp-broker <command>`; `zmtp-worker` and `zmtp-call` are `zmtp-broker worker` and
 * `zmtp-broker call`, and `zmtp-broker --option...` is `zmtp-broker broker --option...`, so that
 * zmtp's git-style commands `zmtp broker`, `zmtp worker` and `zmtp call` run them. Exit codes as
 * for `zmtp`: 0 success, 1 failure, 2 usage error.
 */

const USAGE = `Usage: zmtp-broker <command> [options]     (zmtp-broker <command> --help for its options)
       zmtp-worker [options], zmtp-call [options]  (the same as zmtp-broker worker, call)

Reliable request-reply on zmtp: a network of brokers between clients and workers.

Commands:
  broker   run a broker (with --mdp, a Majordomo broker)
  worker   offer a service through the brokers (echo, or a command per request)
  call     send one request to a service and print the reply
  key      print the CURVE public key of a secret key file (created if missing)

Options:
  -h, --help     Show this help
  -v, --version  Print the zmtp-broker version
`;

const COMMANDS: Record<string, Command> = {
  broker: brokerCommand,
  worker: workerCommand,
  call: callCommand,
  key: keyCommand,
};

/** src/cli/main.ts and the bundle dist/esm/cli.js both sit two levels below package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export async function brokerCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // `zmtp broker --bind ...` runs `zmtp-broker --bind ...`: options first mean the broker command.
  if (argv[0]?.startsWith("--") === true && !["--help", "--version"].includes(argv[0])) argv = ["broker", ...argv];
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`zmtp-broker: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const help = formatHelp(command.usage, command.summary, command.flags);
  try {
    const { values, positionals, help: wantsHelp } = parseFlags(command.flags, rest);
    if (wantsHelp) {
      io.out(help);
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`zmtp-broker ${name}: ${err.message}\n\n${help}`);
      return 2;
    }
    io.err(`zmtp-broker ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
