/**
 * A workspace package's README examples, run as the root README's are (readme-examples.ts): each
 * example is written under the package's own .examples-tmp/ (gitignored), so that
 * `import ... from "<package>"` resolves to its built dist/, and its stdout lines must equal its
 * `// expect: ` lines.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examplesOf, removeDir, runWith, stdoutLines, writeExample } from "./readme-examples.js";

/** Declares the tests for the README of the package in `dir`, which must hold `required` examples. */
export function describePackageReadme(dir: string, packageName: string, required: readonly string[]): void {
  const examples = examplesOf(readFileSync(join(dir, "README.md"), "utf8"));
  let workDir = "";

  beforeAll(() => {
    if (!existsSync(join(dir, "dist", "esm", "index.js")))
      throw new Error(`packages/${basename(dir)}/dist is missing: run \`npm run build:all\` (npm test does) first`);
    mkdirSync(join(dir, ".examples-tmp"), { recursive: true });
    workDir = mkdtempSync(join(dir, ".examples-tmp", "readme-"));
  });
  afterAll(() => removeDir(workDir));

  describe(`${packageName} README examples`, () => {
    it(`has the examples ${required.join(", ")}, each with expected output`, () => {
      expect(examples.map((e) => e.name)).toEqual(expect.arrayContaining([...required]));
      for (const e of examples) expect(e.expected.length, e.name).toBeGreaterThan(0);
    });

    it.each(examples.map((e) => [e.name, e] as const))(
      "%s runs and prints its expected output",
      async (name, example) => {
        const file = await writeExample(workDir, example);
        const result = await runWith([process.execPath], file, workDir);
        const where = `README line ${example.line}, example "${name}"`;
        expect(result.code, `${where}: ${result.stderr}`).toBe(0);
        expect(stdoutLines(result.stdout), where).toEqual(example.expected);
      },
    );
  });
}
