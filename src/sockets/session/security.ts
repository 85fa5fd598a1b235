import { zmqError } from "../../errors.js";
import { keyPairFromSecret, type CurveKeyPair } from "../../zmtp/mechanisms/curve-box.js";
import { CurveClient, CurveServer } from "../../zmtp/mechanisms/curve.js";
import type { Mechanism } from "../../zmtp/mechanisms/mechanism.js";
import { NullMechanism } from "../../zmtp/mechanisms/null.js";
import { PlainClient, PlainServer } from "../../zmtp/mechanisms/plain.js";
import { decodeCurveKey, z85Encode } from "../../zmtp/z85.js";
import { defineOptions, type OptionValues } from "../options.js";

/**
 * Which security mechanism a socket's options select, and a fresh mechanism per connection.
 * As in libzmq, the options decide the role: curveServer / plainServer make a server,
 * curveServerKey / plainUsername a client (the greeting's as-server bit is never read).
 */
export type SecurityMechanism = "plain" | "curve" | null;

export function securityMechanism(o: OptionValues): SecurityMechanism {
  if (o.curveServer || o.curveServerKey !== null) return "curve";
  if (o.plainServer || o.plainUsername !== null || o.plainPassword !== null) return "plain";
  return null;
}

/** Throws EINVAL when the options select CURVE without the keys it needs (checked at bind / connect). */
export function checkSecurityOptions(o: OptionValues): void {
  if (securityMechanism(o) === "curve" && o.curveSecretKey === null) {
    throw zmqError(
      "EINVAL",
      o.curveServer
        ? "A CURVE server needs curveSecretKey (see curveKeyPair())"
        : "A CURVE client needs curveSecretKey (and curvePublicKey) besides curveServerKey (see curveKeyPair())",
    );
  }
}

/** Long-term key pairs by secret key: X25519 key import is slow, connections are many. */
const keyPairs = new Map<string, CurveKeyPair>();
const MAX_CACHED_KEYS = 64;

function longTermKeyPair(secretZ85: string, publicZ85: string | null): CurveKeyPair {
  const cacheKey = `${secretZ85}/${publicZ85 ?? ""}`;
  let pair = keyPairs.get(cacheKey);
  if (pair === undefined) {
    pair = keyPairFromSecret(decodeCurveKey(secretZ85, "curveSecretKey"));
    // libzmq announces the configured public key even if it does not match (the vouch then fails).
    if (publicZ85 !== null) pair = { ...pair, publicKey: decodeCurveKey(publicZ85, "curvePublicKey") };
    if (keyPairs.size >= MAX_CACHED_KEYS) keyPairs.delete(keyPairs.keys().next().value!);
    keyPairs.set(cacheKey, pair);
  }
  return pair;
}

/** A new mechanism for one connection. */
export function createMechanism(o: OptionValues): Mechanism {
  const domain = o.zapDomain ?? "";
  switch (securityMechanism(o)) {
    case "curve": {
      checkSecurityOptions(o);
      const keyPair = longTermKeyPair(o.curveSecretKey!, o.curvePublicKey);
      if (o.curveServer) return new CurveServer({ keyPair, domain });
      return new CurveClient({ keyPair, serverKey: decodeCurveKey(o.curveServerKey!, "curveServerKey") });
    }
    case "plain":
      if (o.plainServer) return new PlainServer(domain);
      return new PlainClient(Buffer.from(o.plainUsername ?? ""), Buffer.from(o.plainPassword ?? ""));
    default:
      return new NullMechanism(domain);
  }
}

const CURVE_KEY_OPTIONS = ["curvePublicKey", "curveSecretKey", "curveServerKey"] as const;
const PLAIN_OPTIONS = ["plainUsername", "plainPassword"] as const;

/**
 * Replaces the accessors of the key and credential options with validating ones: CURVE keys are
 * 40 Z85 characters or 32 raw bytes (stored as Z85, which is what reading them returns), PLAIN
 * credentials at most 255 bytes. A bad value throws EINVAL at set time, as libzmq's setsockopt.
 */
export function defineSecurityOptions(proto: object): void {
  defineOptions(proto, CURVE_KEY_OPTIONS, (name, value) =>
    value === null ? null : z85Encode(decodeCurveKey(value as string, name)),
  );
  defineOptions(proto, PLAIN_OPTIONS, (name, value) => {
    if (value !== null && Buffer.byteLength(value as string) > 255) throw zmqError("EINVAL", `${name} must be at most 255 bytes`);
    return value;
  });
}
