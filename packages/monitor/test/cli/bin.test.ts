import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

/** The `zmtp-monitor` command as installed: bin/zmtp-monitor.js over the built dist/esm/cli.js. */

const PACKAGE = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(PACKAGE, "bin", "zmtp-monitor.js");

function zmtpMonitor(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: PACKAGE, timeout: 15_000, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        const failure = err as (Error & { code?: number | string }) | null;
        resolve({
          code: failure === null ? 0 : typeof failure.code === "number" ? failure.code : null,
          stdout,
          stderr,
        });
      },
    );
  });
}

beforeAll(() => {
  if (!existsSync(join(PACKAGE, "dist", "esm", "cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` in packages/monitor (the root `npm test` does)");
  }
});

describe("zmtp-monitor bin", () => {
  it("--version prints the package version; --help lists the roles", async () => {
    const { version } = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { version: string };
    expect(await zmtpMonitor("--version")).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    const help = await zmtpMonitor("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: zmtp-monitor <role>/);
    expect(help.stdout).toMatch(/^ {2}demo\s/m);
  });

  it("an unknown role is a usage error (exit 2)", async () => {
    const result = await zmtpMonitor("nope");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown role "nope"');
  });
});
