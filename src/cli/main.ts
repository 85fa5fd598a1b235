import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isMainThread } from "node:worker_threads";
import { runBenchCommand } from "./bench/command.js";
import { runWorker } from "./bench/worker.js";
import { formatResults, runDemo } from "./demo.js";
import { interopAgentCommand } from "./interop/agent.js";
import { interopCommand } from "./interop/command.js";
import { probeCommand } from "./probe/command.js";
import { traceCommand } from "./trace/command.js";

/**
 * The `zmtp` command: parses the command line and dispatches; each command lives in its own
 * file. Exit codes: 0 success, 1 the command ran and failed, 2 usage error.
 */

const USAGE = `zmtp - ZeroMQ (ZMTP 3.1) in pure TypeScript

Usage:
  zmtp <command>
  zmtp --help | --version

Commands:
  demo      Round trip on every socket family (PUSH/PULL, REQ/REP, DEALER/ROUTER,
            PAIR) over tcp, ipc and inproc; prints a table, exits 1 if any fails
  bench     Throughput and latency, side by side with zeromq.js
            (zmtp bench --help for workloads and options)
  probe     Connect to any ZMTP peer and report its greeting, mechanism, properties,
            PING answer and handshake time, or why it failed (zmtp probe --help)
  trace     Man in the middle between two ZMTP peers: forwards bytes unchanged and
            prints every greeting, command and frame (zmtp trace --help)
  interop   Interop matrix between two zeromq.js-compatible implementations, by
            default this package against zeromq (zmtp interop --help)

Options:
  -h, --help     Show this help
  -v, --version  Print the zmtp version
`;

/** Both src/cli/main.ts and the bundle dist/esm/cli.js sit two levels below package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function usageError(message: string): number {
  process.stderr.write(`zmtp: ${message}\n\n${USAGE}`);
  return 2;
}

export async function main(argv: readonly string[]): Promise<number> {
  // bench has options of its own; bench-worker is its hidden child process.
  if (argv[0] === "bench") return runBenchCommand(argv.slice(1));
  if (argv[0] === "bench-worker") return runWorker(argv[1]);
  if (argv[0] === "probe") return probeCommand(argv.slice(1));
  if (argv[0] === "trace") return traceCommand(argv.slice(1));
  if (argv[0] === "interop") return interopCommand(argv.slice(1));
  // interop-agent is the hidden child of `zmtp interop --impl-runtime` / `--peer-runtime`.
  if (argv[0] === "interop-agent") return interopAgentCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    return usageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version === true) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  switch (command) {
    case undefined:
      return usageError("a command is required");
    case "help":
      process.stdout.write(USAGE);
      return 0;
    case "demo": {
      if (rest.length > 0) return usageError(`demo takes no arguments (got "${rest.join(" ")}")`);
      const results = await runDemo();
      process.stdout.write(formatResults(results));
      return results.every((r) => r.ok) ? 0 : 1;
    }
    default:
      return usageError(`unknown command "${command}"`);
  }
}

// Set exitCode rather than exit(): the process ends when the sockets are really gone. Not in a
// worker thread: this bundle is also loaded by the library's exit delivery thread.
if (isMainThread) process.exitCode = await main(process.argv.slice(2));
