/**
 * zmtp in a real browser: Debian's headless Chromium (`apt-get install chromium`; .ci/run
 * installs it), driven by playwright-core. A page served from a local HTTP server loads the
 * built bundle (dist/browser/zmtp.js, through an import map) and runs ./page-tests.ts: inproc
 * between every pairing of socket types, what a page refuses, CURVE with ZAP in the page
 * (./curve-page.ts), and, once the ws transport is in the tree (src/transports/ws*), ws:// to a
 * zmtp and to a libzmq endpoint on localhost.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import * as zeromq from "zeromq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a build script (JavaScript), no declarations
import { browserBundleOptions } from "../../scripts/browser-bundle.mjs";
import * as zmtp from "../../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "tmp", "browser-page");
const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** The ws transport (another branch of issue 18): its page cases run once its files are here. */
const WS_FILES = readdirSync(join(ROOT, "src", "transports")).filter((f) => f.startsWith("ws"));

if (!HAVE_CHROMIUM) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
else if (WS_FILES.length === 0) console.warn("browser ws:// cases skipped: no src/transports/ws* in this tree yet");

const PAGE = `<!doctype html>
<title>zmtp browser tests</title>
<script type="importmap">{ "imports": { "zmtp": "/zmtp.js" } }</script>
<script type="module">
  import * as tests from "/page-tests.js";
  import * as curve from "/curve-page.js";
  window.zmtpPage = { ...tests, ...curve };
  document.title = "ready";
</script>`;

const FILES: Record<string, () => Buffer | string> = {
  "/": () => PAGE,
  "/zmtp.js": () => readFileSync(join(ROOT, "dist", "browser", "zmtp.js")),
  "/page-tests.js": () => readFileSync(join(OUT, "page-tests.js")),
  "/curve-page.js": () => readFileSync(join(OUT, "curve-page.js")),
};

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const file = FILES[req.url ?? ""];
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = req.url === "/" ? "text/html" : "text/javascript";
    res.writeHead(200, { "content-type": `${type}; charset=utf-8` }).end(file());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

type PageCall = (page: Page) => Promise<string[]>;

describe.skipIf(!HAVE_CHROMIUM)("zmtp in headless Chromium", () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist", "browser", "zmtp.js"))) throw new Error("run `npm run build` first");
    mkdirSync(OUT, { recursive: true });
    const options = browserBundleOptions(true);
    await Promise.all([
      // The cases, over the built bundle ("zmtp" stays an import the page's import map answers).
      build({
        ...options,
        entryPoints: [join(ROOT, "test/browser/page-tests.ts")],
        external: ["zmtp"],
        minify: false,
        outfile: join(OUT, "page-tests.js"),
        absWorkingDir: ROOT,
      }),
      // CURVE in the page: built from the sources with the bundle's own options.
      build({
        ...options,
        entryPoints: [join(ROOT, "test/browser/curve-page.ts")],
        minify: false,
        outfile: join(OUT, "curve-page.js"),
        absWorkingDir: ROOT,
      }),
    ]);
    server = await serve();
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage();
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction('document.title === "ready"', undefined, { timeout: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const call =
    (name: string, ...args: unknown[]): PageCall =>
    (p) =>
      p.evaluate(
        ([name, args]) => {
          const [group, key] = (name as string).split(".") as [string, string | undefined];
          const page = (globalThis as unknown as { zmtpPage: Record<string, unknown> }).zmtpPage;
          const target = key === undefined ? page[group] : (page[group] as Record<string, unknown>)[key];
          return (target as (...a: unknown[]) => Promise<string[]>)(...(args as unknown[]));
        },
        [name, args] as const,
      );

  const SUBSCRIPTION = JSON.stringify("\x01a");
  it.each([
    ["PAIR-PAIR", ["ping", "pong"]],
    ["REQ-REP", ["question", "answer"]],
    ["REQ-ROUTER", ["req", "", "question", "answer"]],
    ["DEALER-REP", ["question", "", "answer"]],
    ["DEALER-ROUTER", ["d1", "hi", "back"]],
    ["DEALER-DEALER", ["one", "two"]],
    ["ROUTER-ROUTER", ["client", "hello", "server", "welcome"]],
    ["PUSH-PULL", ["m0", "m999", "1000 in order: true"]],
    ["PUB-SUB", ["a: subscribed"]],
    ["PUB-XSUB", ["a: subscribed"]],
    ["XPUB-SUB", [SUBSCRIPTION, "a: subscribed"]],
    ["XPUB-XSUB", [SUBSCRIPTION, "a: subscribed"]],
    ["PUB-Proxy-SUB", ["through the proxy"]],
  ])("inproc %s in the page", async (pair, expected) => {
    expect(await call(`inproc.${pair}`)(page)).toEqual(expected);
    expect(pageErrors).toEqual([]);
  });

  it("tcp:// and ipc:// are EPROTONOSUPPORT in the page; capability says ipc false, curve true", async () => {
    expect(await call("refusals")(page)).toEqual([
      "EPROTONOSUPPORT 93 Protocol not supported",
      "EPROTONOSUPPORT 93 Protocol not supported",
      JSON.stringify({ ipc: false, pgm: false, tipc: false, norm: false, curve: true, gssapi: false, draft: false }),
    ]);
  });

  it("CURVE in the page: handshake, encrypted both ways, a ZAP handler refuses an unknown key", async () => {
    expect(await call("curveHandshake")(page)).toEqual([
      "handshake",
      "encrypted hello",
      "encrypted reply",
      "refused 400",
    ]);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  describe.skipIf(WS_FILES.length === 0)("ws:// from the page", () => {
    const closers: Array<() => void> = [];
    afterAll(() => closers.forEach((close) => close()));

    /** A ROUTER answering "echo: <message>" until closed. */
    async function echoRouter(router: zmtp.Router | zeromq.Router, address: string): Promise<string> {
      await router.bind(address);
      closers.push(() => router.close());
      void (async () => {
        try {
          for await (const [id, message] of router) await router.send([id!, `echo: ${message}`]);
        } catch {
          // closed
        }
      })();
      return router.lastEndpoint!;
    }

    /** A PUB sending "news <n>" every 20 ms until closed. */
    async function newsPublisher(pub: zmtp.Publisher | zeromq.Publisher, address: string): Promise<string> {
      await pub.bind(address);
      let n = 0;
      const timer = setInterval(() => void pub.send(`news ${n++}`).catch(() => undefined), 20);
      closers.push(() => {
        clearInterval(timer);
        pub.close();
      });
      return pub.lastEndpoint!;
    }

    it("DEALER to a zmtp ROUTER bound on ws://", async () => {
      const endpoint = await echoRouter(new zmtp.Router({ linger: 0 }), "ws://127.0.0.1:*");
      expect(await call("wsDealer", endpoint)(page)).toEqual(["echo: one", "echo: two"]);
    }, 30_000);

    it("DEALER to a libzmq ROUTER bound on ws://", async () => {
      const endpoint = await echoRouter(new zeromq.Router({ linger: 0 }), "ws://127.0.0.1:*");
      expect(await call("wsDealer", endpoint)(page)).toEqual(["echo: one", "echo: two"]);
    }, 30_000);

    it("a CURVE DEALER's connect to ws:// is ENOTSUP: a browser cannot offer ZWS2.0/CURVE", async () => {
      const keys = zeromq.curveKeyPair();
      const router = new zeromq.Router({ linger: 0, curveServer: true, curveSecretKey: keys.secretKey });
      const endpoint = await echoRouter(router, "ws://127.0.0.1:*");
      expect(await call("wsCurveDealer", endpoint, keys.publicKey)(page)).toEqual(["ENOTSUP Operation not supported"]);
    }, 30_000);

    it("SUB receiving from a zmtp PUB bound on ws://", async () => {
      const endpoint = await newsPublisher(new zmtp.Publisher({ linger: 0 }), "ws://127.0.0.1:*");
      expect(await call("wsSubscriber", endpoint)(page)).toEqual(["news <n>"]);
    }, 30_000);

    it("SUB receiving from a libzmq PUB bound on ws://", async () => {
      const endpoint = await newsPublisher(new zeromq.Publisher({ linger: 0 }), "ws://127.0.0.1:*");
      expect(await call("wsSubscriber", endpoint)(page)).toEqual(["news <n>"]);
    }, 30_000);

    it("bind ws:// in the page is ENOTSUP: a page cannot listen", async () => {
      expect(await call("wsBind")(page)).toEqual(["ENOTSUP Operation not supported"]);
    });
  });
});
