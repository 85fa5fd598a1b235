/**
 * Socket-type compatibility against libzmq (docs/protocol.md §4): a handshake between
 * types that may not talk fails, so nothing is delivered either way, and a bound socket
 * that refused a peer still serves a compatible one.
 */
import { describe, expect, it } from "vitest";
import {
  OURS,
  THEIRS,
  bindFresh,
  expectNothingWithin,
  open,
  receiveWithin,
  sendWithin,
  sideName,
  text,
  useCleanup,
  type Kind,
  type Implementation,
} from "./helpers.js";

useCleanup();

/** The sender always connects: only a connecting socket queues before a handshake. */
interface Mismatch {
  sender: Implementation;
  senderKind: Kind;
  receiver: Implementation;
  receiverKind: Kind;
}

const MISMATCHES: Mismatch[] = [
  { sender: OURS, senderKind: "Push", receiver: THEIRS, receiverKind: "Pair" },
  { sender: THEIRS, senderKind: "Push", receiver: OURS, receiverKind: "Pair" },
  { sender: OURS, senderKind: "Dealer", receiver: THEIRS, receiverKind: "Pull" },
  { sender: THEIRS, senderKind: "Dealer", receiver: OURS, receiverKind: "Pull" },
  { sender: OURS, senderKind: "Request", receiver: THEIRS, receiverKind: "Dealer" },
  { sender: THEIRS, senderKind: "Request", receiver: OURS, receiverKind: "Dealer" },
];

describe("incompatible socket types exchange nothing", () => {
  for (const m of MISMATCHES) {
    const senderName = sideName(m.sender, m.senderKind, "connect", "tcp");
    const receiverName = sideName(m.receiver, m.receiverKind, "bind");
    it(`${senderName} -> ${receiverName}: the handshake is refused and no message is delivered`, async () => {
      const sender = open(m.sender, m.senderKind);
      const receiver = open(m.receiver, m.receiverKind);
      sender.connect(await bindFresh(receiver, "tcp"));
      // Queued in the pipe made at connect time; it must never reach the receiver.
      await sendWithin(sender, "msg");
      await expectNothingWithin(receiver, 300, `a ${m.receiverKind} must refuse a ${m.senderKind} peer`);
    });
  }

  it(`${sideName(OURS, "Pair", "bind", "tcp")} refuses a libzmq PUSH and then pairs with a libzmq PAIR`, async () => {
    const pair = open(OURS, "Pair");
    const endpoint = await bindFresh(pair, "tcp");
    const push = open(THEIRS, "Push");
    push.connect(endpoint);
    await sendWithin(push, "wrong type");
    await expectNothingWithin(pair, 200, "a PAIR must refuse a PUSH peer");

    const peer = open(THEIRS, "Pair");
    peer.connect(endpoint);
    await sendWithin(peer, "right type");
    expect(text(await receiveWithin(pair))).toEqual(["right type"]);
    await sendWithin(pair, "answer");
    expect(text(await receiveWithin(peer))).toEqual(["answer"]);
  });
});
