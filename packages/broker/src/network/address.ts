import type { BrokerAddress } from "./protocol.js";

/** Brokers as options take them: "tcp://host:port", "tcp://host:port,PUBLICKEY", or objects. */
export type BrokerList = string | BrokerAddress | ReadonlyArray<string | BrokerAddress>;

/**
 * "ENDPOINT" or "ENDPOINT,PUBLICKEY" (a comma: it is in no endpoint and not in Z85's alphabet).
 * Throws a TypeError for anything else.
 */
export function parseBrokerAddress(text: string): BrokerAddress {
  const [endpoint, publicKey, extra] = text.split(",");
  if (extra !== undefined || endpoint === undefined || !/^(tcp|ipc|inproc|ws|wss):\/\/./.test(endpoint))
    throw new TypeError(`"${text}" is not a broker address (ENDPOINT or ENDPOINT,PUBLICKEY)`);
  if (publicKey === undefined) return { endpoint };
  if (publicKey.length !== 40) throw new TypeError(`"${publicKey}" is not a 40-character Z85 public key`);
  return { endpoint, publicKey };
}

export function brokerAddresses(list: BrokerList): BrokerAddress[] {
  const items = typeof list === "string" || !Array.isArray(list) ? [list as string | BrokerAddress] : list;
  const out = items.map((item) => (typeof item === "string" ? parseBrokerAddress(item) : item));
  if (out.length === 0) throw new TypeError("at least one broker is required");
  return out;
}
