// The applications' esbuild build: their dependencies (zmtp included) stay imports, so a bundle
// uses them as installed, through their public entries; zmtp-app-kit, source only, is bundled in.
import { build } from "esbuild";

const KIT = /^zmtp-app-kit(\/|$)/;

/** Marks every bare import external except zmtp-app-kit's (a "#" import is the package's own: bundled). */
export const dependenciesStayImports = {
  name: "dependencies-stay-imports",
  setup(b) {
    b.onResolve({ filter: /^[^./#]/ }, (args) =>
      KIT.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

export const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  plugins: [dependenciesStayImports],
  logLevel: "warning",
};

/** Runs the given esbuild builds (each on top of `common`) at once. */
export function buildAll(...builds) {
  return Promise.all(builds.map((options) => build({ ...common, ...options })));
}
