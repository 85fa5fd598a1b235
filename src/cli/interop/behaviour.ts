import type { Implementation, Kind } from "./api.js";
import {
  CaseFailure,
  expect,
  expectFrames,
  showMessage,
  sleep,
  type CaseContext,
  type MechanismName,
  type Transport,
} from "./harness.js";
import { receiveSkippingSync, syncSubscriber } from "./pairings.js";

/**
 * Behaviour cases: what a socket type does beyond moving bytes — ROUTER routing ids, REP's
 * envelope, high-water marks, subscription filtering and cancelling, reconnection, and
 * refusing bad credentials. Each runs twice: the `subject` role played by one implementation,
 * then by the other.
 */

export interface Behaviour {
  name: string;
  /** What the implementation under test plays, and what the other side plays. */
  subject: string;
  other: string;
  mechanism: MechanismName;
  transport: Transport;
  /** Socket classes each side must export. */
  subjectKinds: readonly Kind[];
  otherKinds: readonly Kind[];
  run(ctx: CaseContext, subject: Implementation, other: Implementation): Promise<void>;
}

/** Behaviours that also run over ws (libzmq's ws transport differs from its tcp one there). */
const WS_TOO: readonly Transport[] = ["tcp", "ws"];

const HWM = 10;
const HWM_FRAME = 16 * 1024;
/** Far beyond HWM plus what loopback socket buffers hold: reaching it means no high-water mark. */
const HWM_LIMIT = 2000;

export const BEHAVIOURS: readonly Behaviour[] = [
  {
    name: "router-ids",
    subject: "ROUTER",
    other: "DEALER x2",
    mechanism: "null",
    transport: "tcp",
    subjectKinds: ["Router"],
    otherKinds: ["Dealer"],
    async run(ctx, subject, other) {
      const router = ctx.open(subject, "Router");
      const endpoint = await ctx.bind(router, "tcp");
      const dealers = ["dealer-1", "dealer-2"].map((id) => {
        const dealer = ctx.open(other, "Dealer", { routingId: id });
        dealer.connect(endpoint);
        return { id, dealer };
      });
      for (const { id, dealer } of dealers) await ctx.send(dealer, [`from ${id}`], `${id} -> ROUTER`);
      const seen = new Set<string>();
      for (let i = 0; i < dealers.length; i++) {
        const got = await ctx.receive(router, "ROUTER");
        expect(got.length === 2, `ROUTER received ${showMessage(got)}, expected [routing id, body]`);
        const id = got[0]!.toString();
        expectFrames(got.slice(1), [`from ${id}`], `ROUTER: message under routing id "${id}" (the DEALER's routingId)`);
        seen.add(id);
      }
      expect(seen.size === 2, "ROUTER did not see both DEALER routing ids");
      // Reply in the opposite order: each must reach the DEALER its id names.
      for (const { id } of [...dealers].reverse()) await ctx.send(router, [id, `to ${id}`], `ROUTER -> ${id}`);
      for (const { id, dealer } of dealers)
        expectFrames(await ctx.receive(dealer, id), [`to ${id}`], `ROUTER -> ${id}`);
    },
  },
  {
    name: "rep-envelope",
    subject: "REP",
    other: "DEALER",
    mechanism: "null",
    transport: "tcp",
    subjectKinds: ["Reply"],
    otherKinds: ["Dealer"],
    async run(ctx, subject, other) {
      const [rep, dealer] = await ctx.link({ side: subject, kind: "Reply" }, { side: other, kind: "Dealer" });
      // A request that came through two proxies: REP must strip and restore the whole envelope.
      await ctx.send(dealer, ["hop-1", "hop-2", "", "request"], "DEALER -> REP");
      expectFrames(await ctx.receive(rep, "REP"), ["request"], "REP receives the body only");
      await ctx.send(rep, ["reply"], "REP -> DEALER");
      expectFrames(await ctx.receive(dealer, "DEALER"), ["hop-1", "hop-2", "", "reply"], "REP restores the envelope");
    },
  },
  {
    name: "hwm",
    subject: "PUSH",
    other: "PULL",
    mechanism: "null",
    transport: "tcp",
    subjectKinds: ["Push"],
    otherKinds: ["Pull"],
    async run(ctx, subject, other) {
      const [pull, push] = await ctx.link(
        { side: other, kind: "Pull", options: { receiveHighWaterMark: HWM } },
        { side: subject, kind: "Push", options: { sendHighWaterMark: HWM } },
      );
      await ctx.send(push, ["ready"], "PUSH first message");
      expectFrames(await ctx.receive(pull, "PULL"), ["ready"], "first message");
      // The PULL does not read: sends must stop (EAGAIN) at a bound, none may be lost.
      push.sendTimeout = 0;
      const body = Buffer.alloc(HWM_FRAME, 7);
      let sent = 0;
      while (sent < HWM_LIMIT) {
        try {
          await push.send([String(sent), body]);
        } catch {
          break;
        }
        sent++;
      }
      expect(
        sent < HWM_LIMIT,
        `PUSH with sendHighWaterMark ${HWM} accepted ${HWM_LIMIT} messages of ${HWM_FRAME} bytes to a PULL that does not read`,
      );
      // No lower bound at HWM: libzmq counts the earlier message against it until the reader
      // acknowledges a batch, so it may stop at HWM - 1.
      expect(sent > 0, `PUSH accepted no message at all although its high-water mark is ${HWM}`);
      for (let i = 0; i < sent; i++) {
        const got = await ctx.receive(pull, `PULL message ${i + 1} of ${sent}`);
        if (got[0]?.toString() !== String(i))
          throw new CaseFailure(
            `PULL message ${i + 1} of ${sent} is number ${got[0]?.toString()}, expected ${i} (lost or reordered)`,
          );
      }
    },
  },
  ...WS_TOO.map((transport): Behaviour => ({
    name: "subscriptions",
    subject: "PUB",
    other: "SUB",
    mechanism: "null",
    transport,
    subjectKinds: ["Publisher"],
    otherKinds: ["Subscriber"],
    async run(ctx, subject, other) {
      const [pub, sub] = await ctx.link(
        { side: subject, kind: "Publisher" },
        { side: other, kind: "Subscriber" },
        transport,
      );
      await syncSubscriber(ctx, pub, sub, "a");
      await syncSubscriber(ctx, pub, sub, "b");
      for (const topic of ["a1", "b1", "c1", "ab"]) await ctx.send(pub, [topic, "m"], `PUB ${topic}`);
      for (const topic of ["a1", "b1", "ab"])
        expectFrames(
          await receiveSkippingSync(ctx, sub),
          [topic, "m"],
          `SUB subscribed to a and b gets ${topic} (c1 filtered)`,
        );
      // Cancel "b": once the publisher has it, b messages stop while a messages still flow.
      sub.unsubscribe("b");
      for (let round = 0; ; round++) {
        if (round * 20 > ctx.waitMs) throw new CaseFailure('the publisher never applied the SUB\'s unsubscribe("b")');
        await ctx.send(pub, ["b-after", String(round)], "PUB b-after");
        await ctx.send(pub, ["a-after", String(round)], "PUB a-after");
        const got = await receiveSkippingSync(ctx, sub);
        if (got[0]?.toString() === "a-after") break;
        await receiveSkippingSync(ctx, sub); // the a-after of this round
        await sleep(20);
      }
      await ctx.send(pub, ["b-late", "m"], "PUB b-late");
      await ctx.send(pub, ["a-end", "m"], "PUB a-end");
      let got = await receiveSkippingSync(ctx, sub);
      while (got[0]?.toString() === "a-after") got = await receiveSkippingSync(ctx, sub);
      expectFrames(got, ["a-end", "m"], 'after unsubscribe("b") only a messages arrive');
    },
  })),
  ...WS_TOO.map((transport): Behaviour => ({
    name: "reconnect",
    subject: "PUSH (connects)",
    other: "PULL (restarts)",
    mechanism: "null",
    transport,
    subjectKinds: ["Push"],
    otherKinds: ["Pull"],
    async run(ctx, subject, other) {
      const [first, push, endpoint] = await ctx.link(
        { side: other, kind: "Pull" },
        { side: subject, kind: "Push", options: { reconnectInterval: 50 } },
        transport,
      );
      await ctx.send(push, ["before"], "PUSH before restart");
      expectFrames(await ctx.receive(first, "first PULL"), ["before"], "before the restart");
      first.close();
      await sleep(100);
      // A new PULL on the same address: the PUSH must find it again by itself.
      const second = ctx.open(other, "Pull");
      await second.bind(endpoint);
      await ctx.send(push, ["after"], "PUSH after restart");
      expectFrames(await ctx.receive(second, "restarted PULL"), ["after"], "after the restart (reconnected)");
    },
  })),
  ...(["plain", "curve"] as const).flatMap((mechanism) =>
    WS_TOO.map((transport): Behaviour => ({
      name: `${mechanism}-denied`,
      subject: mechanism === "plain" ? "DEALER (bad password)" : "DEALER (unknown key)",
      other: "ROUTER (ZAP)",
      mechanism,
      transport,
      subjectKinds: ["Dealer"],
      otherKinds: ["Router", "Reply"],
      async run(ctx, subject, other) {
        const router = ctx.open(other, "Router");
        const dealer = ctx.open(subject, "Dealer");
        await ctx.secure(mechanism, { side: other, sock: router }, dealer, "stranger");
        if (mechanism === "plain") dealer.plainPassword = "wrong";
        const endpoint = await ctx.bind(router, transport);
        dealer.connect(endpoint);
        dealer.sendTimeout = 0;
        try {
          await dealer.send(["let me in"]);
        } catch {
          // EAGAIN: no connection to queue on, which is also a refusal
        }
        await ctx.expectNothing(router, 500, "the ZAP handler denied the client");
      },
    })),
  ),
];
