import { createServer, type Server } from "node:http";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import type { AlertPayload } from "../../src/outputs/actions.js";
import { Dispatcher } from "../../src/outputs/dispatcher.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { NotificationRecord } from "../../src/store/store.js";
import { newId } from "../../src/wire/protocol.js";
import { waitFor } from "../helpers/fleet.js";

/**
 * The dispatcher: pages are in the store until delivered. Where a test would wait a minute of
 * outage it drives the dispatcher with an injected clock (pass(now)); the pager is a real HTTP
 * server, the mail server a real SMTP server (smtp-server).
 */

const agent = newId();
const note = (
  time: number,
  text: string,
  severity: NotificationRecord["severity"] = "critical",
): NotificationRecord => ({
  agent,
  id: newId(),
  severity,
  text,
  time,
  received: time,
  acknowledged: null,
});

/** An HTTP pager that answers 503 while `down()` says so, and records what it took. */
async function pager(
  down: () => boolean,
): Promise<{ url: string; pages: AlertPayload[]; refused: number; server: Server }> {
  const state = { pages: [] as AlertPayload[], refused: 0 };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      if (down()) {
        state.refused += 1;
        return void res.writeHead(503).end();
      }
      state.pages.push(JSON.parse(body) as AlertPayload);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(state, { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/page` });
}

describe("Dispatcher", () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it("a pager down for 60 s loses nothing: 20 pages raised during the outage are all delivered, once each, soon after it is back", async () => {
    let now = 0;
    const OUTAGE = 60_000;
    const page = await pager(() => now < OUTAGE);
    cleanups.push(() => page.server.close());
    const store = new MemoryStore();
    await store.putAction({ name: "pager", type: "webhook", url: page.url });
    const dispatcher = new Dispatcher({ store, now: () => now, pollInterval: 0, timeout: 2000 });
    cleanups.push(() => dispatcher.close());
    const ids: string[] = [];
    // One page every 2.5 s during the first 50 s of the outage; the dispatcher looks every 500 ms.
    for (; now <= 120_000; now += 500) {
      if (now % 2500 === 0 && ids.length < 20) {
        const n = note(now, `failure ${ids.length}`);
        ids.push(n.id);
        await store.addNotification(n);
      }
      await dispatcher.pass(now);
      if (page.pages.length === 20) break;
    }
    expect(page.refused).toBeGreaterThan(20); // every page was tried during the outage, most more than once
    expect(page.pages.map((p) => p.id).sort()).toEqual([...ids].sort());
    // Back at 60 s: the first success hurries the rest, so all are out within a pass or two.
    expect(now).toBeLessThanOrEqual(OUTAGE + 30_000 + 1000);
    expect((await store.deliveries()).every((d) => d.state === "delivered")).toBe(true);
    expect(dispatcher.counters.delivered).toBe(20);
  });

  it("retries with backoff doubling from retryInterval up to maxRetryInterval (±20%), and never gives up by itself", async () => {
    let now = 0;
    const store = new MemoryStore();
    await store.putAction({ name: "broken", type: "command", command: "exit 3" });
    const dispatcher = new Dispatcher({
      store,
      now: () => now,
      pollInterval: 0,
      retryInterval: 1000,
      maxRetryInterval: 8000,
    });
    cleanups.push(() => dispatcher.close());
    await store.addNotification(note(0, "x"));
    const gaps: number[] = [];
    let due = 0;
    for (let attempt = 1; attempt <= 7; attempt++) {
      now = due;
      expect(await dispatcher.pass(now)).toBe(1);
      const [d] = await store.deliveries();
      expect(d!.state).toBe("pending");
      expect(d!.attempts).toBe(attempt);
      expect(d!.lastError).toMatch(/exit code 3/);
      gaps.push(d!.dueAt - now);
      expect(await dispatcher.pass(d!.dueAt - 1)).toBe(0); // not before its time
      due = d!.dueAt;
    }
    const expected = [1000, 2000, 4000, 8000, 8000, 8000, 8000];
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! * 0.8);
      expect(gap).toBeLessThanOrEqual(expected[i]! * 1.2);
    });
    // An operator gives up: nothing more is attempted.
    const [d] = await store.deliveries();
    expect(await store.abandonDelivery(d!.id, "ops", now)).toBe(true);
    expect(await dispatcher.pass(now + 60_000)).toBe(0);
  });

  it("a dispatcher that dies in the middle of an attempt: another takes the delivery over when the lease runs out", async () => {
    let now = 0;
    const page = await pager(() => false);
    cleanups.push(() => page.server.close());
    const store = new MemoryStore();
    await store.putAction({ name: "pager", type: "webhook", url: page.url });
    await store.addNotification(note(0, "host down"));
    // The first dispatcher claims it and hangs forever (its process was killed).
    const claimed = await store.claimDeliveries({ owner: "dead", now: 0, leaseUntil: 25_000, limit: 10 });
    expect(claimed).toHaveLength(1);
    const survivor = new Dispatcher({ store, now: () => now, pollInterval: 0 });
    cleanups.push(() => survivor.close());
    now = 24_999;
    expect(await survivor.pass(now)).toBe(0);
    now = 25_000;
    expect(await survivor.pass(now)).toBe(1);
    expect(page.pages.map((p) => p.text)).toEqual(["host down"]);
    expect((await store.deliveries())[0]).toMatchObject({ state: "delivered", attempts: 2 });
  });

  it("e-mails through SMTP (nodemailer) and retries while the mail server refuses", async () => {
    const received: Array<{ to: string[]; data: string }> = [];
    let refuse = 2;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        let data = "";
        stream.on("data", (c: Buffer) => (data += c.toString()));
        stream.on("end", () => {
          if (refuse-- > 0) {
            const err = Object.assign(new Error("mailbox busy, try later"), { responseCode: 451 });
            return callback(err);
          }
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => smtp.close(() => resolve(undefined))));
    const port = (smtp.server.address() as { port: number }).port;
    const store = new MemoryStore();
    await store.putAction({
      name: "oncall",
      type: "email",
      to: ["oncall@example.com", "lead@example.com"],
      smtp: `smtp://127.0.0.1:${port}`,
      from: "monitor@example.com",
      severities: ["critical"],
    });
    const dispatcher = new Dispatcher({
      store,
      hostOf: () => "db-1",
      pollInterval: 20,
      retryInterval: 20,
      timeout: 5000,
    });
    cleanups.push(() => dispatcher.close());
    const n = note(Date.now(), "disk full on /var");
    await store.addNotification(n);
    await store.addNotification(note(Date.now(), "only info", "info")); // no delivery: not critical
    dispatcher.kick();
    await waitFor("the e-mail", () => received.length === 1, 10_000);
    expect(dispatcher.counters).toMatchObject({ delivered: 1, failed: 2 });
    expect(received[0]!.to).toEqual(["oncall@example.com", "lead@example.com"]);
    expect(received[0]!.data).toMatch(/^Subject: \[CRITICAL\] db-1: disk full on \/var/m);
    expect(received[0]!.data).toMatch(/^From: monitor@example.com/m);
    expect(received[0]!.data.toLowerCase()).toContain(`x-zmtp-monitor-id: ${n.id}`);
    expect(await store.deliveries()).toHaveLength(1);
  });
});
