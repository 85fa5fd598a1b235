/** Guards the harness itself: the suite must really pit our library against libzmq. */
import { expect, it } from "vitest";
import { ours, selfTest, theirs } from "./impl.js";

it(selfTest ? "self-test: libzmq plays both sides" : "our side is this project's library, not the native binding", () => {
  expect(theirs.version).toMatch(/^4\.3\./);
  if (selfTest) expect(ours).toBe(theirs);
  else expect(ours.Dealer).not.toBe(theirs.Dealer);
});
