/**
 * The two implementations under test, as the interop harness (src/cli/interop) describes them.
 *
 * THEIRS is always the native zeromq.js binding (libzmq 4.3.5). OURS is this project's library,
 * except with ZMTP_INTEROP_SELFTEST=1, where it is libzmq as well: the suite then checks itself
 * (libzmq on both sides must pass every case).
 */
import { OURS as ZMTP, type Implementation, type ZmqModule } from "../../src/cli/interop/api.js";

export type Zmq = typeof import("zeromq");

export const selfTest = process.env.ZMTP_INTEROP_SELFTEST === "1";

const zeromq = (await import("zeromq")) as unknown as ZmqModule;

export const THEIRS: Implementation = { name: "zeromq", module: zeromq };
export const OURS: Implementation = selfTest ? { name: "zeromq (self-test)", module: zeromq } : ZMTP;

/**
 * An implementation's module with zeromq.js's types, for what the harness does not wrap (a Proxy,
 * a Context, key pairs). Ours is zeromq.js-v6-shaped but declared by us, so the two module types
 * are not identical; the cast is confined to this line.
 */
export function api(side: Implementation): Zmq {
  return side.module as unknown as Zmq;
}
