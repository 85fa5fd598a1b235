/**
 * Every compatible pairing of socket types (docs/protocol.md §4.1) against libzmq, run from the same table as
 * `zmtp interop` (src/cli/interop/pairings.ts): each transport x which type we play x which side
 * binds, multipart messages whose frames cross the short/long length boundary and exceed 64 KiB,
 * and once per family an 8 MiB frame over tcp. Security mechanisms are security.test.ts's.
 */
import { describe, it } from "vitest";
import { pairingCases } from "../../src/cli/interop/matrix.js";
import { FRAME_SIZES, PAIRINGS } from "../../src/cli/interop/pairings.js";
import { MIB, OURS, THEIRS, caseContext, useCleanup } from "./helpers.js";

useCleanup();

/** One pairing of each family carries the 8 MiB frame (its cost is the same for all). */
const LARGE_FRAME_PAIRINGS = new Set(["PAIR-PAIR", "REQ-REP", "DEALER-ROUTER", "PUSH-PULL"]);
const LARGE = [1, 8 * MIB, 0];

for (const pairing of PAIRINGS) {
  describe(`${pairing.name} against libzmq`, () => {
    for (const c of pairingCases(pairing, OURS, THEIRS, { mechanisms: ["null"] })) {
      it(`${c.name}: multipart frames of ${FRAME_SIZES.join(",")} bytes arrive intact`, () => c.run(caseContext()));
    }
    if (!LARGE_FRAME_PAIRINGS.has(pairing.name)) return;
    for (const c of pairingCases(pairing, OURS, THEIRS, { transports: ["tcp"], mechanisms: ["null"], sizes: LARGE })) {
      it(`${c.name}: a message with an 8 MiB frame arrives intact`, () => c.run(caseContext()), 20_000);
    }
  });
}
