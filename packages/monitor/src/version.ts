import { readFileSync } from "node:fs";

/**
 * zmtp-monitor's version, from its package.json: the bundles in dist/esm/ sit two levels below it,
 * src/version.ts (run from source, as the tests do) one.
 */
function packageVersion(): string {
  for (const path of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "zmtp-monitor") return pkg.version ?? "unknown";
    } catch {
      // not there: the next
    }
  }
  return "unknown";
}

export const MONITOR_VERSION = packageVersion();
