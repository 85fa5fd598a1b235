import type { Kind, Sock } from "./api.js";
import { CaseFailure, expectFrames, payload, showMessage, type CaseContext } from "./harness.js";

/**
 * The compatible socket pairings (RFC 28/29/30/31, docs/protocol.md §4.1) and what each must do across two
 * implementations: the multipart messages it is given, intact, both ways where the pattern
 * allows, with the envelopes each type adds. The matrix gives frames that cross the short/long
 * size boundary (255/256) and a 70 kB frame; the test suite also an 8 MiB one.
 */

export interface Exchange {
  ctx: CaseContext;
  /** Socket of the pairing's first type, and of its second. */
  a: Sock;
  b: Sock;
  /** Which of the two bound (the other connected). */
  bound: "a" | "b";
  /** The message a sends to b, and the one b sends back (PUSH-PULL: two messages a -> b). */
  out: Buffer[];
  back: Buffer[];
}

export interface Pairing {
  name: string;
  a: Kind;
  b: Kind;
  /** Constructor options of a socket of `kind` that binds or connects (on top of the case's). */
  options?(kind: Kind, mode: "bind" | "connect"): Record<string, unknown>;
  /** Options of the connecting socket's connect() call. */
  connectOptions?: { routingId?: string };
  exchange(x: Exchange): Promise<void>;
}

/** The frame sizes of the matrix: the 1-byte/8-byte length boundary (255/256) and > 64 KiB. */
export const FRAME_SIZES: readonly number[] = [0, 1, 255, 256, 70_000];

const EMPTY = Buffer.alloc(0);

/** Routing ids preset on ROUTER-ROUTER (each ROUTER must know the other's before it can send). */
export const BOUND_ROUTER_ID = "bound-router";
export const CONNECTING_ROUTER_ID = "connecting-router";

async function bothWays({ ctx, a, b, out, back }: Exchange, aName: string, bName: string): Promise<void> {
  await ctx.send(a, out, `${aName} -> ${bName}`);
  expectFrames(await ctx.receive(b, `${aName} -> ${bName}`), out, `${aName} -> ${bName}`);
  await ctx.send(b, back, `${bName} -> ${aName}`);
  expectFrames(await ctx.receive(a, `${bName} -> ${aName}`), back, `${bName} -> ${aName}`);
}

/**
 * a sends `out`; the ROUTER receives it as [routing id, ...envelope, ...out], answers with the
 * same id and envelope, and a receives `back` alone.
 */
async function throughRouter({ ctx, a, b, out, back }: Exchange, aName: string, envelope: Buffer[]): Promise<void> {
  const up = `${aName} -> ROUTER`;
  const down = `ROUTER -> ${aName}`;
  await ctx.send(a, out, up);
  const got = await ctx.receive(b, up);
  if (got.length !== 1 + envelope.length + out.length || got[0]!.length === 0) {
    throw new CaseFailure(
      `${up}: expected [id, ${envelope.length > 0 ? '"", ' : ""}${out.length} frames], got ${showMessage(got)}`,
    );
  }
  expectFrames(got.slice(1), [...envelope, ...out], `${up} ${envelope.length > 0 ? "envelope and body" : "body"}`);
  await ctx.send(b, [got[0]!, ...envelope, ...back], down);
  expectFrames(await ctx.receive(a, down), back, down);
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
    // ROUTER sees a REQ request as [routing id, "", body...] (RFC 28); the REQ adds the delimiter.
    exchange: (x) => throughRouter(x, "REQ", [EMPTY]),
  },
  {
    name: "DEALER-REP",
    a: "Dealer",
    b: "Reply",
    async exchange({ ctx, a, b, out, back }) {
      await ctx.send(a, [EMPTY, ...out], "DEALER -> REP");
      expectFrames(await ctx.receive(b, "DEALER -> REP"), out, "DEALER -> REP body");
      await ctx.send(b, back, "REP -> DEALER");
      expectFrames(await ctx.receive(a, "REP -> DEALER"), [EMPTY, ...back], "REP -> DEALER envelope and body");
    },
  },
  {
    name: "DEALER-ROUTER",
    a: "Dealer",
    b: "Router",
    exchange: (x) => throughRouter(x, "DEALER", []),
  },
  { name: "DEALER-DEALER", a: "Dealer", b: "Dealer", exchange: (x) => bothWays(x, "DEALER", "DEALER") },
  {
    name: "ROUTER-ROUTER",
    a: "Router",
    b: "Router",
    options: (_kind, mode) => ({ routingId: mode === "bind" ? BOUND_ROUTER_ID : CONNECTING_ROUTER_ID }),
    // The connecting ROUTER names its peer up front (ZMQ_CONNECT_ROUTING_ID), so it can address
    // the bound ROUTER before the handshake has told it anything.
    connectOptions: { routingId: BOUND_ROUTER_ID },
    async exchange({ ctx, a, b, bound, out, back }) {
      const [binder, connecter] = bound === "a" ? [a, b] : [b, a];
      await ctx.send(connecter, [BOUND_ROUTER_ID, ...out], "connecting ROUTER -> bound ROUTER");
      const got = await ctx.receive(binder, "connecting ROUTER -> bound ROUTER");
      expectFrames(got, [CONNECTING_ROUTER_ID, ...out], "connecting ROUTER -> bound ROUTER");
      await ctx.send(binder, [CONNECTING_ROUTER_ID, ...back], "bound ROUTER -> connecting ROUTER");
      const answer = await ctx.receive(connecter, "bound ROUTER -> connecting ROUTER");
      expectFrames(answer, [BOUND_ROUTER_ID, ...back], "bound ROUTER -> connecting ROUTER");
    },
  },
  {
    name: "PUSH-PULL",
    a: "Push",
    b: "Pull",
    async exchange({ ctx, a, b, out, back }) {
      // Five messages back to back: boundaries and order must survive.
      const small = [3, 4, 5].map((n) => [Buffer.from(`message ${n}`), ...payload([n * 100], n)]);
      const messages = [out, back, ...small];
      for (const [i, m] of messages.entries()) await ctx.send(a, m, `PUSH message ${i + 1}`);
      for (const [i, m] of messages.entries())
        expectFrames(await ctx.receive(b, `PULL message ${i + 1}`), m, `PUSH -> PULL message ${i + 1} of 5`);
    },
  },
  {
    name: "PUB-SUB",
    a: "Publisher",
    b: "Subscriber",
    async exchange({ ctx, a, b, out }) {
      // Subscriptions travel after the handshake: publish until the first one gets through.
      await syncSubscriber(ctx, a, b, "t");
      await ctx.send(a, ["t", ...out], "PUB t");
      await ctx.send(a, ["x", "filtered out"], "PUB x");
      await ctx.send(a, ["tt", "prefix match"], "PUB tt");
      expectFrames(await receiveSkippingSync(ctx, b), ["t", ...out], "PUB -> SUB topic t");
      expectFrames(
        await receiveSkippingSync(ctx, b),
        ["tt", "prefix match"],
        "PUB -> SUB topic tt (x must be filtered)",
      );
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
