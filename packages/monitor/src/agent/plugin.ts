import { spawn } from "node:child_process";
import { parsePluginOutput } from "./perfdata.js";
import type { CheckDeclaration, CheckStatus } from "../wire/schema.js";

/** What one run of a Nagios-compatible plugin gave. */
export interface PluginResult {
  status: CheckStatus;
  text: string;
  perfdata: string;
  /** ms from spawn to exit. */
  duration: number;
}

export const DEFAULT_CHECK_TIMEOUT = 10_000;
/** Output beyond this many bytes is ignored (Nagios itself keeps 8 KiB; we keep a little more). */
const MAX_OUTPUT = 64 * 1024;

export const STATUS_NAMES = ["OK", "WARNING", "CRITICAL", "UNKNOWN"] as const;

/**
 * Runs a plugin. Exit codes 0..3 are OK, WARNING, CRITICAL, UNKNOWN; any other exit, a signal,
 * a spawn failure or the timeout gives UNKNOWN (as Icinga does; Nagios can be told to use
 * CRITICAL for timeouts) with a text that says why. Never rejects.
 */
export function runPlugin(check: CheckDeclaration): Promise<PluginResult> {
  const timeout = check.timeout ?? DEFAULT_CHECK_TIMEOUT;
  const started = performance.now();
  return new Promise((resolve) => {
    const [file, args] =
      typeof check.command === "string"
        ? ["/bin/sh", ["-c", check.command]]
        : [check.command[0]!, check.command.slice(1)];
    let output = "";
    let settled = false;
    let timedOut = false;
    const finish = (status: CheckStatus, text: string, perfdata = ""): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, text, perfdata, duration: Math.round((performance.now() - started) * 10) / 10 });
    };
    // detached: the plugin gets its own process group, so a timeout kills its children too.
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      finish(3, `UNKNOWN: plugin timed out after ${timeout} ms`);
    }, timeout);
    const collect = (chunk: Buffer): void => {
      if (output.length < MAX_OUTPUT) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    // Plugins may print their status on stderr when stdout is empty; stdout wins.
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => {
      if (errors.length < MAX_OUTPUT) errors += chunk.toString("utf8");
    });
    child.on("error", (err) => finish(3, `UNKNOWN: cannot run ${file}: ${err.message}`));
    child.on("close", (code, signal) => {
      if (timedOut) return;
      const parsed = parsePluginOutput(output.trim().length > 0 ? output : errors);
      if (code !== null && code >= 0 && code <= 3) {
        finish(code as CheckStatus, parsed.text, parsed.perfdata);
      } else {
        const why = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
        finish(3, `UNKNOWN: plugin ${why}${parsed.text ? `: ${parsed.text}` : ""}`, parsed.perfdata);
      }
    });
  });
}
