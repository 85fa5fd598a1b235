/**
 * Runs Node on a script in a child process and collects what it printed and its exit code (null
 * when it was killed, e.g. at the timeout).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.cwd ?? ROOT, timeout: options.timeoutMs ?? 15_000, killSignal: "SIGKILL" },
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

/** The `zmtp` command, as built (bin/zmtp.js), from the repository root. */
export function zmtpCommand(args: string[], timeoutMs = 15_000): Promise<RunResult> {
  return runNode([join(ROOT, "bin", "zmtp.js"), ...args], { timeoutMs });
}
