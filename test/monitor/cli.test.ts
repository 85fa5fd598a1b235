import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { monitorCommand, type MonitorIo } from "../../src/monitor/cli.js";
import { tempDir, waitFor, writePlugin } from "./helpers.js";

/** `zmtp monitor` in-process: the same function the `zmtp` command dispatches to. */

function capture(signal?: AbortSignal): MonitorIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
    ...(signal !== undefined && { signal }),
  };
  return io;
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await monitorCommand(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Starts a long-running role; stop() aborts it and resolves with its exit code. */
function start(...argv: string[]): { io: ReturnType<typeof capture>; stop(): Promise<number> } {
  const controller = new AbortController();
  const io = capture(controller.signal);
  const done = monitorCommand(argv, io);
  return {
    io,
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}

describe("zmtp monitor command", () => {
  it("lists the roles, and documents each role's flags with --help (--config included)", async () => {
    const help = await run("--help");
    expect(help.code).toBe(0);
    for (const role of ["router", "agent", "sink", "scheduler", "send", "run"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${role}\\s`, "m"));
      const roleHelp = await run(role, "--help");
      expect(roleHelp.code, role).toBe(0);
      expect(roleHelp.stdout).toContain("--config FILE.json");
    }
    expect((await run("agent", "--help")).stdout).toMatch(/--heartbeat MS\s+heartbeat interval \(default 5000\)/);
  });

  it("usage errors exit 2 and say what is wrong", async () => {
    const dir = tempDir();
    try {
      const bad = join(dir.path, "bad.json");
      writeFileSync(bad, JSON.stringify({ heartbeat: "often" }));
      const unknownKey = join(dir.path, "unknown.json");
      writeFileSync(unknownKey, JSON.stringify({ hartbeat: 5 }));
      const cases: Array<[string[], RegExp]> = [
        [[], /Usage: zmtp monitor/],
        [["nope"], /unknown role "nope"/],
        [["router", "--bogus"], /Unknown option '--bogus'/],
        [["agent", "--heartbeat", "soon", "--router", "tcp://h:1"], /--heartbeat expects a number/],
        [["agent"], /at least one --router/],
        [["agent", "--config", bad], /"heartbeat" must be a number/],
        [["agent", "--config", unknownKey], /unknown key "hartbeat"/],
        [["agent", "--router", "tcp://h:1", "--check", "nocolons"], /NAME:INTERVAL_MS:COMMAND/],
        [["sink", "--router", "tcp://h:1", "--type", "gossip"], /unknown stream "gossip"/],
        [["send", "notify", "apocalyptic", "x"], /SEVERITY/],
        [["run", "--router", "tcp://h:1", "--check", "x"], /--agent UUID/],
      ];
      for (const [argv, message] of cases) {
        const result = await run(...argv);
        expect(result.code, argv.join(" ")).toBe(2);
        expect(result.stderr, argv.join(" ")).toMatch(message);
      }
    } finally {
      dir.remove();
    }
  });

  it("runs a router, a sink with a scheduler and an agent from the command line, and sends to the agent", async () => {
    const dir = tempDir();
    const base = `ipc://${dir.path}/r1`;
    const plugin = writePlugin(dir.path, "check_up", `echo "UP|uptime=5s"; exit 0`);
    const config = join(dir.path, "agent.json");
    const stateDir = join(dir.path, "agent");
    writeFileSync(config, JSON.stringify({ router: [base], stateDir, statsdPort: 0, heartbeat: 100, flush: 50, ackTimeout: 300, fallbackAfter: 0, check: [{ name: "up", command: [plugin], interval: 300 }] }));

    const router = start("router", "--bind", base);
    const sink = start("sink", "--router", base, "--scheduler", "--tick", "50", "--sweep", "50");
    const agent = start("agent", "--config", config);
    try {
      await waitFor("agent started", () => agent.io.stdout.includes(" agent {"));
      const id = /"id":"([0-9a-f-]{36})"/.exec(agent.io.stdout)![1]!;

      const sent = await run("send", "--state-dir", stateDir, "notify", "critical", "disk", "full", "--process", "db");
      expect(sent).toEqual({ code: 0, stdout: "ok\n", stderr: "" });
      expect((await run("send", "--state-dir", stateDir, "stat", "db.size", "12", "--kind", "gauge")).code).toBe(0);
      expect((await run("send", "--state-dir", stateDir, "register", "db", "--version", "9.6", "--check", "ping:60000:exit 0")).code).toBe(0);

      await waitFor("alert printed", () => sink.io.stdout.includes('"text":"disk full"'));
      await waitFor("scheduled check result", () => /result \{[^\n]*"check":"up","status":0,"text":"UP"/.test(sink.io.stdout));
      await waitFor("registration printed", () => /registration \{[^\n]*"process":"db"[^\n]*"version":"9.6"/.test(sink.io.stdout));
      await waitFor("presence printed", () => sink.io.stdout.includes(`presence {"agent":"${id}","process":null,"state":"up"`));

      const onDemand = await run("run", "--router", base, "--agent", id, "--check", "up");
      expect(onDemand).toEqual({ code: 0, stdout: "delivered\n", stderr: "" });
      await waitFor("demand result", () => sink.io.stdout.includes('"trigger":"demand"'));
      const stranger = await run("run", "--router", base, "--agent", "00000000-0000-4000-8000-000000000000", "--check", "up", "--timeout", "500");
      expect(stranger).toEqual({ code: 1, stdout: "unknown-agent\n", stderr: "" });
    } finally {
      expect(await agent.stop()).toBe(0);
      expect(await sink.stop()).toBe(0);
      expect(await router.stop()).toBe(0);
      dir.remove();
    }
    expect(router.io.stdout).toMatch(/ stopped \{"received":\d+/);
    expect(sink.io.stderr + agent.io.stderr + router.io.stderr).toBe("");
  });

  it("send fails with exit 1 when no agent answers", async () => {
    const dir = tempDir();
    try {
      const result = await run("send", "--state-dir", dir.path, "--timeout", "200", "stat", "x", "1");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/did not answer within 200 ms/);
    } finally {
      dir.remove();
    }
  });
});
