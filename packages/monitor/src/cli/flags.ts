import { UsageError } from "zmtp-app-kit/flags";
import { assertValid, checkDeclaration, type CheckDeclaration } from "../wire/schema.js";

/** The roles' flags are the applications' (zmtp-app-kit/flags); --check is the monitor's own. */
export * from "zmtp-app-kit/flags";

/** `name:interval_ms:command` (the command runs with /bin/sh -c), or a check object from a config file. */
export function parseCheck(value: unknown): CheckDeclaration {
  if (typeof value !== "string") {
    try {
      return assertValid(checkDeclaration, value, "check");
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const match = /^([^:]+):(\d+):(.+)$/s.exec(value);
  if (match === null) throw new UsageError(`--check "${value}": expected NAME:INTERVAL_MS:COMMAND`);
  return { name: match[1]!, interval: Number(match[2]), command: match[3]! };
}
