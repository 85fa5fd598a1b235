// Builds zmtp-monitor's entry and its command with esbuild (types come from tsc), as every
// application builds: zmtp-app-kit/build (dependencies stay imports, the kit is bundled in).
import { buildAll } from "zmtp-app-kit/build";

await buildAll(
  { entryPoints: ["src/index.ts"], outfile: "dist/esm/index.js" },
  // Two levels below package.json, like src/cli/: the command finds plugins/ and package.json by URL.
  // Split in chunks: a role loads only what it uses (an agent: no prom-client, no status page).
  {
    entryPoints: { cli: "src/cli/bin.ts" },
    outdir: "dist/esm",
    splitting: true,
    // Beside cli.js: chunks find plugins/ and package.json two levels up, as src/cli/ does.
    chunkNames: "cli-[name]-[hash]",
  },
);
