import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BIN, Daemon, ZMTP, run } from "../helpers/cli.js";

const daemons: Daemon[] = [];
let dir = "";
afterEach(async () => {
  await Promise.all(daemons.splice(0).map((d) => d.stop()));
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
  dir = "";
});

beforeAll(() => {
  if (!existsSync(new URL("../../dist/esm/cli.js", import.meta.url)))
    throw new Error("packages/broker/dist is missing: run `npm run build:all` (npm test does) before this test");
});

function daemon(file: string, args: string[]): Daemon {
  const d = new Daemon(file, args);
  daemons.push(d);
  return d;
}

const FAST = ["--heartbeat", "100"];

describe("zmtp-broker command", () => {
  it("--help lists the commands, --version prints the version, a bad flag is a usage error", async () => {
    const help = await run(BIN, ["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["broker", "worker", "call", "key"])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    expect((await run(BIN, ["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const bad = await run(BIN, ["worker", "--broker", "tcp://127.0.0.1:1"]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("--service NAME is required")]);
    expect((await run(BIN, ["frobnicate"])).code).toBe(2);
  });

  it("runs a network by hand: two brokers, a worker running a command, a call through each, an error for a missing service", async () => {
    const b1 = daemon(BIN, ["broker", "--bind", "tcp://127.0.0.1:*", ...FAST, "--gossip", "100"]);
    const first = (await b1.waitFor("broker")).endpoint as string;
    const b2 = daemon(BIN, ["broker", "--bind", "tcp://127.0.0.1:*", "--peer", first, ...FAST, "--gossip", "100"]);
    const second = (await b2.waitFor("broker")).endpoint as string;
    await b1.waitFor("peer-up", (d) => d.endpoint === second);
    const worker = daemon(BIN, ["worker", "--broker", first, "--service", "upper", "--exec", "tr a-z A-Z", ...FAST]);
    await b2.waitFor("worker", (d) => d.service === "upper");
    const call = await run(BIN, ["call", "--broker", second, "--service", "upper", ...FAST, "hello"]);
    expect(call).toEqual({ code: 0, stdout: "HELLO\n", stderr: "" });
    // zmtp's git-style commands run zmtp-broker's: `zmtp call` is `zmtp-broker call`.
    const viaZmtp = await run(ZMTP, ["call", "--broker", first, "--service", "upper", ...FAST, "through zmtp"]);
    expect(viaZmtp).toEqual({ code: 0, stdout: "THROUGH ZMTP\n", stderr: "" });
    const missing = await run(BIN, ["call", "--broker", first, "--service", "nobody", ...FAST, "x"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^zmtp-broker call: ENOSERVICE: no worker offers "nobody"/);
    await worker.waitFor("request");
    expect(await worker.stop()).toBe(0);
    expect(worker.events.at(-1)).toMatchObject({ event: "stopped", details: { executed: 2 } });
  });

  it("a command that fails is an EWORKER error for the caller, with its output", async () => {
    const b = daemon(BIN, ["broker", "--bind", "tcp://127.0.0.1:*", ...FAST]);
    const endpoint = (await b.waitFor("broker")).endpoint as string;
    daemon(BIN, ["worker", "--broker", endpoint, "--service", "fail", "--exec", "echo broken >&2; exit 3", ...FAST]);
    await b.waitFor("worker");
    const call = await run(BIN, ["call", "--broker", endpoint, "--service", "fail", ...FAST, "x"]);
    expect(call.code).toBe(1);
    expect(call.stderr).toContain("EWORKER");
    expect(call.stderr).toContain("exited with 3: broken");
  });

  it("runs the network over CURVE: keys from `key`, an allow-list file, addresses with their keys", async () => {
    dir = mkdtempSync(join(tmpdir(), "zmtp-broker-cli-"));
    const key = async (name: string): Promise<string> =>
      (await run(BIN, ["key", "--curve-secret-key", join(dir, `${name}.key`)])).stdout.trim();
    const [brokerKey, workerKey, clientKey] = [await key("broker"), await key("worker"), await key("client")];
    expect(statSync(join(dir, "broker.key")).mode & 0o777).toBe(0o600);
    expect(await key("broker")).toBe(brokerKey); // kept, not made again
    const allow = join(dir, "allow");
    writeFileSync(allow, `${workerKey} worker\n${clientKey} client\n`);
    const b = daemon(BIN, [
      "broker",
      "--bind",
      "tcp://127.0.0.1:*",
      ...FAST,
      "--curve-secret-key",
      join(dir, "broker.key"),
      "--curve-allow",
      allow,
    ]);
    const started = await b.waitFor("broker");
    expect(started).toMatchObject({ publicKey: brokerKey, allowedKeys: 2 });
    const address = `${started.endpoint as string},${brokerKey}`;
    daemon(BIN, [
      "worker",
      "--broker",
      address,
      "--service",
      "echo",
      ...FAST,
      "--curve-secret-key",
      join(dir, "worker.key"),
    ]);
    await b.waitFor("worker");
    const call = await run(BIN, [
      "call",
      "--broker",
      address,
      "--service",
      "echo",
      ...FAST,
      "--curve-secret-key",
      join(dir, "client.key"),
      "sealed",
    ]);
    expect(call).toEqual({ code: 0, stdout: "sealed\n", stderr: "" });
    const stranger = await run(BIN, [
      "call",
      "--broker",
      address,
      "--service",
      "echo",
      ...FAST,
      "--timeout",
      "100",
      "--retries",
      "1",
      "--curve-secret-key",
      join(dir, "stranger.key"),
      "x",
    ]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain("ETIMEDOUT");
    await b.waitFor("refused");
  });

  it("speaks Majordomo with --mdp: `zmtp broker --mdp`, `zmtp worker --mdp`, `zmtp call --mdp`", async () => {
    const b = daemon(ZMTP, ["broker", "--mdp", "--bind", "tcp://127.0.0.1:*", "--heartbeat", "100"]);
    const endpoint = (await b.waitFor("broker", (d) => d.protocol === "MDP/0.1")).endpoint as string;
    daemon(ZMTP, ["worker", "--mdp", "--broker", endpoint, "--service", "rev", "--exec", "rev", "--heartbeat", "100"]);
    await b.waitFor("worker");
    const call = await run(ZMTP, ["call", "--mdp", "--broker", endpoint, "--service", "rev", "abc"]);
    expect(call).toEqual({ code: 0, stdout: "cba\n", stderr: "" });
  });
});
