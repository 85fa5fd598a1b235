import { GRAPHITE_SETTING, parseGraphiteTarget } from "../outputs/graphite-feed.js";
import { UsageError, type FlagValues } from "./flags.js";
import { STORE_FLAGS, openStore } from "./store-flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { str, type Role } from "./role.js";

export const graphiteRole: Role = {
  usage: `zmtp-monitor graphite --db FILE | --pg URL <command>
  graphite show                       the deployment's carbon target
  graphite set HOST:PORT [--prefix P] every stats sink writes its share there (within 5 s)
  graphite off                        stop writing to Graphite`,
  summary:
    "The deployment's Graphite target, kept in the store: every stats sink, in whichever process, follows it\nand writes the stats it stores there, so that no layout of sinks leaves some out.",
  flags: [...STORE_FLAGS, { name: "prefix", kind: "string", arg: "P", help: "set: the path prefix", default: "zmtp" }],
  run: runGraphite,
};

async function runGraphite(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  const [command, ...args] = positionals;
  if (command === "set") {
    if (args.length !== 1) throw new UsageError("set HOST:PORT");
    try {
      parseGraphiteTarget(args[0]!);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  } else if (command !== "show" && command !== "off") {
    throw new UsageError(command === undefined ? "show, set or off?" : `unknown "${command}"`);
  }
  const store = await openStore(values, "required");
  try {
    if (command === "set")
      await store.putSetting(GRAPHITE_SETTING, parseGraphiteTarget(args[0]!, str(values, "prefix")));
    if (command === "off") await store.putSetting(GRAPHITE_SETTING, null);
    io.out(`${JSON.stringify({ graphite: (await store.setting(GRAPHITE_SETTING)) ?? null })}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
