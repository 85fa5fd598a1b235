import { execFile, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { until } from "../../../../test/helpers/time.js";

/** The commands as installed: the package's bins over its built dist/, and the repository's zmtp. */
export const BIN = fileURLToPath(new URL("../../bin/zmtp-broker.js", import.meta.url));
export const ZMTP = fileURLToPath(new URL("../../../../bin/zmtp.js", import.meta.url));

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], timeout = 15_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { timeout, killSignal: "SIGKILL" }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : null, stdout, stderr }),
    );
  });
}

/** A long-running command whose log lines (`ISO-time event {json}`) are parsed as they come. */
export class Daemon {
  readonly child: ChildProcess;
  readonly events: Array<{ event: string; details: Record<string, unknown> }> = [];
  stderr = "";

  constructor(file: string, args: string[]) {
    this.child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let partial = "";
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        const match = /^\S+ (\S+) (.*)$/.exec(line);
        if (match !== null)
          this.events.push({ event: match[1]!, details: JSON.parse(match[2]!) as Record<string, unknown> });
      }
    });
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => (this.stderr += chunk));
  }

  async waitFor(
    event: string,
    test: (d: Record<string, unknown>) => boolean = () => true,
  ): Promise<Record<string, unknown>> {
    await until(
      () => this.events.some((e) => e.event === event && test(e.details)),
      15_000,
      `"${event}" (stderr: ${this.stderr})`,
    );
    return this.events.find((e) => e.event === event && test(e.details))!.details;
  }

  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once("exit", (code) => resolve(code));
      this.child.kill("SIGTERM");
    });
  }
}
