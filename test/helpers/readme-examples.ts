/**
 * The README's runnable examples, as test/unit/readme.test.ts runs them under this Node and
 * test/runtimes/ under Bun, Deno and other Node versions. A ```js or ```ts block whose first line
 * is `// example: <name>` is written to a .mjs file under .examples-tmp/ (gitignored) inside the
 * repository, so `import ... from "zmtp"` resolves through package.json "exports" to the built
 * dist/ (the package's self-reference). Its stdout lines must equal its `// expect: ` lines.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const RUN_TIMEOUT_MS = 15_000;
const MARK = /^\/\/ example: (\S+)\s*$/;
const EXPECT = /^\s*\/\/ expect: (.*)$/;
export const RUNNABLE_LANGS = new Set(["js", "javascript", "mjs", "ts", "typescript"]);

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence in the markdown. */
  line: number;
}

export interface Example extends CodeBlock {
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

export function examplesOf(markdown: string): Example[] {
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

/** The README's examples. */
export function readmeExamples(): Example[] {
  return examplesOf(readFileSync(join(ROOT, "README.md"), "utf8"));
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` (a runtime and its flags) on `file`, killing it at the timeout. */
export function runWith(
  command: readonly string[],
  file: string,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunResult> {
  const [program, ...flags] = command;
  return new Promise((resolve) => {
    execFile(
      program!,
      [...flags, file],
      { cwd, env, timeout: RUN_TIMEOUT_MS, killSignal: "SIGKILL" },
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

/** Writes `example` as `<dir>/<name>.mjs` (TypeScript compiled away) and returns the file. */
export async function writeExample(dir: string, example: Example): Promise<string> {
  const file = join(dir, `${example.name}.mjs`);
  writeFileSync(file, await toModule(example));
  return file;
}

export function stdoutLines(stdout: string): string[] {
  const text = stdout.replace(/\r\n/g, "\n").replace(/\n$/, "");
  return text === "" ? [] : text.split("\n");
}

/** A fresh folder under .examples-tmp/ (where `zmtp` resolves to dist/); throws when dist/ is missing. */
export function examplesDir(prefix: string): string {
  if (!existsSync(join(ROOT, "dist", "esm", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does) before this test");
  }
  mkdirSync(join(ROOT, ".examples-tmp"), { recursive: true });
  return mkdtempSync(join(ROOT, ".examples-tmp", prefix));
}

export function removeDir(dir: string): void {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
}
