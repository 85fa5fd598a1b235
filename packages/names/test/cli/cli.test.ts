import { describe, expect, it } from "vitest";
import { Daemon, ZMTP, replicaProcess, run } from "../helpers/process.js";
import { until } from "../helpers/names.js";

describe("zmtp names (the command)", () => {
  it("runs as `zmtp names`: register, lookup and watch against a replica", async () => {
    const { endpoint } = await replicaProcess();
    const reg = new Daemon(["register", "proxies", "tcp://10.0.0.1:5555", "--server", endpoint, "--ttl", "2000"]);
    await reg.waitFor("registered");
    const watch = new Daemon(["watch", "proxies", "--server", endpoint]);
    await until(() => watch.stdout.includes("+ proxies tcp://10.0.0.1:5555\n"), 10_000, "watch output");
    const looked = await run(["names", "lookup", "proxies", "--server", endpoint], ZMTP);
    expect(looked).toMatchObject({ code: 0, stdout: "tcp://10.0.0.1:5555\n" });
    // Stopping the registration removes it at once (not after its TTL).
    expect(await reg.kill("SIGTERM")).toBe(0);
    await until(() => watch.stdout.includes("- proxies tcp://10.0.0.1:5555\n"), 10_000, "the removal");
  });

  it("exits 2 with the command's help on a usage error, 1 when no server answers", async () => {
    const usage = await run(["lookup", "--server", "tcp://127.0.0.1:1"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("zmtp-names lookup: expected NAME");
    const unknown = await run(["frobnicate"]);
    expect(unknown.code).toBe(2);
    const down = await run(["lookup", "x", "--server", "tcp://127.0.0.1:1", "--timeout", "200"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('no name server answered the lookup of "x"');
  });
});
