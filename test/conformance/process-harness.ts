/**
 * Process-level scenarios: the same script runs in a child `node` per library (zeromq, and zmtp as
 * the built package: `import "zmtp"` resolves to dist/ through the package's own exports), and
 * what the process shows is compared: exit code or "hangs" (still running HANG_MS after its last
 * line of top-level code, or HANG_MS + 2 s after it started when that never finishes), its stdout
 * lines (sorted), the warnings on stderr, and the first line of an uncaught error.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, test } from "vitest";
import { freePorts, judge, sideBySide, type LibName, type Transport } from "./harness.js";
import { diffSnaps, EndpointNormalizer, summarize, type Snap } from "./observe.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WORK = join(ROOT, "tmp", "conformance", String(process.pid));
/** How long a process may stay up after its top-level code finished before it counts as hanging. */
const HANG_MS = 4_000;
/** Children alive at once (most of their time they wait). */
const MAX_CHILDREN = 12;

export interface ProcessScenario {
  name: string;
  transports?: readonly Transport[];
  /**
   * The main module's code (an ES module; top-level await allowed). In scope: `zmq`, `ENDPOINT`,
   * `ENDPOINT2`, `say(...parts)` (one stdout line), `Worker`, `WORKER_URL`, and `DRAFT` (the
   * draft entry's specifier, "zeromq/draft" or "zmtp/draft", for `await import(DRAFT)`).
   */
  main: string;
  /** A worker module's code, with the same scope plus `parentPort` and `workerData`. */
  worker?: string;
  /**
   * The program has delivered everything and closed its sockets before it ends. zeromq.js still
   * warns "Waiting for queued ZeroMQ messages…" when terminating its context takes over 500 ms,
   * which a loaded machine causes with nothing queued: that warning is left out of both sides.
   */
  nothingQueuedAtExit?: boolean;
}

let children = 0;
const queue: Array<() => void> = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (children >= MAX_CHILDREN) await new Promise<void>((resolveSlot) => queue.push(resolveSlot));
  children++;
  try {
    return await work();
  } finally {
    children--;
    queue.shift()?.();
  }
}

let runs = 0;

/** The module each library's script imports as `zmq`: the v6 API unless a group gives others. */
export type Specifiers = Record<LibName, string>;
const V6: Specifiers = { zeromq: "zeromq", zmtp: "zmtp" };

function header(lib: LibName, specifier: string, endpoints: string[]): string {
  return [
    `import * as zmqModule from ${JSON.stringify(specifier)};`,
    `import { Worker, parentPort, workerData } from "node:worker_threads";`,
    `const zmq = zmqModule.default ?? zmqModule;`,
    // zeromq has no "exports" map: from ESM its draft entry is the file.
    `const DRAFT = ${JSON.stringify(lib === "zeromq" ? "zeromq/draft.js" : "zmtp/draft")};`,
    `const ENDPOINT = ${JSON.stringify(endpoints[0])};`,
    `const ENDPOINT2 = ${JSON.stringify(endpoints[1])};`,
    `const WORKER_URL = new URL("./worker.mjs", import.meta.url);`,
    `const say = (...parts) => console.log(parts.map((p) => typeof p === "string" ? p : JSON.stringify(p)).join(" "));`,
    `void Worker; void parentPort; void workerData; void DRAFT;`,
    "",
  ].join("\n");
}

interface ChildResult {
  observation: Array<[string, Snap]>;
}

async function runChild(
  lib: LibName,
  scenario: ProcessScenario,
  transport: Transport | undefined,
  specifiers: Specifiers,
): Promise<ChildResult> {
  const dir = join(WORK, `run${++runs}-${lib}`);
  mkdirSync(dir, { recursive: true });
  const normalizer = new EndpointNormalizer();
  const endpoints: string[] = [];
  const ports = transport === "tcp" || transport === "ws" ? await freePorts(2) : [];
  for (let i = 1; i <= 2; i++) {
    if (transport === "tcp" || transport === "ws") {
      const port = ports[i - 1]!;
      normalizer.addPort(port);
      endpoints.push(transport === "tcp" ? `tcp://127.0.0.1:${port}` : `ws://127.0.0.1:${port}/ep${i}`);
    } else if (transport === "ipc") {
      endpoints.push(`ipc://${dir}/ep${i}`);
    } else {
      endpoints.push(`inproc://conformance-ep${i}`);
    }
  }
  normalizer.addText(dir, "<dir>");
  const specifier = specifiers[lib];
  writeFileSync(join(dir, "main.mjs"), `${header(lib, specifier, endpoints)}${scenario.main}\nsay("@end");\n`);
  if (scenario.worker !== undefined)
    writeFileSync(join(dir, "worker.mjs"), `${header(lib, specifier, endpoints)}${scenario.worker}\n`);

  return slot(
    () =>
      new Promise<ChildResult>((resolveRun) => {
        const child = spawn(process.execPath, [join(dir, "main.mjs")], {
          cwd: ROOT,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        let hang = setTimeout(() => child.kill("SIGKILL"), HANG_MS + 2_000);
        let hung = false;
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk;
          if (/^@end$/m.test(stdout)) {
            clearTimeout(hang);
            hang = setTimeout(() => {
              hung = true;
              child.kill("SIGKILL");
            }, HANG_MS);
          }
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        // "close", not "exit": stdout may still be arriving when the process has exited.
        child.on("close", (code, signal) => {
          clearTimeout(hang);
          if (signal === "SIGKILL" && !hung) hung = true;
          // Sorted: a worker's lines and the main thread's interleave as the threads run.
          const lines = stdout
            .split("\n")
            .filter((line) => line !== "")
            .sort();
          const observation: Array<[string, Snap]> = [
            ["exit", hung ? "hangs" : (code ?? String(signal))],
            ["stdout", lines.map((line) => normalizer.text(line))],
            ...stderrLines(stderr, normalizer, scenario.nothingQueuedAtExit === true),
          ];
          resolveRun({ observation });
        });
      }),
  );
}

/** Warnings and uncaught errors from stderr, without pids, paths and stack frames. */
function stderrLines(stderr: string, normalizer: EndpointNormalizer, nothingQueued: boolean): Array<[string, Snap]> {
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const raw of stderr.split("\n")) {
    const line = normalizer.text(raw.replace(/file:\/\/\S+/g, "<file>").replace(/\(node:\d+\)/g, "(node)"));
    const warning = /^\(node\) (?:\[[\w-]+\] )?(\w*Warning|WARNING): (.*)$/.exec(line);
    if (warning !== null) {
      if (!(nothingQueued && warning[2]!.startsWith("Waiting for queued ZeroMQ messages")))
        warnings.push(`${warning[1]}: ${warning[2]}`);
    } else if (/^(\w*Error|Warning)\b(\s\[[\w]+\])?:/.test(line)) errors.push(line);
  }
  const out: Array<[string, Snap]> = [];
  if (warnings.length > 0) out.push(["warnings", warnings]);
  if (errors.length > 0) out.push(["stderr", errors]);
  return out;
}

function checkBuilt(): void {
  const built = join(ROOT, "dist", "esm", "index.js");
  const builtAt = statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  if (builtAt < newest(join(ROOT, "src"))) {
    throw new Error("dist/ is older than src/: run `npm run build` (child processes import the built package `zmtp`)");
  }
}

/**
 * Registers one test per process scenario and transport; both children run at once. `specifiers`:
 * other entries of the two libraries than their v6 API (the v5 compatibility API).
 */
export function processScenarios(
  group: string,
  list: readonly ProcessScenario[],
  options: { specifiers?: Specifiers } = {},
): void {
  describe.concurrent(group, () => {
    for (const scenario of list) {
      for (const transport of scenario.transports ?? [undefined]) {
        const id = [group, scenario.name, transport].filter((part) => part !== undefined).join(" / ");
        test(
          transport === undefined ? scenario.name : `${scenario.name} [${transport}]`,
          async () => {
            checkBuilt();
            const [ref, sub] = await Promise.all([
              runChild("zeromq", scenario, transport, options.specifiers ?? V6),
              runChild("zmtp", scenario, transport, options.specifiers ?? V6),
            ]);
            const a = new Map(ref.observation);
            const b = new Map(sub.observation);
            const labels = [...new Set([...a.keys(), ...b.keys()])];
            const leaves = labels.flatMap((label) =>
              diffSnaps(a.get(label), b.get(label)).map((leaf) => ({ ...leaf, entry: label })),
            );
            const comparison = {
              ref: ref.observation,
              sub: sub.observation,
              summary: leaves.length === 0 ? null : summarize(leaves),
            };
            judge(id, comparison.summary, () => sideBySide(comparison));
          },
          60_000,
        );
      }
    }
  });
}

afterAll(() => rmSync(WORK, { recursive: true, force: true }));
