/**
 * zmtp/batch (src/api/batch.ts): sendMany and receiveMany move many messages per promise and
 * keep what send() and receive() promise: order, whole messages, waiting while nothing can move.
 */
import { afterEach, describe, expect, it } from "vitest";
import { receiveMany, sendMany } from "../../../src/entries/batch.js";
import { Pull, Push } from "../../../src/index.js";
import { Server as DraftServer } from "../../../src/entries/draft.js";

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.close();
});

async function pair(transport: "tcp" | "inproc"): Promise<{ push: Push; pull: Pull }> {
  const pull = new Pull();
  const push = new Push();
  open.push(push, pull);
  await pull.bind(transport === "tcp" ? "tcp://127.0.0.1:*" : `inproc://batch-${Math.random()}`);
  push.connect(pull.lastEndpoint!);
  return { push, pull };
}

describe("zmtp/batch", () => {
  for (const transport of ["tcp", "inproc"] as const) {
    it(`sendMany delivers every message in order and receiveMany hands them out whole (${transport})`, async () => {
      const { push, pull } = await pair(transport);
      const messages = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? [`m${i}`, "part"] : `m${i}`));
      const sent = sendMany(push, messages);
      const received: string[][] = [];
      let batches = 0;
      while (received.length < messages.length) {
        const batch = await receiveMany(pull);
        batches++;
        expect(batch.length).toBeGreaterThan(0);
        for (const msg of batch) received.push(msg.map(String));
      }
      await sent;
      expect(received).toEqual(messages.map((m) => (Array.isArray(m) ? m : [m])));
      // Many messages per promise: far fewer batches than messages.
      expect(batches).toBeLessThan(messages.length / 10);
    });
  }

  it("receiveMany takes at most max messages, and leaves the rest for the next call", async () => {
    const { push, pull } = await pair("inproc");
    await sendMany(push, ["a", "b", "c", "d", "e"]);
    expect((await receiveMany(pull, 2)).map(String)).toEqual(["a", "b"]);
    expect((await receiveMany(pull)).map(String)).toEqual(["c", "d", "e"]);
  });

  it("receiveMany waits while nothing is there, as receive() does", async () => {
    const { push, pull } = await pair("tcp");
    let batch: Buffer[][] | null = null;
    const pending = receiveMany(pull).then((b) => (batch = b));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batch).toBeNull();
    await push.send("late");
    await pending;
    expect(batch!.map(String)).toEqual(["late"]);
  });

  it("a Buffer changed after sendMany resolves does not change what was sent (small frames are copied)", async () => {
    const { push, pull } = await pair("inproc");
    const buffers = [Buffer.from("one"), Buffer.from("two")];
    await sendMany(push, buffers);
    for (const b of buffers) b.fill("x");
    expect((await receiveMany(pull)).map(String)).toEqual(["one", "two"]);
  });

  it("sendMany and receiveMany refuse draft sockets, whose messages carry an envelope", async () => {
    const server = new DraftServer();
    open.push(server);
    await expect(receiveMany(server as never)).rejects.toMatchObject({ code: "ENOTSUP" });
  });
});
