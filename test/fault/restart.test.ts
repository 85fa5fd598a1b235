/**
 * Peers restarted under traffic (docs/protocol.md §5.9, §11). A libzmq peer bound on an endpoint is closed
 * and bound again while our connecting DEALER / PUSH keeps sending sequence numbers: what was
 * queued while it was down arrives after the reconnect, once, in order. Messages already handed
 * to the dying TCP connection may be lost, as with libzmq, so each restart closes the peer only
 * once it has everything sent so far. Then the other way round: our bound ROUTER is restarted
 * under libzmq DEALERs, which reconnect and carry on.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as libzmq from "zeromq";
import { Dealer, Push, Router } from "../../src/index.js";
import { bindAgain } from "../helpers/sockets.js";
import { sleep, until } from "../helpers/time.js";
import { track, useFaultGuard } from "./fixtures.js";

useFaultGuard();

const RECONNECT_MS = 50;
/** How many messages each phase (a peer instance up, or down) sees at least. */
const PER_PHASE = 30;
const RESTARTS = 2;

type Transport = "tcp" | "ipc";
const TRANSPORTS: readonly Transport[] = ["tcp", "ipc"];
let ipcCount = 0;
const bindAddress = (t: Transport): string =>
  t === "tcp" ? "tcp://127.0.0.1:*" : `ipc://${join(tmpdir(), `zmtp-restart-${process.pid}-${ipcCount++}.sock`)}`;

interface Receiving {
  close(): void;
  receive(): Promise<Buffer[]>;
}

/** Reads sequence numbers (the last frame) from a peer until it is closed. */
function collect(sock: Receiving): number[] {
  const got: number[] = [];
  void (async () => {
    for (;;) {
      let msg: Buffer[];
      try {
        msg = await sock.receive();
      } catch {
        return; // closed
      }
      got.push(Number(msg[msg.length - 1]!.toString()));
    }
  })();
  return got;
}

/** Sends 0, 1, 2, ... with a short pause between messages; `pause()` waits until no send is in flight. */
function sequenceSender(send: (seq: number) => Promise<void>) {
  let next = 0;
  let paused = false;
  let stopped = false;
  const idle: Array<() => void> = [];
  let failure: unknown = null;
  let finished = false;
  let wake: (() => void) | null = null;
  const done = (async () => {
    while (!stopped) {
      if (paused) {
        for (const resolve of idle.splice(0)) resolve();
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      await send(next);
      next += 1;
      await sleep(1); // paced on purpose: a steady stream, not a burst the kernel swallows at once
    }
  })()
    .catch((err: unknown) => void (failure = err))
    .finally(() => {
      finished = true;
      for (const resolve of idle.splice(0)) resolve();
    });
  const sender = {
    get sent(): number {
      if (failure !== null) throw failure;
      return next;
    },
    /** Resolves once `count` more messages have been sent (a phase of traffic). */
    sendMore(count: number): Promise<void> {
      const target = next + count;
      return until(() => sender.sent >= target, 5000, `${count} more messages sent`);
    },
    pause(): Promise<void> {
      paused = true;
      return new Promise<void>((resolve) => (finished ? resolve() : idle.push(resolve))).then(() => {
        if (failure !== null) throw failure;
      });
    },
    resume(): void {
      paused = false;
      wake?.();
    },
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await done;
      if (failure !== null) throw failure;
    },
  };
  return sender;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe("the bound libzmq peer restarted while we send", () => {
  const cases = [
    { ours: "DEALER", theirs: "ROUTER" },
    { ours: "PUSH", theirs: "PULL" },
  ] as const;

  for (const t of TRANSPORTS) {
    for (const { ours, theirs } of cases) {
      it(`our ${ours} -> libzmq ${theirs} over ${t}, restarted ${RESTARTS} times: everything queued while it was down arrives after the reconnect, once, in order`, async () => {
        const open = (): libzmq.Router | libzmq.Pull =>
          track(theirs === "ROUTER" ? new libzmq.Router({ linger: 0 }) : new libzmq.Pull({ linger: 0 }));
        let peer = open();
        await peer.bind(bindAddress(t));
        const endpoint = peer.lastEndpoint!;
        const sock = track(
          ours === "DEALER"
            ? new Dealer({ linger: 0, routingId: "ours", reconnectInterval: RECONNECT_MS, sendTimeout: 3000 })
            : new Push({ linger: 0, reconnectInterval: RECONNECT_MS, sendTimeout: 3000 }),
        );
        let disconnects = 0;
        sock.events.on("disconnect", () => void (disconnects += 1));
        sock.connect(endpoint);

        const instances: number[][] = [collect(peer)];
        const sender = sequenceSender((seq) => sock.send(String(seq)));
        const boundaries: number[] = [0];
        for (let restart = 0; restart < RESTARTS; restart++) {
          await sender.sendMore(PER_PHASE);
          await sender.pause();
          const sentSoFar = sender.sent;
          const current = instances[instances.length - 1]!;
          const since = boundaries[boundaries.length - 1]!;
          await until(
            () => current.length >= sentSoFar - since,
            3000,
            `libzmq ${theirs} #${restart} has all ${sentSoFar} messages`,
          );
          boundaries.push(sentSoFar);
          const seen = disconnects;
          peer.close();
          // Our side must notice first; what is sent after that queues for the next peer.
          await until(() => disconnects > seen, 3000, "our disconnect event");
          sender.resume();
          await sender.sendMore(PER_PHASE);
          peer = open();
          await bindAgain(peer, endpoint);
          instances.push(collect(peer));
        }
        await sender.sendMore(PER_PHASE);
        await sender.pause();
        const total = sender.sent;
        await sender.stop();
        const last = instances[instances.length - 1]!;
        await until(
          () => last.length >= total - boundaries[boundaries.length - 1]!,
          3000,
          `the last libzmq ${theirs} has all ${total} messages`,
        );
        await sleep(50); // on purpose: no duplicate may trail in

        expect(disconnects).toBe(RESTARTS);
        boundaries.push(total);
        instances.forEach((got, i) => {
          expect(got, `peer instance #${i}`).toEqual(range(boundaries[i]!, boundaries[i + 1]!));
        });
        // Traffic really was queued during every outage, not only before and after it.
        for (let i = 1; i < boundaries.length - 1; i++) expect(boundaries[i + 1]! - boundaries[i]!).toBeGreaterThan(10);

        if (ours === "DEALER") {
          // The new ROUTER reaches us by our id.
          await (peer as libzmq.Router).send(["ours", "welcome back"]);
          (sock as Dealer).receiveTimeout = 3000;
          expect((await (sock as Dealer).receive()).map(String)).toEqual(["welcome back"]);
        }
      });
    }
  }

  it("our PUSH -> libzmq PULL over tcp, closed while we keep sending: no duplicates, in order, and nothing sent after our disconnect event is lost", async () => {
    let pull = track(new libzmq.Pull({ linger: 0 }));
    await pull.bind("tcp://127.0.0.1:*");
    const endpoint = pull.lastEndpoint!;
    const push = track(new Push({ linger: 0, reconnectInterval: RECONNECT_MS, sendTimeout: 3000 }));
    const sender = sequenceSender((seq) => push.send(String(seq)));
    let sentAtDisconnect = -1;
    push.events.on("disconnect", () => void (sentAtDisconnect = sender.sent));
    push.connect(endpoint);
    const first = collect(pull);
    await sender.sendMore(PER_PHASE);
    const sentAtClose = sender.sent;
    pull.close();
    await until(() => sentAtDisconnect >= 0, 3000, "our disconnect event");
    await sender.sendMore(PER_PHASE);
    pull = track(new libzmq.Pull({ linger: 0 }));
    await bindAgain(pull, endpoint);
    const second = collect(pull);
    await sender.sendMore(PER_PHASE);
    await sender.pause();
    const total = sender.sent;
    await sender.stop();
    await until(
      () => second.length > 0 && second[second.length - 1] === total - 1,
      3000,
      "the second PULL has the last message",
    );
    await sleep(50); // on purpose: no duplicate may trail in

    // The first PULL got a gapless prefix; the second continues after it, without repeats.
    expect(first).toEqual(range(0, first.length));
    expect(first.length).toBeLessThanOrEqual(sentAtDisconnect);
    for (let i = 1; i < second.length; i++) expect(second[i]!).toBeGreaterThan(second[i - 1]!);
    expect(second[0]!).toBeGreaterThanOrEqual(first.length);
    // Only what was sent before our side saw the close may have gone down with the connection.
    const missing = range(first.length, total).filter((seq) => !second.includes(seq));
    for (const seq of missing) expect(seq).toBeLessThan(sentAtDisconnect);
    console.log(
      `[restart] PUSH closed under traffic: ${total} sent; the old PULL got ${first.length}; ` +
        `${sentAtDisconnect - sentAtClose} sent between the close and our disconnect event; ${missing.length} lost with the old connection`,
    );
  });
});

describe("our bound ROUTER restarted under libzmq DEALERs", () => {
  for (const t of TRANSPORTS) {
    it(`over ${t}: the DEALERs reconnect, what they queued meanwhile arrives once and in order, and replies reach them by id`, async () => {
      let router = track(new Router({ linger: 0, receiveTimeout: 3000 }));
      await router.bind(bindAddress(t));
      const endpoint = router.lastEndpoint!;
      const ids = ["w0", "w1", "w2"];
      const dealers = ids.map((id) =>
        track(new libzmq.Dealer({ linger: 0, routingId: id, reconnectInterval: RECONNECT_MS, receiveTimeout: 3000 })),
      );
      const disconnects = ids.map(() => 0);
      dealers.forEach((dealer, i) => {
        const events = dealer.events;
        void (async () => {
          try {
            for await (const event of events) if (event.type === "disconnect") disconnects[i]! += 1;
          } catch {
            // the observer closes with its socket
          }
        })();
        dealer.connect(endpoint);
      });

      /** What the current ROUTER received, per DEALER id. */
      const receiveAll = (r: Router): Map<string, number[]> => {
        const byId = new Map(ids.map((id) => [id, [] as number[]]));
        void (async () => {
          for (;;) {
            let msg: Buffer[];
            try {
              msg = await r.receive();
            } catch {
              if (r.closed) return;
              continue;
            }
            byId.get(msg[0]!.toString())?.push(Number(msg[1]!.toString()));
          }
        })();
        return byId;
      };
      let got = receiveAll(router);
      const senders = dealers.map((dealer) => sequenceSender((seq) => dealer.send(String(seq))));
      await Promise.all(senders.map((s) => s.sendMore(PER_PHASE)));
      await Promise.all(senders.map((s) => s.pause()));
      const before = senders.map((s) => s.sent);
      await until(
        () => ids.every((id, i) => got.get(id)!.length >= before[i]!),
        3000,
        "the first ROUTER has everything",
      );
      ids.forEach((id, i) => expect(got.get(id), id).toEqual(range(0, before[i]!)));

      router.close();
      await until(() => disconnects.every((n) => n === 1), 3000, "every DEALER noticed the close");
      senders.forEach((s) => s.resume());
      await Promise.all(senders.map((s) => s.sendMore(PER_PHASE)));
      router = track(new Router({ linger: 0, receiveTimeout: 3000 }));
      await bindAgain(router, endpoint);
      got = receiveAll(router);
      await Promise.all(senders.map((s) => s.sendMore(PER_PHASE)));
      await Promise.all(senders.map((s) => s.pause()));
      const after = senders.map((s) => s.sent);
      for (const s of senders) await s.stop();
      await until(
        () => ids.every((id, i) => got.get(id)!.length >= after[i]! - before[i]!),
        3000,
        "the new ROUTER has everything",
      );
      await sleep(50); // on purpose: no duplicate may trail in
      ids.forEach((id, i) => {
        expect(got.get(id), id).toEqual(range(before[i]!, after[i]!));
        expect(after[i]! - before[i]!).toBeGreaterThan(10);
      });
      expect(router.statistics.peers).toBe(ids.length);

      for (const id of ids) await router.send([id, `reply to ${id}`]);
      for (const [i, dealer] of dealers.entries()) {
        expect((await dealer.receive()).map(String)).toEqual([`reply to ${ids[i]}`]);
      }
    });
  }
});
