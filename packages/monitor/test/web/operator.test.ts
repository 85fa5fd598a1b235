import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monitorCommand, type CliIo } from "../../src/cli/main.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import type { NotificationRecord, Store } from "../../src/store/store.js";
import { newId } from "../../src/wire/protocol.js";
import { StatusServer } from "../../src/web/server.js";
import { tempDir } from "../helpers/fleet.js";

/** Operator features over the HTTP API and the command line: silences, acknowledging many at once. */

const note = (agent: string, over: Partial<NotificationRecord> = {}): NotificationRecord => ({
  agent,
  id: newId(),
  severity: "critical",
  text: "disk full",
  time: Date.now(),
  received: Date.now(),
  acknowledged: null,
  ...over,
});

describe("operator API", () => {
  const store = new MemoryStore();
  let page: StatusServer;
  let csrf: string;
  const post = (path: string, body: unknown) =>
    fetch(`${page.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    page = await StatusServer.start({ store, hostOf: (a) => a, port: 0 });
    csrf = /<meta name="zmtp-csrf" content="([^"]+)">/.exec(await (await fetch(page.url)).text())![1]!;
    await store.putAction({ name: "pager", type: "command", command: "true" });
  });
  afterAll(() => page.close());

  it("a silence set through the API keeps matching alerts from being delivered, and is listed and ended", async () => {
    const agent = newId();
    const res = await post("api/silences", {
      agent,
      check: "disk",
      duration: 3_600_000,
      reason: "disk swap",
      by: "ann",
    });
    expect(res.status).toBe(200);
    const silence = (await res.json()) as { id: string; by: string };
    expect(silence.by).toBe("ann");
    expect(((await (await fetch(`${page.url}api/silences`)).json()) as Array<{ id: string }>).map((s) => s.id)).toEqual(
      [silence.id],
    );
    const silenced = note(agent, { check: "disk" });
    const other = note(agent, { check: "load" });
    await store.addNotification(silenced);
    await store.addNotification(other);
    expect((await store.deliveries()).map((d) => d.notification)).toEqual([other.id]);
    const state = (await (await fetch(`${page.url}api/state`)).json()) as {
      notifications: Array<{ id: string; silenced?: string }>;
    };
    expect(state.notifications.find((n) => n.id === silenced.id)!.silenced).toBe(silence.id);
    expect((await post("api/silences/end", { id: silence.id, by: "ann" })).status).toBe(200);
    expect(await (await fetch(`${page.url}api/silences`)).json()).toEqual([]);
    expect((await post("api/silences", { reason: "", duration: 1 })).status).toBe(400);
  });

  it("acknowledges many at once: a list, or everything unacknowledged (of one host), with the operator's name", async () => {
    const [a, b] = [newId(), newId()];
    const ns = [note(a), note(a), note(b), note(b)];
    for (const n of ns) await store.addNotification(n);
    const listed = await post("api/ack", {
      notifications: ns.slice(0, 1).map((n) => ({ agent: n.agent, id: n.id })),
      by: "bo",
    });
    expect(await listed.json()).toEqual({ acknowledged: 1, by: "bo" });
    expect(await (await post("api/ack", { all: true, agent: a, by: "bo" })).json()).toEqual({
      acknowledged: 1,
      by: "bo",
    });
    const unacked = async (agent: string) => (await store.notifications({ unacknowledged: true, agent })).length;
    expect([await unacked(a), await unacked(b)]).toEqual([0, 2]);
    await post("api/ack", { all: true, by: "cy" });
    expect(await unacked(b)).toBe(0);
    const audit = await store.auditLog();
    expect(audit.filter((x) => x.action === "ack").map((x) => x.actor)).toEqual(expect.arrayContaining(["bo", "cy"]));
  });
});

describe("zmtp-monitor silence", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const run = async (...argv: string[]) => {
    let out = "";
    let err = "";
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
    const code = await monitorCommand(argv, io);
    return { code, out, err };
  };

  it("adds a maintenance window for a host by name, lists it, acknowledges a host's notifications, ends it", async () => {
    const db = join(dir.path, "monitor.db");
    let store: Store = await SqliteStore.open({ path: db });
    const agent = newId();
    await store.touchAgent(agent, 1, "web-1");
    await store.addNotification(note(agent));
    await store.addNotification(note(newId()));
    await store.close();
    const from = new Date(Date.now() + 3_600_000).toISOString();
    const added = await run(
      "silence",
      "--db",
      db,
      "add",
      "--host",
      "web-1",
      "--from",
      from,
      "--for",
      "2h",
      "--reason",
      "kernel upgrade",
      "--by",
      "ops",
    );
    expect(added.code).toBe(0);
    const silence = JSON.parse(added.out) as { id: string; agent: string; starts: number; ends: number };
    expect(silence.agent).toBe(agent);
    expect(silence.ends - silence.starts).toBe(7_200_000);
    expect((await run("silence", "--db", db, "list")).out).toContain(silence.id); // upcoming
    expect(await run("silence", "--db", db, "ack", "--host", "web-1", "--by", "ops")).toMatchObject({
      code: 0,
      out: '{"acknowledged":1,"by":"ops"}\n',
    });
    expect((await run("silence", "--db", db, "end", silence.id)).code).toBe(0);
    expect(JSON.parse((await run("decommission", "--db", db, "--host", "web-1", "--by", "ops")).out)).toEqual({
      decommissioned: agent,
    });
    expect((await run("decommission", "--db", db, "--host", "web-1")).err).toMatch(/no host "web-1"/);
    expect((await run("silence", "--db", db, "add", "--host", "nope", "--for", "1h", "--reason", "x")).err).toMatch(
      /no host "nope"/,
    );
    expect((await run("silence", "--db", db, "add", "--for", "soon", "--reason", "x")).code).toBe(2);
    store = await SqliteStore.open({ path: db });
    expect((await store.notifications({ unacknowledged: true })).length).toBe(1);
    await store.close();
  });
});

/** A small fleet in a store: web-1 down (alerted), db-1 up with a WARNING and a CRITICAL check. */
async function fleet(store: Store): Promise<{ web: string; db: string; hostOf: (agent: string) => string }> {
  const [web, db] = [newId(), newId()];
  const now = Date.now();
  await store.touchAgent(web, now - 60_000, "web-1");
  await store.touchAgent(db, now - 60_000, "db-1");
  await store.putRegistration({
    agent: db,
    process: "agent",
    pid: 812,
    version: "0.1.0",
    hostname: "db-1",
    checks: [{ name: "disk", command: ["check_disk"], interval: 10_000 }],
    time: now - 60_000,
  });
  await store.putRegistration({
    agent: db,
    process: "billing",
    pid: 4242,
    version: "3.2.0",
    checks: [],
    time: now - 50_000,
  });
  for (const agent of [web, db]) await store.heartbeat({ agent, process: null }, now - 40_000, 2000);
  await store.markDown({ agent: web, process: null }, now - 40_000, now - 30_000, {
    ...note(web, { kind: "host-down", text: "host web-1 is down", received: now - 30_000, time: now - 30_000 }),
  });
  const result = (check: string, status: 0 | 1 | 2, text: string) => ({
    agent: db,
    id: newId(),
    check,
    status,
    text,
    perfdata: "",
    duration: 5,
    trigger: "schedule" as const,
    time: now - 10_000,
  });
  await store.addCheckResult(result("disk", 1, "DISK WARNING - 85% used"));
  await store.addCheckResult(
    result("load", 2, "LOAD CRITICAL"),
    note(db, { check: "load", text: "load OK -> CRITICAL", received: now - 10_000, time: now - 10_000 }),
  );
  await store.addCheckResult(result("procs", 0, "PROCS OK"));
  const names = new Map([
    [web, "web-1"],
    [db, "db-1"],
  ]);
  return { web, db, hostOf: (a) => names.get(a) ?? a };
}

describe("problems, repeats grouped, the host view: API", () => {
  const store = new MemoryStore();
  let page: StatusServer;
  let csrf: string;
  let ids: Awaited<ReturnType<typeof fleet>>;
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${page.url}${path}`)).json()) as T;
  const post = (path: string, body: unknown) =>
    fetch(`${page.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body),
    });
  type ProblemRow = {
    kind: string;
    host: string;
    check?: string;
    severity: string;
    acknowledged: unknown;
    groups: string[];
  };

  beforeAll(async () => {
    await store.putAction({ name: "pager", type: "command", command: "true" });
    ids = await fleet(store);
    page = await StatusServer.start({ store, hostOf: ids.hostOf, port: 0 });
    csrf = /<meta name="zmtp-csrf" content="([^"]+)">/.exec(await (await fetch(page.url)).text())![1]!;
  });
  afterAll(() => page.close());

  it("lists the problems worst first, filtered by host, check, severity and acknowledgement", async () => {
    const all = await get<ProblemRow[]>("api/problems");
    expect(all.map((p) => [p.kind, p.host, p.check, p.severity])).toEqual([
      ["check", "db-1", "load", "critical"],
      ["host", "web-1", undefined, "critical"],
      ["check", "db-1", "disk", "warning"],
    ]);
    expect((await get<ProblemRow[]>("api/problems?host=db-1")).map((p) => p.check)).toEqual(["load", "disk"]);
    expect((await get<ProblemRow[]>(`api/problems?host=${ids.web}`)).map((p) => p.kind)).toEqual(["host"]);
    expect((await get<ProblemRow[]>("api/problems?check=disk")).map((p) => p.severity)).toEqual(["warning"]);
    expect((await get<ProblemRow[]>("api/problems?severity=warning,unknown")).map((p) => p.check)).toEqual(["disk"]);
    expect(await get<ProblemRow[]>("api/problems?acknowledged=yes")).toEqual([]);
    // Acknowledging the load problem (its groups) moves it below the unacknowledged ones.
    const load = all[0]!;
    expect(await (await post("api/ack", { groups: load.groups, by: "ann" })).json()).toEqual({
      acknowledged: 1,
      by: "ann",
    });
    const acked = await get<ProblemRow[]>("api/problems?acknowledged=yes");
    expect(acked.map((p) => [p.check, p.acknowledged])).toEqual([["load", { by: "ann", time: expect.any(Number) }]]);
    expect((await get<ProblemRow[]>("api/problems")).map((p) => p.check ?? p.kind)).toEqual(["host", "disk", "load"]);
    expect((await fetch(`${page.url}api/problems?severity=bad`)).status).toBe(400);
    expect((await fetch(`${page.url}api/problems?acknowledged=maybe`)).status).toBe(400);
  });

  it("groups repeated notifications: one line with its count, one page; acknowledged as a group", async () => {
    const repeats = [0, 1, 2].map((i) =>
      note(ids.db, { text: "mail queue stuck", time: Date.now() + i, received: Date.now() + i }),
    );
    for (const n of repeats) await store.addNotification(n);
    expect((await store.deliveries()).filter((d) => repeats.some((n) => n.id === d.notification))).toHaveLength(1);
    type Group = { group: string; host: string; count: number; paged: number; unacknowledged: number };
    const [group] = (await get<Group[]>("api/groups?host=db-1")).filter((g) => g.count === 3);
    expect(group).toMatchObject({ host: "db-1", count: 3, paged: 1, unacknowledged: 3 });
    // Unacknowledged, the repeats are one problem.
    const problem = (await get<Array<ProblemRow & { notifications: number }>>("api/problems")).find(
      (p) => p.kind === "notification",
    );
    expect(problem).toMatchObject({ host: "db-1", notifications: 3, groups: [group!.group] });
    expect(await (await post("api/ack", { groups: [group!.group], by: "bo" })).json()).toEqual({
      acknowledged: 3,
      by: "bo",
    });
    expect((await get<Group[]>("api/groups?unacknowledged=yes")).map((g) => g.group)).not.toContain(group!.group);
    expect((await post("api/ack", { groups: ["not a key!"] })).status).toBe(400);
  });

  it("shows a host: registrations with pids and versions, state, checks, history; 404 for an unknown host", async () => {
    type View = {
      host: string;
      state: string;
      registrations: Array<{ process: string; pid?: number; version?: string; checks: Array<{ name: string }> }>;
      checks: Array<{ check: string; status: string }>;
      history: { presence: Array<{ what: string; state: string }>; notifications: unknown[]; results: unknown[] };
    };
    const view = await get<View>("api/host?host=db-1");
    expect(view.state).toBe("up");
    expect(view.registrations.map((r) => [r.process, r.pid, r.version, r.checks.map((c) => c.name)])).toEqual([
      ["agent", 812, "0.1.0", ["disk"]],
      ["billing", 4242, "3.2.0", []],
    ]);
    expect(view.checks.map((c) => [c.check, c.status])).toEqual([
      ["disk", "WARNING"],
      ["load", "CRITICAL"],
      ["procs", "OK"],
    ]);
    expect(view.history.results).toHaveLength(3);
    const web = await get<View>(`api/host?agent=${ids.web}`);
    expect(web.history.presence.map((e) => [e.what, e.state])).toEqual([
      ["host", "down"],
      ["host", "up"],
    ]);
    expect((await fetch(`${page.url}api/host?host=nowhere`)).status).toBe(404);
  });
});

describe("zmtp-monitor problems, host, notifications", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const run = async (...argv: string[]) => {
    let out = "";
    let err = "";
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
    const code = await monitorCommand(argv, io);
    return { code, out, err, lines: out.split("\n").filter(Boolean) };
  };

  it("lists problems with filters, shows a host, lists and acknowledges groups, sets the dedup window", async () => {
    const db = join(dir.path, "monitor.db");
    const store = await SqliteStore.open({ path: db });
    const { db: dbAgent } = await fleet(store);
    for (const i of [0, 1])
      await store.addNotification(note(dbAgent, { text: "mail queue stuck", received: Date.now() + i }));
    await store.close();

    const all = await run("problems", "--db", db);
    expect(all.code).toBe(0);
    // Critical first, newest first among them: the agent's alert, the load check, the host down.
    expect(all.lines.map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual([
      "notification",
      "check",
      "host",
      "check",
    ]);
    const warnings = await run("problems", "--db", db, "--host", "db-1", "--severity", "warning");
    expect(warnings.lines.map((l) => (JSON.parse(l) as { check: string }).check)).toEqual(["disk"]);
    expect((await run("problems", "--db", db, "--acknowledged", "maybe")).code).toBe(2);

    const host = await run("host", "--db", db, "db-1");
    const view = JSON.parse(host.out) as { registrations: Array<{ process: string; pid: number; version: string }> };
    expect(view.registrations.map((r) => `${r.process} ${r.pid} ${r.version}`)).toEqual([
      "agent 812 0.1.0",
      "billing 4242 3.2.0",
    ]);
    expect((await run("host", "--db", db, "nowhere")).err).toMatch(/no host "nowhere"/);

    const groups = (await run("notifications", "--db", db, "list", "--host", "db-1")).lines.map(
      (l) => JSON.parse(l) as { group: string; text: string; count: number },
    );
    const mail = groups.find((g) => g.text === "mail queue stuck")!;
    expect(mail.count).toBe(2);
    expect(JSON.parse((await run("notifications", "--db", db, "ack", mail.group, "--by", "ops")).out)).toEqual({
      acknowledged: 2,
      by: "ops",
    });
    expect(JSON.parse((await run("notifications", "--db", db, "dedup")).out)).toEqual({ dedupWindow: 900_000 });
    expect(JSON.parse((await run("notifications", "--db", db, "dedup", "1h")).out)).toEqual({ dedupWindow: 3_600_000 });
    expect(JSON.parse((await run("notifications", "--db", db, "dedup", "off")).out)).toEqual({
      dedupWindow: 0,
      off: true,
    });
    expect((await run("notifications", "--db", db, "dedup", "soon")).code).toBe(2);
  });
});
