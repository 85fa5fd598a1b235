import { existsSync, mkdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMonitorDemo } from "../../src/cli/demo-fleet.js";
import { MONITOR_VERSION } from "../../src/version.js";
import { tempDir, waitFor } from "../helpers/fleet.js";

/**
 * The status page in a real browser: Debian's headless Chromium (`apt-get install chromium`;
 * .ci/run installs it), driven by playwright-core, against the one-command demo.
 */
const CHROMIUM = "/usr/bin/chromium";
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOT = join(ROOT, "tmp", "status-page.png");

describe.skipIf(!existsSync(CHROMIUM))("status page in headless Chromium", () => {
  const dir = tempDir("zmtp-demo-");
  let stop: () => void;
  let demo: Promise<number>;
  let output = "";
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    demo = runMonitorDemo({ dataDir: dir.path, port: 0, out: (t) => void (output += t), stopped });
    url = await waitFor("the page URL", () => /status page: (http:\S+)/.exec(output)?.[1], 15_000);
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    stop();
    await demo;
    dir.remove();
  });

  it("shows the demo hosts up, their checks, notifications and charts, live; acknowledges a notification", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    // The live updates come through zmtp's browser build: a SUB over ws:// to the page server's
    // XPUB. Every WebSocket the page opens, and the ZWS frames that arrive on it, are recorded.
    const scripts: string[] = [];
    page.on("request", (r) => void (r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname)));
    const sockets: Array<{ url: string; received: string[] }> = [];
    page.on("websocket", (ws) => {
      const entry = { url: ws.url(), received: [] as string[] };
      sockets.push(entry);
      ws.on("framereceived", (f) => void entry.received.push(Buffer.from(f.payload).toString("latin1")));
    });
    await page.goto(url);
    expect(await page.title()).toBe("zmtp monitor — demo");
    for (const host of ["demo-web-1", "demo-db-1", "demo-cache-1"]) {
      await page.locator(`#hosts tr[data-host="${host}"] .pill`).filter({ hasText: "UP" }).waitFor({ timeout: 15_000 });
    }
    // Real plugin output reaches the page: the cache host has no redis-server, so that check is CRITICAL.
    const redis = page.locator('#checks tr[data-check="demo-cache-1/redis"]');
    await redis.waitFor({ timeout: 20_000 });
    expect(await redis.locator(".pill").textContent()).toBe("CRITICAL");
    expect(await redis.textContent()).toContain("0 processes named redis-server");
    await page.locator('#checks tr[data-check="demo-web-1/disk"]').waitFor({ timeout: 20_000 });
    // A chart per host, drawn by uPlot (served from node_modules).
    for (const host of ["demo-web-1", "demo-db-1", "demo-cache-1"]) {
      await page.locator(`[data-chart="${host}"] canvas`).waitFor({ timeout: 15_000 });
    }
    await page.locator("#live.on").waitFor();
    expect(scripts).toContain("/assets/zmtp.js");
    expect(sockets.map((s) => new URL(s.url).pathname)).toEqual(["/live"]);
    expect(new URL(sockets[0]!.url).searchParams.get("token")).toMatch(/^[\w-]{43}$/);
    // Server-sent events are gone: the page's state arrives only as ZWS messages (topic, JSON).
    const states = (): string[] => sockets[0]!.received.filter((f) => f.includes('"hosts":'));
    const before = states().length;
    await waitFor("three more state messages over ws", () => states().length >= before + 3 || undefined, 15_000);
    expect(sockets[0]!.received.some((f) => f.endsWith("state"))).toBe(true);
    // The monitor's own roles: both routers, the sinks and the scheduler, up, with their figures.
    await page.locator('#roles tr[data-role="sink/demo sinks"] .pill').filter({ hasText: "UP" }).waitFor();
    await page.locator('#roles tr[data-role="scheduler/demo-scheduler"] .pill').filter({ hasText: "UP" }).waitFor();
    await page
      .locator('#roles tr[data-role^="router/"]')
      .nth(1)
      .filter({ hasText: /received \d/ })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('#roles tr[data-role^="router/"] .pill', { hasText: "UP" }).count()).toBe(2);

    // The CRITICAL redis check raised a notification; acknowledging it from the page sticks.
    const row = page.locator("#notifications tr", { hasText: "redis OK -> CRITICAL" });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole("button", { name: "Acknowledge" }).click();
    // The page does not fetch the state: the acknowledgement shows once a live update carries it.
    await row.getByText("by operator").waitFor({ timeout: 5000 });

    // Problems first: the redis check is one, CRITICAL, acknowledged now; the filters narrow the list.
    const problem = page.locator('#problems tr[data-problem="check:demo-cache-1/redis"]');
    await problem.getByText("by operator").waitFor({ timeout: 10_000 });
    expect(await problem.locator(".pill").textContent()).toBe("critical");
    await page.selectOption("#f-severity", "warning");
    await problem.waitFor({ state: "detached" });
    await page.selectOption("#f-severity", "critical");
    await page.selectOption("#f-ack", "no");
    await problem.waitFor({ state: "detached" });
    await page.selectOption("#f-ack", "yes");
    await page.selectOption("#f-host", "demo-web-1");
    await problem.waitFor({ state: "detached" });
    await page.selectOption("#f-host", "demo-cache-1");
    await problem.waitFor();
    for (const id of ["#f-host", "#f-severity", "#f-ack"]) await page.selectOption(id, "");

    // The host page: its registrations (the agent and the app, with pids and versions) and history.
    await page.locator('#hosts tr[data-host="demo-cache-1"] a.host').click();
    await page.locator("#host-view #hv-title", { hasText: "demo-cache-1" }).waitFor();
    const agentRow = page.locator('#hv-registrations tr[data-process="agent"]');
    await agentRow.waitFor({ timeout: 10_000 });
    expect(await agentRow.textContent()).toContain(`agent${process.pid}${MONITOR_VERSION}load every 5 s`);
    expect(await page.locator('#hv-registrations tr[data-process="app"]').textContent()).toContain(
      `${process.pid}2.4.1`,
    );
    await page.locator("#hv-presence tr", { hasText: "UP" }).first().waitFor();
    await page.locator("#hv-notifications tr", { hasText: "redis OK -> CRITICAL" }).waitFor();
    await page.locator("#hv-results tr", { hasText: "redis" }).first().waitFor();
    expect(await page.locator("#problems-section").isVisible()).toBe(false);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.replace(".png", "-host.png"), fullPage: true });
    await page.locator("#host-view a.host").click();
    await page.locator("#problems-section").waitFor();

    await page.waitForTimeout(2500); // a few more points on the charts
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await page.close();
  }, 60_000);

  it("a page of another origin cannot acknowledge: the browser's cross-origin text/plain POST and form POST are refused", async () => {
    type State = { notifications: Array<{ agent: string; id: string; acknowledged: unknown }> };
    const state = async (): Promise<State> => (await (await fetch(`${url}api/state`)).json()) as State;
    const target = await waitFor("an unacknowledged notification", async () =>
      (await state()).notifications.find((n) => n.acknowledged === null),
    );
    const body = JSON.stringify({ agent: target.agent, id: target.id, by: "mallory" });
    // The attacker's page, on another origin (another port), posts as soon as it loads.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><form id="f" method="POST" action="${url}api/ack" enctype="text/plain">
        <input name='${body.slice(0, -1)},"x":"' value='"}'></form>
        <script>
          fetch(${JSON.stringify(`${url}api/ack`)}, { method: "POST", mode: "no-cors", credentials: "include",
            headers: { "content-type": "text/plain" }, body: ${JSON.stringify(body)} })
            .finally(() => { document.title = "sent"; document.getElementById("f").submit(); });
        </script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(evil.address() as { port: number }).port}/`);
      await page.waitForURL(`${url}api/ack`, { timeout: 10_000 }); // the form was submitted too
      expect(await page.textContent("body")).toContain("cross-");
      const after = (await state()).notifications.find((n) => n.id === target.id)!;
      expect(after.acknowledged).toBeNull();
    } finally {
      await page.close();
      evil.close();
    }
  }, 30_000);
});
