/**
 * The two implementations under test.
 *
 * `theirs` is always the native zeromq.js binding (libzmq 4.3.5). `ours` is this
 * project's src/index.ts, except with ZMTP_INTEROP_SELFTEST=1, where it is libzmq as
 * well: the suite then checks itself (libzmq on both sides must pass every case).
 */
export type Zmq = typeof import("zeromq");

export const selfTest = process.env.ZMTP_INTEROP_SELFTEST === "1";

export const theirs: Zmq = await import("zeromq");

// Our classes are zeromq.js-v6-shaped but declared by us, so the two module types are
// not identical; the cast is confined to this line.
export const ours: Zmq = selfTest ? theirs : ((await import("../../src/index.js")) as unknown as Zmq);
