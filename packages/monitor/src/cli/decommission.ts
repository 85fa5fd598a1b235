import { userInfo } from "node:os";
import { UsageError, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { str, type Role } from "./role.js";
import { agentOf } from "./silence.js";
import { STORE_FLAGS, openStore } from "./store-flags.js";

export const decommissionRole: Role = {
  usage: "zmtp-monitor decommission --db FILE | --pg URL --host NAME [--by NAME]",
  summary:
    "A host gone for good: it leaves the page, stops paging as down and its checks stop going stale.\nIts history stays until pruned. If its agent reports again, it comes back as a new host. Audited.",
  flags: [
    ...STORE_FLAGS,
    { name: "host", kind: "string", arg: "NAME", help: "the host (its host name, or agent id)" },
    { name: "by", kind: "string", arg: "NAME", help: "who", shown: "the user name" },
  ],
  run: async (values: FlagValues, _: string[], io: CliIo): Promise<number> => {
    const host = str(values, "host");
    if (host === undefined) throw new UsageError("--host NAME is required");
    const store = await openStore(values, "required");
    try {
      const agent = await agentOf(store, host);
      const done = await store.decommission(agent, str(values, "by") ?? userInfo().username, Date.now());
      io.out(`${JSON.stringify({ decommissioned: done ? agent : null })}\n`);
      return done ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};
