import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ROOT,
  RUNNABLE_LANGS,
  RUN_TIMEOUT_MS,
  examplesDir,
  examplesOf,
  readmeExamples,
  removeDir,
  runWith,
  stdoutLines,
  writeExample,
  type RunResult,
} from "../helpers/readme-examples.js";

/**
 * Runs the README's examples as a user would, with this Node (test/helpers/readme-examples.ts
 * finds them; test/runtimes/ runs the same under Bun, Deno and other Node versions).
 */

/** The socket families the README promises one quick-start example each. */
const REQUIRED_EXAMPLES = ["push-pull", "req-rep", "dealer-router", "pair-inproc"];

function runNode(file: string, cwd: string): Promise<RunResult> {
  return runWith([process.execPath], file, cwd);
}

const examples = readmeExamples();
let workDir = "";

beforeAll(() => {
  workDir = examplesDir("readme-");
});

afterAll(() => removeDir(workDir));

describe("README examples", () => {
  it("has a runnable quick-start example for every socket family", () => {
    const names = examples.map((e) => e.name);
    for (const name of REQUIRED_EXAMPLES) expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("marks only js or ts blocks as examples, each with expected output", () => {
    for (const example of examples) {
      expect(
        RUNNABLE_LANGS.has(example.lang),
        `${example.name} (README line ${example.line}) is a "${example.lang}" block`,
      ).toBe(true);
      expect(example.expected.length, `${example.name} has no // expect: lines`).toBeGreaterThan(0);
    }
  });

  it.each(examples.map((e) => [e.name, e] as const))(
    "%s runs and prints its expected output",
    async (name, example) => {
      const file = await writeExample(workDir, example);
      const result = await runNode(file, workDir);
      const where = `README line ${example.line}, example "${name}"`;
      expect(result.signal, `${where} was killed (timed out after ${RUN_TIMEOUT_MS} ms?)\n${result.stderr}`).toBeNull();
      expect(result.code, `${where} exited with ${result.code}\n${result.stderr}`).toBe(0);
      expect(stdoutLines(result.stdout), where).toEqual(example.expected);
    },
  );
});

describe("README example harness", () => {
  it("finds marked blocks with their expected lines and skips unmarked ones", () => {
    const md = [
      "```js",
      "// example: one",
      'console.log("a");',
      "// expect: a",
      "```",
      "```js",
      'console.log("not run");',
      "```",
      "```sh",
      "npm test",
      "```",
    ].join("\n");
    const found = examplesOf(md);
    expect(found.map((e) => [e.name, e.lang, e.line, e.expected])).toEqual([["one", "js", 1, ["a"]]]);
  });

  it("reports a failing program's exit code and output", async () => {
    const file = join(workDir, "harness-failure.mjs");
    writeFileSync(file, 'console.log("partial");\nprocess.exit(3);\n');
    const result = await runNode(file, workDir);
    expect(result.code).toBe(3);
    expect(stdoutLines(result.stdout)).toEqual(["partial"]);
  });

  it("resolves `zmtp` to this repository's build", async () => {
    const file = join(workDir, "harness-resolve.mjs");
    writeFileSync(file, 'console.log(import.meta.resolve("zmtp"));\n');
    const result = await runNode(file, workDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(pathToFileURL(join(ROOT, "dist", "esm", "index.js")).href);
  });
});
