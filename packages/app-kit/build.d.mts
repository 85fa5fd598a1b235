import type { BuildOptions, Plugin } from "esbuild";

/** Marks every bare import external except zmtp-app-kit's. */
export const dependenciesStayImports: Plugin;
/** The applications' esbuild options: bundled ESM for Node 20, dependencies left as imports. */
export const common: BuildOptions;
/** Runs the given esbuild builds (each on top of `common`) at once. */
export function buildAll(...builds: BuildOptions[]): Promise<unknown[]>;
