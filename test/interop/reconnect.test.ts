/**
 * Reconnect against libzmq (docs/protocol.md §11, §5.9): our connecting socket survives a libzmq
 * peer that closes and is bound again on the same endpoint, keeps the messages queued
 * while the peer was away, and our bound ROUTER accepts a restarted peer reusing its id.
 */
import { describe, expect, it } from "vitest";
import { freePort } from "../helpers/sockets.js";
import {
  OURS,
  THEIRS,
  TRANSPORTS,
  bindAgain,
  bindFresh,
  closeNow,
  expectNothingWithin,
  ipcPath,
  open,
  receiveWithin,
  sendWithin,
  nextEvent,
  sideName,
  text,
  useCleanup,
} from "./helpers.js";

useCleanup();

const RECONNECT_MS = 50;
/** How long the bound ROUTER keeps reading while the closed DEALER's id is released. */
const NOTICE_CLOSE_MS = 300;

describe("reconnect after the libzmq peer restarts", () => {
  for (const t of TRANSPORTS) {
    it(`${sideName(OURS, "Push", "connect", t)} -> ${sideName(THEIRS, "Pull", "bind")} closed and bound again: messages sent while it was down and after it returned all arrive once, in order`, async () => {
      const first = open(THEIRS, "Pull");
      const endpoint = await bindFresh(first, t);
      const push = open(OURS, "Push", { reconnectInterval: RECONNECT_MS });
      push.connect(endpoint);
      await sendWithin(push, "before");
      expect(text(await receiveWithin(first))).toEqual(["before"]);

      // Send only once our side has seen the close, so the messages queue instead of vanishing
      // into a dying connection (docs/protocol.md §5.9: messages already handed to the engine are lost).
      const gone = nextEvent(push, "disconnect");
      closeNow(first);
      await gone;
      for (let i = 0; i < 3; i++) await sendWithin(push, `down-${i}`);

      const second = open(THEIRS, "Pull");
      await bindAgain(second, endpoint);
      for (let i = 0; i < 3; i++) expect(text(await receiveWithin(second))).toEqual([`down-${i}`]);
      await sendWithin(push, "after");
      expect(text(await receiveWithin(second))).toEqual(["after"]);
    });

    it(`${sideName(OURS, "Dealer", "connect", t)} -> ${sideName(THEIRS, "Router", "bind")} closed and bound again: queued requests arrive and the new ROUTER's replies reach us`, async () => {
      const first = open(THEIRS, "Router");
      const endpoint = await bindFresh(first, t);
      const dealer = open(OURS, "Dealer", { reconnectInterval: RECONNECT_MS });
      dealer.connect(endpoint);
      await sendWithin(dealer, "ping-0");
      const [id0, body0] = await receiveWithin(first);
      expect(body0!.toString()).toBe("ping-0");
      await sendWithin(first, [id0!, "pong-0"]);
      expect(text(await receiveWithin(dealer))).toEqual(["pong-0"]);

      const gone = nextEvent(dealer, "disconnect");
      closeNow(first);
      await gone;
      await sendWithin(dealer, ["queued", "1"]);
      await sendWithin(dealer, ["queued", "2"]);

      const second = open(THEIRS, "Router");
      await bindAgain(second, endpoint);
      const q1 = await receiveWithin(second);
      expect(text(q1.slice(1))).toEqual(["queued", "1"]);
      const q2 = await receiveWithin(second);
      expect(text(q2.slice(1))).toEqual(["queued", "2"]);
      await sendWithin(second, [q1[0]!, "pong-after"]);
      expect(text(await receiveWithin(dealer))).toEqual(["pong-after"]);
      await sendWithin(dealer, "ping-after");
      expect(text((await receiveWithin(second)).slice(1))).toEqual(["ping-after"]);
    });
  }

  it(`${sideName(OURS, "Push", "connect", "tcp")} connected before any libzmq PULL is bound: the queued messages arrive once the PULL binds`, async () => {
    // A port nobody listens on (a libzmq socket closed to free one may still accept for a moment,
    // and messages handed to that connection would be lost with it).
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    const push = open(OURS, "Push", { reconnectInterval: RECONNECT_MS });
    const failed = nextEvent(push, "connect:retry");
    push.connect(endpoint);
    for (let i = 0; i < 3; i++) await sendWithin(push, `early-${i}`);
    await failed; // a dial has failed: nobody was listening yet

    const pull = open(THEIRS, "Pull");
    await bindAgain(pull, endpoint);
    for (let i = 0; i < 3; i++) expect(text(await receiveWithin(pull))).toEqual([`early-${i}`]);
  });

  it(`${sideName(OURS, "Dealer", "connect", "ipc")} connected before the libzmq ROUTER's ipc path exists: the queued message arrives once it binds`, async () => {
    const router = open(THEIRS, "Router");
    const endpoint = `ipc://${ipcPath()}`;
    const dealer = open(OURS, "Dealer", { reconnectInterval: RECONNECT_MS, routingId: "early" });
    const failed = nextEvent(dealer, "connect:retry");
    dealer.connect(endpoint);
    await sendWithin(dealer, "waiting");
    await failed; // a dial has failed: the path did not exist yet
    await bindAgain(router, endpoint);
    expect(text(await receiveWithin(router))).toEqual(["early", "waiting"]);
  });

  for (const t of TRANSPORTS) {
    it(`${sideName(OURS, "Router", "bind", t)} <- libzmq DEALER closed and restarted with the same routingId: the new connection gets the id and the replies`, async () => {
      const router = open(OURS, "Router");
      const endpoint = await bindFresh(router, t);
      const first = open(THEIRS, "Dealer", { routingId: "worker" });
      first.connect(endpoint);
      await sendWithin(first, "hello-1");
      expect(text(await receiveWithin(router))).toEqual(["worker", "hello-1"]);

      closeNow(first);
      // Keep reading meanwhile: libzmq (the self-test's "ours") frees the id only when
      // its application thread processes the old pipe's termination.
      await expectNothingWithin(router, NOTICE_CLOSE_MS, "the closed DEALER sent nothing more");
      const second = open(THEIRS, "Dealer", { routingId: "worker" });
      second.connect(endpoint);
      await sendWithin(second, "hello-2");
      expect(text(await receiveWithin(router))).toEqual(["worker", "hello-2"]);
      await sendWithin(router, ["worker", "welcome-back"]);
      expect(text(await receiveWithin(second))).toEqual(["welcome-back"]);
    });

    it(`${sideName(OURS, "Pull", "bind", t)} <- libzmq PUSH closed and restarted: messages from the new PUSH arrive`, async () => {
      const pull = open(OURS, "Pull");
      const endpoint = await bindFresh(pull, t);
      const first = open(THEIRS, "Push");
      first.connect(endpoint);
      await sendWithin(first, "one");
      expect(text(await receiveWithin(pull))).toEqual(["one"]);
      closeNow(first);
      const second = open(THEIRS, "Push");
      second.connect(endpoint);
      await sendWithin(second, "two");
      expect(text(await receiveWithin(pull))).toEqual(["two"]);
    });
  }
});
