import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Subscriber } from "zmtp";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { NotificationRecord } from "../../src/store/store.js";
import { newId } from "../../src/wire/protocol.js";
import { StatusServer } from "../../src/web/server.js";
import { UserFile, newToken, userLine } from "../../src/web/users.js";
import { tempDir, waitFor } from "../helpers/fleet.js";

/** The status page signs users in (scrypt-hashed passwords and tokens) and refuses forged state changes. */

describe("status page security", () => {
  const dir = tempDir("zmtp-security-");
  const store = new MemoryStore();
  const agent = newId();
  const token = newToken("prometheus");
  let page: StatusServer;
  let url: string;
  let usersFile: string;
  const basic = (user: string, password: string): string =>
    `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const alice = basic("alice", "correct horse battery");

  async function notification(): Promise<NotificationRecord> {
    const n: NotificationRecord = {
      agent,
      id: newId(),
      severity: "critical",
      text: "disk full",
      time: 1,
      received: 1,
      acknowledged: null,
    };
    await store.addNotification(n);
    return n;
  }
  const acked = async (n: NotificationRecord) => (await store.notifications()).find((x) => x.id === n.id)!.acknowledged;

  beforeAll(async () => {
    const file = (usersFile = join(dir.path, "users"));
    writeFileSync(
      file,
      `# the page's users\n${await userLine("alice", "correct horse battery")}\n${await userLine("prometheus", token)}\n`,
    );
    page = await StatusServer.start({ store, hostOf: (a) => a, port: 0, users: new UserFile(file) });
    url = page.url;
  });
  afterAll(async () => {
    await page.close();
    dir.remove();
  });

  it("asks everyone but the health check to sign in; a wrong password or token is refused", async () => {
    for (const path of ["", "api/state", "api/audit", "assets/zmtp.js"]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Basic realm="zmtp monitor", charset="UTF-8"');
    }
    expect(await (await fetch(`${url}health`)).json()).toMatchObject({ role: "sink", status: "ok" });
    expect((await fetch(`${url}api/state`, { headers: { authorization: basic("alice", "wrong") } })).status).toBe(401);
    expect((await fetch(`${url}api/state`, { headers: { authorization: basic("eve", "x") } })).status).toBe(401);
    expect((await fetch(`${url}api/state`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    expect((await fetch(`${url}api/state`, { headers: { authorization: alice } })).status).toBe(200);
    expect((await fetch(`${url}api/state`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("refuses the cross-origin text/plain POST (a CSRF through the browser's Basic credentials)", async () => {
    const n = await notification();
    const body = JSON.stringify({ agent, id: n.id, by: "mallory" });
    // What a page on another site makes the browser send (fetch no-cors, or a form): no preflight.
    const forged = await fetch(`${url}api/ack`, {
      method: "POST",
      headers: {
        authorization: alice,
        "content-type": "text/plain;charset=UTF-8",
        origin: "http://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body,
    });
    expect(forged.status).toBe(403);
    // The same without the browser's origin headers: refused for its type.
    const plain = await fetch(`${url}api/ack`, {
      method: "POST",
      headers: { authorization: alice, "content-type": "text/plain" },
      body,
    });
    expect(plain.status).toBe(415);
    // JSON from another origin (it would need a preflight the server never grants).
    const cors = await fetch(`${url}api/ack`, {
      method: "POST",
      headers: { authorization: alice, "content-type": "application/json", origin: "http://evil.example" },
      body,
    });
    expect(cors.status).toBe(403);
    // Same origin, JSON, but without the page's token.
    const tokenless = await fetch(`${url}api/ack`, {
      method: "POST",
      headers: { authorization: alice, "content-type": "application/json" },
      body,
    });
    expect(tokenless.status).toBe(403);
    expect(await tokenless.json()).toEqual({ error: "missing or wrong X-CSRF-Token" });
    expect(await acked(n)).toBeNull();
  });

  it("acknowledges from the page itself (its CSRF token), as the signed-in user; the audit log says who", async () => {
    const n = await notification();
    const html = await (await fetch(url, { headers: { authorization: alice } })).text();
    const csrf = /<meta name="zmtp-csrf" content="([^"]+)">/.exec(html)![1]!;
    expect(html).toContain('<meta name="zmtp-user" content="alice">');
    const res = await fetch(`${url}api/ack`, {
      method: "POST",
      headers: {
        authorization: alice,
        "content-type": "application/json",
        "x-csrf-token": csrf,
        origin: url.slice(0, -1),
        "sec-fetch-site": "same-origin",
      },
      body: JSON.stringify({ agent, id: n.id, by: "mallory" }),
    });
    expect(res.status).toBe(200);
    expect((await acked(n))!.by).toBe("alice"); // not the name in the body
    // A script with a bearer token (never sent by a browser on its own) needs no CSRF token.
    const bot = await fetch(`${url}api/ack`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ agent, id: (await notification()).id }),
    });
    expect(bot.status).toBe(200);
    const audit = (await (await fetch(`${url}api/audit`, { headers: { authorization: alice } })).json()) as Array<{
      actor: string;
      action: string;
      target: string;
    }>;
    expect(audit.map((a) => [a.actor, a.action])).toEqual([
      ["alice", "ack"],
      ["prometheus", "ack"],
    ]);
    expect(audit[0]!.target).toBe(`${agent}/${n.id}`);
  });

  it("an open page (no users) listens on loopback only", async () => {
    await expect(StatusServer.start({ store, hostOf: (a) => a, port: 0, host: "0.0.0.0" })).rejects.toThrow(
      /refusing to serve the status page on 0\.0\.0\.0 without users/,
    );
    const open = await StatusServer.start({ store, hostOf: (a) => a, port: 0 });
    try {
      // Open, but state changes still need the page's token.
      const n = await notification();
      const forged = await fetch(`${open.url}api/ack`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: "http://evil.example" },
        body: JSON.stringify({ agent, id: n.id }),
      });
      expect(forged.status).toBe(403);
      expect(await acked(n)).toBeNull();
    } finally {
      await open.close();
    }
  });

  it("the live channel (the page's SUB over ws) admits only the token signed for a user still in the file", async () => {
    /** The HTTP status an upgrade to `path` gets (101: admitted). */
    const upgrade = (path: string, headers: Record<string, string> = {}): Promise<number> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${url.replace("http", "ws")}${path.slice(1)}`, ["ZWS2.0"], { headers });
        ws.on("upgrade", (res) => resolve(res.statusCode ?? 0));
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => ws.terminate());
        ws.on("error", (err) => (err.message.includes("Unexpected server response") ? undefined : reject(err)));
      });
    const html = await (await fetch(url, { headers: { authorization: alice } })).text();
    const live = /<meta name="zmtp-live" content="([^"]+)">/.exec(html)![1]!.replaceAll("&#38;", "&");
    expect(live).toMatch(/^\/live\?user=alice&token=[\w-]{43}$/);
    const forged = live.replace(/token=./, (t) => (t.endsWith("A") ? "token=B" : "token=A"));
    expect(await upgrade("/live")).toBe(401);
    expect(await upgrade("/live?user=alice")).toBe(401);
    expect(await upgrade(forged)).toBe(401);
    expect(await upgrade(live.replace("alice", "prometheus"))).toBe(401); // alice's token names alice
    expect(await upgrade(live, { origin: "http://evil.example" })).toBe(401);
    expect(await upgrade("/live/anything")).toBe(404);
    expect(await upgrade(live, { origin: url.slice(0, -1) })).toBe(101);

    // A ZeroMQ SUB with the page's URL gets the fleet state, as the page's does.
    await notification();
    const sub = new Subscriber();
    try {
      sub.connect(`${url.replace("http", "ws")}${live.slice(1)}`);
      sub.subscribe("state");
      const [topic, body] = await sub.receive();
      expect(topic!.toString()).toBe("state");
      expect(JSON.parse(body!.toString())).toMatchObject({ summary: { unacknowledged: expect.any(Number) } });
    } finally {
      sub.close();
    }

    // alice removed from the file: her page's token no longer opens the channel.
    const lines = readFileSync(usersFile, "utf8").split("\n");
    writeFileSync(usersFile, lines.filter((l) => !l.startsWith("alice:")).join("\n"));
    await waitFor("alice's token refused", async () => (await upgrade(live)) === 401, 10_000);
  });
});
