/**
 * `zmtp-monitor` roles as real processes, for fault tests: the command (src/cli/bin.ts) is
 * bundled once from the current sources (helpers/child-process.ts), and each role runs in a
 * child Node process whose output the test reads, and which it can kill.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AlertPayload } from "../../src/outputs/actions.js";
import { bundleWorker, removeBundle } from "./child-process.js";

export interface RoleProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (waiting for it). */
  waitFor(pattern: RegExp, timeout?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null: killed by a signal). */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export class MonitorProcesses {
  private readonly running = new Set<RoleProcess>();

  private constructor(private readonly bundle: string) {}

  static async create(): Promise<MonitorProcesses> {
    return new MonitorProcesses(await bundleWorker("src/cli/bin.ts"));
  }

  start(name: string, args: string[]): RoleProcess {
    const child = spawn(process.execPath, [this.bundle, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const watchers = new Set<() => void>();
    const append = (chunk: string): void => {
      out += chunk;
      for (const w of watchers) w();
    };
    child.stdout!.setEncoding("utf8").on("data", append);
    child.stderr!.setEncoding("utf8").on("data", append);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const proc: RoleProcess = {
      name,
      child,
      exited,
      output: () => out,
      waitFor: (pattern, timeout = 15_000) =>
        new Promise((resolve, reject) => {
          const check = (): void => {
            const match = pattern.exec(out);
            if (match === null) return;
            watchers.delete(check);
            clearTimeout(timer);
            resolve(match);
          };
          const timer = setTimeout(() => {
            watchers.delete(check);
            reject(new Error(`${name}: no ${pattern} within ${timeout} ms; output:\n${out}`));
          }, timeout);
          watchers.add(check);
          check();
        }),
      kill: async (signal = "SIGTERM") => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
      },
    };
    this.running.add(proc);
    void exited.then(() => this.running.delete(proc));
    return proc;
  }

  async close(): Promise<void> {
    await Promise.all([...this.running].map((p) => p.kill("SIGKILL")));
    removeBundle(this.bundle);
  }
}

/** An HTTP pager: records the alerts POSTed to it; answers 503 while `down` is set. */
export interface Pager {
  url: string;
  pages: Array<AlertPayload & { at: number }>;
  refused: number;
  down: boolean;
  close(): Promise<void>;
}

export async function startPager(): Promise<Pager> {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      if (pager.down) {
        pager.refused += 1;
        return void res.writeHead(503).end();
      }
      pager.pages.push({ ...(JSON.parse(body) as AlertPayload), at: Date.now() });
      res.writeHead(204).end();
    });
  });
  const pager: Pager = {
    url: "",
    pages: [],
    refused: 0,
    down: false,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  pager.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/page`;
  return pager;
}
