import { fileURLToPath } from "node:url";

/** The commands as installed: the package's bins over its built dist/, and the repository's zmtp. */
export const BIN = fileURLToPath(new URL("../../bin/zmtp-broker.js", import.meta.url));
export const ZMTP = fileURLToPath(new URL("../../../../bin/zmtp.js", import.meta.url));

export { LogDaemon as Daemon, runNode as run, type Result } from "../../../../test/helpers/cli-process.js";
