import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

/** What a role says about itself on /health. */
export interface RoleHealth {
  role: string;
  /** "ok"; "degraded" (serving, but something is missing: still 200); "failing" (503). */
  status: "ok" | "degraded" | "failing";
  [detail: string]: unknown;
}

export interface RoleServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  metrics: Registry;
  health(): Promise<RoleHealth> | RoleHealth;
}

/**
 * /metrics (Prometheus) and /health (JSON; 503 when failing) for a role without the status page:
 * a router or an agent (`--http [HOST:]PORT`), so that every role of the monitor is monitored.
 */
export class RoleServer {
  private constructor(
    private readonly server: Server,
    readonly host: string,
  ) {}

  static async start(options: RoleServerOptions): Promise<RoleServer> {
    const server = createServer((req, res) => {
      const reply = (status: number, type: string, body: string): void => {
        res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
        res.end(body);
      };
      void (async () => {
        if (req.method === "GET" && req.url === "/metrics")
          return reply(200, options.metrics.contentType, await options.metrics.metrics());
        if (req.method === "GET" && req.url === "/health") {
          const health = await options.health();
          return reply(health.status === "failing" ? 503 : 200, "application/json", JSON.stringify(health));
        }
        reply(404, "text/plain", "not found\n");
      })().catch((err: Error) => reply(500, "text/plain", `${err.message}\n`));
    });
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, host, () => resolve());
    });
    return new RoleServer(server, host);
  }

  get url(): string {
    return `http://${this.host === "0.0.0.0" ? "127.0.0.1" : this.host}:${(this.server.address() as { port: number }).port}/`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** `[HOST:]PORT` of --http. */
export function parseHttp(value: string): { host?: string; port: number } {
  const match = /^(?:(.+):)?(\d+)$/.exec(value);
  if (match === null) throw new TypeError("--http [HOST:]PORT");
  return { port: Number(match[2]), ...(match[1] !== undefined && { host: match[1] }) };
}
