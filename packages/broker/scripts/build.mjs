// Builds zmtp-broker's entry and its command with esbuild (types come from tsc), as every
// application builds: zmtp-app-kit/build (dependencies stay imports, the kit is bundled in).
import { buildAll } from "zmtp-app-kit/build";

await buildAll(
  { entryPoints: ["src/index.ts"], outfile: "dist/esm/index.js" },
  // Two levels below package.json, like src/cli/: the command finds package.json by URL.
  { entryPoints: ["src/cli/bin.ts"], outfile: "dist/esm/cli.js" },
);
