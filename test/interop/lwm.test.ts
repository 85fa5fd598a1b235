/**
 * The low-water-mark hysteresis of high-water marks against libzmq (issue 16, libzmq pipe_t):
 * once a PUSH's pipe is full, it has room again only after the other side took a low-water
 * mark's worth ((hwm + 1) / 2) of messages, so a send retried right after an EAGAIN times out
 * again instead of slipping one message in. The same steps run with the binding's PUSH (libzmq)
 * and with ours, both against a libzmq PULL over tcp: the premise is checked on libzmq itself.
 */
import { describe, expect, it } from "vitest";
import * as zeromq from "zeromq";
import * as zmtp from "../../src/index.js";

const HWM = 10;
const BODY = Buffer.alloc(64 * 1024, 7);
const TIMEOUT_MS = 80;

type Lib = Pick<typeof zmtp, "Push">;

/** Sends until EAGAIN, then lets the PULL read one message at a time and retries a send after each. */
async function retriesAfterSingleReads(lib: Lib): Promise<{ filled: number; pattern: string }> {
  const pull = new zeromq.Pull({ receiveHighWaterMark: 2, linger: 0 });
  await pull.bind("tcp://127.0.0.1:*");
  const push = new lib.Push({ sendHighWaterMark: HWM, sendTimeout: TIMEOUT_MS, linger: 0 });
  push.connect(pull.lastEndpoint!);
  try {
    let filled = 0;
    for (;;) {
      try {
        await push.send(BODY);
        filled++;
      } catch (err) {
        expect((err as { code?: string }).code).toBe("EAGAIN");
        break;
      }
      if (filled > 5000) throw new Error("the PUSH never filled up");
    }
    let pattern = "";
    for (let read = 0; read < 3; read++) {
      await pull.receive();
      // Let the freed window reach the sender; the retry itself waits up to TIMEOUT_MS.
      await new Promise((resolve) => setTimeout(resolve, 30));
      try {
        await push.send(BODY);
        pattern += "sent ";
      } catch {
        pattern += "EAGAIN ";
      }
    }
    return { filled, pattern: pattern.trim() };
  } finally {
    push.close();
    pull.close();
  }
}

describe("high-water mark hysteresis against a libzmq PULL (tcp)", () => {
  it("after an EAGAIN at the HWM, one message read by the peer does not make room: the retry times out, as with libzmq's PUSH", async () => {
    const theirs = await retriesAfterSingleReads(zeromq as unknown as Lib);
    const ours = await retriesAfterSingleReads(zmtp);
    // libzmq: room comes back only after LWM (5) messages left the pipe.
    expect(theirs.pattern.startsWith("EAGAIN")).toBe(true);
    expect(ours.pattern.startsWith("EAGAIN")).toBe(true);
  }, 30_000);
});
