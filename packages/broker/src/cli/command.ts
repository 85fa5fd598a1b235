import type { FlagSpec, FlagValues } from "zmtp-app-kit/flags";
import type { CliIo } from "zmtp-app-kit/io";

/** One `zmtp-broker <command>`: its help, its flags and what it runs (resolving to the exit code). */
export interface Command {
  usage: string;
  summary: string;
  flags: FlagSpec[];
  run(values: FlagValues, positionals: string[], io: CliIo): Promise<number>;
}

export const BROKER_FLAG: FlagSpec = {
  name: "broker",
  kind: "list",
  arg: "ENDPOINT[,KEY]",
  help: "a broker to start from, with its CURVE public key under CURVE (repeat for more)",
};

export const CURVE_KEY_FLAG: FlagSpec = {
  name: "curve-secret-key",
  kind: "string",
  arg: "FILE",
  help: "CURVE: this node's secret key (Z85; created if missing)",
};

export const MDP_FLAG: FlagSpec = {
  name: "mdp",
  kind: "boolean",
  help: "speak Majordomo (MDP/0.1, RFC 7) with a single broker instead",
};

/** The --heartbeat value, or the protocol's default. */
export function heartbeatOf(values: FlagValues): number {
  return (values.heartbeat as number | undefined) ?? (values.mdp === true ? 2500 : 1000);
}

export const TIMING_FLAGS: FlagSpec[] = [
  {
    name: "heartbeat",
    kind: "number",
    arg: "MS",
    help: "ms between heartbeats (default 1000; with --mdp 2500, RFC 7's)",
  },
  { name: "liveness", kind: "number", arg: "N", help: "silent intervals before a peer is dead", default: "3" },
];
