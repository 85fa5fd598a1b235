import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monitorCommand, type MonitorIo } from "../../src/cli/main.js";
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
    const io: MonitorIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
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
