import { curve } from "#curve";
import { plainMechanism } from "#plain";
import type { CurveKeyPair } from "../../zmtp/mechanisms/curve-box.js";
import type { CurveSupport } from "../../zmtp/mechanisms/curve-support.js";
import type { Mechanism } from "../../zmtp/mechanisms/mechanism.js";
import { NullMechanism } from "../../zmtp/mechanisms/null.js";
import type { OptionValues } from "../socket-options.js";

/** Long-term key pairs by key bytes: X25519 key import is slow, connections are many. */
const keyPairs = new Map<string, CurveKeyPair>();
const MAX_CACHED_KEYS = 64;

function longTermKeyPair(curve: CurveSupport, secretKey: Buffer, publicKey: Buffer): CurveKeyPair {
  const cacheKey = `${secretKey.toString("hex")}/${publicKey.toString("hex")}`;
  let pair = keyPairs.get(cacheKey);
  if (pair === undefined) {
    // libzmq announces the configured public key even if it does not match (the vouch then fails).
    pair = { ...curve.keyPairFromSecret(secretKey), publicKey };
    if (keyPairs.size >= MAX_CACHED_KEYS) keyPairs.delete(keyPairs.keys().next().value!);
    keyPairs.set(cacheKey, pair);
  }
  return pair;
}

/**
 * A new mechanism for one connection. As in libzmq the options alone decide mechanism and role
 * (the last of curveServer / curveServerKey / plainServer / plainUsername set wins); keys never
 * set are all zero, so a CURVE socket without keys binds and connects but fails its handshakes.
 */
export function createMechanism(o: OptionValues): Mechanism {
  const domain = o.zapDomain.toString("latin1");
  switch (o.mechanism) {
    case "CURVE": {
      // Options refuse CURVE in a build without it (socket-options.ts), so it is here.
      const keyPair = longTermKeyPair(curve!, o.curveSecretKey, o.curvePublicKey);
      if (o.asServer) return new curve!.CurveServer({ keyPair, domain, enforceDomain: o.zapEnforceDomain });
      return new curve!.CurveClient({ keyPair, serverKey: o.curveServerKey });
    }
    case "PLAIN":
      return plainMechanism(o, domain);
    case "NULL":
      return new NullMechanism(domain, o.zapEnforceDomain);
  }
}
