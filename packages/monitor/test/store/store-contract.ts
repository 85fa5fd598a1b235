import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/wire/protocol.js";
import { DEDUP_SETTING, notificationGroup, type NotificationRecord, type Store } from "../../src/store/store.js";

/**
 * The Store contract: every implementation (MemoryStore, SqliteStore) must pass the same tests,
 * since sinks and schedulers rely only on the interface.
 */
export function storeContract(
  name: string,
  open: () => Promise<{ store: Store; cleanup(): Promise<void> | void }>,
  skip = false,
): void {
  describe.skipIf(skip)(`Store contract: ${name}`, () => {
    const agent = newId();
    let store: Store;
    let cleanup: () => Promise<void> | void;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it("claims a due check for exactly one of two racing schedulers, then not before the next due time", async () => {
      const claim = (owner: string, now: number) =>
        store.claimCheckRun({ agent, check: "disk", owner, now, nextDue: now + 1000 });
      const [a, b] = await Promise.all([claim("s1", 0), claim("s2", 0)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await claim("s1", 999)).toBe(false);
      expect(await claim("s2", 1000)).toBe(true);
      expect(await claim("s1", 1000)).toBe(false);
    });

    it("presence: up on the first heartbeat, down once (compare-and-set), up again on return", async () => {
      const key = { agent, process: null };
      expect(await store.heartbeat(key, 100, 50)).toBe("unknown");
      expect(await store.heartbeat(key, 150, 50)).toBe("up");
      expect(await store.markDown(key, 100, 400)).toBe(false); // stale view: it was seen since
      expect(await store.markDown(key, 150, 400)).toBe(true);
      expect(await store.markDown(key, 150, 401)).toBe(false); // a second sink loses the race
      expect(await store.heartbeat(key, 500, 50)).toBe("down");
      expect((await store.presenceHistory(agent)).map((e) => [e.state, e.time])).toEqual([
        ["up", 100],
        ["down", 400],
        ["up", 500],
      ]);
      expect(await store.presence()).toEqual([
        { agent, process: null, state: "up", lastSeen: 500, interval: 50, since: 500 },
      ]);
    });

    it("tracks a process's presence apart from its agent's", async () => {
      await store.heartbeat({ agent, process: null }, 100, 50);
      expect(await store.heartbeat({ agent, process: "billing" }, 110, 20)).toBe("unknown");
      expect(await store.markDown({ agent, process: "billing" }, 110, 200)).toBe(true);
      const states = (await store.presence()).map((p) => [p.process, p.state]);
      expect(states).toEqual([
        [null, "up"],
        ["billing", "down"],
      ]);
    });

    it("de-duplicates notifications, stat batches and results by (agent, id); tracks operator acks", async () => {
      const id = newId();
      const n: NotificationRecord = {
        agent,
        id,
        severity: "critical",
        text: "x",
        process: "web",
        check: "disk",
        time: 1,
        received: 2,
        acknowledged: null,
      };
      expect(await store.addNotification(n)).toBe(true);
      expect(await store.addNotification({ ...n, received: 3 })).toBe(false);
      expect(await store.notifications({ unacknowledged: true })).toEqual([{ ...n, group: notificationGroup(n) }]);
      expect(await store.acknowledgeNotification(agent, id, "ops", 5)).toBe(true);
      expect(await store.acknowledgeNotification(agent, id, "ops", 6)).toBe(false);
      expect(await store.acknowledgeNotification(agent, newId(), "ops", 6)).toBe(false);
      expect((await store.notifications())[0]!.acknowledged).toEqual({ by: "ops", time: 5 });
      expect(await store.notifications({ unacknowledged: true })).toEqual([]);

      const batch = newId();
      expect(
        await store.addStats(agent, batch, [
          { name: "a", value: 1, time: 1, kind: "gauge", unit: "ms", process: "web" },
        ]),
      ).toBe(true);
      expect(await store.addStats(agent, batch, [{ name: "a", value: 1, time: 1 }])).toBe(false);
      expect(await store.stats({ name: "a" })).toEqual([
        { agent, name: "a", value: 1, time: 1, kind: "gauge", unit: "ms", process: "web" },
      ]);

      const result = {
        agent,
        id: newId(),
        check: "c",
        status: 0 as const,
        text: "",
        perfdata: "",
        duration: 1,
        trigger: "local" as const,
        time: 1,
      };
      expect(await store.addCheckResult(result)).toBe(true);
      expect(await store.addCheckResult(result)).toBe(false);
      expect(await store.checkResults()).toEqual([result]);
    });

    it("keeps the newest registration per (agent, process), whatever order they arrive in", async () => {
      const checks = [{ name: "disk", command: ["/bin/true"], interval: 1000 }];
      await store.putRegistration({ agent, process: "web", version: "2", pid: 7, checks, time: 20 });
      await store.putRegistration({ agent, process: "web", version: "1", checks: [], time: 10 });
      expect(await store.registrations(agent)).toEqual([
        { agent, process: "web", version: "2", pid: 7, checks, time: 20 },
      ]);
      expect(await store.registrations(newId())).toEqual([]);
    });

    it("records agents: first and last seen, hostname kept when not given again", async () => {
      await store.touchAgent(agent, 10, "web-1");
      await store.touchAgent(agent, 30);
      await store.touchAgent(agent, 20);
      expect(await store.agents()).toEqual([{ id: agent, hostname: "web-1", firstSeen: 10, lastSeen: 30 }]);
    });

    it("queries by agent, since and limit (newest, oldest first)", async () => {
      const other = newId();
      for (let i = 1; i <= 5; i++) await store.addStats(agent, newId(), [{ name: "load", value: i, time: i * 10 }]);
      await store.addStats(other, newId(), [{ name: "load", value: 99, time: 35 }]);
      expect((await store.stats({ agent, since: 30 })).map((s) => s.value)).toEqual([3, 4, 5]);
      expect((await store.stats({ name: "load", limit: 2 })).map((s) => s.value)).toEqual([5, 99]);
      expect((await store.stats({ agent: other })).map((s) => s.value)).toEqual([99]);
    });

    it("keeps the latest point per stat series and the latest result per check", async () => {
      await store.addStats(agent, newId(), [
        { name: "load", value: 1, time: 10 },
        { name: "disk", value: 50, time: 10 },
      ]);
      await store.addStats(agent, newId(), [{ name: "load", value: 3, time: 30 }]);
      await store.addStats(agent, newId(), [{ name: "load", value: 2, time: 20 }]); // late: not the latest
      // The same series twice in one batch: the newer point wins, whatever its place.
      await store.addStats(agent, newId(), [
        { name: "net", value: 7, time: 50 },
        { name: "net", value: 6, time: 40 },
      ]);
      const latest = (await store.latestStats(agent)).map((s) => [s.name, s.value]).sort();
      expect(latest).toEqual([
        ["disk", 50],
        ["load", 3],
        ["net", 7],
      ]);
      expect((await store.stats({ agent, name: "net" })).map((s) => s.value)).toEqual([7, 6]);
      const base = { agent, check: "disk", text: "", perfdata: "", duration: 1, trigger: "schedule" as const };
      await store.addCheckResult({ ...base, id: newId(), status: 0, time: 10 });
      await store.addCheckResult({ ...base, id: newId(), status: 2, time: 30 });
      await store.addCheckResult({ ...base, id: newId(), status: 1, time: 20 });
      await store.addCheckResult({ ...base, check: "load", id: newId(), status: 0, time: 5 });
      const states = (await store.checkStates(agent)).map((r) => [r.check, r.status]).sort();
      expect(states).toEqual([
        ["disk", 2],
        ["load", 0],
      ]);
      expect(await store.checkStates(newId())).toEqual([]);
    });

    let notes = 0;
    // Each a different alert (its own text), unless a test says otherwise: repeats are grouped.
    const note = (over: Partial<NotificationRecord> = {}): NotificationRecord => ({
      agent,
      id: newId(),
      severity: "critical",
      text: `disk full (${++notes})`,
      time: 100,
      received: 100,
      acknowledged: null,
      ...over,
    });

    it("a new notification gets a pending delivery per matching action, in the same step; a resend gets none", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page", severities: ["critical"] });
      await store.putAction({ name: "chat", type: "webhook", url: "http://chat/hook" });
      expect((await store.actions()).map((a) => a.name)).toEqual(["chat", "pager"]);
      const critical = note();
      expect(await store.addNotification(critical)).toBe(true);
      expect(await store.addNotification(critical)).toBe(false);
      const info = note({ severity: "info", text: "fyi" });
      await store.addNotification(info);
      const pending = await store.deliveries({ state: "pending" });
      const of = (id: string) =>
        pending.filter((d) => d.notification === id).map((d) => [d.action, d.attempts, d.dueAt]);
      expect(of(critical.id).sort()).toEqual([
        ["chat", 0, 100],
        ["pager", 0, 100],
      ]);
      expect(of(info.id)).toEqual([["chat", 0, 100]]);
      expect(await store.deliveries({ notification: info.id, state: "pending" })).toHaveLength(1);
      // Replacing an action keeps one of that name.
      await store.putAction({ name: "chat", type: "webhook", url: "http://chat/other" });
      expect((await store.actions()).find((a) => a.name === "chat")).toEqual({
        name: "chat",
        type: "webhook",
        url: "http://chat/other",
      });
    });

    it("leases each due delivery to one dispatcher; a lease that runs out is taken over", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      const n = note();
      await store.addNotification(n);
      const claim = (owner: string, now: number) =>
        store.claimDeliveries({ owner, now, leaseUntil: now + 1000, limit: 10 });
      expect(await claim("a", 99)).toEqual([]); // not due yet
      const [a, b] = await Promise.all([claim("a", 100), claim("b", 100)]);
      expect(a!.length + b!.length).toBe(1);
      const job = (a!.length > 0 ? a! : b!)[0]!;
      expect(job.notification).toEqual({ ...n, group: notificationGroup(n) });
      expect(job.action).toEqual({ name: "pager", type: "command", command: "page" });
      expect(job.delivery.attempts).toBe(1);
      expect(await claim("c", 500)).toEqual([]); // leased
      const [late] = await claim("c", 1100); // its holder died: the lease ran out
      expect(late!.delivery.attempts).toBe(2);
      // The first holder comes back: it no longer holds the lease.
      const first = a!.length > 0 ? "a" : "b";
      expect(await store.finishDelivery({ id: job.delivery.id, owner: first, now: 1200, ok: true })).toBe(false);
      expect(await store.finishDelivery({ id: job.delivery.id, owner: "c", now: 1200, ok: true })).toBe(true);
      expect(await store.deliveries()).toEqual([
        expect.objectContaining({ state: "delivered", attempts: 2, done: { by: "c", time: 1200 } }),
      ]);
    });

    it("a failed attempt is due again at its retry time; one that succeeds after failing hurries the rest of its action", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      await store.putAction({ name: "chat", type: "command", command: "chat" });
      await store.addNotification(note({ received: 0 }));
      const [first, chat] = await store
        .claimDeliveries({ owner: "d", now: 0, leaseUntil: 1000, limit: 1 })
        .then(async (jobs) => [
          ...jobs,
          ...(await store.claimDeliveries({ owner: "d", now: 0, leaseUntil: 1000, limit: 1 })),
        ]);
      const pager = first!.action.name === "pager" ? first! : chat!;
      const other = pager === first ? chat! : first!;
      await store.finishDelivery({ id: other.delivery.id, owner: "d", now: 10, ok: true });
      await store.finishDelivery({
        id: pager.delivery.id,
        owner: "d",
        now: 10,
        ok: false,
        retryAt: 5000,
        error: "503",
      });
      await store.addNotification(note({ received: 20 }));
      await store.addNotification(note({ received: 30 }));
      // The pager is down: the newer ones fail too and back off.
      for (const job of await store.claimDeliveries({ owner: "d", now: 40, leaseUntil: 1040, limit: 10 })) {
        await store.finishDelivery({
          id: job.delivery.id,
          owner: "d",
          now: 40,
          ok: job.action.name === "chat",
          ...(job.action.name === "pager" && { retryAt: 9000, error: "503" }),
        });
      }
      expect((await store.claimDeliveries({ owner: "d", now: 4999, leaseUntil: 6000, limit: 10 })).length).toBe(0);
      const [retry] = await store.claimDeliveries({ owner: "d", now: 5000, leaseUntil: 6000, limit: 10 });
      expect(retry!.delivery.id).toBe(pager.delivery.id);
      expect(retry!.delivery.attempts).toBe(2);
      expect(retry!.delivery.lastError).toBe("503");
      await store.finishDelivery({ id: retry!.delivery.id, owner: "d", now: 5010, ok: true });
      // Back: the two waiting for 9000 are due now.
      const hurried = await store.claimDeliveries({ owner: "d", now: 5010, leaseUntil: 6000, limit: 10 });
      expect(hurried.map((j) => j.action.name)).toEqual(["pager", "pager"]);
    });

    it("an operator gives a delivery up; removing an action abandons its pending deliveries", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      await store.putAction({ name: "chat", type: "command", command: "chat" });
      await store.addNotification(note());
      const [d1, d2] = await store.deliveries();
      expect(await store.abandonDelivery(d1!.id, "ops", 200)).toBe(true);
      expect(await store.abandonDelivery(d1!.id, "ops", 201)).toBe(false);
      expect(await store.removeAction(d2!.action, "ops", 300)).toBe(true);
      expect(await store.removeAction(d2!.action, "ops", 300)).toBe(false);
      expect((await store.deliveries()).map((d) => [d.state, d.done])).toEqual([
        ["abandoned", { by: "ops", time: 200 }],
        ["abandoned", { by: "ops", time: 300 }],
      ]);
      expect(await store.claimDeliveries({ owner: "x", now: 1000, leaseUntil: 2000, limit: 10 })).toEqual([]);
    });

    it("raises a presence alert in the same step as the change, and a result's alert with a new result only", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      const key = { agent, process: null };
      const down = note({ text: "host down", kind: "host-down" });
      const up = note({ text: "host up", kind: "host-up", severity: "ok" });
      await store.heartbeat(key, 100, 50, up); // unknown -> up: no alert
      expect(await store.markDown(key, 99, 400, down)).toBe(false);
      expect(await store.markDown(key, 100, 400, down)).toBe(true);
      expect(await store.heartbeat(key, 500, 50, up)).toBe("down");
      expect(await store.heartbeat(key, 550, 50, note({ text: "not raised" }))).toBe("up");
      const stale = {
        agent,
        id: newId(),
        check: "disk",
        status: 3 as const,
        text: "UNKNOWN",
        perfdata: "",
        duration: 0,
        trigger: "stale" as const,
        time: 600,
      };
      const staleAlert = note({ text: "disk stale", kind: "stale-check" });
      expect(await store.addCheckResult(stale, staleAlert)).toBe(true);
      expect(await store.addCheckResult(stale, note({ text: "not raised either" }))).toBe(false);
      expect((await store.notifications()).map((n) => [n.text, n.kind])).toEqual([
        ["host down", "host-down"],
        ["host up", "host-up"],
        ["disk stale", "stale-check"],
      ]);
      expect(await store.deliveries({ state: "pending" })).toHaveLength(3);
      expect((await store.checkStates(agent))[0]!.trigger).toBe("stale");
    });

    it("audits what operators do: acks, given-up deliveries, removed actions (nothing for a refused one)", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      const n = note();
      await store.addNotification(n);
      const [d] = await store.deliveries();
      expect(await store.acknowledgeNotification(agent, n.id, "alice", 10)).toBe(true);
      expect(await store.acknowledgeNotification(agent, n.id, "mallory", 11)).toBe(false);
      expect(await store.abandonDelivery(d!.id, "bob", 12)).toBe(true);
      expect(await store.removeAction("pager", "carol", 13)).toBe(true);
      expect(await store.auditLog()).toEqual([
        { time: 10, actor: "alice", action: "ack", target: `${agent}/${n.id}` },
        { time: 12, actor: "bob", action: "give-up", target: d!.id, detail: '{"action":"pager"}' },
        { time: 13, actor: "carol", action: "remove-action", target: "pager" },
      ]);
      expect((await store.auditLog({ limit: 1 })).map((a) => a.actor)).toEqual(["carol"]);
      expect((await store.auditLog({ since: 12 })).map((a) => a.actor)).toEqual(["bob", "carol"]);
    });

    it("silences and maintenance windows: matching alerts are stored, marked and not delivered; others are", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      await store.putSetting(DEDUP_SETTING, 0); // repeats of one alert page each time here
      const other = newId();
      // A window on this agent's disk check from 100 to 200, set in advance; one on all warnings from 500.
      await store.putSilence({
        id: "s-disk",
        agent,
        check: "disk",
        starts: 100,
        ends: 200,
        by: "ops",
        reason: "disk swap",
        created: 50,
      });
      await store.putSilence({
        id: "s-warn",
        severities: ["warning"],
        starts: 500,
        ends: 900,
        by: "ops",
        reason: "noisy",
        created: 60,
      });
      expect((await store.silences({ activeAt: 150 })).map((s) => s.id)).toEqual(["s-disk"]);
      expect((await store.silences({ activeAt: 150, upcoming: true })).map((s) => s.id)).toEqual(["s-disk", "s-warn"]);
      const cases: Array<[NotificationRecord, string | undefined]> = [
        [note({ check: "disk", received: 99 }), undefined], // before the window
        [note({ check: "disk", received: 150 }), "s-disk"],
        [note({ check: "load", received: 150 }), undefined], // another check
        [note({ agent: other, check: "disk", received: 150 }), undefined], // another host
        [note({ check: "disk", received: 200 }), undefined], // the window is over
        [note({ severity: "warning", received: 600 }), "s-warn"],
        [note({ severity: "critical", received: 600 }), undefined],
      ];
      for (const [n] of cases) await store.addNotification(n);
      const stored = new Map((await store.notifications()).map((n) => [n.id, n.silenced]));
      const delivered = new Set((await store.deliveries()).map((d) => d.notification));
      for (const [n, silence] of cases) {
        expect(stored.get(n.id), n.text).toBe(silence);
        expect(delivered.has(n.id)).toBe(silence === undefined);
      }
      // Ended early: from then on, delivered again.
      expect(await store.endSilence("s-warn", "ops", 700)).toBe(true);
      expect(await store.endSilence("s-warn", "ops", 701)).toBe(false);
      const late = note({ severity: "warning", received: 750 });
      await store.addNotification(late);
      expect((await store.deliveries({ notification: late.id })).length).toBe(1);
      expect((await store.auditLog()).map((a) => [a.action, a.target])).toEqual([
        ["silence", "s-disk"],
        ["silence", "s-warn"],
        ["end-silence", "s-warn"],
      ]);
    });

    it("decommissions an agent: gone from presence, registrations, check states and schedule; its pages stop; audited", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      const other = newId();
      for (const a of [agent, other]) {
        await store.touchAgent(a, 1, a === agent ? "old-1" : "web-2");
        await store.heartbeat({ agent: a, process: null }, 1, 100);
        await store.putRegistration({
          agent: a,
          process: "agent",
          checks: [{ name: "disk", command: "x", interval: 10 }],
          time: 1,
        });
        await store.claimCheckRun({ agent: a, check: "disk", owner: "s", now: 1, nextDue: 1000 });
        await store.addCheckResult({
          agent: a,
          id: newId(),
          check: "disk",
          status: 0,
          text: "",
          perfdata: "",
          duration: 1,
          trigger: "schedule",
          time: 1,
        });
        await store.addNotification(note({ agent: a }));
      }
      expect(await store.decommission(agent, "ops", 50)).toBe(true);
      expect(await store.decommission(agent, "ops", 51)).toBe(false);
      expect((await store.agents()).map((a) => a.id)).toEqual([other]);
      expect((await store.presence()).map((p) => p.agent)).toEqual([other]);
      expect((await store.registrations()).map((r) => r.agent)).toEqual([other]);
      expect((await store.checkStates()).map((r) => r.agent)).toEqual([other]);
      expect((await store.deliveries({ agent, state: "pending" })).length).toBe(0);
      expect((await store.deliveries({ agent: other, state: "pending" })).length).toBe(1);
      // The schedule is gone: its check could be claimed at once if it registered again.
      expect(await store.claimCheckRun({ agent, check: "disk", owner: "s", now: 2, nextDue: 1000 })).toBe(true);
      expect((await store.auditLog()).map((a) => [a.action, a.target])).toEqual([["decommission", agent]]);
    });

    it("escalation: an action `after` ms is due then, and goes only if nobody acknowledged the alert by then", async () => {
      await store.putAction({ name: "manager", type: "command", command: "page-manager", after: 30_000 });
      const [acked, ignored] = [note({ received: 0 }), note({ received: 0 })];
      await store.addNotification(acked);
      await store.addNotification(ignored);
      const claim = (now: number) => store.claimDeliveries({ owner: "d", now, leaseUntil: now + 1000, limit: 10 });
      expect(await claim(29_999)).toEqual([]);
      expect(await store.acknowledgeNotification(agent, acked.id, "ann", 10_000)).toBe(true);
      const jobs = await claim(30_000);
      expect(jobs.map((j) => j.notification.id)).toEqual([ignored.id]);
      const [given] = await store.deliveries({ notification: acked.id });
      expect(given).toMatchObject({ state: "abandoned", lastError: "acknowledged" });
    });

    it("re-notification: an action with `repeat` is delivered again every `repeat` ms until the alert is acknowledged", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page", repeat: 60_000 });
      const n = note({ received: 0 });
      await store.addNotification(n);
      const deliverAt = async (now: number): Promise<number> => {
        const jobs = await store.claimDeliveries({ owner: "d", now, leaseUntil: now + 1000, limit: 10 });
        for (const j of jobs) await store.finishDelivery({ id: j.delivery.id, owner: "d", now, ok: true });
        return jobs.length;
      };
      expect(await deliverAt(0)).toBe(1);
      expect(await deliverAt(59_999)).toBe(0);
      expect(await deliverAt(60_000)).toBe(1);
      expect(await store.acknowledgeNotification(agent, n.id, "ann", 61_000)).toBe(true);
      expect(await deliverAt(120_000)).toBe(0);
      expect((await store.deliveries()).map((d) => d.state)).toEqual(["delivered", "delivered", "abandoned"]);
    });

    it("keeps deployment-wide settings: set, replaced, removed", async () => {
      expect(await store.setting("graphite")).toBeUndefined();
      await store.putSetting("graphite", { host: "carbon", port: 2003 });
      await store.putSetting("graphite", { host: "carbon-2", port: 2004, prefix: "fleet" });
      expect(await store.setting("graphite")).toEqual({ host: "carbon-2", port: 2004, prefix: "fleet" });
      await store.putSetting("graphite", null);
      expect(await store.setting("graphite")).toBeUndefined();
    });

    it("a repeated alert is grouped under the one that paged and not delivered again, within the window, until acknowledged", async () => {
      await store.putAction({ name: "pager", type: "command", command: "page" });
      const min = 60_000;
      const first = note({ check: "disk", text: "disk 91% used", received: 1000 });
      // The same check's output changes ("91%", "93%"): still the same alert.
      const again = note({ check: "disk", text: "disk 93% used", received: 1000 + 5 * min });
      const worse = note({ check: "disk", severity: "warning", text: "disk 80% used", received: 1000 + 6 * min });
      const load = note({ check: "load", received: 1000 + 6 * min });
      const otherHost = note({ agent: newId(), check: "disk", received: 1000 + 6 * min });
      // Agents' own notifications are the same alert when their text is.
      const mail = note({ text: "mail queue stuck", received: 1000 });
      const mailAgain = note({ text: "mail queue stuck", received: 1000 + min });
      const other = note({ text: "backup failed", received: 1000 + min });
      const late = note({ check: "disk", text: "disk 95% used", received: 1000 + 16 * min }); // the window is over
      for (const n of [first, again, worse, load, otherHost, mail, mailAgain, other, late])
        await store.addNotification(n);
      const stored = new Map((await store.notifications()).map((n) => [n.id, n]));
      const paged = new Set((await store.deliveries()).map((d) => d.notification));
      const expected: Array<[NotificationRecord, string | undefined]> = [
        [first, undefined],
        [again, first.id],
        [worse, undefined],
        [load, undefined],
        [otherHost, undefined],
        [mail, undefined],
        [mailAgain, mail.id],
        [other, undefined],
        [late, undefined],
      ];
      for (const [n, head] of expected) {
        expect(stored.get(n.id)!.duplicateOf, n.text).toBe(head);
        expect(stored.get(n.id)!.group, n.text).toBe(notificationGroup(n));
        expect(paged.has(n.id), n.text).toBe(head === undefined);
      }
      expect((await store.notifications({ group: notificationGroup(first) })).map((n) => n.id)).toEqual([
        first.id,
        again.id,
        late.id,
      ]);
      // Acknowledged, the head no longer holds a repeat back: the next one pages.
      await store.acknowledgeNotification(agent, late.id, "ann", 1000 + 17 * min);
      const after = note({ check: "disk", text: "disk 96% used", received: 1000 + 18 * min });
      await store.addNotification(after);
      expect((await store.deliveries({ notification: after.id })).length).toBe(1);
      // The window is a deployment-wide setting; 0 turns grouping off.
      await store.putSetting(DEDUP_SETTING, 0);
      const off = note({ check: "disk", text: "disk 97% used", received: 1000 + 19 * min });
      await store.addNotification(off);
      expect(
        (await store.notifications({ group: notificationGroup(off) })).find((n) => n.id === off.id)!.duplicateOf,
      ).toBe(undefined);
      expect((await store.deliveries({ notification: off.id })).length).toBe(1);
    });

    it("recent notifications: the newest `limit`, oldest first", async () => {
      for (let i = 0; i < 5; i++) {
        await store.addNotification({
          agent,
          id: newId(),
          severity: "info",
          text: `n${i}`,
          time: i,
          received: i,
          acknowledged: null,
        });
      }
      expect((await store.notifications({ limit: 2 })).map((n) => n.text)).toEqual(["n3", "n4"]);
    });
  });
}
