import type { Mechanism } from "../../zmtp/mechanisms/mechanism.js";
import { PlainClient, PlainServer } from "../../zmtp/mechanisms/plain.js";
import type { OptionValues } from "../socket-options.js";

/**
 * PLAIN for one connection (RFC 24), in the role the options give. Behind the `#plain` seam:
 * ../../platform/lite/plain.ts stands in for it in `zmtp/browser-lite`.
 */
export function plainMechanism(o: OptionValues, domain: string): Mechanism {
  return o.asServer ? new PlainServer(domain) : new PlainClient(o.plainUsername, o.plainPassword);
}
