/**
 * Commands run as real processes in tests: a one-shot run, and a long-running command whose log
 * lines (`ISO-time event {json}`, as the applications' commands print them) are parsed as they
 * come. Shared by the workspace packages' command-line tests.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { until } from "./time.js";

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node file ...args` to its end (SIGKILL at `timeout` ms). */
export function runNode(file: string, args: readonly string[], timeout = 15_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { timeout, killSignal: "SIGKILL" }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : null, stdout, stderr }),
    );
  });
}

export interface LogEvent {
  event: string;
  details: Record<string, unknown>;
}

/** `node file ...args`, running, with its stdout, stderr and the log events it printed so far. */
export class LogDaemon {
  readonly child: ChildProcess;
  readonly events: LogEvent[] = [];
  stdout = "";
  stderr = "";

  constructor(file: string, args: readonly string[]) {
    this.child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let partial = "";
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => {
      this.stdout += chunk;
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        const match = /^\S+ (\S+) (\{.*\})$/.exec(line);
        if (match !== null)
          this.events.push({ event: match[1]!, details: JSON.parse(match[2]!) as LogEvent["details"] });
      }
    });
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => (this.stderr += chunk));
  }

  /** The details of the first `event` that passes `test`, once it is logged. */
  async waitFor(event: string, test: (d: LogEvent["details"]) => boolean = () => true): Promise<LogEvent["details"]> {
    const find = () => this.events.find((e) => e.event === event && test(e.details));
    await until(() => find() !== undefined, 15_000, `"${event}" (stderr: ${this.stderr})`);
    return find()!.details;
  }

  /** Sends `signal` and resolves with the exit code once the process is gone. */
  kill(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve(this.child.exitCode);
      this.child.once("exit", (code) => resolve(code));
      this.child.kill(signal);
    });
  }

  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null> {
    return this.kill("SIGTERM");
  }
}
