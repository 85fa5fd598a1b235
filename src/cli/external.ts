import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { constants as os } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Git-style commands: `zmtp X args...` runs the installed command `zmtp-X args...`, so that
 * applications built on zmtp add commands (zmtp-broker installs `zmtp-broker`, `zmtp-worker`
 * and `zmtp-call`) without the library knowing them. The command is looked for next to the
 * running `zmtp` (node_modules/.bin, a global bin directory), in the node_modules/.bin folders
 * above this package and above the working directory, then on PATH.
 */

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function binDirectoriesAbove(start: string): string[] {
  const dirs: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    dirs.push(join(dir, "node_modules", ".bin"));
    if (dirname(dir) === dir) return dirs;
  }
}

/** Where the command `zmtp-<name>` is installed, or null. */
export function findExternalCommand(name: string, argv1 = process.argv[1], cwd = process.cwd()): string | null {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return null;
  // src/cli/ and the bundle dist/esm/ both sit two levels below the package's root.
  const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
  const dirs = [
    ...(argv1 === undefined ? [] : [dirname(argv1)]),
    ...binDirectoriesAbove(packageRoot),
    ...binDirectoriesAbove(cwd),
    ...(process.env.PATH ?? "").split(delimiter).filter((d) => d !== ""),
  ];
  const file = `zmtp-${name}${process.platform === "win32" ? ".cmd" : ""}`;
  for (const dir of dirs) if (isExecutable(join(dir, file))) return join(dir, file);
  return null;
}

/**
 * Runs `zmtp-<name> args...` with this process's stdio and resolves with its exit code (128 +
 * the signal's number when a signal ended it), or null when no such command is installed.
 */
export async function runExternalCommand(name: string, args: readonly string[]): Promise<number | null> {
  const file = findExternalCommand(name);
  if (file === null) return null;
  const child = spawn(file, [...args], { stdio: "inherit", shell: process.platform === "win32" });
  // A terminal's Ctrl-C reaches the whole process group; a signal sent to zmtp alone is passed on.
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  try {
    return await new Promise<number>((resolvePromise, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => resolvePromise(code ?? 128 + (signal === null ? 0 : os.signals[signal])));
    });
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
}
