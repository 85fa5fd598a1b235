import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { formatResults, type DemoResult } from "../../src/cli/demo.js";
import { zmtpCommand, type RunResult } from "../helpers/run-node.js";

function zmtp(...args: string[]): Promise<RunResult> {
  return zmtpCommand(args, 15_000);
}

/** Runs the `zmtp` command as installed (bin/zmtp.js over the built dist/esm/cli.js). */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "esm", "cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does) before this test");
  }
});

describe("zmtp command", () => {
  it("--version and -v print the package.json version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      const result = await zmtp(flag);
      expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it("--help prints usage listing the commands on stdout", async () => {
    const result = await zmtp("--help");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Usage:/m);
    expect(result.stdout).toMatch(/^\s+demo\s/m);
    expect(result.stdout).toContain("--version");
  });

  it("demo runs every socket family over tcp, ipc and inproc and exits 0", async () => {
    const result = await zmtp("demo");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^family\s+transport\s+messages\s+result\s+ms$/);
    for (const family of ["PUSH->PULL", "REQ<->REP", "DEALER<->ROUTER", "PAIR<->PAIR"]) {
      for (const transport of ["tcp", "ipc", "inproc"]) {
        const row = lines.find((line) => line.startsWith(`${family} `) && line.split(/\s+/)[1] === transport);
        expect(row, `${family} over ${transport}`).toMatch(/\s\d+\s+ok\s+\d+\.\d$/);
      }
    }
    expect(result.stdout).toContain("12/12 ok");
  });

  it("an unknown command prints usage on stderr and exits 2", async () => {
    const result = await zmtp("frobnicate");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toMatch(/^Usage:/m);
  });

  it("any other command X runs an installed zmtp-X with the remaining arguments, and exits with its code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zmtp-external-"));
    try {
      const script = join(dir, "zmtp-fixture-cmd");
      writeFileSync(script, '#!/bin/sh\necho "ran with: $*"\nexit 7\n', { mode: 0o755 });
      const result = await new Promise<RunResult>((resolve) => {
        const env = { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ""}` };
        execFile(
          process.execPath,
          [join(ROOT, "bin", "zmtp.js"), "fixture-cmd", "--flag", "value"],
          { env },
          (err, stdout, stderr) =>
            resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? null), stdout, stderr }),
        );
      });
      expect(result).toEqual({ code: 7, stdout: "ran with: --flag value\n", stderr: "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an unknown option or a missing command is a usage error (exit 2)", async () => {
    for (const args of [["--frobnicate"], []]) {
      const result = await zmtp(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^Usage:/m);
    }
  });
});

describe("demo table", () => {
  it("aligns the columns and lists each failure's error under the table", () => {
    const results: DemoResult[] = [
      { family: "PUSH->PULL", transport: "tcp", messages: 5, ok: true, ms: 3.25 },
      { family: "DEALER<->ROUTER", transport: "inproc", messages: 2, ok: false, ms: 5012, error: "EAGAIN: timed out" },
    ];
    const lines = formatResults(results).split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "family           transport  messages  result      ms",
      "---------------  ---------  --------  ------  ------",
      "PUSH->PULL       tcp               5  ok         3.3",
      "DEALER<->ROUTER  inproc            2  FAIL    5012.0",
    ]);
    expect(lines).toContain("1/2 ok");
    expect(lines).toContain("DEALER<->ROUTER over inproc: EAGAIN: timed out");
  });
});
