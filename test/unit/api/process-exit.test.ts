/**
 * The process's life with sockets (src/api/process-exit.ts, exit-delivery.ts), in child processes
 * running the built package (`import "zmtp"` resolves to dist/): idle sockets do not hold the
 * process, a natural exit waits for queued messages after the `exit` listeners and warns after
 * 500 ms, `process.exit()` waits for nothing, workers wait for their own queues, and inproc names
 * of a worker go with it. What zeromq.js does in the same cases: test/conformance/process.test.ts.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, removeBundle } from "../../helpers/child-process.js";
import { freePort } from "../../helpers/sockets.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const DIR = join(ROOT, "tmp", "process-exit-test", String(process.pid));
const WARNING = "WARNING: Waiting for queued ZeroMQ messages to be delivered.";
const ADVICE = " Set 'context.blocky = false' to change this behaviour.";

interface Outcome {
  code: number | null;
  stdout: string[];
  warnings: string[];
  ms: number;
}

let scripts = 0;

/** Writes `code` as an ES module next to the repository's package.json and runs it with node. */
function run(code: string, flags: string[] = [], file?: string): Promise<Outcome> {
  const path = file ?? join(DIR, `script${++scripts}.mjs`);
  if (file === undefined) writeFileSync(path, code);
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [...flags, path], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolveRun({
        code,
        stdout: stdout.split("\n").filter((line) => line !== ""),
        warnings: stderr
          .split("\n")
          .filter((line) => line.includes("WARNING"))
          .map((line) => line.replace(/^\(node:\d+\) /, "")),
        ms: Date.now() - started,
      });
    });
  });
}

/** A peer in another process: binds `endpoint` after `delayMs`, prints what it receives. */
function latePeer(endpoint: string, delayMs: number, count = 1): string {
  const peer = `import { Pull } from "zmtp"; await new Promise((r) => setTimeout(r, ${delayMs}));
    const s = new Pull(); await s.bind(${JSON.stringify(endpoint)});
    for (let i = 0; i < ${count}; i++) console.log("peer received", String(await s.receive()));
    s.close();`;
  return `(await import("node:child_process")).spawn(process.execPath, ["--input-type=module", "-e", ${JSON.stringify(peer)}],
    { cwd: process.cwd(), stdio: ["ignore", "inherit", "inherit"] }).unref();`;
}

beforeAll(() => {
  const built = statSync(join(ROOT, "dist", "esm", "index.js"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  if (built < newest(join(ROOT, "src")))
    throw new Error("dist/ is older than src/: run `npm run build` (these tests run the built package)");
  mkdirSync(DIR, { recursive: true });
});

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe.concurrent("process exit", () => {
  it("is not held by idle sockets: bound, connecting, connected with heartbeats, inproc", async () => {
    const port = await freePort();
    const outcome = await run(`
      import * as zmq from "zmtp";
      const pull = new zmq.Pull(); await pull.bind("tcp://127.0.0.1:*");
      const lonely = new zmq.Push({ reconnectInterval: 20 }); lonely.connect("tcp://127.0.0.1:${port}");
      const a = new zmq.Pair({ heartbeatInterval: 20 }); await a.bind("tcp://127.0.0.1:*");
      const b = new zmq.Pair({ heartbeatInterval: 20 }); b.connect(a.lastEndpoint); await b.send("hi");
      console.log("received", String(await a.receive()));
      const named = new zmq.Pull(); await named.bind("inproc://idle");
      const waiting = new zmq.Push(); waiting.connect("inproc://nobody");`);
    expect(outcome).toMatchObject({ code: 0, stdout: ["received hi"], warnings: [] });
  });

  it("delivers to a peer that binds after the exit began, after the exit listeners, warning once after 500 ms", async () => {
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    const outcome = await run(
      `import * as zmq from "zmtp";
      const push = new zmq.Push(); push.connect(${JSON.stringify(endpoint)});
      await push.send("a"); await push.send("b"); push.close();
      ${latePeer(endpoint, 800, 2)}
      process.on("exit", () => console.log("exit listener"));`,
      ["--no-warnings"],
    );
    // zeromq.js's warning is no process warning: --no-warnings does not hide it.
    expect(outcome).toMatchObject({
      code: 0,
      stdout: ["exit listener", "peer received a", "peer received b"],
      warnings: [WARNING + ADVICE],
    });
  });

  it("does not warn when the delivery takes less than 500 ms", async () => {
    // The peer listens from the start under another name, and moves its socket file where the
    // script connects once the script's exit listener marked that the exit began.
    const path = join(DIR, `quick-${++scripts}`);
    const peer = `import { Pull } from "zmtp"; import { existsSync, renameSync, writeFileSync } from "node:fs";
      const s = new Pull(); await s.bind("ipc://${path}.hidden"); writeFileSync("${path}.ready", "");
      while (!existsSync("${path}.exiting")) await new Promise((r) => setTimeout(r, 5));
      renameSync("${path}.hidden", "${path}");
      console.log("peer received", String(await s.receive())); s.close();`;
    const outcome = await run(
      `import * as zmq from "zmtp"; import { existsSync, writeFileSync } from "node:fs";
      import { spawn } from "node:child_process";
      spawn(process.execPath, ["--input-type=module", "-e", ${JSON.stringify("PEER")}], { cwd: process.cwd(), stdio: ["ignore", "inherit", "inherit"] }).unref();
      while (!existsSync("${path}.ready")) await new Promise((r) => setTimeout(r, 5));
      const push = new zmq.Push({ reconnectInterval: 10 }); push.connect("ipc://${path}"); await push.send("quick");
      process.on("exit", () => writeFileSync("${path}.exiting", ""));`.replace('"PEER"', JSON.stringify(peer)),
    );
    expect(outcome).toMatchObject({ code: 0, stdout: ["peer received quick"], warnings: [] });
  });

  it("gives up after the linger, warning without the advice once the context is not blocky", async () => {
    const outcome = await run(`import * as zmq from "zmtp";
      const push = new zmq.Push({ linger: 700 }); zmq.context.blocky = false;
      push.connect("tcp://127.0.0.1:${await freePort()}"); await push.send("lost");
      const started = Date.now(); process.on("exit", () => console.log("exit listener after", Date.now() - started < 300));`);
    expect(outcome).toMatchObject({ code: 0, stdout: ["exit listener after true"], warnings: [WARNING] });
    expect(outcome.ms).toBeGreaterThanOrEqual(700);
  });

  it("waits for nothing on process.exit()", async () => {
    const outcome = await run(`import * as zmq from "zmtp";
      const push = new zmq.Push(); push.connect("tcp://127.0.0.1:${await freePort()}"); await push.send("dropped");
      setTimeout(() => process.exit(4), 10);`);
    expect(outcome).toMatchObject({ code: 4, stdout: [], warnings: [] });
  });

  it("keeps a worker until what it queued for an absent peer is delivered", async () => {
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    const outcome = await run(`import * as zmq from "zmtp";
      import { Worker, isMainThread } from "node:worker_threads";
      if (isMainThread) {
        const worker = new Worker(new URL(import.meta.url));
        let received = false;
        worker.on("exit", (code) => console.log("worker exit", code, "after delivery", received));
        await new Promise((r) => worker.once("online", r));
        await new Promise((r) => setTimeout(r, 300));
        const pull = new zmq.Pull(); await pull.bind(${JSON.stringify(endpoint)});
        console.log("received", String(await pull.receive())); received = true; pull.close();
      } else {
        const push = new zmq.Push(); push.connect(${JSON.stringify(endpoint)}); await push.send("from the worker"); push.close();
      }`);
    expect(outcome).toMatchObject({
      code: 0,
      stdout: ["received from the worker", "worker exit 0 after delivery true"],
      warnings: [],
    });
  });

  it("frees the inproc names of a worker that ended without unbinding them", async () => {
    const outcome = await run(`import * as zmq from "zmtp";
      import { Worker, isMainThread } from "node:worker_threads";
      if (isMainThread) {
        const worker = new Worker(new URL(import.meta.url));
        console.log("worker exit", await new Promise((r) => worker.once("exit", r)));
        const s = new zmq.Pull(); await s.bind("inproc://left-behind"); console.log("bound again"); s.close();
      } else {
        const s = new zmq.Pull(); await s.bind("inproc://left-behind");
      }`);
    expect(outcome).toMatchObject({ code: 0, stdout: ["worker exit 0", "bound again"], warnings: [] });
  });

  it("still delivers when zmtp is bundled into the application (the main thread waits before exit instead)", async () => {
    const port = await freePort();
    const source = join(DIR, `bundled-${port}.ts`);
    writeFileSync(
      source,
      `import { Push } from "../../../src/index.js";
      const push = new Push(); push.connect("tcp://127.0.0.1:${port}"); await push.send("bundled"); push.close();
      ${latePeer(`tcp://127.0.0.1:${port}`, 700)}`,
    );
    const bundle = await bundleWorker(source.slice(ROOT.length + 1));
    try {
      const outcome = await run("", [], bundle);
      expect(outcome).toMatchObject({ code: 0, stdout: ["peer received bundled"], warnings: [WARNING + ADVICE] });
    } finally {
      removeBundle(bundle);
    }
  });
});
