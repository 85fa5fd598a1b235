// Builds the library's entries (ESM and CommonJS), the `zmtp` CLI and the browser bundles
// (browser-bundle.mjs) with esbuild; with --types, also their declarations with tsc, for ESM and
// for CommonJS consumers.
//
// The entries (index, auth, z85, batch, errors, v5-compat, ws, draft) share code: the ESM build is split into chunks so that
// every class exists once (a `Context` from "zmtp" must be the one `zmtp/auth` expects, a
// `ZmqError` thrown by a socket must be an instance of the one from `zmtp/errors`). esbuild
// splits ESM only, so the CommonJS build converts each ESM output file to CommonJS, one file for
// one file, and the chunks stay shared.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";
import { buildBrowserBundles } from "./browser-bundle.mjs";

/** Subpath → source; package.json "exports" maps each to dist/{esm,cjs,types,cjs/types}. */
const ENTRIES = {
  index: "src/index.ts",
  auth: "src/entries/auth.ts",
  z85: "src/entries/z85.ts",
  batch: "src/entries/batch.ts",
  errors: "src/entries/errors.ts",
  "v5-compat": "src/entries/v5-compat.ts",
  ws: "src/entries/ws.ts",
  draft: "src/entries/draft.ts",
};

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  packages: "external",
  logLevel: "warning",
};
/** Every free `Buffer` of the library becomes a module binding (no global getter per use). */
const nodeBuffer = { inject: ["src/platform/node/buffer-global.ts"] };

// Chunk names carry a content hash: drop the previous build's before writing new ones.
for (const dir of ["dist/esm/chunks", "dist/cjs/chunks"]) rmSync(dir, { recursive: true, force: true });

const [library] = await Promise.all([
  build({
    ...common,
    ...nodeBuffer,
    entryPoints: ENTRIES,
    format: "esm",
    splitting: true,
    outdir: "dist/esm",
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
  }),
  build({ ...common, ...nodeBuffer, entryPoints: ["src/cli/main.ts"], format: "esm", outfile: "dist/esm/cli.js" }),
  buildBrowserBundles(),
]);

/** Keeps a converted file's imports of the other ESM outputs as imports of their .cjs twins. */
const ESM_DIR = resolve("dist/esm");
const relativeToCjs = {
  name: "relative-to-cjs",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.kind !== "entry-point" && resolve(args.resolveDir, args.path).startsWith(ESM_DIR + sep)
        ? { path: args.path.replace(/\.js$/, ".cjs"), external: true }
        : undefined,
    );
  },
};

/**
 * `require("zmtp")` gives what `require("zeromq")` gives: the named exports and no `default`
 * (ESM's `import zmq from "zmtp"` has one, as Node gives zeromq.js's module.exports there). The
 * converted index becomes index-module.cjs and index.cjs re-exports all of it but `default`;
 * the same for `zmtp/v5-compat` (the binding's `zeromq/v5-compat`).
 */
const WITHOUT_CJS_DEFAULT = ["index", "v5-compat"];
const cjsName = (file) =>
  WITHOUT_CJS_DEFAULT.some((name) => file === `dist/esm/${name}.js`)
    ? relative("dist/esm", file).replace(/\.js$/, "-module.cjs")
    : relative("dist/esm", file).replace(/\.js$/, ".cjs");
const esmFiles = Object.keys(library.metafile.outputs).filter((file) => file.endsWith(".js"));
await Promise.all([
  ...esmFiles.map((file) =>
    build({
      ...common,
      // @noble/ciphers is ESM only: require() of it needs Node's require(esm) (20.19+), so the
      // CommonJS files carry their own copy and work on every Node 20. `ws` is CommonJS: required.
      packages: undefined,
      external: ["ws"],
      // Code that needs its own file reads __filename first and import.meta.url only under ESM.
      logOverride: { "empty-import-meta": "silent" },
      entryPoints: [file],
      format: "cjs",
      outfile: `dist/cjs/${cjsName(file)}`,
      plugins: [relativeToCjs],
    }),
  ),
  ...WITHOUT_CJS_DEFAULT.map((name) =>
    build({
      ...common,
      stdin: { contents: `export * from "./${name}-module.cjs";`, resolveDir: "dist/cjs", loader: "js" },
      format: "cjs",
      outfile: `dist/cjs/${name}.cjs`,
      sourcemap: false,
      external: [`./${name}-module.cjs`],
    }),
  ),
]);

mkdirSync("dist/cjs", { recursive: true });
writeFileSync("dist/cjs/package.json", '{\n  "type": "commonjs"\n}\n');

/**
 * The declarations describe the Node build: an import of package.json "imports" (`#platform/x`,
 * `#curve`: the seams, which point into src/ and are not published) becomes a relative import of
 * the declaration of its default (Node) target.
 */
function nodeImportsInDeclarations(dir) {
  const imports = JSON.parse(readFileSync("package.json", "utf8")).imports;
  const targetOf = (specifier) => {
    for (const [key, conditions] of Object.entries(imports)) {
      const star = key.indexOf("*");
      const match = star === -1 ? specifier === key : specifier.startsWith(key.slice(0, star));
      if (!match) continue;
      const target = star === -1 ? conditions.default : conditions.default.replace("*", specifier.slice(star));
      return target.replace(/^\.\/src\//, "").replace(/\.ts$/, ".js");
    }
    return null;
  };
  for (const entry of readdirSync(dir, { recursive: true })) {
    if (!entry.endsWith(".d.ts")) continue;
    const file = join(dir, entry);
    const text = readFileSync(file, "utf8");
    const rewritten = text.replace(/(from |import\()(["'])(#[\w/-]+)\2/g, (whole, lead, quote, specifier) => {
      const target = targetOf(specifier);
      if (target === null) return whole;
      const path = relative(dirname(file), join(dir, target)).split(sep).join("/");
      return `${lead}${quote}${path.startsWith(".") ? path : `./${path}`}${quote}`;
    });
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

if (process.argv.includes("--types")) {
  for (const dir of ["dist/types", "dist/cjs/types"]) rmSync(dir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
  nodeImportsInDeclarations("dist/types");
  // The same declarations for CommonJS consumers: under dist/cjs, whose package.json says
  // "commonjs", TypeScript reads them as CommonJS (they describe the .cjs files), not as ESM.
  cpSync("dist/types", "dist/cjs/types", { recursive: true });
  // No `default` for CommonJS consumers either (see index.cjs above).
  for (const types of ["dist/cjs/types/index.d.ts", "dist/cjs/types/entries/v5-compat.d.ts"]) {
    writeFileSync(types, readFileSync(types, "utf8").replace(/\nexport default zmq;\n/, "\n"));
  }
}
