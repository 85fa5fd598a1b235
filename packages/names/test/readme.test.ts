import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Runs this package's README examples as the repository's README test runs the root's: a ```js
 * block whose first line is `// example: <name>` is written to a .mjs file under .examples-tmp/
 * (gitignored) inside the package, so `import ... from "zmtp-names"` resolves to the built
 * dist/; its stdout lines must equal its `// expect: ` lines.
 */

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const MARK = /^\/\/ example: (\S+)\s*$/;
const EXPECT = /^\s*\/\/ expect: (.*)$/;

interface Example {
  name: string;
  code: string;
  line: number;
  expected: string[];
}

function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(js|javascript|mjs)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    const mark = MARK.exec(body[0] ?? "");
    if (mark === null) continue;
    const expected = body.map((l) => EXPECT.exec(l)?.[1]).filter((l): l is string => l !== undefined);
    examples.push({ name: mark[1]!, code: `${body.join("\n")}\n`, line: start, expected });
  }
  return examples;
}

const examples = examplesOf(readFileSync(join(PACKAGE, "README.md"), "utf8"));
let workDir = "";

beforeAll(() => {
  if (!existsSync(join(PACKAGE, "dist", "esm", "index.js")))
    throw new Error("packages/names/dist is missing: run `npm run build:all` (npm test does) before this test");
  mkdirSync(join(PACKAGE, ".examples-tmp"), { recursive: true });
  workDir = mkdtempSync(join(PACKAGE, ".examples-tmp", "readme-"));
});

afterAll(() => {
  if (workDir !== "") rmSync(workDir, { recursive: true, force: true });
});

describe("zmtp-names README examples", () => {
  it("has an example for each part of the service, each with expected output", () => {
    expect(examples.map((e) => e.name)).toEqual(expect.arrayContaining(["failover", "group", "agent"]));
    for (const e of examples) expect(e.expected.length, e.name).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [e.name, e] as const))(
    "%s runs and prints its expected output",
    async (name, example) => {
      const file = join(workDir, `${name}.mjs`);
      writeFileSync(file, example.code);
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [file],
          { cwd: workDir, timeout: 15_000, killSignal: "SIGKILL" },
          (err, stdout, stderr) =>
            resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : null, stdout, stderr }),
        ),
      );
      const where = `README line ${example.line}, example "${name}"`;
      expect(result.code, `${where}: ${result.stderr}`).toBe(0);
      expect(result.stdout.replace(/\n$/, "").split("\n"), where).toEqual(example.expected);
    },
  );
});
