// Builds zmtp-names's entry and its command with esbuild (types come from tsc). Dependencies,
// zmtp included, stay imports: the bundles use zmtp as installed, through its public entries.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  packages: "external",
  logLevel: "warning",
};

await Promise.all([
  build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/esm/index.js" }),
  // Two levels below package.json, like src/cli/: the command finds package.json by URL.
  build({ ...common, entryPoints: ["src/cli/bin.ts"], outfile: "dist/esm/cli.js" }),
]);
