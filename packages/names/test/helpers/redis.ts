import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "../../../../test/helpers/time.js";

/** Debian's redis-server, if installed (`.ci/run` installs it; without it Redis tests skip). */
export const REDIS_SERVER = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find(
  (f) => spawnSync(f, ["--version"]).status === 0,
);

export const REDIS_SKIP =
  REDIS_SERVER === undefined ? "redis-server is not installed (apt-get install redis-server)" : "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server on a free loopback port in a temporary directory, without persistence. */
export class RedisServer {
  private constructor(
    readonly url: string,
    readonly process: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), "zns-redis-"));
    const port = await freePort();
    const child = spawn(
      REDIS_SERVER!,
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = performance.now() + 10_000;
    while (!output.includes("Ready to accept connections")) {
      if (child.exitCode !== null || performance.now() > deadline)
        throw new Error(`redis-server did not start: ${output}`);
      await sleep(20);
    }
    return new RedisServer(`redis://127.0.0.1:${port}`, child, dir);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null) {
      const exited = new Promise((r) => this.process.once("exit", r));
      this.process.kill("SIGKILL");
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
