// Builds zmtp-monitor's entry and its command with esbuild (types come from tsc). Dependencies,
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
  // Two levels below package.json, like src/cli/: the command finds plugins/ and package.json by URL.
  // Split in chunks: a role loads only what it uses (an agent: no prom-client, no status page).
  build({
    ...common,
    entryPoints: { cli: "src/cli/bin.ts" },
    outdir: "dist/esm",
    splitting: true,
    // Beside cli.js: chunks find plugins/ and package.json two levels up, as src/cli/ does.
    chunkNames: "cli-[name]-[hash]",
  }),
]);
