import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { SEVERITIES, type Severity } from "../wire/schema.js";
import type { SilenceRecord, Store } from "../store/store.js";
import { UsageError, parseDuration, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { str, type Role } from "./role.js";
import { STORE_FLAGS, openStore } from "./store-flags.js";

export const silenceRole: Role = {
  usage: `zmtp-monitor silence --db FILE | --pg URL <command>
  silence add [--host NAME] [--check C] [--severity S,S] (--for 2h | --until TIME) [--from TIME] --reason TEXT
  silence list [--all]          active and upcoming (--all: ended too)
  silence end ID                end it now
  silence ack [--host NAME]     acknowledge every unacknowledged notification (of that host)`,
  summary:
    "Silences and maintenance windows (a silence that starts later): alerts they match are stored and shown\nbut not delivered. Times are ISO 8601 (2026-12-24T22:00:00Z); durations 30m, 2h, 1d. Audited, like acks.",
  flags: [
    ...STORE_FLAGS,
    { name: "host", kind: "string", arg: "NAME", help: "only this host (its host name, or agent id)" },
    { name: "check", kind: "string", arg: "NAME", help: "only this check" },
    { name: "severity", kind: "string", arg: "LIST", help: `only these (${SEVERITIES.join(", ")})` },
    { name: "from", kind: "string", arg: "TIME", help: "start (a maintenance window)", shown: "now" },
    { name: "for", kind: "string", arg: "DURATION", help: "how long (30m, 2h, 1d)" },
    { name: "until", kind: "string", arg: "TIME", help: "end" },
    { name: "reason", kind: "string", arg: "TEXT", help: "why (shown with the silence)" },
    { name: "all", kind: "boolean", help: "list: ended silences too" },
    { name: "by", kind: "string", arg: "NAME", help: "who", shown: "the user name" },
  ],
  run: runSilence,
};

function time(value: string, flag: string): number {
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new UsageError(`--${flag}: "${value}" is not an ISO 8601 time`);
  return t;
}

/** An agent id from a host name or id (the agents table). */
export async function agentOf(store: Store, host: string): Promise<string> {
  const agents = await store.agents();
  const found = agents.filter((a) => a.id === host || a.hostname === host);
  if (found.length === 0) throw new UsageError(`no host "${host}" in the store`);
  if (found.length > 1) throw new UsageError(`"${host}" names ${found.length} agents: give the agent id`);
  return found[0]!.id;
}

async function runSilence(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  const [command, ...args] = positionals;
  if (!["add", "list", "end", "ack"].includes(command ?? "")) throw new UsageError("add, list, end or ack?");
  const by = str(values, "by") ?? userInfo().username;
  const now = Date.now();
  const line = (v: unknown): void => io.out(`${JSON.stringify(v)}\n`);
  const store = await openStore(values, "required");
  try {
    const host = str(values, "host");
    const agent = host === undefined ? undefined : await agentOf(store, host);
    switch (command) {
      case "add": {
        const reason = str(values, "reason");
        if (reason === undefined) throw new UsageError("--reason TEXT is required");
        const starts = str(values, "from") === undefined ? now : time(str(values, "from")!, "from");
        const forFlag = str(values, "for");
        const untilFlag = str(values, "until");
        if ((forFlag === undefined) === (untilFlag === undefined))
          throw new UsageError("--for or --until (one of them)");
        const ends = forFlag !== undefined ? starts + parseDuration(forFlag, "for") : time(untilFlag!, "until");
        if (ends <= starts) throw new UsageError("the silence ends before it starts");
        const severity = str(values, "severity");
        const severities = severity?.split(",").map((s) => s.trim());
        for (const s of severities ?? [])
          if (!SEVERITIES.includes(s as Severity)) throw new UsageError(`"${s}" is not a severity`);
        const check = str(values, "check");
        const silence: SilenceRecord = {
          id: randomUUID(),
          ...(agent !== undefined && { agent }),
          ...(check !== undefined && { check }),
          ...(severities !== undefined && { severities: severities as Severity[] }),
          starts,
          ends,
          by,
          reason,
          created: now,
        };
        await store.putSilence(silence);
        line(silence);
        return 0;
      }
      case "list":
        for (const s of await store.silences(values.all === true ? {} : { activeAt: now, upcoming: true })) line(s);
        return 0;
      case "end": {
        if (args.length !== 1) throw new UsageError("end ID");
        const ended = await store.endSilence(args[0]!, by, now);
        line({ ended: ended ? args[0] : null });
        return ended ? 0 : 1;
      }
      default: {
        let acked = 0;
        for (const n of await store.notifications({ unacknowledged: true, ...(agent !== undefined && { agent }) }))
          if (await store.acknowledgeNotification(n.agent, n.id, by, now)) acked += 1;
        line({ acknowledged: acked, by });
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}
