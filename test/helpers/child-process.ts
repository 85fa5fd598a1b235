/**
 * Runs a TypeScript worker script in a child Node process: the worker (and the library under
 * src/ it imports) is bundled with esbuild, as scripts/build.mjs bundles dist/, so the child runs
 * the current sources and can be given Node flags that vitest's workers cannot (--expose-gc).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { common } from "zmtp-app-kit/build";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Bundles `worker` (a path from `root`: the repository's by default, or a workspace package's)
 * into `root`/tmp/; returns the bundle's path. Dependencies stay imports, resolved from
 * node_modules (the bundle lives under it), except zmtp-app-kit, which is source only and bundled
 * in as the applications' builds do.
 */
export async function bundleWorker(worker: string, root = ROOT): Promise<string> {
  const dir = join(root, "tmp", "test-workers");
  mkdirSync(dir, { recursive: true });
  const name = worker.replace(/[^a-z0-9]+/gi, "-");
  const outfile = join(dir, `${name}-${process.pid}-${Date.now()}.mjs`);
  await build({
    ...common,
    entryPoints: [join(root, worker)],
    sourcemap: false,
    outfile,
  });
  return outfile;
}

export function removeBundle(path: string): void {
  rmSync(path, { force: true });
}

export interface ChildRun {
  child: ChildProcess;
  /** Resolves with everything the child printed on stdout once it exits with status 0. */
  done: Promise<string>;
  /** Resolves with the first stdout line. */
  firstLine: Promise<string>;
}

/** Starts `node [flags] bundle [...args]`; stderr is passed through for diagnosis. */
export function runChild(bundle: string, args: string[] = [], flags: string[] = []): ChildRun {
  const child = spawn(process.execPath, [...flags, bundle, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let lineResolve: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((r) => (lineResolve = r));
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    out += chunk;
    const nl = out.indexOf("\n");
    if (nl !== -1) lineResolve(out.slice(0, nl));
  });
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => (err += chunk));
  const done = new Promise<string>((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`child exited with ${code ?? signal}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  return { child, done, firstLine };
}
