import { execFile, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { onCleanup, until } from "./names.js";

/** The commands as installed: the package's bin over its built dist/, and the repository's zmtp. */
export const BIN = fileURLToPath(new URL("../../bin/zmtp-names.js", import.meta.url));
export const ZMTP = fileURLToPath(new URL("../../../../bin/zmtp.js", import.meta.url));

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], file = BIN, timeout = 15_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { timeout, killSignal: "SIGKILL" }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : null, stdout, stderr }),
    );
  });
}

/** A long-running `zmtp-names` whose log lines (`ISO-time event {json}`) are parsed as they come. */
export class Daemon {
  readonly child: ChildProcess;
  readonly events: Array<{ event: string; details: Record<string, unknown> }> = [];
  stdout = "";
  stderr = "";

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let partial = "";
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => {
      this.stdout += chunk;
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        const match = /^\S+ (\S+) (\{.*\})$/.exec(line);
        if (match !== null)
          this.events.push({ event: match[1]!, details: JSON.parse(match[2]!) as Record<string, unknown> });
      }
    });
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => (this.stderr += chunk));
    onCleanup(async () => void (await this.kill("SIGKILL")));
  }

  async waitFor(
    event: string,
    test: (d: Record<string, unknown>) => boolean = () => true,
  ): Promise<Record<string, unknown>> {
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
}

/** A replica process on loopback ports the system picks; resolves with it and its endpoint. */
export async function replicaProcess(extra: string[] = []): Promise<{ daemon: Daemon; endpoint: string }> {
  const daemon = new Daemon([
    "replica",
    "--bind",
    "tcp://127.0.0.1:*",
    "--publish",
    "tcp://127.0.0.1:*",
    "--hugz",
    "100",
    ...extra,
  ]);
  const listening = await daemon.waitFor("listening");
  return { daemon, endpoint: listening.endpoint as string };
}
