import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { curveKeyPair } from "zmtp";
import { curvePublicKey } from "zmtp/z85";

/**
 * A node's CURVE key pair from FILE: the secret key (Z85) on its first line, created (mode 0600)
 * when the file does not exist, so that a node keeps its identity across restarts.
 */
export function loadOrCreateCurveKey(file: string): { publicKey: string; secretKey: string } {
  if (existsSync(file)) {
    const secretKey = readFileSync(file, "utf8").split("\n", 1)[0]!.trim();
    try {
      return { publicKey: curvePublicKey(secretKey), secretKey };
    } catch {
      throw new Error(`${file} does not hold a Z85 CURVE secret key on its first line`);
    }
  }
  const pair = curveKeyPair();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${pair.secretKey}\n`, { mode: 0o600 });
  return pair;
}
