import { fileURLToPath } from "node:url";
import { LogDaemon, runNode, type Result } from "../../../../test/helpers/cli-process.js";
import { onCleanup } from "./names.js";

/** The commands as installed: the package's bin over its built dist/, and the repository's zmtp. */
export const BIN = fileURLToPath(new URL("../../bin/zmtp-names.js", import.meta.url));
export const ZMTP = fileURLToPath(new URL("../../../../bin/zmtp.js", import.meta.url));

export type { Result };

export function run(args: string[], file = BIN, timeout = 15_000): Promise<Result> {
  return runNode(file, args, timeout);
}

/** A long-running `zmtp-names`, killed when the test ends. */
export class Daemon extends LogDaemon {
  constructor(args: string[]) {
    super(BIN, args);
    onCleanup(async () => void (await this.kill("SIGKILL")));
  }
}

/** A replica process on loopback ports the system picks; resolves with it and its endpoint. */
export async function replicaProcess(extra: string[] = []): Promise<{ daemon: Daemon; endpoint: string }> {
  const daemon = new Daemon([
    "replica",
    "--bind",
    "tcp://127.0.0.1:*",
    "--publish",
    "tcp://127.0.0.1:*",
    "--hugz",
    "100",
    ...extra,
  ]);
  const listening = await daemon.waitFor("listening");
  return { daemon, endpoint: listening.endpoint as string };
}
