/**
 * Messages leave in the order they were sent, also when a send waited for room: taking the first
 * queued message frees room, the waiting send writes the next one at once, and that one must not
 * overtake the first on its way into the engine's batch.
 */
import { describe, expect, it } from "vitest";
import { Pull, Push } from "../../../src/index.js";
import { useHarness } from "../../helpers/sockets.js";

const h = useHarness();

describe("send order through a full pipe", () => {
  for (const transport of ["tcp", "ipc", "inproc"] as const) {
    it(`PUSH (sendHighWaterMark 1) over ${transport}: sends that waited for the connection and for room arrive in order`, async () => {
      const pull = h.track(new Pull({ linger: 0, receiveHighWaterMark: 1 }));
      const endpoint =
        transport === "tcp" ? "tcp://127.0.0.1:*" : transport === "ipc" ? `ipc://${h.ipcPath()}` : "inproc://order";
      await pull.bind(endpoint);
      const push = h.track(new Push({ linger: 0, sendHighWaterMark: 1 }));
      push.connect(pull.lastEndpoint!);
      const received: string[] = [];
      const reader = (async () => {
        while (received.length < 5) received.push((await pull.receive())[0]!.toString());
      })();
      for (let i = 0; i < 5; i++) await push.send(String(i));
      await reader;
      expect(received).toEqual(["0", "1", "2", "3", "4"]);
    });
  }
});
