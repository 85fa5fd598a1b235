/**
 * `zmtp interop --impl-runtime`: the implementation under test runs in a child process (an
 * interop agent) and the matrix drives it through stand-in sockets. Under this Node the stand-ins
 * must change nothing: the same library passes the same cases, a broken one fails the same cases
 * with the same reasons, and a child that dies fails what is left at once instead of hanging.
 * test/runtimes/ uses the same path under Bun, Deno and other Node versions.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OURS, loadImplementation, socketClass, type Implementation } from "../../src/cli/interop/api.js";
import { interopCases, runInterop, type InteropSummary } from "../../src/cli/interop/matrix.js";
import { startRemote, type RemoteImplementation } from "../../src/cli/interop/remote.js";
import { ROOT, zmtpCommand } from "../helpers/run-node.js";

const BROKEN = "./test/fixtures/broken-zmq.mjs";
const EXITING = "./test/fixtures/exiting-zmq.mjs";

function failures(summary: InteropSummary): Array<[string, string | undefined]> {
  return summary.results.filter((r) => r.status === "fail").map((r) => [r.name, r.detail]);
}

/** Failures with their reasons, counts left out (how many sends a high-water mark let through varies). */
function failureKinds(summary: InteropSummary): Array<[string, string | undefined]> {
  return failures(summary).map(([name, detail]) => [name, detail?.replace(/\d+/g, "N")]);
}

let zeromq: Implementation;
const started: RemoteImplementation[] = [];

async function remote(spec: string): Promise<RemoteImplementation> {
  const impl = await startRemote(spec, [process.execPath]);
  started.push(impl);
  return impl;
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "esm", "cli.js")))
    throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  zeromq = await loadImplementation("zeromq", ROOT);
});

afterAll(() => Promise.all(started.map((impl) => impl.stop())));

describe("an implementation in a child process", () => {
  it("says where it runs and what it is", async () => {
    const zmtp = await remote("zmtp");
    expect(zmtp).toMatchObject({ name: "zmtp", runtime: `node ${process.versions.node}`, self: true });
    expect(zmtp.module.capability).toMatchObject({ curve: true });
    expect(interopCases(zmtp, zeromq).map((c) => c.name)).toEqual(interopCases(OURS, zeromq).map((c) => c.name));
  });

  it("its stand-in sockets have the options the real ones have, with their values", async () => {
    const zmtp = await remote("zmtp");
    const Push = socketClass(zmtp, "Push")!;
    const RealPush = socketClass(OURS, "Push")!;
    const push = new Push({ sendHighWaterMark: 7 });
    const real = new RealPush({ sendHighWaterMark: 7 });
    try {
      expect("sendTimeout" in push).toBe(true);
      expect("receiveTimeout" in push).toBe("receiveTimeout" in real);
      expect([push.linger, push.sendHighWaterMark, push.sendTimeout]).toEqual([
        real.linger,
        real.sendHighWaterMark,
        real.sendTimeout,
      ]);
      push.sendTimeout = 0;
      real.sendTimeout = 0;
      expect(push.sendTimeout).toBe(0);
      // Nobody is connected: the child's PUSH cannot queue, and says so as the real one does.
      const codes = await Promise.all(
        [push, real].map((s) =>
          s.send("x").then(
            () => "sent",
            (err: { code?: string }) => err.code,
          ),
        ),
      );
      expect(codes).toEqual(["EAGAIN", "EAGAIN"]);
    } finally {
      push.close();
      real.close();
    }
  });

  it("passes the whole matrix against libzmq, as the library does in this process", async () => {
    const summary = await runInterop(await remote("zmtp"), zeromq);
    expect(failures(summary)).toEqual([]);
    expect(summary.passed).toBe(interopCases(OURS, zeromq).length);
  }, 120_000);

  it("fails exactly the cases a broken implementation fails in this process, for the same reasons", async () => {
    const filters = ["tcp", "null"];
    const here = await runInterop(await loadImplementation(BROKEN, ROOT), zeromq, { filters, caseTimeout: 3000 });
    const there = await runInterop(await remote(BROKEN), zeromq, { filters, caseTimeout: 3000 });
    expect(failures(here).length).toBeGreaterThan(0);
    expect(failureKinds(there)).toEqual(failureKinds(here));
  }, 60_000);

  it("that exits fails the case it was in and every later one, naming the exit", async () => {
    const exiting = await remote(EXITING);
    const summary = await runInterop(exiting, zeromq, { filters: ["PUSH-PULL tcp null"], caseTimeout: 20_000 });
    // Cases 1 and 2: the child plays PUSH; case 3: its PULL exits the process; case 4 cannot open its socket.
    expect(summary.results.map((r) => r.status)).toEqual(["pass", "pass", "fail", "fail"]);
    for (const r of summary.results.slice(2))
      expect(r.detail).toContain(`${EXITING} in ${process.execPath} exited with 3`);
  }, 60_000);
});

describe("zmtp interop --impl-runtime / --peer-runtime", () => {
  it("prints where the implementation runs, the table and the summary", async () => {
    const result = await zmtpCommand(
      ["interop", "--impl-runtime", process.execPath, "--filter", "REQ-REP tcp curve"],
      60_000,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`zmtp in node ${process.versions.node} vs zeromq (version 4.3.5): 4 cases`);
    expect(lines.at(-1)).toBe("4 passed, 0 failed");
  });

  it("takes the command as a JSON array, and may put the peer in a child too", async () => {
    const result = await zmtpCommand(
      [
        "interop",
        "--impl-runtime",
        JSON.stringify([process.execPath, "--no-warnings"]),
        "--peer-runtime",
        process.execPath,
        "--filter",
        "PAIR-PAIR ipc null",
      ],
      60_000,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const node = `node ${process.versions.node}`;
    expect(result.stdout.split("\n")[0]).toBe(`zmtp in ${node} vs zeromq in ${node} (version 4.3.5): 2 cases`);
  });

  it("a runtime that does not start, or an empty command, exits 2 with the reason", async () => {
    const missing = await zmtpCommand(["interop", "--impl-runtime", "/no/such/runtime"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "zmtp interop: cannot load --impl zmtp in /no/such/runtime: spawn /no/such/runtime ENOENT\n",
    );
    for (const empty of [" ", "[]", '["node", 1]']) {
      const result = await zmtpCommand(["interop", "--impl-runtime", empty]);
      expect(result.code, empty).toBe(2);
      expect(result.stderr).toMatch(/^zmtp interop: --impl-runtime needs a command/);
    }
  });

  it("the agent refuses to be started by hand", async () => {
    const result = await zmtpCommand(["interop-agent"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("zmtp interop-agent is started by `zmtp interop --impl-runtime`, not by hand\n");
  });
});
