// The browser bundles: src/entries/browser.ts for a page, one self-contained minified ES module
// each, with CURVE (dist/browser/zmtp.js, `zmtp/browser`) and without it
// (dist/browser/zmtp-lite.js, `zmtp/browser-lite`). The platform seam picks its browser side
// through package.json "imports" under esbuild's "browser" condition; the lite bundle adds the
// "zmtp-without-curve" condition, which leaves CURVE, @noble/ciphers and @noble/curves out, and
// "zmtp-page-lite", which leaves out what a page's own transports never run: the accepting side
// of sessions (`#acceptor`: a page cannot listen), PLAIN (`#plain`: a page's ws:// carries NULL
// only), Z85 (`#z85`: CURVE's key text) and tcpAcceptFilter's parser (`#address-mask`: a page
// has no tcp listener; setting a filter is ENOTSUP there). The full bundle keeps them, so that
// CURVE and PLAIN run in a page over a transport a test (or an application) gives it.
// test/unit/browser-bundle.test.ts builds with the same options and checks that no Node
// built-in is reached.
import { build } from "esbuild";

/** Bundle name → whether CURVE is in it. */
export const BROWSER_BUNDLES = { zmtp: true, "zmtp-lite": false };

/** esbuild options for one bundle (the caller adds `outfile`). */
export function browserBundleOptions(withCurve) {
  return {
    entryPoints: ["src/entries/browser.ts"],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    // Private class fields and static blocks stay native (Chrome 94, Firefox 93, Safari 16.4).
    target: "es2022",
    conditions: withCurve ? [] : ["zmtp-without-curve", "zmtp-page-lite"],
    // Every free `Buffer` becomes the `buffer` package's, bundled in; no global is set.
    inject: ["src/platform/browser/buffer-global.ts"],
    // The bundled packages' licence comments go to <bundle>.LEGAL.txt, beside it.
    legalComments: "linked",
    logLevel: "warning",
  };
}

export async function buildBrowserBundles(outdir = "dist/browser") {
  await Promise.all(
    Object.entries(BROWSER_BUNDLES).map(([name, withCurve]) =>
      build({ ...browserBundleOptions(withCurve), outfile: `${outdir}/${name}.js`, sourcemap: true }),
    ),
  );
}
