import type { Store } from "../store/store.js";
import { hostView } from "../web/host-view.js";
import { problemFilter, problems } from "../web/problems.js";
import { UsageError, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { str, type Role } from "./role.js";
import { agentOf } from "./silence.js";
import { STORE_FLAGS, openStore } from "./store-flags.js";

/** Agent id → host name, as the store knows them, for a command that runs once. */
export async function hostNames(store: Store): Promise<(agent: string) => string> {
  const names = new Map((await store.agents()).map((a) => [a.id, a.hostname ?? a.id]));
  return (agent) => names.get(agent) ?? agent;
}

export const problemsRole: Role = {
  usage:
    "zmtp-monitor problems --db FILE | --pg URL [--host NAME] [--check C] [--severity S,S] [--acknowledged yes|no]",
  summary:
    "What is wrong now, worst first, one JSON line each: hosts, processes and the monitor's roles that are down,\nchecks that are not OK, and agents' alerts nobody acknowledged. The status page's Problems, and GET /api/problems.",
  flags: [
    ...STORE_FLAGS,
    { name: "host", kind: "string", arg: "NAME", help: "only this host (its host name, or agent id)" },
    { name: "check", kind: "string", arg: "NAME", help: "only this check" },
    { name: "severity", kind: "string", arg: "LIST", help: "only these (critical, unknown, warning)" },
    { name: "acknowledged", kind: "string", arg: "yes|no", help: "only those acknowledged (yes) or not (no)" },
  ],
  run: async (values: FlagValues, _: string[], io: CliIo): Promise<number> => {
    const params = new URLSearchParams();
    for (const name of ["host", "check", "severity", "acknowledged"]) {
      const value = str(values, name);
      if (value !== undefined) params.set(name, value);
    }
    const filter = problemFilter(params);
    if (typeof filter === "string") throw new UsageError(`--${filter}`);
    const store = await openStore(values, "required");
    try {
      for (const p of await problems(store, await hostNames(store), filter)) io.out(`${JSON.stringify(p)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

export const hostRole: Role = {
  usage: "zmtp-monitor host --db FILE | --pg URL NAME",
  summary:
    "One host: what runs there (each process's registration: pid, version, checks), its state and checks, and its\nhistory (up and down, notifications grouped, recent check results), as JSON. The status page's host view.",
  flags: [...STORE_FLAGS],
  run: async (values: FlagValues, positionals: string[], io: CliIo): Promise<number> => {
    if (positionals.length !== 1) throw new UsageError("host NAME (its host name, or agent id)");
    const store = await openStore(values, "required");
    try {
      const view = await hostView(store, await agentOf(store, positionals[0]!), await hostNames(store));
      io.out(`${JSON.stringify(view, null, 2)}\n`);
      return view === null ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
