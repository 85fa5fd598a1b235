import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Runs the README's examples as a user would. A ```js or ```ts block whose first line is
 * `// example: <name>` is written to a .mjs file under .examples-tmp/ (gitignored) inside the
 * repository, so `import ... from "zmtp"` resolves through package.json "exports" to the built
 * dist/ (Node's package self-reference); a ```cjs block (a CommonJS program, `require("zmtp")`)
 * to a .cjs file. Its stdout lines must equal its `// expect: ` lines.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUN_TIMEOUT_MS = 15_000;
const MARK = /^\/\/ example: (\S+)\s*$/;
const EXPECT = /^\s*\/\/ expect: (.*)$/;
const RUNNABLE_LANGS = new Set(["js", "javascript", "mjs", "cjs", "ts", "typescript"]);

/** The socket families the README promises one quick-start example each. */
const REQUIRED_EXAMPLES = ["push-pull", "req-rep", "dealer-router", "pair-inproc"];

interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence in the markdown. */
  line: number;
}

interface Example extends CodeBlock {
  name: string;
  expected: string[];
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!.toLowerCase(), code: body.join("\n") + "\n", line: start + 1 });
  }
  return blocks;
}

function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  for (const block of codeBlocks(markdown)) {
    const mark = MARK.exec(block.code.split("\n", 1)[0]!);
    if (mark === null) continue;
    const expected: string[] = [];
    for (const line of block.code.split("\n")) {
      const m = EXPECT.exec(line);
      if (m !== null) expected.push(m[1]!);
    }
    examples.push({ ...block, name: mark[1]!, expected });
  }
  return examples;
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runNode(file: string, cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file],
      { cwd, timeout: RUN_TIMEOUT_MS, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        const failure = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        resolve({
          code: failure === null ? 0 : typeof failure.code === "number" ? failure.code : null,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

async function toModule(example: CodeBlock): Promise<string> {
  if (example.lang !== "ts" && example.lang !== "typescript") return example.code;
  const out = await transform(example.code, { loader: "ts", format: "esm", target: "node20" });
  return out.code;
}

function stdoutLines(stdout: string): string[] {
  const text = stdout.replace(/\r\n/g, "\n").replace(/\n$/, "");
  return text === "" ? [] : text.split("\n");
}

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const examples = examplesOf(readme);
let workDir = "";

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "esm", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does) before this test");
  }
  mkdirSync(join(ROOT, ".examples-tmp"), { recursive: true });
  workDir = mkdtempSync(join(ROOT, ".examples-tmp", "readme-"));
});

afterAll(() => {
  if (workDir !== "") rmSync(workDir, { recursive: true, force: true });
});

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
      const file = join(workDir, `${name}.${example.lang === "cjs" ? "cjs" : "mjs"}`);
      writeFileSync(file, await toModule(example));
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
