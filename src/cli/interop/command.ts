import { parseArgs } from "node:util";
import type { CommandIO } from "../io.js";
import { OURS, loadImplementation, type Implementation } from "./api.js";
import { interopCases, matchesFilters, runInterop, type CaseResult, type InteropSummary } from "./matrix.js";
import { startRemote, type RemoteImplementation } from "./remote.js";

export const INTEROP_USAGE = `Usage: zmtp interop [options]

Runs a matrix of cases between two implementations of the zeromq.js v6 API: every socket
pairing (PAIR, REQ/REP, REQ/ROUTER, DEALER/REP, DEALER/ROUTER, PUSH/PULL, PUB/SUB) x transport
(tcp, ipc) x mechanism (null, plain, curve) x which side plays which type x which side binds,
then behaviour cases both ways (ROUTER ids, REP envelopes, HWM, subscriptions, reconnect,
denied credentials). Prints a pass/fail table and "N passed, M failed"; exits 1 on any failure.

Options:
  --impl SPEC      Implementation under test (default: zmtp, this package)
  --peer SPEC      The other side (default: zeromq, the libzmq binding, when installed)
                   SPEC is "zmtp", a package name resolved from the current directory, or a
                   path to a module exporting zeromq.js v6 classes (./my-zmq.mjs)
  --impl-runtime COMMAND
                   Run --impl in a child process started with COMMAND (split at spaces,
                   or a JSON array of words), e.g. bun, "deno run -A", /opt/node22/bin/node;
                   the matrix and the other side stay in this process, every socket call
                   goes to the child
  --peer-runtime COMMAND
                   The same for --peer
  --filter TEXT    Run only cases whose name contains TEXT (repeatable: all must match),
                   e.g. --filter curve --filter REQ-REP
  --list           List the (filtered) cases without running them
  --timeout MS     Limit per case (default 10000)
  --json           Print the results as one JSON object
`;

function parse(args: readonly string[]) {
  const { values } = parseArgs({
    args: [...args],
    options: {
      help: { type: "boolean", short: "h" },
      impl: { type: "string" },
      peer: { type: "string" },
      "impl-runtime": { type: "string" },
      "peer-runtime": { type: "string" },
      filter: { type: "string", multiple: true },
      list: { type: "boolean" },
      timeout: { type: "string" },
      json: { type: "boolean" },
    },
    strict: true,
  });
  const timeout = Number(values.timeout ?? "10000");
  if (!Number.isInteger(timeout) || timeout <= 0)
    throw new RangeError(`--timeout must be a positive integer (got "${values.timeout}")`);
  const runtime = (option: "impl-runtime" | "peer-runtime"): string[] | undefined => {
    const value = values[option];
    if (value === undefined) return undefined;
    // A JSON array for a path with spaces: '["/opt/my runtimes/deno", "run", "-A"]'.
    const command = value.trimStart().startsWith("[")
      ? (JSON.parse(value) as unknown)
      : value.split(/\s+/).filter((word) => word !== "");
    if (!Array.isArray(command) || command.length === 0 || !command.every((w) => typeof w === "string" && w !== ""))
      throw new RangeError(`--${option} needs a command (got "${value}")`);
    return command as string[];
  };
  return { ...values, timeout, implRuntime: runtime("impl-runtime"), peerRuntime: runtime("peer-runtime") };
}

function isRemote(impl: Implementation): impl is RemoteImplementation {
  return "runtime" in impl;
}

/** An implementation in this process, or in a child process under `runtime`. */
function load(spec: string, runtime: readonly string[] | undefined): Promise<Implementation> {
  return runtime === undefined ? loadImplementation(spec) : startRemote(spec, runtime);
}

function describeImpl(impl: Implementation): string {
  // zeromq.js reports its libzmq's version; ours names the libzmq whose behaviour it follows.
  const self = isRemote(impl) ? impl.self : impl.module === OURS.module;
  const version = !self && typeof impl.module.version === "string" ? ` (version ${impl.module.version})` : "";
  return `${impl.name}${isRemote(impl) ? ` in ${impl.runtime}` : ""}${version}`;
}

interface Columns {
  group: number;
  impl: number;
  peer: number;
}

function row(c: Columns, cells: [string, string, string, string, string, string, string]): string {
  const [group, transport, mechanism, impl, peer, result, ms] = cells;
  return `${group.padEnd(c.group)}  ${transport.padEnd(9)}  ${mechanism.padEnd(9)}  ${impl.padEnd(c.impl)}  ${peer.padEnd(c.peer)}  ${result.padEnd(6)}  ${ms.padStart(5)}`.trimEnd();
}

export function formatResultRow(c: Columns, r: CaseResult): string {
  const line = row(c, [
    r.group,
    r.transport,
    r.mechanism,
    r.implRole,
    r.peerRole,
    r.status,
    r.status === "skip" ? "" : String(r.ms),
  ]);
  return r.detail !== undefined ? `${line}\n    ${r.detail}` : line;
}

export function summaryLine(s: Pick<InteropSummary, "passed" | "failed" | "skipped">): string {
  return `${s.passed} passed, ${s.failed} failed${s.skipped > 0 ? `, ${s.skipped} skipped` : ""}`;
}

/** `zmtp interop ...`: returns the exit code (0 all passed, 1 a case failed, 2 usage or loading error). */
export async function interopCommand(args: readonly string[], io: CommandIO = process): Promise<number> {
  let options;
  try {
    options = parse(args);
  } catch (err) {
    io.stderr.write(`zmtp interop: ${(err as Error).message}\n\n${INTEROP_USAGE}`);
    return 2;
  }
  if (options.help === true) {
    io.stdout.write(INTEROP_USAGE);
    return 0;
  }
  const started: RemoteImplementation[] = [];
  try {
    return await loadAndRun(options, io, started);
  } finally {
    await Promise.all(started.map((remote) => remote.stop()));
  }
}

async function loadAndRun(
  options: ReturnType<typeof parse>,
  io: CommandIO,
  started: RemoteImplementation[],
): Promise<number> {
  let impl: Implementation;
  let peer: Implementation;
  const where = (runtime: string[] | undefined): string => (runtime === undefined ? "" : ` in ${runtime.join(" ")}`);
  try {
    impl = await load(options.impl ?? "zmtp", options.implRuntime);
    if (isRemote(impl)) started.push(impl);
  } catch (err) {
    io.stderr.write(
      `zmtp interop: cannot load --impl ${options.impl ?? "zmtp"}${where(options.implRuntime)}: ${(err as Error).message}\n`,
    );
    return 2;
  }
  try {
    peer = await load(options.peer ?? "zeromq", options.peerRuntime);
    if (isRemote(peer)) started.push(peer);
  } catch (err) {
    const hint = options.peer === undefined ? " (install it with `npm install zeromq`, or choose --peer)" : "";
    io.stderr.write(
      `zmtp interop: cannot load --peer ${options.peer ?? "zeromq"}${where(options.peerRuntime)}${hint}: ${(err as Error).message}\n`,
    );
    return 2;
  }
  if (impl.name === peer.name) {
    impl = { ...impl, name: `${impl.name}(impl)` };
    peer = { ...peer, name: `${peer.name}(peer)` };
  }
  const filters = options.filter ?? [];
  const cases = interopCases(impl, peer).filter((c) => matchesFilters(c, filters));
  if (options.list === true) {
    for (const c of cases) io.stdout.write(`${c.name}${c.skip !== null ? `  [skip: ${c.skip}]` : ""}\n`);
    return 0;
  }
  if (cases.length === 0) {
    io.stderr.write(
      `zmtp interop: no case matches ${filters.map((f) => JSON.stringify(f)).join(" and ")} (see --list)\n`,
    );
    return 2;
  }
  const columns: Columns = {
    group: Math.max(4, ...cases.map((c) => c.group.length)),
    impl: Math.max(impl.name.length, ...cases.map((c) => c.implRole.length)),
    peer: Math.max(peer.name.length, ...cases.map((c) => c.peerRole.length)),
  };
  const json = options.json === true;
  if (!json) {
    io.stdout.write(`${describeImpl(impl)} vs ${describeImpl(peer)}: ${cases.length} cases\n`);
    io.stdout.write(`${row(columns, ["case", "transport", "mechanism", impl.name, peer.name, "result", "ms"])}\n`);
  }
  const summary = await runInterop(impl, peer, {
    filters,
    caseTimeout: options.timeout,
    onResult: json ? undefined : (r) => io.stdout.write(`${formatResultRow(columns, r)}\n`),
  });
  io.stdout.write(json ? `${JSON.stringify(summary)}\n` : `${summaryLine(summary)}\n`);
  return summary.failed > 0 ? 1 : 0;
}
