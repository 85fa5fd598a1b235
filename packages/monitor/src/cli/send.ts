import { join } from "node:path";
import { MonitorClient } from "../agent/client.js";
import { SEVERITIES, type Severity, type StatKind } from "../wire/schema.js";
import { UsageError, parseCheck, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { num, stateDirOf, str, type Role } from "./role.js";

export const sendRole: Role = {
  usage: `zmtp-monitor send [--endpoint E | --state-dir DIR] <what> ...
  send stat NAME VALUE [--kind counter|gauge|timer] [--unit U] [--process P]
  send notify SEVERITY TEXT... [--process P] [--check-name C] [--no-ack]      SEVERITY: ${SEVERITIES.join(", ")}
  send heartbeat PROCESS [--interval MS]
  send register PROCESS [--version V] [--pid N] [--check NAME:INTERVAL_MS:COMMAND ...]`,
  summary: "Hands one message to the local agent and exits when the agent has taken it.",
  flags: [
    {
      name: "endpoint",
      kind: "string",
      arg: "ENDPOINT",
      help: "the agent's local endpoint",
      shown: "ipc://<state-dir>/agent.ipc",
    },
    { name: "state-dir", kind: "string", arg: "DIR", help: "the agent's state directory", default: "~/.zmtp-monitor" },
    { name: "timeout", kind: "number", arg: "MS", help: "how long to wait for the agent", default: "5000" },
    { name: "kind", kind: "string", arg: "KIND", help: "stat: counter, gauge or timer" },
    { name: "unit", kind: "string", arg: "UNIT", help: "stat: unit" },
    { name: "process", kind: "string", arg: "NAME", help: "stat, notify: the reporting process" },
    { name: "check-name", kind: "string", arg: "NAME", help: "notify: the check it is about" },
    { name: "no-ack", kind: "boolean", help: "notify: fire and forget instead of acknowledged" },
    { name: "interval", kind: "number", arg: "MS", help: "heartbeat: until the next one", default: "5000" },
    { name: "version", kind: "string", arg: "V", help: "register: the process version" },
    { name: "pid", kind: "number", arg: "N", help: "register: the process id" },
    { name: "check", kind: "list", arg: "NAME:INTERVAL_MS:COMMAND", help: "register: a check the process declares" },
  ],
  run: runSend,
};

async function runSend(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  const [what, ...args] = positionals;
  const endpoint = str(values, "endpoint") ?? `ipc://${join(stateDirOf(values), "agent.ipc")}`;
  const proc = str(values, "process");
  let send: (client: MonitorClient) => Promise<void>;
  switch (what) {
    case "stat": {
      const [name, raw] = args;
      const value = Number(raw);
      if (name === undefined || raw === undefined || args.length !== 2 || !Number.isFinite(value))
        throw new UsageError("send stat NAME VALUE");
      const kind = str(values, "kind");
      if (kind !== undefined && !["counter", "gauge", "timer"].includes(kind))
        throw new UsageError("--kind: counter, gauge or timer");
      const unit = str(values, "unit");
      send = (c) =>
        c.stat(name, value, {
          ...(kind !== undefined && { kind: kind as StatKind }),
          ...(unit !== undefined && { unit }),
          ...(proc !== undefined && { process: proc }),
        });
      break;
    }
    case "notify": {
      const [severity, ...words] = args;
      if (!SEVERITIES.includes(severity as Severity) || words.length === 0)
        throw new UsageError(`send notify SEVERITY TEXT (SEVERITY: ${SEVERITIES.join(", ")})`);
      const check = str(values, "check-name");
      send = (c) =>
        c.notify(severity as Severity, words.join(" "), {
          ack: values["no-ack"] !== true,
          ...(proc !== undefined && { process: proc }),
          ...(check !== undefined && { check }),
        });
      break;
    }
    case "heartbeat": {
      if (args.length !== 1) throw new UsageError("send heartbeat PROCESS");
      send = (c) => c.heartbeat(args[0]!, num(values, "interval"));
      break;
    }
    case "register": {
      if (args.length !== 1) throw new UsageError("send register PROCESS");
      const version = str(values, "version");
      const pid = values.pid as number | undefined;
      const checks = ((values.check as unknown[] | undefined) ?? []).map(parseCheck);
      send = (c) =>
        c.register({
          process: args[0]!,
          checks,
          ...(version !== undefined && { version }),
          ...(pid !== undefined && { pid }),
        });
      break;
    }
    default:
      throw new UsageError(
        what === undefined ? "what to send? stat, notify, heartbeat or register" : `cannot send "${what}"`,
      );
  }
  const client = new MonitorClient(endpoint, { timeout: num(values, "timeout") });
  try {
    await send(client);
  } finally {
    client.close();
  }
  io.out("ok\n");
  return 0;
}
