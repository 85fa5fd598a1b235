import { userInfo } from "node:os";
import { DEDUP_SETTING, dedupWindow } from "../store/store.js";
import { groupNotifications } from "../web/groups.js";
import { UsageError, parseDuration, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { hostNames } from "./problems.js";
import { num, str, type Role } from "./role.js";
import { agentOf } from "./silence.js";
import { STORE_FLAGS, openStore } from "./store-flags.js";

export const notificationsRole: Role = {
  usage: `zmtp-monitor notifications --db FILE | --pg URL <command>
  notifications list [--host NAME] [--unacknowledged] [--limit N]   one JSON line per group, newest first
  notifications ack GROUP...                                         acknowledge every notification of these groups
  notifications dedup [WINDOW | off]                                 show or set the dedup window (15m)`,
  summary:
    "Repeated notifications: the same alert (host, check or source, severity) raised again while the one that paged\nis unacknowledged, within the dedup window, is stored in its group and not delivered again. Deployment-wide.",
  flags: [
    ...STORE_FLAGS,
    { name: "host", kind: "string", arg: "NAME", help: "list: only this host's" },
    { name: "unacknowledged", kind: "boolean", help: "list: only groups with unacknowledged notifications" },
    { name: "limit", kind: "number", arg: "N", help: "list: at most N groups", shown: "100" },
    { name: "by", kind: "string", arg: "NAME", help: "ack: who", shown: "the user name" },
  ],
  run: async (values: FlagValues, positionals: string[], io: CliIo): Promise<number> => {
    const [command, ...args] = positionals;
    if (!["list", "ack", "dedup"].includes(command ?? "")) throw new UsageError("list, ack or dedup?");
    const line = (v: unknown): void => io.out(`${JSON.stringify(v)}\n`);
    const store = await openStore(values, "required");
    try {
      if (command === "list") {
        const host = str(values, "host");
        const agent = host === undefined ? undefined : await agentOf(store, host);
        const limit = (values.limit as number | undefined) === undefined ? 100 : num(values, "limit");
        const unacknowledged = values.unacknowledged === true;
        const list = await store.notifications({
          ...(agent !== undefined && { agent }),
          ...(unacknowledged ? { unacknowledged } : { limit: limit * 20 }),
        });
        for (const g of groupNotifications(list, await hostNames(store)).slice(0, limit)) line(g);
        return 0;
      }
      if (command === "ack") {
        if (args.length === 0) throw new UsageError("ack GROUP... (the group keys that list shows)");
        const by = str(values, "by") ?? userInfo().username;
        let acknowledged = 0;
        for (const group of args)
          for (const n of await store.notifications({ unacknowledged: true, group }))
            if (await store.acknowledgeNotification(n.agent, n.id, by, Date.now())) acknowledged += 1;
        line({ acknowledged, by });
        return 0;
      }
      if (args.length > 1) throw new UsageError("dedup [WINDOW | off]");
      if (args.length === 1)
        await store.putSetting(DEDUP_SETTING, args[0] === "off" ? 0 : parseDuration(args[0]!, "dedup"));
      const window = dedupWindow(await store.setting(DEDUP_SETTING));
      line({ dedupWindow: window, ...(window === 0 && { off: true }) });
      return 0;
    } finally {
      await store.close();
    }
  },
};
