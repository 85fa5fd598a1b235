/**
 * Runs a TypeScript worker script in a child Node process: the worker (and the monitor sources
 * it imports) is bundled with esbuild, as scripts/build.mjs bundles dist/, so the child runs the
 * current sources; zmtp and the other dependencies stay imports, resolved from node_modules.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Bundles `worker` (a path from the package root) into tmp/; returns the bundle's path. */
export async function bundleWorker(worker: string): Promise<string> {
  const dir = join(ROOT, "tmp", "test-workers");
  mkdirSync(dir, { recursive: true });
  const name = worker.replace(/[^a-z0-9]+/gi, "-");
  const outfile = join(dir, `${name}-${process.pid}-${Date.now()}.mjs`);
  await build({
    entryPoints: [join(ROOT, worker)],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    // Dependencies resolve from the workspace's node_modules (the bundle lives under it).
    packages: "external",
    outfile,
    logLevel: "warning",
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
