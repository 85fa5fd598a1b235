import { CURVE_KEY_FLAG, type Command } from "./command.js";
import { UsageError, str, type FlagValues } from "zmtp-app-kit/flags";
import type { CliIo } from "zmtp-app-kit/io";
import { loadOrCreateCurveKey } from "./keys.js";

export const keyCommand: Command = {
  usage: "zmtp-broker key --curve-secret-key FILE",
  summary:
    "Prints the CURVE public key of FILE's secret key, creating FILE (mode 0600) when it does not\nexist: the key to give a broker (ENDPOINT,KEY) or to put in an allow-list.",
  flags: [CURVE_KEY_FLAG],
  run: runKey,
};

async function runKey(values: FlagValues, positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const file = str(values, "curve-secret-key");
  if (file === undefined) throw new UsageError("--curve-secret-key FILE is required");
  io.out(`${loadOrCreateCurveKey(file).publicKey}\n`);
  return 0;
}
