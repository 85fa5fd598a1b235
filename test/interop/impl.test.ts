/** Guards the harness itself: the suite must really pit our library against libzmq. */
import { expect, it } from "vitest";
import { OURS, THEIRS, api, selfTest } from "./impl.js";

it(
  selfTest ? "self-test: libzmq plays both sides" : "our side is this project's library, not the native binding",
  () => {
    expect(api(THEIRS).version).toMatch(/^4\.3\./);
    if (selfTest) expect(OURS.module).toBe(THEIRS.module);
    else expect(api(OURS).Dealer).not.toBe(api(THEIRS).Dealer);
  },
);
