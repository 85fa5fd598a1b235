/**
 * PUSH/PULL against libzmq (docs/protocol.md §5.5), beyond the pairing table (pairings.test.ts): round-robin
 * over several PULLs and fair-queueing from several PUSHes.
 */
import { describe, expect, it } from "vitest";
import { OURS, THEIRS, bindFresh, open, receiveWithin, sendWithin, sideName, useCleanup } from "./helpers.js";

useCleanup();

describe("PUSH/PULL load balancing with several libzmq peers", () => {
  // With immediate=false (the default) a connecting socket's pipe exists from connect()
  // on (docs/protocol.md §5.9), so the dealing alternates from the very first send.
  it(`${sideName(OURS, "Push", "connect", "tcp")} -> two ${sideName(THEIRS, "Pull", "bind")}s: messages are dealt round-robin from the first send, m0,m2,m4 to one and m1,m3,m5 to the other`, async () => {
    const pull1 = open(THEIRS, "Pull");
    const pull2 = open(THEIRS, "Pull");
    const push = open(OURS, "Push");
    push.connect(await bindFresh(pull1, "tcp"));
    push.connect(await bindFresh(pull2, "tcp"));
    for (let i = 0; i < 6; i++) await sendWithin(push, `m${i}`);
    const got1: string[] = [];
    const got2: string[] = [];
    for (let i = 0; i < 3; i++) got1.push((await receiveWithin(pull1))[0]!.toString());
    for (let i = 0; i < 3; i++) got2.push((await receiveWithin(pull2))[0]!.toString());
    const shares = [got1.join(","), got2.join(",")].sort();
    expect(shares).toEqual(["m0,m2,m4", "m1,m3,m5"]);
  });

  it(`${sideName(OURS, "Pull", "bind", "tcp")} <- two libzmq PUSHes: every message of both arrives, each stream in its own order`, async () => {
    const pull = open(OURS, "Pull");
    const endpoint = await bindFresh(pull, "tcp");
    const pushes = [open(THEIRS, "Push"), open(THEIRS, "Push")];
    for (const push of pushes) push.connect(endpoint);
    const perPeer = 50;
    for (let i = 0; i < perPeer; i++) {
      for (let p = 0; p < pushes.length; p++) await sendWithin(pushes[p]!, [`p${p}`, String(i)]);
    }
    const next = [0, 0];
    for (let n = 0; n < perPeer * pushes.length; n++) {
      const [peer, seq] = await receiveWithin(pull);
      const p = Number(peer!.toString().slice(1));
      expect(Number(seq!.toString()), `sequence from PUSH ${p}`).toBe(next[p]);
      next[p]!++;
    }
    expect(next).toEqual([perPeer, perPeer]);
  });
});
