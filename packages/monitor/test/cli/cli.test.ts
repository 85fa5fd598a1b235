import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { monitorCommand, type CliIo } from "../../src/cli/main.js";
import { loadOrCreateCurveKey } from "../../src/agent/state-dir.js";
import { tempDir, waitFor, writePlugin } from "../helpers/fleet.js";

/** `zmtp-monitor` in-process: the function the `zmtp-monitor` command runs. */

function capture(signal?: AbortSignal): CliIo & { stdout: string; stderr: string } {
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

describe("zmtp-monitor command", () => {
  it("lists the roles, and documents each role's flags with --help (--config included)", async () => {
    const help = await run("--help");
    expect(help.code).toBe(0);
    for (const role of [
      "demo",
      "router",
      "agent",
      "sink",
      "scheduler",
      "send",
      "run",
      "actions",
      "graphite",
      "users",
    ]) {
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
        [[], /Usage: zmtp-monitor/],
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
        [["router", "--curve-secret-key", "k"], /needs both --curve-secret-key and --curve-allow/],
        [["sink", "--router", "tcp://h:1", "--webhook", "loud=http://x"], /"loud" is not a severity/],
        [["demo", "--duration", "0"], /--duration expects seconds/],
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
    writeFileSync(
      config,
      JSON.stringify({
        router: [base],
        stateDir,
        statsdPort: 0,
        heartbeat: 100,
        flush: 50,
        ackTimeout: 300,
        fallbackAfter: 0,
        check: [{ name: "up", command: [plugin], interval: 300 }],
      }),
    );

    const router = start("router", "--bind", base);
    const sink = start("sink", "--router", base, "--scheduler", "--tick", "50", "--sweep", "50");
    const agent = start("agent", "--config", config);
    try {
      await waitFor("agent started", () => agent.io.stdout.includes(" agent {"));
      const id = /"id":"([0-9a-f-]{36})"/.exec(agent.io.stdout)![1]!;

      const sent = await run("send", "--state-dir", stateDir, "notify", "critical", "disk", "full", "--process", "db");
      expect(sent).toEqual({ code: 0, stdout: "ok\n", stderr: "" });
      expect((await run("send", "--state-dir", stateDir, "stat", "db.size", "12", "--kind", "gauge")).code).toBe(0);
      expect(
        (
          await run(
            "send",
            "--state-dir",
            stateDir,
            "register",
            "db",
            "--version",
            "9.6",
            "--check",
            "ping:60000:exit 0",
          )
        ).code,
      ).toBe(0);

      await waitFor("alert printed", () => sink.io.stdout.includes('"text":"disk full"'));
      await waitFor("scheduled check result", () =>
        /result \{[^\n]*"check":"up","status":0,"text":"UP"/.test(sink.io.stdout),
      );
      await waitFor("registration printed", () =>
        /registration \{[^\n]*"process":"db"[^\n]*"version":"9.6"/.test(sink.io.stdout),
      );
      await waitFor("presence printed", () =>
        sink.io.stdout.includes(`presence {"agent":"${id}","process":null,"state":"up"`),
      );

      const onDemand = await run("run", "--router", base, "--agent", id, "--check", "up");
      expect(onDemand).toEqual({ code: 0, stdout: "delivered\n", stderr: "" });
      await waitFor("demand result", () => sink.io.stdout.includes('"trigger":"demand"'));
      const stranger = await run(
        "run",
        "--router",
        base,
        "--agent",
        "00000000-0000-4000-8000-000000000000",
        "--check",
        "up",
        "--timeout",
        "500",
      );
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

  it("CURVE from the command line: the router admits the allowed agent, logs the refusal of another; the sink serves its SQLite store on --http", async () => {
    const dir = tempDir();
    const base = `ipc://${dir.path}/r1`;
    const secretFile = join(dir.path, "router.key");
    const serverKey = loadOrCreateCurveKey(secretFile).publicKey;
    const allowed = loadOrCreateCurveKey(join(dir.path, "good", "curve.key"));
    const allowFile = join(dir.path, "agents.keys");
    writeFileSync(allowFile, `${allowed.publicKey} good\n`);
    const router = start("router", "--bind", base, "--curve-secret-key", secretFile, "--curve-allow", allowFile);
    const sink = start(
      "sink",
      "--router",
      base,
      "--db",
      join(dir.path, "monitor.db"),
      "--http",
      "127.0.0.1:0",
      "--sweep",
      "50",
    );
    const agent = (name: string) =>
      start(
        "agent",
        "--router",
        base,
        "--state-dir",
        join(dir.path, name),
        "--statsd-port=-1",
        "--heartbeat",
        "100",
        "--hostname",
        name,
        "--curve-server-key",
        serverKey,
      );
    const good = agent("good");
    const bad = agent("bad");
    try {
      await waitFor("router started", () =>
        router.io.stdout.includes(`"curvePublicKey":"${serverKey}","allowedKeys":1`),
      );
      await waitFor(
        "the refusal logged",
        () => / refused \{"key":"[^"]{40}","address":"","reason":"CURVE key not allowed"\}/.test(router.io.stdout),
        10_000,
      );
      await waitFor("the refused agent logs it", () => bad.io.stdout.includes(" refused {"), 10_000);
      const page = await waitFor("page URL", () => /"page":"(http:[^"]+)"/.exec(sink.io.stdout)?.[1], 10_000);
      const hosts = async (): Promise<string[]> =>
        ((await (await fetch(`${page}api/state`)).json()) as { hosts: Array<{ host: string }> }).hosts.map(
          (h) => h.host,
        );
      await waitFor("the allowed agent on the page", async () => (await hosts()).includes("good"), 10_000);
      expect(await hosts()).toEqual(["good"]);
      expect(await (await fetch(`${page}metrics`)).text()).toMatch(
        /zmtp_monitor_up\{host="good",agent="[0-9a-f-]{36}",process=""\} 1/,
      );
    } finally {
      expect(await good.stop()).toBe(0);
      expect(await bad.stop()).toBe(0);
      expect(await sink.stop()).toBe(0);
      expect(await router.stop()).toBe(0);
      dir.remove();
    }
    expect(router.io.stdout).toMatch(/ stopped \{[^\n]*"refused":[1-9]/);
  });

  it("users, actions and graphite keep their settings where the page and every sink read them", async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, "users");
      const added = await run("users", "--file", file, "add", "ops");
      expect(added.code).toBe(0);
      const token = /token for ops \(shown once\): (ops\.\S+)/.exec(added.stdout)![1]!;
      expect((await run("users", "--file", file, "add", "bot")).code).toBe(0);
      expect((await run("users", "--file", file, "list")).stdout).toBe("ops\nbot\n");
      const { UserFile } = await import("../../src/web/users.js");
      expect(await new UserFile(file).verifyToken(token)).toBe("ops");
      expect(await new UserFile(file).verifyToken(`${token}x`)).toBeNull();
      expect((await run("users", "--file", file, "remove", "bot")).stdout).toBe("removed bot\n");
      expect((await run("users", "--file", file, "add", "bad name")).stderr).toMatch(/a user name is/);

      const db = join(dir.path, "monitor.db");
      expect(
        (await run("actions", "--db", db, "add", "--name", "chat", "--webhook", "critical=http://chat/x")).stdout,
      ).toBe('{"added":"chat"}\n');
      expect((await run("actions", "--db", db, "list")).stdout).toBe(
        '{"name":"chat","type":"webhook","target":"http://chat/x","severities":["critical"]}\n',
      );
      expect((await run("actions", "--db", db, "add", "--email", "ops@x.example")).stderr).toMatch(/SMTP server/);
      // An escalation: the manager is paged only if nobody acknowledged within 30 minutes, then hourly.
      expect(
        (
          await run(
            "actions",
            "--db",
            db,
            "add",
            "--name",
            "boss",
            "--hook",
            "critical=page-boss",
            "--after",
            "30m",
            "--repeat",
            "1h",
          )
        ).code,
      ).toBe(0);
      expect((await run("actions", "--db", db, "list")).stdout).toContain(
        '{"name":"boss","type":"command","target":"page-boss","severities":["critical"],"after":1800000,"repeat":3600000}',
      );
      expect((await run("actions", "--db", db, "add", "--hook", "x", "--after", "soon")).stderr).toMatch(
        /--after: "soon"/,
      );
      expect((await run("actions", "--db", db, "remove", "boss")).code).toBe(0);
      expect((await run("actions", "--db", db, "deliveries")).stdout).toBe("");
      expect((await run("actions", "--db", db, "remove", "chat", "--by", "ops")).code).toBe(0);
      expect((await run("graphite", "--db", db, "set", "carbon:2003", "--prefix", "fleet")).stdout).toBe(
        '{"graphite":{"host":"carbon","port":2003,"prefix":"fleet"}}\n',
      );
      expect((await run("graphite", "--db", db, "off")).stdout).toBe('{"graphite":null}\n');
      expect((await run("graphite", "--db", db, "set", "carbon")).code).toBe(2);
    } finally {
      dir.remove();
    }
  });

  it("every role is monitored: the router and the agent serve /metrics and /health (--http), the sink's page /health; roles report on the page", async () => {
    const dir = tempDir();
    const base = `ipc://${dir.path}/r1`;
    const router = start("router", "--bind", base, "--http", "127.0.0.1:0", "--role-heartbeat", "100", "--name", "r1");
    const routerUrl = await waitFor("router http", () => /"http":"(http:[^"]+)"/.exec(router.io.stdout)?.[1]);
    const health = async (url: string) => (await (await fetch(`${url}health`)).json()) as Record<string, unknown>;
    // No sink yet: the router serves, but says what is missing.
    expect(await health(routerUrl)).toMatchObject({ role: "router", status: "degraded", name: "r1" });
    const sink = start(
      ...["sink", "--router", base, "--http", "127.0.0.1:0", "--sweep", "50", "--role-heartbeat", "100"],
      ...["--name", "sink-1", "--stale-after", "0"],
    );
    const agent = start(
      ...["agent", "--router", base, "--state-dir", join(dir.path, "agent"), "--statsd-port=-1"],
      ...["--heartbeat", "100", "--http", "127.0.0.1:0"],
    );
    try {
      const page = await waitFor("page", () => /"page":"(http:[^"]+)"/.exec(sink.io.stdout)?.[1]);
      const agentUrl = await waitFor("agent http", () => /"http":"(http:[^"]+)"/.exec(agent.io.stdout)?.[1]);
      await waitFor("router ok", async () => (await health(routerUrl)).status === "ok");
      expect(await health(agentUrl)).toMatchObject({ role: "agent", status: "ok", routers: 1 });
      expect(await health(page)).toMatchObject({ role: "sink", status: "ok" });
      expect(await (await fetch(`${routerUrl}metrics`)).text()).toMatch(
        /zmtp_monitor_router_received_total\{router="0"\} \d+/,
      );
      expect(await (await fetch(`${agentUrl}metrics`)).text()).toMatch(
        /zmtp_monitor_agent_sent_total\{agent="[0-9a-f-]{36}"\} \d+/,
      );
      // The monitor row of the page: the router (through its streams) and the sink (into the store), with counters.
      type Roles = { roles: Array<{ kind: string; name: string; state: string; stats: Record<string, number> }> };
      const roles = await waitFor(
        "roles with counters",
        async () => {
          const state = (await (await fetch(`${page}api/state`)).json()) as Roles;
          const router = state.roles.find((r) => r.kind === "router");
          const sinkRole = state.roles.find((r) => r.kind === "sink");
          // (names come from the store's agents table, which the page looks up again every few seconds)
          const named = router?.name === "r1" && sinkRole?.name === "sink-1";
          return (
            named &&
            router.stats.received !== undefined &&
            sinkRole.stats["heartbeat.received"] !== undefined &&
            state.roles
          );
        },
        15_000,
      );
      expect(roles.map((r) => [r.kind, r.name, r.state])).toEqual([
        ["router", "r1", "up"],
        ["sink", "sink-1", "up"],
      ]);
    } finally {
      expect(await agent.stop()).toBe(0);
      expect(await sink.stop()).toBe(0);
      expect(await router.stop()).toBe(0);
      dir.remove();
    }
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
