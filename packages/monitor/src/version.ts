import { readFileSync } from "node:fs";

/**
 * zmtp-monitor's version, from its package.json: src/version.ts and the bundles in dist/esm/ both
 * sit two levels below it.
 */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export const MONITOR_VERSION = packageVersion();
