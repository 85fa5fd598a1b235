import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * zmtp-monitor depends on zmtp as any user would: through its public entries ("zmtp" and its
 * subpaths in zmtp's package.json "exports"), never by a path into the library's sources.
 */

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const zmtpExports = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("zmtp/package.json"), "utf8")) as {
  exports: Record<string, unknown>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function specifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  // `from` as a keyword (after a space or "}"), not inside a string such as "mail-from" or "from".
  return [...text.matchAll(/(?:(?<=[\s}])from\s*|\bimport\s*\(\s*|\bimport\s+)"([^"]+)"/g)].map((m) => m[1]!);
}

describe("zmtp-monitor's imports", () => {
  const publicEntries = Object.keys(zmtpExports.exports)
    .filter((k) => k !== "./package.json")
    .map((k) => (k === "." ? "zmtp" : `zmtp/${k.slice(2)}`));

  it("reach zmtp only through its public entries, and other packages only if declared", () => {
    const bad: string[] = [];
    for (const file of sourceFiles(join(PACKAGE, "src"))) {
      for (const spec of specifiers(file)) {
        const where = `${relative(PACKAGE, file)}: "${spec}"`;
        if (spec.startsWith(".")) {
          if (!resolve(dirname(file), spec).startsWith(join(PACKAGE, "src"))) bad.push(`${where} leaves src/`);
        } else if (spec.startsWith("node:")) {
          continue;
        } else if (spec.startsWith("zmtp-app-kit/")) {
          // Source only and bundled into dist/ (zmtp-app-kit/build): a devDependency, never imported at run time.
          if (!(spec.split("/")[0]! in pkg.devDependencies)) bad.push(`${where}: zmtp-app-kit is not a devDependency`);
        } else if (spec === "zmtp" || spec.startsWith("zmtp/")) {
          if (!publicEntries.includes(spec))
            bad.push(`${where} is not a public entry of zmtp (${publicEntries.join(", ")})`);
        } else if (
          !(spec.split("/")[0]! in pkg.dependencies) &&
          !(spec.split("/").slice(0, 2).join("/") in pkg.dependencies)
        ) {
          bad.push(`${where} is not a dependency in package.json`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("the check sees zmtp imports (it would catch a deep one)", () => {
    const all = sourceFiles(join(PACKAGE, "src")).flatMap(specifiers);
    expect(all).toContain("zmtp");
    expect(all).toContain("zmtp/auth");
  });
});
