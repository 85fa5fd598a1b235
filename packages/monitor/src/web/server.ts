import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { Registry } from "prom-client";
import { isUuid } from "../wire/protocol.js";
import type { SilenceRecord, Store } from "../store/store.js";
import { SEVERITIES, type Severity } from "../wire/schema.js";
import { randomUUID } from "node:crypto";
import { RequestGuard } from "./guard.js";
import { LIVE_PATH, LiveFeed } from "./live.js";
import { STATUS_PAGE } from "./page.js";
import { fleetState, type FleetState } from "./state.js";
import { groupNotifications } from "./groups.js";
import { hostView } from "./host-view.js";
import { problemFilter, problems } from "./problems.js";
import type { UserFile } from "./users.js";

export interface StatusServerOptions {
  store: Store;
  /** Names agents (a HostNames.get). */
  hostOf: (agent: string) => string;
  /**
   * Default 127.0.0.1. Without `users`, only a loopback address is accepted: the open page lets
   * anyone who reaches it acknowledge notifications.
   */
  host?: string;
  /** Who may use the page and the API (guard.ts); null or absent: open, on loopback only. */
  users?: UserFile | null;
  /** 0 picks a free port. Default 8470. */
  port?: number;
  /** Serves GET /metrics when given. */
  metrics?: Registry | null;
  /** Stats charted per host, first shown first; the page lets the user pick others. */
  chartStats?: readonly string[];
  /** ms between live updates published to open pages (live.ts). Default 1000. */
  refreshInterval?: number;
  title?: string;
}

/** uPlot (the chart library) and zmtp's browser build are served from node_modules: no CDN. */
function asset(specifier: string): Buffer {
  return readFileSync(createRequire(import.meta.url).resolve(specifier));
}

/**
 * The status page and its API, over node:http:
 *
 *   GET  /health           "ok" (no authentication: for load balancers and probes)
 *   GET  /                 the page (hosts, checks, notifications, per-host charts)
 *   GET  /live             (WebSocket, ZWS 2.0) the fleet state every refreshInterval, published
 *                          on topic "state" by an XPUB; the page's SUB is zmtp's browser build,
 *                          /assets/zmtp.js (live.ts)
 *   GET  /api/state        the same state, once (JSON)
 *   GET  /api/series       ?agent=UUID&name=STAT&since=MS: [[times (s)], [values]] for a chart
 *   GET  /api/problems     ?host=&check=&severity=a,b&acknowledged=yes|no: what is wrong, worst first
 *   GET  /api/groups       ?host=&unacknowledged=yes&limit=N: notifications, repeats grouped
 *   GET  /api/host         ?host=NAME or ?agent=UUID: registrations, state, checks and history
 *   POST /api/ack          {"agent", "id"}, {"notifications": [...]}, {"groups": [...]} or {"all":
 *                          true[, "agent"]}: the user acknowledges notifications (open page: "by")
 *   GET  /api/silences     active and upcoming silences (maintenance windows)
 *   POST /api/silences     {agent?, check?, severities?, starts?, ends? | duration, reason}
 *   POST /api/silences/end {"id"}: ends a silence now
 *   POST /api/decommission {"agent"}: a host gone for good
 *   GET  /api/deliveries   ?state=pending|delivered|abandoned: notification deliveries
 *   POST /api/give-up      {"delivery"}: the user stops the retries of a delivery
 *   GET  /api/audit        what operators did (acks, give-ups, removed actions)
 *   GET  /metrics          Prometheus exposition, when a registry is given
 *
 * Every request but /health is authenticated when `users` is given, and every POST must pass
 * the CSRF checks (guard.ts).
 */
export class StatusServer {
  private readonly server: Server;
  private live: LiveFeed | null = null;
  private timer: NodeJS.Timeout | null = null;
  private assets: { js: Buffer; css: Buffer; zmtp: Buffer } | null = null;
  private pushing = false;
  private readonly guard: RequestGuard;

  private constructor(private readonly options: StatusServerOptions) {
    this.guard = new RequestGuard(options.users ?? null);
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`${err.message}\n`);
      });
    });
  }

  static async start(options: StatusServerOptions): Promise<StatusServer> {
    const host = options.host ?? "127.0.0.1";
    if ((options.users ?? null) === null && !isLoopback(host))
      throw new Error(
        `refusing to serve the status page on ${host} without users (--users FILE): anyone who reaches it could acknowledge notifications`,
      );
    const s = new StatusServer(options);
    await new Promise<void>((resolve, reject) => {
      s.server.once("error", reject);
      s.server.listen(options.port ?? 8470, options.host ?? "127.0.0.1", () => {
        s.server.off("error", reject);
        resolve();
      });
    });
    try {
      s.live = await LiveFeed.start(
        s.server,
        (req) => s.guard.liveUser(req),
        () => void s.push(),
      );
    } catch (err) {
      await s.close();
      throw err;
    }
    s.timer = setInterval(() => void s.push(), options.refreshInterval ?? 1000);
    return s;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get url(): string {
    const host = this.options.host ?? "127.0.0.1";
    return `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${this.port}/`;
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.live?.close();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  state(): Promise<FleetState> {
    return fleetState(this.options.store, this.options.hostOf, this.options.chartStats ?? []);
  }

  private async push(): Promise<void> {
    if (this.live === null || !this.live.listening || this.pushing) return;
    this.pushing = true;
    try {
      await this.live.publish(JSON.stringify(await this.state()));
    } catch {
      // the store failed this once: the pages keep their last state
    } finally {
      this.pushing = false;
    }
  }

  private agentNamed(name: string): Promise<string | null> {
    return agentNamedIn(this.options.store, this.options.hostOf, name);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...extra });
      res.end(body);
    };
    const json = (status: number, value: unknown): void => send(status, "application/json", JSON.stringify(value));
    if (req.method === "GET" && url.pathname === "/health") {
      // Serving, and the store answers (a store locked or gone makes this sink useless).
      const started = Date.now();
      const answered = await Promise.race([
        this.options.store.setting("health").then(
          () => true,
          () => false,
        ),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 5000).unref()),
      ]);
      return json(answered ? 200 : 503, {
        role: "sink",
        status: answered ? "ok" : "failing",
        store: answered ? `answered in ${Date.now() - started} ms` : "no answer within 5 s",
      });
    }
    const user = await this.guard.user(req);
    if (user === null) {
      return send(401, "text/plain", "authentication required\n", {
        "www-authenticate": 'Basic realm="zmtp monitor", charset="UTF-8"',
      });
    }
    if (req.method === "POST") {
      const refused = this.guard.refusal(req, user);
      if (refused !== null) return json(refused.status, { error: refused.reason });
    }
    const open = this.guard.users === null;
    if (req.method === "GET" && url.pathname === "/") {
      return send(
        200,
        "text/html; charset=utf-8",
        STATUS_PAGE.replaceAll("{{TITLE}}", escapeHtml(this.options.title ?? "zmtp monitor"))
          .replaceAll("{{CSRF}}", this.guard.csrfToken(user))
          .replaceAll("{{LIVE}}", escapeHtml(`${LIVE_PATH}?${this.guard.liveQuery(user)}`))
          .replaceAll("{{USER}}", open ? "" : escapeHtml(user)),
      );
    }
    if (req.method === "GET" && url.pathname.startsWith("/assets/")) {
      this.assets ??= {
        js: asset("uplot/dist/uPlot.iife.min.js"),
        css: asset("uplot/dist/uPlot.min.css"),
        // The build without CURVE: the page's SUB speaks NULL to its own server.
        zmtp: asset("zmtp/browser-lite"),
      };
      const cached = { "cache-control": "max-age=3600" };
      if (url.pathname === "/assets/uplot.js") return send(200, "text/javascript", this.assets.js, cached);
      if (url.pathname === "/assets/uplot.css") return send(200, "text/css", this.assets.css, cached);
      if (url.pathname === "/assets/zmtp.js") return send(200, "text/javascript", this.assets.zmtp, cached);
    }
    if (req.method === "GET" && url.pathname === "/api/state") return json(200, await this.state());
    if (req.method === "GET" && url.pathname === "/api/problems") {
      const filter = problemFilter(url.searchParams);
      if (typeof filter === "string") return json(400, { error: filter });
      return json(200, await problems(this.options.store, this.options.hostOf, filter));
    }
    if (req.method === "GET" && url.pathname === "/api/groups") {
      const host = url.searchParams.get("host");
      const agent = host === null ? undefined : await this.agentNamed(host);
      if (agent === null) return json(404, { error: `no host "${host}"` });
      const limit = Math.min(Math.max(Number(url.searchParams.get("limit") ?? 100) || 100, 1), 5000);
      const unacknowledged = url.searchParams.get("unacknowledged") === "yes";
      const list = await this.options.store.notifications({
        ...(agent !== undefined && { agent }),
        ...(unacknowledged ? { unacknowledged } : { limit: limit * 20 }),
      });
      return json(200, groupNotifications(list, this.options.hostOf).slice(0, limit));
    }
    if (req.method === "GET" && url.pathname === "/api/host") {
      const agent = await this.agentNamed(url.searchParams.get("agent") ?? url.searchParams.get("host") ?? "");
      const view = agent === null ? null : await hostView(this.options.store, agent, this.options.hostOf);
      return view === null ? json(404, { error: "no such host" }) : json(200, view);
    }
    if (req.method === "GET" && url.pathname === "/api/series") {
      const agent = url.searchParams.get("agent");
      const name = url.searchParams.get("name");
      const since = Number(url.searchParams.get("since") ?? Date.now() - 600_000);
      if (!isUuid(agent) || name === null || name === "" || !Number.isFinite(since))
        return json(400, { error: "expected agent=UUID, name=STAT, since=MS" });
      const points = await this.options.store.stats({ agent, name, since, limit: 2000 });
      points.sort((a, b) => a.time - b.time);
      return json(200, [points.map((p) => p.time / 1000), points.map((p) => p.value)]);
    }
    // Who: signed in, the user; an open page, the name the operator gave.
    const actor = (given: unknown): string =>
      !open ? user : typeof given === "string" && given.trim() !== "" ? given.trim().slice(0, 100) : "operator";
    const body = async (): Promise<Record<string, unknown> | null> => {
      try {
        const value = JSON.parse(await readBody(req, 65_536)) as unknown;
        return typeof value === "object" && value !== null && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : null;
      } catch {
        return null;
      }
    };
    if (req.method === "POST" && url.pathname === "/api/ack") {
      // One {agent, id}; many {notifications: [{agent, id}, ...]}; or {all: true[, agent]}.
      const input = await body();
      if (input === null) return json(400, { error: "expected JSON" });
      const by = actor(input.by);
      const now = Date.now();
      let targets: Array<{ agent: unknown; id: unknown }>;
      if (Array.isArray(input.groups)) {
        const groups = (input.groups as unknown[]).slice(0, 1000);
        if (!groups.every((g) => typeof g === "string" && /^[\w-]{1,64}$/.test(g)))
          return json(400, { error: "groups: group keys" });
        targets = (
          await Promise.all(
            (groups as string[]).map((group) => this.options.store.notifications({ unacknowledged: true, group })),
          )
        ).flat();
      } else if (input.all === true) {
        if (input.agent !== undefined && !isUuid(input.agent)) return json(400, { error: "agent: a UUID" });
        targets = await this.options.store.notifications({
          unacknowledged: true,
          ...(isUuid(input.agent) && { agent: input.agent }),
        });
      } else if (Array.isArray(input.notifications)) {
        targets = (input.notifications as Array<{ agent?: unknown; id?: unknown }>).slice(0, 10_000).map((n) => ({
          agent: n?.agent,
          id: n?.id,
        }));
      } else {
        targets = [{ agent: input.agent, id: input.id }];
      }
      if (!targets.every((t) => isUuid(t.agent) && isUuid(t.id)))
        return json(400, { error: "expected agent and id (UUIDs)" });
      let acknowledged = 0;
      for (const t of targets)
        if (await this.options.store.acknowledgeNotification(t.agent as string, t.id as string, by, now))
          acknowledged += 1;
      void this.push();
      const single = input.all !== true && !Array.isArray(input.notifications) && !Array.isArray(input.groups);
      return json(
        acknowledged > 0 || !single ? 200 : 409,
        single ? { acknowledged: acknowledged > 0 } : { acknowledged, by },
      );
    }
    if (req.method === "POST" && url.pathname === "/api/decommission") {
      const input = await body();
      if (input === null || !isUuid(input.agent)) return json(400, { error: "expected agent (a UUID)" });
      const done = await this.options.store.decommission(input.agent, actor(input.by), Date.now());
      void this.push();
      return json(done ? 200 : 409, { decommissioned: done });
    }
    if (req.method === "GET" && url.pathname === "/api/silences") {
      return json(200, await this.options.store.silences({ activeAt: Date.now(), upcoming: true }));
    }
    if (req.method === "POST" && url.pathname === "/api/silences") {
      // {agent?, check?, severities?, starts? (ms), ends? (ms) | duration (ms), reason}
      const input = await body();
      if (input === null) return json(400, { error: "expected JSON" });
      const now = Date.now();
      const starts = typeof input.starts === "number" ? input.starts : now;
      const ends =
        typeof input.ends === "number"
          ? input.ends
          : typeof input.duration === "number"
            ? starts + input.duration
            : NaN;
      const severities = input.severities;
      if (
        !(ends > starts) ||
        typeof input.reason !== "string" ||
        input.reason.trim() === "" ||
        (input.agent !== undefined && !isUuid(input.agent)) ||
        (input.check !== undefined && (typeof input.check !== "string" || input.check === "")) ||
        (severities !== undefined &&
          (!Array.isArray(severities) || !severities.every((s) => SEVERITIES.includes(s as Severity))))
      )
        return json(400, {
          error: "expected reason, ends or duration (ms), and optionally agent, check, severities, starts",
        });
      const silence: SilenceRecord = {
        id: randomUUID(),
        ...(isUuid(input.agent) && { agent: input.agent }),
        ...(typeof input.check === "string" && { check: input.check }),
        ...(severities !== undefined && { severities: severities as Severity[] }),
        starts,
        ends,
        by: actor(input.by),
        reason: input.reason.trim().slice(0, 500),
        created: now,
      };
      await this.options.store.putSilence(silence);
      return json(200, silence);
    }
    if (req.method === "POST" && url.pathname === "/api/silences/end") {
      const input = await body();
      if (input === null || !isUuid(input.id)) return json(400, { error: "expected id (a UUID)" });
      const ended = await this.options.store.endSilence(input.id, actor(input.by), Date.now());
      return json(ended ? 200 : 409, { ended });
    }
    if (req.method === "GET" && url.pathname === "/api/deliveries") {
      const state = url.searchParams.get("state");
      if (state !== null && !["pending", "delivered", "abandoned"].includes(state))
        return json(400, { error: "state: pending, delivered or abandoned" });
      return json(
        200,
        await this.options.store.deliveries({
          limit: 500,
          ...(state !== null && { state: state as "pending" | "delivered" | "abandoned" }),
        }),
      );
    }
    if (req.method === "POST" && url.pathname === "/api/give-up") {
      let input: { delivery?: unknown; by?: unknown };
      try {
        input = JSON.parse(await readBody(req, 4096)) as typeof input;
      } catch {
        return json(400, { error: "expected JSON" });
      }
      if (!isUuid(input.delivery)) return json(400, { error: "expected delivery (a UUID)" });
      const by = !open ? user : typeof input.by === "string" && input.by !== "" ? input.by.slice(0, 100) : "operator";
      const ok = await this.options.store.abandonDelivery(input.delivery, by, Date.now());
      return json(ok ? 200 : 409, { abandoned: ok });
    }
    if (req.method === "GET" && url.pathname === "/api/audit") {
      return json(200, await this.options.store.auditLog({ limit: 500 }));
    }
    if (req.method === "GET" && url.pathname === "/metrics" && this.options.metrics != null) {
      return send(200, this.options.metrics.contentType, await this.options.metrics.metrics());
    }
    send(404, "text/plain", "not found\n");
  }
}

/** A host name or agent id as the store knows it; undefined for "", null when unknown. */
async function agentNamedIn(store: Store, hostOf: (agent: string) => string, name: string): Promise<string | null> {
  if (name === "") return null;
  const agents = await store.agents();
  return agents.find((a) => a.id === name || hostOf(a.id) === name || a.hostname === name)?.id ?? null;
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > max) {
        reject(new Error("request body too large"));
        req.destroy();
      }
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
