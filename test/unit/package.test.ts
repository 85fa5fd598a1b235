import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode as runNodeIn, type RunResult } from "../helpers/run-node.js";

function runNode(args: string[]): Promise<RunResult> {
  return runNodeIn(args, { cwd: workDir });
}

/**
 * The package as a user installs it: the built dist/ reached through package.json "exports"
 * (files under .examples-tmp/ resolve `zmtp` by Node's package self-reference), from ESM, from
 * CommonJS, and from TypeScript under `moduleResolution: node16`.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const require = createRequire(import.meta.url);
let workDir = "";

async function runScript(name: string, source: string, nodeArgs: string[] = []): Promise<unknown> {
  const file = join(workDir, name);
  writeFileSync(file, source);
  const result = await runNode([...nodeArgs, file]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as unknown;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "cjs", "types", "index.d.ts"))) {
    throw new Error("dist/ is missing or has no types: run `npm run build` (npm test does) before this test");
  }
  mkdirSync(join(ROOT, ".examples-tmp"), { recursive: true });
  workDir = mkdtempSync(join(ROOT, ".examples-tmp", "package-"));
});

afterAll(() => {
  if (workDir !== "") rmSync(workDir, { recursive: true, force: true });
});

/**
 * CommonJS runs without Node's require(esm) (on by default only from 20.19), as on any Node 20:
 * the CommonJS build must not require() an ESM-only dependency.
 */
const WITHOUT_REQUIRE_ESM = process.allowedNodeEnvironmentFlags.has("--experimental-require-module")
  ? ["--no-experimental-require-module"]
  : [];

/** zeromq.js v6's runtime exports, from the binding itself. */
const ZEROMQ_NAMES = Object.keys(require("zeromq") as object).sort();
describe("package entries", () => {
  it("the main entry exports exactly zeromq.js v6's names; ESM adds a default export holding them, CommonJS has none, as with zeromq.js", async () => {
    const shapes = (await runScript(
      "names.mjs",
      `import zmq, * as named from "zmtp";
       import { createRequire } from "node:module";
       const cjs = createRequire(import.meta.url)("zmtp");
       const keys = (o) => Object.keys(o).filter((k) => k !== "default").sort();
       console.log(JSON.stringify({
         esm: keys(named), esmDefault: Object.keys(zmq).sort(), cjs: Object.keys(cjs).sort(),
         sameClass: zmq.Push === named.Push,
       }));`,
      WITHOUT_REQUIRE_ESM,
    )) as { esm: string[]; esmDefault: string[]; cjs: string[]; sameClass: boolean };
    expect(shapes.esm).toEqual(ZEROMQ_NAMES);
    expect(shapes.esmDefault).toEqual(ZEROMQ_NAMES);
    expect(shapes.cjs).toEqual(ZEROMQ_NAMES);
    expect(shapes.sameClass).toBe(true);
  });

  it("the built classes keep zeromq.js's names, which V8 prints in its own errors (#<Socket>)", async () => {
    // (A zeromq.js Dealer whose constructor threw keeps its process alive, so the binding is
    // asked only through the setter.)
    const probe = (lib: string, constructorToo: boolean): string => `
      import * as zmq from ${JSON.stringify(lib)};
      const messages = [];
      const attempt = (f) => { try { f(); } catch (err) { messages.push(err.message); } };
      if (${constructorToo}) attempt(() => new zmq.Dealer({ securityMechanism: 1 }));
      const dealer = new zmq.Dealer();
      attempt(() => { dealer.securityMechanism = 1; });
      dealer.close();
      console.log(JSON.stringify(messages));`;
    const [theirs] = (await runScript("names-zeromq.mjs", probe("zeromq", false))) as string[];
    expect(theirs).toBe("Cannot set property securityMechanism of #<Socket> which has only a getter");
    expect(await runScript("names-zmtp.mjs", probe("zmtp", true))).toEqual([theirs, theirs]);
  });

  it("zmtp/auth, zmtp/z85, zmtp/errors and zmtp/ws share the main entry's classes, from ESM and from CommonJS", async () => {
    const probe = (load: string): string => `
      ${load}
      const push = new zmtp.Push();
      let thrown;
      try { await push.bind("bogus://x"); } catch (err) { thrown = err; }
      push.close();
      const context = new zmtp.Context();
      const auth = new authMod.Authenticator({ context });
      console.log(JSON.stringify({
        auth: Object.keys(authMod).sort(), z85: Object.keys(z85Mod).sort(), errors: Object.keys(errorsMod).sort(),
        ws: Object.keys(wsMod).sort(),
        errorShape: errorsMod.isZmqError(thrown) && Object.getPrototypeOf(thrown) === Error.prototype, code: thrown.code,
        sameContext: auth.context === context,
        keyRoundTrip: z85Mod.z85Encode(z85Mod.z85Decode(zmtp.curveKeyPair().publicKey)).length,
      }));`;
    const esm = await runScript(
      "subpaths.mjs",
      probe(
        `import * as zmtp from "zmtp"; import * as authMod from "zmtp/auth"; import * as z85Mod from "zmtp/z85"; import * as errorsMod from "zmtp/errors"; import * as wsMod from "zmtp/ws";`,
      ),
    );
    const cjs = await runScript(
      "subpaths.cjs",
      `(async () => {${probe(`const zmtp = require("zmtp"); const authMod = require("zmtp/auth"); const z85Mod = require("zmtp/z85"); const errorsMod = require("zmtp/errors"); const wsMod = require("zmtp/ws");`)}})();`,
      WITHOUT_REQUIRE_ESM,
    );
    const expected = {
      auth: ["Authenticator", "CurveKeyFile", "parseCurveKeyList"],
      z85: ["curvePublicKey", "z85Decode", "z85Encode"],
      errors: ["isZmqError", "zmqError"],
      ws: ["attachServer"],
      errorShape: true,
      code: "EPROTONOSUPPORT",
      sameContext: true,
      keyRoundTrip: 40,
    };
    expect(esm).toEqual(expected);
    expect(cjs).toEqual(expected);
  });

  it("zmtp/v5-compat exports zeromq/v5-compat's names (ESM adds a default), over the main entry's default context", async () => {
    const probe = (load: string): string => `
      ${load}
      const before = zmtp.context.maxSockets;
      v5.Context.setMaxSockets(77);
      const shared = zmtp.context.maxSockets === 77;
      v5.Context.setMaxSockets(before);
      console.log(JSON.stringify({ names: Object.keys(v5).filter((k) => k !== "default").sort(), shared,
        defaultNames: v5.default === undefined ? null : Object.keys(v5.default).length }));`;
    const names = Object.keys(require("zeromq/v5-compat") as object).sort();
    const esm = await runScript(
      "v5-compat.mjs",
      probe(`import * as zmtp from "zmtp"; import * as v5 from "zmtp/v5-compat";`),
    );
    const cjs = await runScript(
      "v5-compat.cjs",
      probe(`const zmtp = require("zmtp"); const v5 = require("zmtp/v5-compat");`),
      WITHOUT_REQUIRE_ESM,
    );
    expect(esm).toEqual({ names, shared: true, defaultNames: names.length });
    expect(cjs).toEqual({ names, shared: true, defaultNames: null });
  });

  it("zmtp/draft gives zeromq/draft's classes on the main entry's Socket, and its warning, from ESM and from CommonJS", async () => {
    const probe = (load: string): string => `
      const warnings = [];
      process.on("warning", (w) => warnings.push(w.message));
      ${load}
      const server = new draft.Server({ receiveTimeout: 2000 });
      await server.bind("tcp://127.0.0.1:*");
      const client = new draft.Client({ receiveTimeout: 2000 });
      client.connect(server.lastEndpoint);
      await client.send("ping");
      const [body, { routingId }] = await server.receive();
      await server.send("pong", { routingId });
      const [reply] = await client.receive();
      server.close();
      client.close();
      await new Promise((resolve) => setImmediate(resolve));
      console.log(JSON.stringify({
        names: Object.keys(draft).sort(), socket: server instanceof zmtp.Socket,
        round: [body.toString(), reply.toString()], warnings,
      }));`;
    const esm = await runScript(
      "draft.mjs",
      probe(`const zmtp = await import("zmtp"); const draft = await import("zmtp/draft");`),
    );
    const cjs = await runScript(
      "draft.cjs",
      `(async () => {${probe(`const zmtp = require("zmtp"); const draft = require("zmtp/draft");`)}})();`,
      WITHOUT_REQUIRE_ESM,
    );
    const expected = {
      names: ["Client", "Datagram", "Dish", "Gather", "Radio", "Scatter", "Server"],
      socket: true,
      round: ["ping", "pong"],
      warnings: ["ZeroMQ draft features are experimental and could change at any time."],
    };
    expect(esm).toEqual(expected);
    expect(cjs).toEqual(expected);
  });

  it('import "zmtp" loads the library and @noble/ciphers only', async () => {
    writeFileSync(
      join(workDir, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";
       export async function load(url, context, next) {
         if (url.startsWith("file:")) appendFileSync(process.env.LOADED, url + "\\n");
         return next(url, context);
       }`,
    );
    const loaded = join(workDir, "loaded.txt");
    writeFileSync(loaded, "");
    writeFileSync(
      join(workDir, "register.mjs"),
      `import { register } from "node:module"; register("./hooks.mjs", import.meta.url);`,
    );
    const script = join(workDir, "load.mjs");
    writeFileSync(script, `import { Push } from "zmtp"; void Push;`);
    const result = await new Promise<RunResult>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "./register.mjs", script],
        { cwd: workDir, env: { ...process.env, LOADED: loaded } },
        (err, stdout, stderr) => resolve({ code: err === null ? 0 : 1, stdout, stderr }),
      );
    });
    expect(result.code, result.stderr).toBe(0);
    const files = readFileSync(loaded, "utf8")
      .trim()
      .split("\n")
      .map((url) => fileURLToPath(url))
      .filter((f) => f !== script);
    const outside = files.filter(
      (f) => !f.startsWith(join(ROOT, "dist", "esm")) && !f.includes(join("node_modules", "@noble", "ciphers")),
    );
    expect(outside).toEqual([]);
    expect(files).toContain(join(ROOT, "dist", "esm", "index.js"));
  });
});

describe("browser entries", () => {
  it("zmtp/browser and zmtp/browser-lite export zeromq.js v6's names and a default holding them, as the main entry", async () => {
    const shapes = (await runScript(
      "browser-names.mjs",
      `import full, * as named from "zmtp/browser";
       import lite, * as namedLite from "zmtp/browser-lite";
       const keys = (o) => Object.keys(o).filter((k) => k !== "default").sort();
       console.log(JSON.stringify({
         full: keys(named), fullDefault: Object.keys(full).sort(),
         lite: keys(namedLite), liteDefault: Object.keys(lite).sort(),
         curve: [named.capability.curve, namedLite.capability.curve],
       }));`,
    )) as Record<string, unknown>;
    expect(shapes).toEqual({
      full: ZEROMQ_NAMES,
      fullDefault: ZEROMQ_NAMES,
      lite: ZEROMQ_NAMES,
      liteDefault: ZEROMQ_NAMES,
      curve: [true, false],
    });
  });

  it('the declarations name no import of the platform seam (package.json "imports" points into src/, not published)', () => {
    const offending: string[] = [];
    for (const dir of ["dist/types", "dist/cjs/types"]) {
      for (const entry of readdirSync(join(ROOT, dir), { recursive: true }) as string[]) {
        if (!entry.endsWith(".d.ts")) continue;
        const text = readFileSync(join(ROOT, dir, entry), "utf8");
        if (/(\bfrom |\bimport\()["']#/.test(text)) offending.push(join(dir, entry));
      }
    }
    expect(offending).toEqual([]);
  });
});

describe("bundling", () => {
  it("an esbuild bundle of a program using zmtp (every dependency inlined) runs", async () => {
    const entry = join(workDir, "app.mjs");
    writeFileSync(
      entry,
      `import { Pull, Push } from "zmtp";
       const pull = new Pull();
       const push = new Push();
       await pull.bind("tcp://127.0.0.1:*");
       push.connect(pull.lastEndpoint);
       await push.send("bundled");
       const [frame] = await pull.receive();
       push.close();
       pull.close();
       console.log(JSON.stringify(frame.toString()));`,
    );
    const outfile = join(workDir, "app.bundle.mjs");
    await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile, logLevel: "silent" });
    expect(await runScript("run-bundle.mjs", `await import(${JSON.stringify(outfile)});`)).toBe("bundled");
  });
});

describe("package types under moduleResolution node16", () => {
  /** Type-checks the files together (one program: @types/node is read once); errors by file. */
  function diagnostics(files: Record<string, string>): Record<string, string[]> {
    const byFile: Record<string, string[]> = {};
    const names = Object.entries(files).map(([name, text]) => {
      byFile[name] = [];
      writeFileSync(join(workDir, name), text);
      return join(workDir, name);
    });
    const program = ts.createProgram(names, {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      types: ["node"],
      typeRoots: [join(ROOT, "node_modules", "@types")],
    });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const file = d.file === undefined ? "(global)" : relative(workDir, d.file.fileName);
      (byFile[file] ??= []).push(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    }
    return byFile;
  }

  it("a CommonJS and an ESM consumer compile against every entry (zmtp/v5-compat too); zmtp's additions are not on the main entry", () => {
    const errors = diagnostics({
      // Were the CommonJS types ESM ("masquerading as ESM"), `require("zmtp")` would not compile here.
      "consumer.cts": `
        import zmq = require("zmtp");
        import { Authenticator, type AuthDecision } from "zmtp/auth";
        import { zmqError, type ErrorCode } from "zmtp/errors";
        import { z85Encode } from "zmtp/z85";
        import { Server } from "zmtp/draft";
        const push: zmq.Push = new zmq.Push();
        const message: zmq.Message | undefined = undefined;
        const code: ErrorCode = zmqError("EAGAIN").code;
        const log = (d: AuthDecision): string => d.reason + z85Encode(new Uint8Array(4)) + code;
        const reply = (s: Server): Promise<void> => s.receive().then(([, { routingId }]) => s.send("r", { routingId }));
        export = { push, message, log, Authenticator, reply };`,
      "consumer.mts": `
        import zmq, { Push, Pull, type Event, type MessageLike, type SocketOptions } from "zmtp";
        import { Authenticator } from "zmtp/auth";
        import { isZmqError, type ZmqError } from "zmtp/errors";
        import { curvePublicKey } from "zmtp/z85";
        import { Dish, Radio } from "zmtp/draft";
        import { Dealer as PageDealer } from "zmtp/browser";
        import lite from "zmtp/browser-lite";
        const options: SocketOptions<Push> = { sendHighWaterMark: 10 };
        const page = new PageDealer({ routingId: "tab" });
        const litePull: Pull = new lite.Pull();
        const dish = new Dish({ receiveTimeout: 10 });
        dish.join("g", Buffer.from("h"));
        const groupOf = (d: Dish): Promise<Buffer> => d.receive().then(([, { group }]) => group);
        const radio = (r: Radio): Promise<void> => r.send("m", { group: "g" });
        const pull: Pull = new zmq.Pull();
        const frame: MessageLike = "x";
        const onEvent = (e: Event): string => e.type;
        const check = (e: unknown): ZmqError | null => (isZmqError(e) ? e : null);
        export { options, pull, frame, onEvent, Authenticator, check, curvePublicKey, page, litePull, dish, groupOf, radio };`,
      "extra.mts": `import { Authenticator, zmqError, z85Encode } from "zmtp"; export { Authenticator, zmqError, z85Encode };`,
      "v5.cts": `
        import zmq = require("zmtp/v5-compat");
        const sock: zmq.Socket = zmq.socket("push", { linger: 0 });
        sock.identity = "a";
        sock.bindSync("tcp://127.0.0.1:*");
        sock.send(["a", 1], zmq.ZMQ_SNDMORE, (err?: Error) => void err);
        export = sock.getsockopt(zmq.ZMQ_LINGER);`,
      "v5.mts": `
        import zmq, { socket, type SocketType } from "zmtp/v5-compat";
        const type: SocketType = "pull";
        const sock = socket(type).on("message", (...frames: Buffer[]) => frames.length);
        sock.monitor().setsockopt("backlog", 10);
        export const keys = zmq.curveKeypair().public + zmq.version;`,
    });
    expect(errors["consumer.cts"]).toEqual([]);
    expect(errors["consumer.mts"]).toEqual([]);
    expect(errors["extra.mts"]).toHaveLength(3);
    for (const e of errors["extra.mts"]!) expect(e).toMatch(/has no exported member/);
    expect(errors["v5.cts"]).toEqual([]);
    expect(errors["v5.mts"]).toEqual([]);
    expect(Object.keys(errors).sort()).toEqual(["consumer.cts", "consumer.mts", "extra.mts", "v5.cts", "v5.mts"]);
  });
});
