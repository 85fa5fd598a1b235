import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The installed CLI (bin/zmtp.js over dist/), found from this file whether it runs bundled or
 * from src: the commands that start a child `zmtp` (bench workers, interop agents) run this file.
 */
export function cliPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "zmtp") {
      const bin = join(dir, "bin", "zmtp.js");
      if (!existsSync(join(dir, "dist", "esm", "cli.js")))
        throw new Error("dist/ is missing: run `npm run build` first (child processes run the built CLI)");
      return bin;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the zmtp package to start a child process from");
    dir = parent;
  }
}
