import { parseBrokerAddress } from "../network/address.js";
import type { BrokerAddress } from "../network/protocol.js";
import { UsageError, stringList, type FlagValues } from "zmtp-app-kit/flags";

/** The --broker addresses (at least one; each with its public key under CURVE). */
export function seedsOf(values: FlagValues): BrokerAddress[] {
  const given = stringList(values, "broker");
  if (given.length === 0) throw new UsageError("at least one --broker is required");
  let seeds: BrokerAddress[];
  try {
    seeds = given.map(parseBrokerAddress);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values["curve-secret-key"] !== undefined && seeds.some((s) => s.publicKey === undefined))
    throw new UsageError("with CURVE, each --broker needs its public key: --broker ENDPOINT,KEY");
  return seeds;
}
