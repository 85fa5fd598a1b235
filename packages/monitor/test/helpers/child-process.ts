/**
 * Runs a TypeScript worker script in a child Node process: the worker (and the monitor sources
 * it imports) is bundled with esbuild, so the child runs the current sources; zmtp and the other
 * dependencies stay imports, resolved from node_modules (the repository's test/helpers do it).
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker as bundleFrom } from "../../../../test/helpers/child-process.js";

export { removeBundle, runChild, type ChildRun } from "../../../../test/helpers/child-process.js";

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Bundles `worker` (a path from the package root) into the package's tmp/; returns its path. */
export function bundleWorker(worker: string): Promise<string> {
  return bundleFrom(worker, PACKAGE);
}
