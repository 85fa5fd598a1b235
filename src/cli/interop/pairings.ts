import type { Kind, Sock } from "./api.js";
import { CaseFailure, expectFrames, payload, showMessage, type CaseContext } from "./harness.js";

/**
 * The compatible socket pairings (RFC 28/29/30/31, docs/protocol.md §4.1) and what each must do across two
 * implementations: multipart messages whose frames cross the short/long size boundary (255/256)
 * and a 70 kB frame, both ways where the pattern allows, with the envelopes each type adds.
 */

export interface Exchange {
  ctx: CaseContext;
  /** Socket of the pairing's first type, and of its second. */
  a: Sock;
  b: Sock;
}

export interface Pairing {
  name: string;
  a: Kind;
  b: Kind;
  exchange(x: Exchange): Promise<void>;
}

const EMPTY = Buffer.alloc(0);
const SIZES = [0, 1, 255, 256, 70_000];
const out = (): Buffer[] => payload(SIZES, 1);
const back = (): Buffer[] => payload([...SIZES].reverse(), 2);

async function bothWays({ ctx, a, b }: Exchange, aName: string, bName: string): Promise<void> {
  await ctx.send(a, out(), `${aName} -> ${bName}`);
  expectFrames(await ctx.receive(b, `${aName} -> ${bName}`), out(), `${aName} -> ${bName}`);
  await ctx.send(b, back(), `${bName} -> ${aName}`);
  expectFrames(await ctx.receive(a, `${bName} -> ${aName}`), back(), `${bName} -> ${aName}`);
}

export const PAIRINGS: readonly Pairing[] = [
  { name: "PAIR-PAIR", a: "Pair", b: "Pair", exchange: (x) => bothWays(x, "PAIR", "PAIR") },
  {
    name: "REQ-REP",
    a: "Request",
    b: "Reply",
    async exchange(x) {
      // Two round trips: REQ's send/receive alternation must reset after each reply.
      await bothWays(x, "REQ", "REP");
      await bothWays(x, "REQ", "REP");
    },
  },
  {
    name: "REQ-ROUTER",
    a: "Request",
    b: "Router",
    async exchange({ ctx, a, b }) {
      await ctx.send(a, out(), "REQ -> ROUTER");
      const got = await ctx.receive(b, "REQ -> ROUTER");
      // ROUTER sees a REQ request as [routing id, "", body...] (RFC 28).
      if (got.length !== SIZES.length + 2 || got[0]!.length === 0) {
        throw new CaseFailure(`REQ -> ROUTER: expected [id, "", ${SIZES.length} frames], got ${showMessage(got)}`);
      }
      expectFrames(got.slice(1), [EMPTY, ...out()], "REQ -> ROUTER envelope and body");
      await ctx.send(b, [got[0]!, EMPTY, ...back()], "ROUTER -> REQ");
      expectFrames(await ctx.receive(a, "ROUTER -> REQ"), back(), "ROUTER -> REQ");
    },
  },
  {
    name: "DEALER-REP",
    a: "Dealer",
    b: "Reply",
    async exchange({ ctx, a, b }) {
      await ctx.send(a, [EMPTY, ...out()], "DEALER -> REP");
      expectFrames(await ctx.receive(b, "DEALER -> REP"), out(), "DEALER -> REP body");
      await ctx.send(b, back(), "REP -> DEALER");
      expectFrames(await ctx.receive(a, "REP -> DEALER"), [EMPTY, ...back()], "REP -> DEALER envelope and body");
    },
  },
  {
    name: "DEALER-ROUTER",
    a: "Dealer",
    b: "Router",
    async exchange({ ctx, a, b }) {
      await ctx.send(a, out(), "DEALER -> ROUTER");
      const got = await ctx.receive(b, "DEALER -> ROUTER");
      if (got.length !== SIZES.length + 1 || got[0]!.length === 0) {
        throw new CaseFailure(`DEALER -> ROUTER: expected [id, ${SIZES.length} frames], got ${showMessage(got)}`);
      }
      expectFrames(got.slice(1), out(), "DEALER -> ROUTER body");
      await ctx.send(b, [got[0]!, ...back()], "ROUTER -> DEALER");
      expectFrames(await ctx.receive(a, "ROUTER -> DEALER"), back(), "ROUTER -> DEALER");
    },
  },
  {
    name: "PUSH-PULL",
    a: "Push",
    b: "Pull",
    async exchange({ ctx, a, b }) {
      // Five messages back to back: boundaries and order must survive.
      const messages = [1, 2, 3, 4, 5].map((n) => [Buffer.from(`message ${n}`), ...payload([n * 100], n)]);
      for (const [i, m] of messages.entries()) await ctx.send(a, m, `PUSH message ${i + 1}`);
      for (const [i, m] of messages.entries()) expectFrames(await ctx.receive(b, `PULL message ${i + 1}`), m, `PUSH -> PULL message ${i + 1} of 5`);
    },
  },
  {
    name: "PUB-SUB",
    a: "Publisher",
    b: "Subscriber",
    async exchange({ ctx, a, b }) {
      // Subscriptions travel after the handshake: publish until the first one gets through.
      await syncSubscriber(ctx, a, b, "t");
      await ctx.send(a, ["t", ...out()], "PUB t");
      await ctx.send(a, ["x", "filtered out"], "PUB x");
      await ctx.send(a, ["tt", "prefix match"], "PUB tt");
      expectFrames(await receiveSkippingSync(ctx, b), ["t", ...out()], "PUB -> SUB topic t");
      expectFrames(await receiveSkippingSync(ctx, b), ["tt", "prefix match"], "PUB -> SUB topic tt (x must be filtered)");
    },
  },
];

const SYNC = "sync";

/** Subscribes `sub` to `topic` and publishes [topic, "sync"] until one arrives (the slow joiner). */
export async function syncSubscriber(ctx: CaseContext, pub: Sock, sub: Sock, topic: string): Promise<void> {
  sub.subscribe(topic);
  const deadline = Date.now() + ctx.waitMs;
  const savedTimeout = sub.receiveTimeout;
  sub.receiveTimeout = 20;
  try {
    while (Date.now() < deadline) {
      await ctx.send(pub, [topic, SYNC], "PUB sync");
      try {
        const got = await sub.receive();
        if (got[1]?.toString() === SYNC) return;
      } catch {
        // nothing yet: the subscription has not reached the publisher
      }
    }
  } finally {
    sub.receiveTimeout = savedTimeout;
  }
  throw new CaseFailure(`SUB never received a message on "${topic}" within ${ctx.waitMs} ms (subscription lost?)`);
}

/** The next message that is not a leftover sync message. */
export async function receiveSkippingSync(ctx: CaseContext, sub: Sock): Promise<Buffer[]> {
  for (;;) {
    const got = await ctx.receive(sub, "SUB");
    if (got.length !== 2 || got[1]!.toString() !== SYNC) return got;
  }
}
