/**
 * The table of compatible socket pairings (docs/protocol.md §4.1) and the case generator that runs
 * each one for every transport, every bind side and every role assignment.
 */
import { describe, expect, it } from "vitest";
import {
  EMPTY,
  FRAME_SIZES,
  KIND_NAME,
  MIB,
  OURS,
  THEIRS,
  TRANSPORTS,
  bindFresh,
  expectFrames,
  frames,
  open,
  receiveWithin,
  sendWithin,
  sideName,
  type Kind,
  type Side,
  type Sock,
  type SockOptions,
  type Transport,
} from "./helpers.js";

/** Routing ids preset on ROUTER-ROUTER pairings (each ROUTER must know the other's). */
export const BOUND_ROUTER_ID = "bound-router";
export const CONNECTING_ROUTER_ID = "connecting-router";

export interface Exchange {
  /** Socket of the pairing's first type. */
  a: Sock;
  /** Socket of the pairing's second type. */
  b: Sock;
  /** Which of the two bound. */
  bound: "a" | "b";
  /** Body sent from a to b. */
  out: Buffer[];
  /** Body sent from b to a (unused by one-way pairings). */
  back: Buffer[];
}

export interface Pairing {
  a: Kind;
  b: Kind;
  /** PUSH-PULL: messages only flow a -> b. */
  oneWay?: boolean;
  options?(kind: Kind, mode: "bind" | "connect"): SockOptions;
  connectOptions?(kind: Kind): { routingId?: string } | undefined;
  /** Sends `out` from a to b and `back` from b to a, asserting what arrives. */
  exchange(x: Exchange): Promise<void>;
}

async function plainBothWays({ a, b, out, back }: Exchange): Promise<void> {
  await sendWithin(a, out);
  expectFrames(await receiveWithin(b), out, "a -> b");
  await sendWithin(b, back);
  expectFrames(await receiveWithin(a), back, "b -> a");
}

export const PAIR_PAIR: Pairing = { a: "Pair", b: "Pair", exchange: plainBothWays };

export const REQ_REP: Pairing = { a: "Request", b: "Reply", exchange: plainBothWays };

export const REQ_ROUTER: Pairing = {
  a: "Request",
  b: "Router",
  async exchange({ a, b, out, back }) {
    await sendWithin(a, out);
    const got = await receiveWithin(b);
    // ROUTER view of a REQ request: [id, "", body...] (docs/protocol.md §5.1, §5.4).
    expect(got.length, "frames at ROUTER").toBe(out.length + 2);
    expect(got[0]!.length, "routing id length").toBeGreaterThan(0);
    expectFrames(got.slice(1, 2), [EMPTY], "delimiter");
    expectFrames(got.slice(2), out, "REQ -> ROUTER body");
    await sendWithin(b, [got[0]!, EMPTY, ...back]);
    expectFrames(await receiveWithin(a), back, "ROUTER -> REQ");
  },
};

export const DEALER_REP: Pairing = {
  a: "Dealer",
  b: "Reply",
  async exchange({ a, b, out, back }) {
    await sendWithin(a, [EMPTY, ...out]);
    expectFrames(await receiveWithin(b), out, "DEALER -> REP body");
    await sendWithin(b, back);
    expectFrames(await receiveWithin(a), [EMPTY, ...back], "REP -> DEALER");
  },
};

export const DEALER_ROUTER: Pairing = {
  a: "Dealer",
  b: "Router",
  async exchange({ a, b, out, back }) {
    await sendWithin(a, out);
    const got = await receiveWithin(b);
    expect(got.length, "frames at ROUTER").toBe(out.length + 1);
    expectFrames(got.slice(1), out, "DEALER -> ROUTER");
    await sendWithin(b, [got[0]!, ...back]);
    expectFrames(await receiveWithin(a), back, "ROUTER -> DEALER");
  },
};

export const DEALER_DEALER: Pairing = { a: "Dealer", b: "Dealer", exchange: plainBothWays };

export const ROUTER_ROUTER: Pairing = {
  a: "Router",
  b: "Router",
  options: (_kind, mode) => ({ routingId: mode === "bind" ? BOUND_ROUTER_ID : CONNECTING_ROUTER_ID }),
  // The connecting ROUTER names its peer up front (ZMQ_CONNECT_ROUTING_ID), so it can
  // address the bound ROUTER before the handshake has told it anything.
  connectOptions: () => ({ routingId: BOUND_ROUTER_ID }),
  async exchange({ a, b, bound, out, back }) {
    const [binder, connecter] = bound === "a" ? [a, b] : [b, a];
    await sendWithin(connecter, [BOUND_ROUTER_ID, ...out]);
    const got = await receiveWithin(binder);
    expectFrames(got, [Buffer.from(CONNECTING_ROUTER_ID), ...out], "connecting ROUTER -> bound ROUTER");
    await sendWithin(binder, [CONNECTING_ROUTER_ID, ...back]);
    expectFrames(
      await receiveWithin(connecter),
      [Buffer.from(BOUND_ROUTER_ID), ...back],
      "bound ROUTER -> connecting ROUTER",
    );
  },
};

export const PUSH_PULL: Pairing = {
  a: "Push",
  b: "Pull",
  oneWay: true,
  async exchange({ a, b, out, back }) {
    // Two messages back to back: message boundaries must survive, in order.
    await sendWithin(a, out);
    await sendWithin(a, back);
    expectFrames(await receiveWithin(b), out, "first PUSH -> PULL message");
    expectFrames(await receiveWithin(b), back, "second PUSH -> PULL message");
  },
};

export function pairingName(p: Pairing): string {
  return `${KIND_NAME[p.a]}-${KIND_NAME[p.b]}`;
}

interface Variant {
  transport: Transport;
  /** Which type our library plays. */
  ourRole: "a" | "b";
  /** Who binds; the other side connects. */
  binder: "ours" | "theirs";
}

function variants(p: Pairing, transports: readonly Transport[]): Variant[] {
  const out: Variant[] = [];
  // In a symmetric pairing "ours is the second type" repeats "ours is the first".
  const roles: ("a" | "b")[] = p.a === p.b ? ["a"] : ["a", "b"];
  for (const transport of transports)
    for (const ourRole of roles)
      for (const binder of ["ours", "theirs"] as const) out.push({ transport, ourRole, binder });
  return out;
}

function caseName(p: Pairing, v: Variant): string {
  const ourKind = v.ourRole === "a" ? p.a : p.b;
  const theirKind = v.ourRole === "a" ? p.b : p.a;
  const ourMode = v.binder === "ours" ? "bind" : "connect";
  const theirMode = v.binder === "ours" ? "connect" : "bind";
  return `${sideName(OURS, ourKind, ourMode, v.transport)} <-> ${sideName(THEIRS, theirKind, theirMode)}`;
}

/** Creates, binds and connects the two sockets of a variant. */
async function setUp(p: Pairing, v: Variant, extra: SockOptions = {}): Promise<Exchange> {
  const sideOf = (role: "a" | "b"): Side => (role === v.ourRole ? OURS : THEIRS);
  const boundRole: "a" | "b" = (v.binder === "ours") === (v.ourRole === "a") ? "a" : "b";
  const make = (role: "a" | "b"): Sock => {
    const kind = role === "a" ? p.a : p.b;
    const mode = role === boundRole ? "bind" : "connect";
    return open(sideOf(role), kind, { ...extra, ...p.options?.(kind, mode) });
  };
  const a = make("a");
  const b = make("b");
  const [binder, connecter] = boundRole === "a" ? [a, b] : [b, a];
  const endpoint = await bindFresh(binder, v.transport);
  const connectKind = boundRole === "a" ? p.b : p.a;
  const connectOptions = p.connectOptions?.(connectKind);
  if (connectOptions) connecter.connect(endpoint, connectOptions);
  else connecter.connect(endpoint);
  return { a, b, bound: boundRole, out: [], back: [] };
}

/**
 * One case per transport x role assignment x bind side: multipart messages whose
 * frames cross the 1-byte/8-byte length boundary (255/256) and exceed 64 KiB.
 */
export function describeMultipart(p: Pairing): void {
  const sizes = FRAME_SIZES.join(",");
  const direction = p.oneWay ? "PUSH -> PULL, two messages in order" : "both ways";
  describe(`${pairingName(p)} multipart`, () => {
    for (const v of variants(p, TRANSPORTS)) {
      it(`${caseName(p, v)}: multipart frames of ${sizes} bytes arrive intact ${direction}`, async () => {
        const x = await setUp(p, v);
        await p.exchange({ ...x, out: frames(FRAME_SIZES, 1), back: frames([...FRAME_SIZES].reverse(), 2) });
      });
    }
  });
}

/** The 8 MiB frame, over tcp, every role and bind side (kept to one pairing per family). */
export function describeLargeFrame(p: Pairing): void {
  const direction = p.oneWay ? "PUSH -> PULL" : "both ways";
  describe(`${pairingName(p)} 8 MiB frame`, () => {
    for (const v of variants(p, ["tcp"])) {
      it(`${caseName(p, v)}: a message with an 8 MiB frame arrives intact ${direction}`, async () => {
        const x = await setUp(p, v);
        const big = [1, 8 * MIB, 0];
        await p.exchange({ ...x, out: frames(big, 3), back: frames([...big].reverse(), 4) });
      }, 20_000);
    }
  });
}
