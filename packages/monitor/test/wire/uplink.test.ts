import { Router } from "zmtp";
import { afterEach, describe, expect, it } from "vitest";
import { Uplink } from "../../src/wire/uplink.js";
import { newId } from "../../src/wire/protocol.js";
import { waitFor } from "../helpers/fleet.js";

describe("Uplink", () => {
  const closers: Array<() => void> = [];
  afterEach(() => closers.splice(0).forEach((close) => close()));

  it("a burst of sends in one turn (more than a socket completes at once) is sent in order, none thrown nor lost", async () => {
    const router = new Router();
    closers.push(() => router.close());
    await router.bind("tcp://127.0.0.1:*");
    const uplink = new Uplink(newId(), [router.lastEndpoint!]);
    closers.push(() => uplink.close());
    await waitFor("connected", () => uplink.routers === 1);
    // zmtp, as zeromq.js, completes 512 sends at once and then lets the event loop run: the
    // 513th is under way when the next is asked for (EBUSY if it were sent then).
    const count = 2000;
    for (let i = 0; i < count; i++) uplink.send([Buffer.from(String(i))]);
    const got: string[] = [];
    while (got.length < count) {
      const [, body] = await router.receive();
      got.push(body!.toString());
    }
    expect(got).toEqual(Array.from({ length: count }, (_, i) => String(i)));
    expect(uplink.dropped).toBe(0);
  });
});
