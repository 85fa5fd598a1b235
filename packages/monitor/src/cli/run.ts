import { BackChannel } from "../wire/back-channel.js";
import { createMessage, isUuid } from "../wire/protocol.js";
import { UsageError, type FlagValues } from "./flags.js";
import type { CliIo } from "zmtp-app-kit/io";
import { ROUTER_FLAG, num, routerBases, str, type Role } from "./role.js";

export const runRole: Role = {
  usage: "zmtp-monitor run --router BASE [--router BASE ...] --agent UUID --check NAME",
  summary:
    "Asks an agent to run a check now (through the first router that knows it). The result goes to the\nstats sinks like any other; this command reports whether the request was delivered.",
  flags: [
    ROUTER_FLAG,
    { name: "agent", kind: "string", arg: "UUID", help: "the agent's id" },
    { name: "check", kind: "string", arg: "NAME", help: "the check's name" },
    { name: "timeout", kind: "number", arg: "MS", help: "how long to try", default: "3000" },
  ],
  run: runRun,
};

async function runRun(values: FlagValues, _: string[], io: CliIo): Promise<number> {
  const routers = routerBases(values);
  const agent = str(values, "agent");
  const check = str(values, "check");
  if (!isUuid(agent)) throw new UsageError("--agent UUID is required");
  if (check === undefined) throw new UsageError("--check NAME is required");
  const timeout = num(values, "timeout");
  const channel = new BackChannel(
    routers.map((r) => r.back),
    { deliveryTimeout: timeout, attemptTimeout: Math.min(1000, timeout) },
  );
  try {
    const outcome = await channel.deliver(agent, createMessage("run", { check, trigger: "demand" }));
    io.out(`${outcome}\n`);
    return outcome === "delivered" ? 0 : 1;
  } finally {
    channel.close();
  }
}
