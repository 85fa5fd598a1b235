/**
 * The delivery thread's work (src/sockets/session/final-delivery.ts), run here in the test's own
 * thread: what a socket still kept for an absent peer when the process began to exit.
 */
import { describe, expect, it } from "vitest";
import { backgroundClock, systemClock } from "../../../src/clock.js";
import { defaultOptions } from "../../../src/sockets/socket-options.js";
import { deliverFinally, type FinalDelivery } from "../../../src/sockets/session/final-delivery.js";
import { Pull } from "../../../src/index.js";
import { FakeClock } from "../../helpers/fake-clock.js";
import { freePort, stillPending, text } from "../../helpers/sockets.js";
import { sleep } from "../../helpers/time.js";

function item(address: string, linger: number, messages: string[][]): FinalDelivery {
  return {
    socketType: "PUSH",
    options: { ...defaultOptions(), reconnectInterval: 20 },
    address,
    routingId: null,
    priority: 0,
    messages: messages.map((msg) => msg.map((frame) => Buffer.from(frame))),
    linger,
  };
}

describe("final delivery", () => {
  it("delivers what was queued, in order, to a peer that binds later, then resolves", async () => {
    const address = `tcp://127.0.0.1:${await freePort()}`;
    const done = deliverFinally(item(address, -1, [["first"], ["second", "part"]]), systemClock);
    await sleep(100);
    expect(await stillPending(done)).toBe(true);
    const pull = new Pull({ receiveTimeout: 2000, linger: 0 });
    try {
      await pull.bind(address);
      expect(text(await pull.receive())).toEqual(["first"]);
      expect(text(await pull.receive())).toEqual(["second", "part"]);
      await done;
    } finally {
      pull.close();
    }
  });

  it("gives up when the linger runs out", async () => {
    const clock = new FakeClock();
    const done = deliverFinally(item(`tcp://127.0.0.1:${await freePort()}`, 500, [["lost"]]), clock);
    await sleep(20);
    clock.advance(490);
    expect(await stillPending(done, 20)).toBe(true);
    clock.advance(20);
    await done;
  });

  it("resolves at once for a transport that carries no bytes", async () => {
    await deliverFinally(item("inproc://nowhere", -1, [["x"]]), systemClock);
  });
});

describe("the sockets' clock", () => {
  it("does not keep the process alive (zeromq.js's sockets run their timers off the event loop)", () => {
    const timer = backgroundClock.setTimeout(() => undefined, 1000) as unknown as NodeJS.Timeout;
    try {
      expect(timer.hasRef()).toBe(false);
    } finally {
      backgroundClock.clearTimeout(timer as never);
    }
    const held = systemClock.setTimeout(() => undefined, 1000) as unknown as NodeJS.Timeout;
    expect(held.hasRef()).toBe(true);
    systemClock.clearTimeout(held as never);
  });
});
