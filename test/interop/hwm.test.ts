/**
 * High-water marks against libzmq (docs/protocol.md §5.8): a PUSH with a small
 * sendHighWaterMark feeding a PULL with a small receiveHighWaterMark that starts
 * reading only once the PUSH is held back must block rather than drop — every sequence
 * number arrives exactly once, in order. Over TCP the kernel absorbs megabytes, so no
 * case asserts at which send the PUSH blocks.
 */
import { describe, expect, it } from "vitest";
import {
  OURS,
  THEIRS,
  TRANSPORTS,
  bindFresh,
  expectFrames,
  expectNothingWithin,
  open,
  payload,
  receiveWithin,
  sideName,
  useCleanup,
  type Implementation,
  type Transport,
} from "./helpers.js";
import { until, within } from "../helpers/time.js";

useCleanup();

const HWM = 4;
const COUNT = 1000;
const BODY = 8 * 1024; // 8 MB in all: more than the ipc socket buffers and the HWMs hold

interface Flow {
  pushSide: Implementation;
  pullSide: Implementation;
  pushBinds: boolean;
  transport: Transport;
}

/** A send pending this long means the PUSH is held back (a free pipe takes a message at once). */
const HELD_BACK_MS = 50;

/**
 * Runs the late-reader flow: reading starts once the PUSH is held back (a send pending for
 * HELD_BACK_MS) or has sent everything; resolves with how many sends had completed by then.
 */
async function lateReader({ pushSide, pullSide, pushBinds, transport }: Flow): Promise<number> {
  const push = open(pushSide, "Push", { sendHighWaterMark: HWM, sendTimeout: 10_000 });
  const pull = open(pullSide, "Pull", { receiveHighWaterMark: HWM });
  if (pushBinds) pull.connect(await bindFresh(push, transport));
  else push.connect(await bindFresh(pull, transport));

  const [body] = payload([BODY], 42);
  let sent = 0;
  let pendingSince = performance.now();
  const sending = (async () => {
    for (let i = 0; i < COUNT; i++) {
      const seq = Buffer.alloc(4);
      seq.writeUInt32BE(i);
      pendingSince = performance.now();
      // A copy each time: libzmq's ws client masks the frame in place, in the Buffer it was given.
      await push.send([seq, Buffer.from(body!)]);
      sent++;
    }
  })();
  sending.catch(() => undefined);

  const heldBack = (): boolean => performance.now() - pendingSince > HELD_BACK_MS;
  await until(() => sent === COUNT || heldBack(), 10_000, "the PUSH held back or done");
  const sentBeforeReading = sent;
  for (let i = 0; i < COUNT; i++) {
    const msg = await receiveWithin(pull, 5000, `message ${i}`);
    expect(msg.length, `frames in message ${i}`).toBe(2);
    const seq = msg[0]!.readUInt32BE(0);
    if (seq !== i) expect.fail(`expected sequence number ${i}, got ${seq} (lost or duplicated messages)`);
    expectFrames(msg.slice(1), [body!], `body of message ${i}`);
  }
  await within(sending, 5000, "all sends");
  await expectNothingWithin(pull, 100, "every sequence number arrives exactly once");
  return sentBeforeReading;
}

describe("PUSH blocking at its high-water mark loses nothing", () => {
  for (const t of TRANSPORTS) {
    for (const [pushSide, pullSide] of [
      [OURS, THEIRS],
      [THEIRS, OURS],
    ] as const) {
      for (const pushBinds of [true, false]) {
        const pushName = sideName(pushSide, "Push", pushBinds ? "bind" : "connect", t);
        const pullName = sideName(pullSide, "Pull", pushBinds ? "connect" : "bind");
        it(`${pushName} sendHighWaterMark ${HWM} -> ${pullName} receiveHighWaterMark ${HWM} reading late: ${COUNT} x ${BODY / 1024} KiB messages arrive exactly once, in order`, async () => {
          await lateReader({ pushSide, pullSide, pushBinds, transport: t });
        }, 20_000);
      }
    }
  }

  // Over ipc the socket buffers are ~200 KiB, so with HWMs of 4 the 8 MB cannot all be
  // absorbed before the reader starts: the PUSH must have been held back (no count asserted).
  it(`${sideName(OURS, "Push", "connect", "ipc")} -> ${sideName(THEIRS, "Pull", "bind")} reading late: our PUSH waits instead of buffering all ${COUNT} messages`, async () => {
    const sentBeforeReading = await lateReader({
      pushSide: OURS,
      pullSide: THEIRS,
      pushBinds: false,
      transport: "ipc",
    });
    expect(sentBeforeReading).toBeLessThan(COUNT);
  }, 20_000);
});
