/**
 * `zmtp interop`: ours against libzmq (the zeromq package) must be all green; a deliberately
 * broken implementation (test/fixtures/broken-zmq.mjs: a PUSH that drops every third message, a
 * ROUTER that strips routing ids) must show failures exactly where it is broken.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { OURS, loadImplementation, type Implementation } from "../../src/cli/interop/api.js";
import { interopCases, runInterop, type InteropSummary } from "../../src/cli/interop/matrix.js";
import { PAIRINGS } from "../../src/cli/interop/pairings.js";
import { zmtpCommand, type RunResult } from "../helpers/run-node.js";

function zmtp(...args: string[]): Promise<RunResult> {
  return zmtpCommand(args, 60_000);
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BROKEN = "./test/fixtures/broken-zmq.mjs";

function failures(summary: InteropSummary): string[] {
  return summary.results.filter((r) => r.status === "fail").map((r) => r.name);
}

let zeromq: Implementation;

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "esm", "index.js")))
    throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  zeromq = await loadImplementation("zeromq", ROOT);
});

describe("the interop matrix", () => {
  it("covers every pairing x transport x mechanism x role x bind side, and the behaviour cases both ways", () => {
    const cases = interopCases(OURS, zeromq);
    const names = cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    // The three symmetric pairings have 2 bind sides; the six others 2 roles x 2 bind sides; x 3 transports x 3 mechanisms.
    const pairings = new Set(PAIRINGS.map((p) => p.name));
    expect([...pairings]).toEqual([
      "PAIR-PAIR",
      "REQ-REP",
      "REQ-ROUTER",
      "DEALER-REP",
      "DEALER-ROUTER",
      "DEALER-DEALER",
      "ROUTER-ROUTER",
      "PUSH-PULL",
      "PUB-SUB",
    ]);
    expect(cases.filter((c) => pairings.has(c.group))).toHaveLength((3 * 2 + 6 * 4) * 3 * 3);
    // Both ways each; those where libzmq's ws transport differs from its tcp one over tcp and ws.
    for (const group of ["router-ids", "rep-envelope", "hwm"]) {
      expect(
        cases.filter((c) => c.group === group),
        group,
      ).toHaveLength(2);
    }
    for (const group of ["subscriptions", "reconnect", "plain-denied", "curve-denied"]) {
      expect(
        cases.filter((c) => c.group === group),
        group,
      ).toHaveLength(4);
    }
    expect(names).toContain("REQ-ROUTER ipc curve zmtp=ROUTER(connect) zeromq=REQ(bind)");
    expect(cases.every((c) => c.skip === null)).toBe(true);
  });

  it("ours against zeromq: every tcp case and the ipc DEALER-ROUTER cases pass", async () => {
    const tcp = await runInterop(OURS, zeromq, { filters: ["tcp"] });
    const ipc = await runInterop(OURS, zeromq, { filters: ["ipc", "DEALER-ROUTER"] });
    expect(failures(tcp)).toEqual([]);
    expect(failures(ipc)).toEqual([]);
    expect(tcp.passed).toBe(interopCases(OURS, zeromq).filter((c) => c.transport === "tcp").length);
    expect(ipc.passed).toBe(12);
  }, 60_000);

  it("a broken implementation fails exactly where it is broken", async () => {
    const broken = await loadImplementation(BROKEN, ROOT);
    expect(broken.name).toBe("broken-zmq");
    const summary = await runInterop(broken, zeromq, { filters: ["tcp", "null"], caseTimeout: 3000 });
    const failed = failures(summary);
    // Its PUSH loses message 3; its ROUTER hands out bodies without the routing id.
    expect(failed).toEqual([
      "REQ-ROUTER tcp null broken-zmq=ROUTER(bind) zeromq=REQ(connect)",
      "REQ-ROUTER tcp null broken-zmq=ROUTER(connect) zeromq=REQ(bind)",
      "DEALER-ROUTER tcp null broken-zmq=ROUTER(bind) zeromq=DEALER(connect)",
      "DEALER-ROUTER tcp null broken-zmq=ROUTER(connect) zeromq=DEALER(bind)",
      "ROUTER-ROUTER tcp null broken-zmq=ROUTER(bind) zeromq=ROUTER(connect)",
      "ROUTER-ROUTER tcp null broken-zmq=ROUTER(connect) zeromq=ROUTER(bind)",
      "PUSH-PULL tcp null broken-zmq=PUSH(bind) zeromq=PULL(connect)",
      "PUSH-PULL tcp null broken-zmq=PUSH(connect) zeromq=PULL(bind)",
      "router-ids tcp null broken-zmq=ROUTER zeromq=DEALER x2",
      "hwm tcp null broken-zmq=PUSH zeromq=PULL",
    ]);
    const pushPull = summary.results.find((r) => r.name.startsWith("PUSH-PULL") && r.status === "fail");
    expect(pushPull?.detail).toContain("message 3 of 5");
    // Everything it does not touch still passes.
    expect(summary.passed).toBe(summary.results.length - failed.length);
  }, 60_000);
});

describe("zmtp interop command line", () => {
  it("prints a table and the summary line, exit 0 when all pass", async () => {
    const result = await zmtp("interop", "--filter", "DEALER-ROUTER", "--filter", "tcp", "--filter", "null");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("zmtp vs zeromq (version 4.3.5): 4 cases");
    expect(lines[1]).toMatch(/^case\s+transport\s+mechanism\s+zmtp\s+zeromq\s+result\s+ms$/);
    expect(lines.filter((l) => /^DEALER-ROUTER\s+tcp\s+null\s+\S+\s+\S+\s+pass\s+\d+$/.test(l))).toHaveLength(4);
    expect(lines.at(-1)).toBe("4 passed, 0 failed");
  });

  it("exits 1 and shows why when a case fails (--impl a module path)", async () => {
    const result = await zmtp("interop", "--impl", BROKEN, "--filter", "PUSH-PULL tcp null");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^PUSH-PULL\s+tcp\s+null\s+PUSH\(bind\)\s+PULL\(connect\)\s+fail\s+\d+$/m);
    expect(result.stdout).toContain("    PUSH -> PULL message 3 of 5");
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("2 passed, 2 failed");
  });

  it("--json prints the summary as one object; --list lists cases without running them", async () => {
    const json = await zmtp("interop", "--json", "--filter", "rep-envelope");
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as InteropSummary;
    expect(summary).toMatchObject({ impl: "zmtp", peer: "zeromq", passed: 2, failed: 0, skipped: 0 });
    const list = await zmtp("interop", "--list", "--filter", "curve-denied", "--filter", "tcp");
    expect(list.code).toBe(0);
    expect(list.stdout.trimEnd().split("\n")).toEqual([
      "curve-denied tcp curve zmtp=DEALER (unknown key) zeromq=ROUTER (ZAP)",
      "curve-denied tcp curve zmtp=ROUTER (ZAP) zeromq=DEALER (unknown key)",
    ]);
  });

  it("usage and loading errors exit 2", async () => {
    for (const args of [
      ["--bogus"],
      ["--filter", "no-such-case"],
      ["--peer", "./no/such/module.mjs"],
      ["--timeout", "0"],
    ]) {
      const result = await zmtp("interop", ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^zmtp interop: /);
    }
  });
});
