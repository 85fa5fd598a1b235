import { homedir } from "node:os";
import { join } from "node:path";
import { parseAction, type NotificationAction } from "../outputs/actions.js";
import { routerEndpoints, type RouterEndpoints } from "../wire/endpoints.js";
import { UsageError, parseDuration, stringList, type FlagSpec, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";

/** One `zmtp-monitor <role>`: its help, its flags and what it runs (resolving to the exit code). */
export interface Role {
  usage: string;
  summary: string;
  flags: FlagSpec[];
  run(values: FlagValues, positionals: string[], io: CliIo): Promise<number>;
}

export const ROUTER_FLAG: FlagSpec = {
  name: "router",
  kind: "list",
  arg: "BASE",
  help: "a router's base address (tcp://host:port or ipc://path; repeat for each router)",
};

/** Notification actions given on a command line are written to the store: they hold for the whole deployment. */
export const ACTION_FLAGS: FlagSpec[] = [
  {
    name: "webhook",
    kind: "list",
    arg: "[SEVERITIES=]URL",
    help: "add an action to the store: POST each new notification as JSON (e.g. critical,warning=http://...)",
  },
  {
    name: "hook",
    kind: "list",
    arg: "[SEVERITIES=]COMMAND",
    help: "add an action to the store: run a command with each new notification as JSON on stdin",
  },
  {
    name: "email",
    kind: "list",
    arg: "[SEVERITIES=]ADDR[,ADDR]",
    help: "add an action to the store: e-mail each new notification (needs --smtp)",
  },
  { name: "smtp", kind: "string", arg: "URL", help: "the SMTP server for --email (smtp://[user:pass@]host:port)" },
  { name: "mail-from", kind: "string", arg: "ADDR", help: "the sender of --email", shown: "zmtp-monitor@<host name>" },
  {
    name: "after",
    kind: "string",
    arg: "DURATION",
    help: "escalation: send only if nobody acknowledged the alert within DURATION (30m)",
  },
  { name: "repeat", kind: "string", arg: "DURATION", help: "re-notify every DURATION until acknowledged" },
];

export const str = (v: FlagValues, name: string): string | undefined => v[name] as string | undefined;
export const num = (v: FlagValues, name: string): number => v[name] as number;

/** The routers given with --router (at least one), as their endpoint sets. */
export function routerBases(values: FlagValues): RouterEndpoints[] {
  const bases = stringList(values, "router");
  if (bases.length === 0) throw new UsageError("at least one --router is required");
  return bases.map((base) => {
    try {
      return routerEndpoints(base);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  });
}

export function stateDirOf(values: FlagValues): string {
  const dir = str(values, "state-dir") ?? "~/.zmtp-monitor";
  return dir.startsWith("~/") ? join(homedir(), dir.slice(2)) : dir;
}

/** The --webhook, --hook and --email actions. */
export function notificationActions(values: FlagValues): NotificationAction[] {
  const smtp = str(values, "smtp");
  const from = str(values, "mail-from");
  const after = str(values, "after");
  const repeat = str(values, "repeat");
  const mail = {
    ...(smtp !== undefined && { smtp }),
    ...(from !== undefined && { from }),
    ...(after !== undefined && { after: parseDuration(after, "after") }),
    ...(repeat !== undefined && { repeat: parseDuration(repeat, "repeat") }),
  };
  try {
    return [
      ...stringList(values, "webhook").map((v) => parseAction("webhook", v, mail)),
      ...stringList(values, "hook").map((v) => parseAction("command", v, mail)),
      ...stringList(values, "email").map((v) => parseAction("email", v, mail)),
    ];
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
