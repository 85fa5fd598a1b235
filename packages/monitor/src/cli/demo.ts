import { UsageError, type FlagValues } from "./flags.js";
import { stopped, type CliIo } from "zmtp-app-kit/io";
import { ACTION_FLAGS, notificationActions, str, type Role } from "./role.js";

export const demoRole: Role = {
  usage: "zmtp-monitor demo [--data DIR] [--port N] [--duration S] [--curve]",
  summary:
    "The whole system on localhost, in one process: 2 routers, one sink per stream over an SQLite store, a\nscheduler, the status page (with /metrics) and 3 agents running the shipped plugins (load, disk, processes).\nPrints the page's URL and a live summary; stops on Ctrl-C.",
  flags: [
    {
      name: "data",
      kind: "string",
      arg: "DIR",
      help: "keep the database and agent state here",
      shown: "a temporary directory, removed at the end",
    },
    {
      name: "port",
      kind: "number",
      arg: "N",
      help: "status page port (0: any free port)",
      shown: "8470, or any free port if taken",
    },
    {
      name: "duration",
      kind: "number",
      arg: "S",
      help: "stop after S seconds and exit 1 unless every host was up with check results",
    },
    {
      name: "curve",
      kind: "boolean",
      help: "CURVE between agents and routers, with an allow-list of the agents' keys",
    },
    { name: "graphite", kind: "string", arg: "HOST:PORT", help: "also write stats to carbon" },
    ...ACTION_FLAGS,
  ],
  run: runDemo,
};

async function runDemo(values: FlagValues, _: string[], io: CliIo): Promise<number> {
  const duration = values.duration as number | undefined;
  if (duration !== undefined && !(duration > 0)) throw new UsageError("--duration expects seconds > 0");
  const port = values.port as number | undefined;
  const data = str(values, "data");
  const graphite = str(values, "graphite");
  const { runMonitorDemo } = await import("./demo-fleet.js");
  return runMonitorDemo({
    out: io.out,
    tty: io.tty ?? false,
    stopped: stopped(io),
    curve: values.curve === true,
    actions: notificationActions(values),
    ...(data !== undefined && { dataDir: data }),
    ...(port !== undefined && { port }),
    ...(duration !== undefined && { duration }),
    ...(graphite !== undefined && { graphite }),
  });
}
