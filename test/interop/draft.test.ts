/**
 * The draft socket types against libzmq 4.3.5 (zeromq.js's `zeromq/draft`, a draft build), both
 * directions and both bind sides: SERVER/CLIENT, RADIO/DISH and SCATTER/GATHER over ZMTP (tcp,
 * ipc), RADIO/DISH over udp:// (unicast and multicast on the loopback interface) and DGRAM.
 */
import { createRequire } from "node:module";
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Kind } from "../../src/cli/interop/api.js";
import * as ourDraft from "../../src/entries/draft.js";
import { freeUdpPort } from "../helpers/udp.js";
import {
  OURS,
  THEIRS,
  TRANSPORTS,
  WAIT_MS,
  caseContext,
  expectNothingWithin,
  receiveWithin,
  useCleanup,
  type Implementation,
  type Sock,
} from "./helpers.js";
import { selfTest } from "./impl.js";

useCleanup();

const theirDraft = createRequire(import.meta.url)("zeromq/draft") as Record<string, unknown>;

/** Each side's main module with its draft classes beside (the harness opens sockets by class name). */
function withDraft(side: Implementation, draft: Record<string, unknown>): Implementation {
  return { name: side.name, module: { ...side.module, ...draft } };
}
const US = withDraft(OURS, selfTest ? theirDraft : ourDraft);
const THEM = withDraft(THEIRS, theirDraft);

type DraftKind = "Server" | "Client" | "Radio" | "Dish" | "Gather" | "Scatter" | "Datagram";

/** A draft socket from `side`, closed after the test (linger 0, bounded send and receive). */
function open(side: Implementation, kind: DraftKind, options: Record<string, unknown> = {}): Sock {
  return caseContext().open(side, kind as unknown as Kind, options);
}

/** send() with the draft types' second argument (a routing id, a group). */
function sendWith(sock: Sock, message: string | string[], options?: object): Promise<void> {
  const send = sock.send as unknown as (m: unknown, o?: object) => Promise<void>;
  return options === undefined ? send.call(sock, message) : send.call(sock, message, options);
}

/** A DISH's join / leave (the harness's Sock does not declare them). */
function groups(dish: Sock): { join(...groups: string[]): void; leave(...groups: string[]): void } {
  return dish as unknown as { join(...groups: string[]): void; leave(...groups: string[]): void };
}

async function receiveDraft(sock: Sock): Promise<[string, Record<string, unknown>]> {
  const [body, meta] = (await receiveWithin(sock)) as unknown as [Buffer, Record<string, unknown>];
  return [body.toString(), meta];
}

/** "our" or "libzmq", as test names write the side. */
function who(side: Implementation): "our" | "libzmq" {
  return side === US && !selfTest ? "our" : "libzmq";
}

const bothWays = [
  [US, THEM],
  [THEM, US],
] as const;

/**
 * Sends `probe` messages to `group` until the DISH gets one: JOINs travel on their own, and a
 * RADIO drops what it sends before a JOIN arrives (a libzmq DISH bound on tcp even sends its JOINs
 * only once its application next calls it).
 */
/**
 * A DGRAM datagram, sent again until one arrives: libzmq opens a bound udp socket on its I/O
 * thread after zmq_bind has returned, so the first datagram can come before anyone listens.
 */
async function sendUntilReceived(sender: Sock, message: string[], receiver: Sock): Promise<Buffer[]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await sendWith(sender, message);
    try {
      return await receiveWithin(receiver, 50);
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

async function tuneIn(radio: Sock, dish: Sock, group: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  dish.receiveTimeout = 20;
  try {
    for (;;) {
      await sendWith(radio, "probe", { group });
      try {
        await dish.receive();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`no probe of ${group} reached the DISH within ${WAIT_MS} ms`);
      }
    }
    // Probes still under way are read off before the test's own messages.
    while (
      await dish.receive().then(
        () => true,
        () => false,
      )
    );
  } finally {
    dish.receiveTimeout = WAIT_MS;
  }
}

describe.each(TRANSPORTS)("draft types over %s", (transport) => {
  describe.each(bothWays.map(([a, b]) => [who(a), a, b] as const))("%s SERVER", (_name, serverSide, clientSide) => {
    it.each(["server", "client"] as const)(
      `and ${who(clientSide)} CLIENT, the %s binding: each reply reaches the client its routing id names`,
      async (binder) => {
        const server = open(serverSide, "Server");
        const a = open(clientSide, "Client");
        const b = open(clientSide, "Client");
        if (binder === "server") {
          const ep = await caseContext().bind(server, transport);
          a.connect(ep);
          b.connect(ep);
        } else {
          server.connect(await caseContext().bind(a, transport));
          server.connect(await caseContext().bind(b, transport));
        }
        await sendWith(a, "from a");
        await sendWith(b, "from b");
        const ids = new Map<string, number>();
        for (let i = 0; i < 2; i++) {
          const [body, meta] = await receiveDraft(server);
          expect(typeof meta.routingId).toBe("number");
          ids.set(body, meta.routingId as number);
        }
        expect(ids.get("from a")).not.toBe(ids.get("from b"));
        await sendWith(server, "to a", { routingId: ids.get("from a") });
        await sendWith(server, "to b", { routingId: ids.get("from b") });
        expect((await receiveWithin(a)).map(String)).toEqual(["to a"]);
        expect((await receiveWithin(b)).map(String)).toEqual(["to b"]);
      },
    );
  });

  describe.each(bothWays.map(([a, b]) => [who(a), a, b] as const))("%s RADIO", (_name, radioSide, dishSide) => {
    it.each(["radio", "dish"] as const)(
      `and ${who(dishSide)} DISH, the %s binding: JOIN / LEAVE, only joined groups arrive, with their group`,
      async (binder) => {
        const radio = open(radioSide, "Radio");
        const dish = open(dishSide, "Dish");
        groups(dish).join("weather", "news");
        if (binder === "radio") dish.connect(await caseContext().bind(radio, transport));
        else radio.connect(await caseContext().bind(dish, transport));
        await tuneIn(radio, dish, "weather");
        await sendWith(radio, "goal", { group: "sports" });
        await sendWith(radio, "rain", { group: "weather" });
        await sendWith(radio, "vote", { group: "news" });
        const first = await receiveDraft(dish);
        expect([first[0], String(first[1].group)]).toEqual(["rain", "weather"]);
        const second = await receiveDraft(dish);
        expect([second[0], String(second[1].group)]).toEqual(["vote", "news"]);
        groups(dish).leave("weather");
        await tuneIn(radio, dish, "news");
        await sendWith(radio, "sun", { group: "weather" });
        await expectNothingWithin(dish, 100, "the DISH left the group");
      },
    );
  });

  describe.each(bothWays.map(([a, b]) => [who(a), a, b] as const))("%s SCATTER", (_name, scatterSide, gatherSide) => {
    it.each(["scatter", "gather"] as const)(
      `and ${who(gatherSide)} GATHER, the %s binding: every message arrives, in order`,
      async (binder) => {
        const scatter = open(scatterSide, "Scatter");
        const gather = open(gatherSide, "Gather");
        if (binder === "scatter") gather.connect(await caseContext().bind(scatter, transport));
        else scatter.connect(await caseContext().bind(gather, transport));
        for (let i = 0; i < 20; i++) await sendWith(scatter, `m${i}`);
        for (let i = 0; i < 20; i++) expect((await receiveWithin(gather)).map(String)).toEqual([`m${i}`]);
      },
    );
  });
});

/** A multicast group of 239.0.0.0/8 unlikely to be used by a test running beside this one. */
function multicastGroup(): string {
  return `239.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
}

describe("draft types over udp://", () => {
  // Groups stay under 128 bytes: libzmq 4.3.5 reads the length byte as a signed char and aborts
  // on a longer group (udp_engine.cpp), whoever sent it.
  describe.each(bothWays.map(([a, b]) => [who(a), a, b] as const))("%s RADIO", (_name, radioSide, dishSide) => {
    it.each([
      ["unicast", (port: number) => [`udp://127.0.0.1:${port}`, `udp://127.0.0.1:${port}`]],
      [
        "multicast on the loopback interface",
        (port: number) => {
          const group = multicastGroup();
          return [`udp://127.0.0.1;${group}:${port}`, `udp://127.0.0.1;${group}:${port}`];
        },
      ],
    ] as const)(`to ${who(dishSide)} DISH, %s: the DISH keeps the groups it joined`, async (_name, endpoints) => {
      const [bindAt, connectTo] = endpoints(await freeUdpPort());
      const dish = open(dishSide, "Dish");
      groups(dish).join("a", "g".repeat(127));
      await dish.bind(bindAt);
      const radio = open(radioSide, "Radio");
      radio.connect(connectTo);
      await tuneIn(radio, dish, "a");
      await sendWith(radio, "skip", { group: "b" });
      await sendWith(radio, "long", { group: "g".repeat(127) });
      await sendWith(radio, "yes", { group: "a" });
      const first = await receiveDraft(dish);
      expect([first[0], String(first[1].group)]).toEqual(["long", "g".repeat(127)]);
      const second = await receiveDraft(dish);
      expect([second[0], String(second[1].group)]).toEqual(["yes", "a"]);
    });
  });

  describe.each(bothWays.map(([a, b]) => [who(a), a, b] as const))("%s DGRAM", (_name, first, second) => {
    it(`and ${who(second)} DGRAM: a datagram each way, each answered at the address it came from`, async () => {
      const [portA, portB] = [await freeUdpPort(), await freeUdpPort()];
      const a = open(first, "Datagram");
      const b = open(second, "Datagram");
      await a.bind(`udp://127.0.0.1:${portA}`);
      await b.bind(`udp://*:${portB}`);
      const [from, body] = await sendUntilReceived(a, [`127.0.0.1:${portB}`, "hello"], b);
      expect([from!.toString(), body!.toString()]).toEqual([`127.0.0.1:${portA}\0`, "hello"]);
      const [from2, body2] = await sendUntilReceived(b, [from!.toString(), "back"], a);
      expect([from2!.toString(), body2!.toString()]).toEqual([`127.0.0.1:${portB}\0`, "back"]);
    });
  });
});
