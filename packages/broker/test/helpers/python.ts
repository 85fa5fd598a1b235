import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Debian's python3 has python3-zmq; a python3 earlier on PATH (pyenv) may not. */
const CANDIDATES = [process.env.PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => p !== undefined);

export const PYTHON: string | null =
  CANDIDATES.find((python) => {
    try {
      execFileSync(python, ["-c", "import zmq"], { stdio: "ignore", timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  }) ?? null;

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Runs a Python fixture to its end: exit code and output. */
export function runPython(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON!, [fixture(script), ...args], { timeout: 15_000 }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : null, stdout, stderr }),
    );
  });
}

/** Starts a long-running Python fixture; its stdout lines are collected in `lines`. */
export function startPython(script: string, args: string[]): { child: ChildProcess; lines: string[]; close(): void } {
  const child = spawn(PYTHON!, ["-u", fixture(script), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  let partial = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  return { child, lines, close: () => void child.kill("SIGKILL") };
}
