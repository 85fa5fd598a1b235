// Builds the ESM and CommonJS bundles of the library and the CLI with esbuild (types come from tsc).
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  packages: "external",
  logLevel: "warning",
};

await Promise.all([
  build({ ...common, entryPoints: ["src/index.ts"], format: "esm", outfile: "dist/esm/index.js" }),
  build({ ...common, entryPoints: ["src/index.ts"], format: "cjs", outfile: "dist/cjs/index.cjs" }),
  build({ ...common, entryPoints: ["src/cli/main.ts"], format: "esm", outfile: "dist/esm/cli.js" }),
]);
