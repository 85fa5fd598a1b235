/**
 * What CI checks under each JavaScript runtime other than this Node (Bun, Deno, other Node
 * versions): every README example with its `// expect:` lines, and the whole `zmtp interop`
 * matrix with zmtp running under that runtime (an interop agent in a child process) against
 * libzmq (the zeromq binding, in this Node). `.ci/run` installs the runtimes from npm into
 * .ci/tools/bin (.ci/install-runtimes); a runtime found neither there nor on PATH is skipped with
 * one line saying so, so that `npm test` passes on a machine without it.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadImplementation, type Implementation } from "../../src/cli/interop/api.js";
import { interopCases, runInterop, type CaseResult, type InteropSummary } from "../../src/cli/interop/matrix.js";
import { PAIRINGS } from "../../src/cli/interop/pairings.js";
import { startRemote, type RemoteImplementation } from "../../src/cli/interop/remote.js";
import {
  ROOT,
  RUN_TIMEOUT_MS,
  examplesDir,
  readmeExamples,
  removeDir,
  runWith,
  stdoutLines,
  writeExample,
} from "../helpers/readme-examples.js";

export interface RuntimeSpec {
  /** The binary's name in .ci/tools/bin and on PATH: "bun", "deno", "node22". */
  name: string;
  /** What comes between the binary and the script. */
  flags: readonly string[];
  /** What `--version` must print, where the name promises a version (node22 on PATH must be Node 22). */
  version?: RegExp;
  /** Bugs of this runtime that break an example; the example is skipped only while the repro still shows the bug. */
  bugs?: readonly RuntimeBug[];
}

export interface RuntimeBug {
  example: string;
  summary: string;
  /** A script (from the repository root) that prints `fixed` when the runtime behaves as Node does. */
  repro: string;
  fixed: string;
}

/**
 * Deno runs dist/ and the examples' `import ... from "zmtp"` with no compatibility flag: with a
 * package.json and node_modules it resolves packages as Node does. --allow-all grants what Node allows.
 */
export const DENO_FLAGS = ["run", "--allow-all"];

/**
 * Without these a runtime may try the network (Deno's update check) or colour its output. Deno
 * gets a fresh cache per run: it keeps a CommonJS file's analysis by path, so a rebuilt dist/
 * at a path it saw before (a clean clone in the same place) loads the old file's chunk names.
 */
const DENO_DIR = mkdtempSync(join(tmpdir(), "zmtp-deno-cache-"));
afterAll(() => rmSync(DENO_DIR, { recursive: true, force: true }));
const ENV: NodeJS.ProcessEnv = { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_DIR, NO_COLOR: "1" };

const TOOLS_BIN = join(ROOT, ".ci", "tools", "bin");

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The runtime's binary: the one .ci/install-runtimes put in .ci/tools/bin, else the first on PATH. */
export function findBinary(name: string): string | null {
  for (const dir of [TOOLS_BIN, ...(process.env.PATH ?? "").split(delimiter)]) {
    if (dir !== "" && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

function versionOf(binary: string): string {
  return execFileSync(binary, ["--version"], { env: ENV, encoding: "utf8", timeout: 30_000 }).trim();
}

function failures(results: readonly CaseResult[]): string[] {
  return results.filter((r) => r.status !== "pass").map((r) => `${r.name}: ${r.status} ${r.detail ?? ""}`);
}

/** The checks under one runtime, or one skipped test saying it is not installed. */
export function runtimeSuite(spec: RuntimeSpec): void {
  const binary = findBinary(spec.name);
  if (binary === null) {
    process.stderr.write(`${spec.name} not installed: skipped\n`);
    it.skip(`${spec.name} not installed: skipped`, () => undefined);
    return;
  }
  const command = [binary, ...spec.flags];
  const examples = readmeExamples();

  describe(spec.name, () => {
    it(`${spec.name} runs: --version`, () => {
      const version = versionOf(binary);
      process.stdout.write(`${spec.name}: ${binary} ${version.split("\n")[0]}\n`);
      if (spec.version !== undefined) expect(version).toMatch(spec.version);
    });

    describe("README examples", () => {
      let workDir = "";
      let passed = 0;
      let skipped = 0;
      beforeAll(() => {
        workDir = examplesDir(`${spec.name}-`);
      });
      afterAll(() => {
        removeDir(workDir);
        const failed = examples.length - passed - skipped;
        process.stdout.write(`${spec.name}: README examples ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
      });

      it.for(examples.map((e) => [e.name, e] as const))(
        `%s runs under ${spec.name} and prints its expected output`,
        async ([name, example], ctx) => {
          const bug = spec.bugs?.find((b) => b.example === name);
          if (bug !== undefined) {
            const repro = await runWith(command, join(ROOT, bug.repro), ROOT, ENV);
            const fixed = repro.code === 0 && stdoutLines(repro.stdout).includes(bug.fixed);
            if (!fixed) {
              skipped++;
              const why = `${spec.name} bug, shown by ${bug.repro}: ${bug.summary}`;
              process.stdout.write(`${spec.name}: README example ${name} skipped: ${why}\n`);
              ctx.skip(why);
            }
          }
          const file = await writeExample(workDir, example);
          const result = await runWith(command, file, workDir, ENV);
          const where = `README line ${example.line}, example "${name}" under ${spec.name}`;
          expect(
            result.signal,
            `${where} was killed (timed out after ${RUN_TIMEOUT_MS} ms?)\n${result.stderr}`,
          ).toBeNull();
          expect(result.code, `${where} exited with ${result.code}\n${result.stderr}`).toBe(0);
          expect(stdoutLines(result.stdout), where).toEqual(example.expected);
          passed++;
        },
      );
    });

    describe("zmtp interop against libzmq (zmtp in a child process under this runtime)", () => {
      let zmtp: RemoteImplementation;
      let zeromq: Implementation;
      let summary: InteropSummary;
      let expected = 0;

      beforeAll(async () => {
        zmtp = await startRemote("zmtp", command, { env: ENV });
        zeromq = await loadImplementation("zeromq", ROOT);
        expected = interopCases(zmtp, zeromq).length;
        summary = await runInterop(zmtp, zeromq);
      }, 300_000);
      afterAll(() => zmtp?.stop());

      it(`the agent runs under ${spec.name}`, () => {
        // "node22" must be a Node 22: "node 22.23.5".
        const [, runtime, major] = /^(\D+)(\d*)$/.exec(spec.name)!;
        expect(zmtp.runtime).toMatch(new RegExp(`^${runtime} ${major === "" ? "" : `${major}\\.`}`));
        expect(zmtp.self).toBe(true);
      });

      const pairing = (r: CaseResult): boolean => PAIRINGS.some((p) => p.name === r.group);
      for (const [what, select] of [
        ["tcp pairing", (r: CaseResult) => pairing(r) && r.transport === "tcp"],
        ["ipc pairing", (r: CaseResult) => pairing(r) && r.transport === "ipc"],
        ["CURVE", (r: CaseResult) => r.mechanism === "curve"],
        ["PLAIN", (r: CaseResult) => r.mechanism === "plain"],
        ["behaviour", (r: CaseResult) => !pairing(r)],
      ] as const) {
        it(`every ${what} case passes`, () => {
          const cases = summary.results.filter(select);
          expect(cases.length).toBeGreaterThan(0);
          expect(failures(cases)).toEqual([]);
        });
      }

      it("every case of the matrix ran and passed", () => {
        process.stdout.write(`${spec.name}: interop ${summary.passed} passed, ${summary.failed} failed\n`);
        expect(failures(summary.results)).toEqual([]);
        expect(summary.passed).toBe(expected);
      });
    });
  });
}
