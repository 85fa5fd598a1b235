import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/agent/agent.js";
import { GraphiteOutput, carbonLine, graphiteName } from "../../src/outputs/graphite.js";
import { HostNames } from "../../src/store/host-names.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { parseAction, type AlertPayload } from "../../src/outputs/actions.js";
import { Dispatcher } from "../../src/outputs/dispatcher.js";
import { createMetrics } from "../../src/outputs/prometheus.js";
import type { MonitorRouter } from "../../src/router/router.js";
import type { AnySink, StatsSink } from "../../src/sink/sinks.js";
import type { Stream } from "../../src/wire/protocol.js";
import {
  sinksConnected,
  sleep,
  startAgent,
  startRouter,
  startSinks,
  tempDir,
  waitFor,
  writePlugin,
} from "../helpers/fleet.js";

/** A fake carbon: a TCP server that collects plaintext lines. */
async function fakeCarbon(
  port = 0,
): Promise<{ server: Server; port: number; lines: string[]; close(): Promise<void> }> {
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let rest = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      lines.push(...parts);
    });
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { server, port: (server.address() as { port: number }).port, lines, close };
}

/** Parses Prometheus text exposition: `name{a="b",...} value` → [{ name, labels, value }]. */
function parseExposition(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

describe("Graphite output", () => {
  it("formats carbon plaintext lines with safe path components", () => {
    expect(carbonLine("zmtp.web-1.load", 0.5, 1_700_000_000_999)).toBe("zmtp.web-1.load 0.5 1700000000\n");
    expect(graphiteName("db 1.example.com")).toBe("db_1_example_com");
  });

  it("writes to carbon, holds a bounded buffer while carbon is away (counting drops), and reconnects", async () => {
    const carbon = await fakeCarbon();
    const graphite = new GraphiteOutput({
      host: "127.0.0.1",
      port: carbon.port,
      maxBuffered: 10,
      reconnectInterval: 50,
      maxReconnectInterval: 100,
    });
    await waitFor("connect", () => graphite.isConnected);
    graphite.write("web.example", [{ name: "app.requests", value: 3, time: 1_700_000_000_000 }]);
    await waitFor("first line", () => carbon.lines.length === 1);
    expect(carbon.lines[0]).toBe("zmtp.web_example.app.requests 3 1700000000");

    await carbon.close();
    await waitFor("disconnect", () => !graphite.isConnected);
    for (let i = 0; i < 25; i++) graphite.write("web", [{ name: "n", value: i, time: 1_700_000_000_000 }]);
    expect(graphite.buffered).toBe(10);
    expect(graphite.counters.dropped).toBe(15);

    const again = await fakeCarbon(carbon.port);
    await waitFor("backlog delivered", () => again.lines.length === 10, 5000);
    // The newest ten survived, in order.
    expect(again.lines.map((l) => Number(l.split(" ")[1]))).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(graphite.counters.connects).toBe(2);
    graphite.close();
    await again.close();
  });
});

describe("Graphite: host names", () => {
  it("holds a new agent's points until its name is known, then writes them under the name; after nameWait under the id", async () => {
    const carbon = await fakeCarbon();
    const names = new Map<string, string>();
    let lookups = 0;
    const hosts = {
      known: (a: string) => names.get(a),
      resolve: async (a: string) => {
        lookups += 1;
        return names.get(a) ?? a;
      },
    };
    const graphite = new GraphiteOutput({ host: "127.0.0.1", port: carbon.port, hosts, nameWait: 400 });
    try {
      const [named, nameless] = ["0f0e0d0c-0000-4000-8000-000000000001", "0f0e0d0c-0000-4000-8000-000000000002"];
      const time = 1_700_000_000_000;
      graphite.writeAgent(named, [{ name: "load", value: 1, time }]);
      graphite.writeAgent(named, [{ name: "load", value: 2, time }]);
      graphite.writeAgent(nameless, [{ name: "load", value: 3, time }]);
      await waitFor("a lookup", () => lookups > 0);
      expect(graphite.waitingForNames).toBe(3);
      names.set(named, "web-1");
      await waitFor("the named agent's points", () => carbon.lines.length === 2);
      expect(carbon.lines).toEqual(["zmtp.web-1.load 1 1700000000", "zmtp.web-1.load 2 1700000000"]);
      graphite.writeAgent(named, [{ name: "load", value: 4, time }]); // known now: written at once
      await waitFor("the nameless agent's point, after nameWait", () => carbon.lines.length === 4, 5000);
      expect(carbon.lines.slice(2).sort()).toEqual([
        `zmtp.${nameless}.load 3 1700000000`,
        "zmtp.web-1.load 4 1700000000",
      ]);
      expect(graphite.waitingForNames).toBe(0);
    } finally {
      graphite.close();
      await carbon.close();
    }
  });
});

describe("notification actions", () => {
  it("parses SEVERITIES=TARGET, naming the action after its target", () => {
    expect(parseAction("webhook", "http://x/y?a=b")).toEqual({
      name: "webhook:http://x/y?a=b",
      type: "webhook",
      url: "http://x/y?a=b",
    });
    expect(parseAction("command", "critical,warning=logger -t zmtp")).toEqual({
      name: "command:logger -t zmtp",
      type: "command",
      command: "logger -t zmtp",
      severities: ["critical", "warning"],
    });
    expect(
      parseAction("email", "critical=a@b.example, c@d.example", { smtp: "smtp://mail:25", name: "oncall" }),
    ).toEqual({
      name: "oncall",
      type: "email",
      to: ["a@b.example", "c@d.example"],
      smtp: "smtp://mail:25",
      severities: ["critical"],
    });
    expect(() => parseAction("command", "urgent=x")).toThrow(/not a severity/);
    expect(() => parseAction("email", "ops@x.example")).toThrow(/need an SMTP server/);
    expect(() => parseAction("webhook", "ftp://x")).toThrow(/http/);
  });
});

describe("outputs on a running system: Graphite, Prometheus, webhook and command hook", () => {
  const dir = tempDir();
  const store = new MemoryStore();
  let router: MonitorRouter;
  let sinks: Record<Stream, AnySink>;
  let agent: Agent;
  let carbon: Awaited<ReturnType<typeof fakeCarbon>>;
  let graphite: GraphiteOutput;
  let dispatcher: Dispatcher;
  let web: HttpServer;
  const posts: AlertPayload[] = [];
  let failFirst = 2;
  const hookFile = join(dir.path, "hook.jsonl");

  beforeAll(async () => {
    router = await startRouter();
    sinks = startSinks(store, [router]);
    await sinksConnected([router]);
    const hosts = new HostNames(store, 0);
    carbon = await fakeCarbon();
    graphite = new GraphiteOutput({ host: "127.0.0.1", port: carbon.port, prefix: "fleet", hosts }).attach(
      sinks.stats as StatsSink,
    );
    web = createHttpServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c));
      req.on("end", () => {
        // The first attempts fail: the notifier must retry.
        if (failFirst-- > 0) return void res.writeHead(503).end();
        posts.push(JSON.parse(body) as AlertPayload);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(web.address() as { port: number }).port}/alerts`;
    await store.putAction({ name: "chat", type: "webhook", url });
    await store.putAction({
      name: "pager",
      type: "command",
      command: `cat >> '${hookFile}'`,
      severities: ["critical"],
    });
    dispatcher = new Dispatcher({ store, hostOf: (a) => hosts.get(a), retryInterval: 50, pollInterval: 50 });
    sinks.notification.on("alert", () => dispatcher.kick());
    const check = writePlugin(dir.path, "check_disk", `echo "DISK WARNING - 91% used|used=91%;80;90;0;100"; exit 1`);
    agent = await startAgent(join(dir.path, "agent"), [router], {
      hostname: "web-1",
      checks: [{ name: "disk", command: [check], interval: 60_000 }],
    });
    await waitFor("agent known", async () => (await store.agents()).some((a) => a.hostname === "web-1"));
    await hosts.refresh(true);
  });

  afterAll(async () => {
    await dispatcher.close();
    graphite.close();
    await agent.close();
    for (const s of Object.values(sinks)) await s.close();
    router.close();
    await carbon.close();
    web.close();
    dir.remove();
  });

  it("stats reach carbon as <prefix>.<host>.<name> value timestamp", async () => {
    const time = Date.now();
    agent.stats([{ name: "queue.depth", value: 42, time }]);
    const line = await waitFor("carbon line", () => carbon.lines.find((l) => l.startsWith("fleet.web-1.queue.depth ")));
    expect(line).toBe(`fleet.web-1.queue.depth 42 ${Math.floor(time / 1000)}`);
  });

  it("an alert runs the webhook once (after retries) and the critical-only command hook not at all for a warning", async () => {
    await agent.runCheck("disk"); // OK -> WARNING: one notification
    const post = await waitFor("webhook", () => posts[0], 5000);
    expect(post).toMatchObject({
      agent: agent.id,
      host: "web-1",
      severity: "warning",
      check: "disk",
      text: "disk OK -> WARNING: DISK WARNING - 91% used",
    });
    expect(dispatcher.counters.failed).toBe(2);
    await waitFor("acked", () => agent.outboxSize === 0);
    // A resend of the same notification (same id) is a duplicate: no second alert.
    const id = post.id;
    agent.notify({ severity: "warning", text: post.text }, { id });
    await waitFor("duplicate seen", () => sinks.notification.counters.duplicates >= 1);
    agent.notify({ severity: "critical", text: "billing is down", process: "billing" });
    await waitFor("second webhook", () => posts.length === 2);
    // The hook's output is read once it has exited (delivered): `cat >>` creates the file first.
    await waitFor("every action done", () => dispatcher.counters.delivered === 3);
    await sleep(200);
    const hook = readFileSync(hookFile, "utf8");
    expect(posts.map((p) => p.severity)).toEqual(["warning", "critical"]);
    expect(
      hook
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as AlertPayload).text),
    ).toEqual(["billing is down"]);
    expect(dispatcher.counters).toEqual({ delivered: 3, failed: 2, lost: 0 });
    expect((await store.deliveries()).map((d) => [d.action, d.state, d.attempts])).toEqual([
      ["chat", "delivered", 3],
      ["chat", "delivered", 1],
      ["pager", "delivered", 1],
    ]);
  });

  it("/metrics exposes latest stats, presence, check states and the system's counters", async () => {
    const registry = createMetrics({
      store,
      hostOf: (a) => (a === agent.id ? "web-1" : a),
      routers: [router],
      sinks: Object.values(sinks),
      agents: [agent],
      graphite,
      dispatcher,
    });
    await waitFor("check result stored", async () => (await store.checkStates()).length > 0);
    const samples = parseExposition(await registry.metrics());
    const one = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(one("zmtp_monitor_stat", { host: "web-1", name: "queue.depth" })).toBe(42);
    expect(one("zmtp_monitor_stat", { host: "web-1", name: "check.disk.used" })).toBe(91);
    expect(one("zmtp_monitor_up", { agent: agent.id, process: "" })).toBe(1);
    expect(one("zmtp_monitor_last_heartbeat_seconds", { agent: agent.id })).toBeGreaterThan(Date.now() / 1000 - 10);
    expect(one("zmtp_monitor_check_status", { host: "web-1", check: "disk" })).toBe(1);
    expect(one("zmtp_monitor_sink_messages_total", { stream: "heartbeat", type: "heartbeat" })).toBeGreaterThan(0);
    expect(one("zmtp_monitor_sink_messages_total", { stream: "stats", type: "result" })).toBeGreaterThan(0);
    expect(one("zmtp_monitor_sink_acks_total", { stream: "notification", result: "delivered" })).toBeGreaterThanOrEqual(
      2,
    );
    expect(one("zmtp_monitor_router_peers", { router: "0", peer: "agents" })).toBe(1);
    expect(one("zmtp_monitor_router_peers", { router: "0", peer: "stats-sinks" })).toBe(1);
    expect(one("zmtp_monitor_router_dropped_total", { stream: "stats" })).toBe(0);
    expect(one("zmtp_monitor_agent_resent_total", { agent: agent.id })).toBeGreaterThanOrEqual(0);
    expect(one("zmtp_monitor_graphite_lines_total", { result: "sent" })).toBeGreaterThan(0);
    expect(one("zmtp_monitor_notification_attempts_total", { result: "failed" })).toBe(2);
    expect(one("zmtp_monitor_pending_deliveries", { action: "chat" })).toBeUndefined();
    // Every line of the exposition parsed, and every metric has HELP and TYPE.
    const text = await registry.metrics();
    for (const name of new Set(samples.map((s) => s.name.replace(/_total$/, "")))) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });
});
