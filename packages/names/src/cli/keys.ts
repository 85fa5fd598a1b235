import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { curveKeyPair } from "zmtp";
import { curvePublicKey } from "zmtp/z85";
import type { ClientCurve } from "../security/curve.js";

/** The Z85 secret key in `file`, created (mode 0600) with a new key pair when missing. */
export function secretKeyFile(file: string): string {
  if (!existsSync(file)) writeFileSync(file, `${curveKeyPair().secretKey}\n`, { mode: 0o600 });
  const key = readFileSync(file, "utf8").trim();
  curvePublicKey(key); // throws on a malformed key
  return key;
}

/** A client's CURVE from --curve-secret-key and --server-key, or undefined when neither is given. */
export function clientCurve(secretFile: string | undefined, serverKey: string | undefined): ClientCurve | undefined {
  if (secretFile === undefined && serverKey === undefined) return undefined;
  if (secretFile === undefined || serverKey === undefined)
    throw new UsageError("CURVE needs both --curve-secret-key FILE and --server-key KEY");
  const secretKey = secretKeyFile(secretFile);
  return { serverKey, secretKey, publicKey: curvePublicKey(secretKey) };
}

/** A usage error: exit code 2 and the command's help. */
export class UsageError extends Error {}
