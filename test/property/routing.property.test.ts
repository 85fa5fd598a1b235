/**
 * Fairness of the shared routing pieces and "PUSH loses nothing at its high-water mark", for
 * arbitrary pipe counts, queue limits, message counts and reader pauses. LoadBalancer (libzmq
 * lb_t) must rotate over the pipes with room; FairQueue (libzmq fq_t) must take one message per
 * non-empty pipe per round; PUSH must wait, never drop (RFC 30, docs/protocol.md §5.5).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as libzmq from "zeromq";
import { Context, Pull, Push } from "../../src/index.js";
import { Pipe, type Message, type PipeOwner } from "../../src/sockets/pipe.js";
import { FairQueue } from "../../src/sockets/routing/fq.js";
import { LoadBalancer } from "../../src/sockets/routing/lb.js";
import { sleep, until } from "../helpers/time.js";

const idle: PipeOwner = { pipeReadable: () => undefined, pipeWritable: () => undefined };

/** A message naming its pipe and its sequence number on that pipe. */
const tagged = (pipe: number, seq: number): Message => [Buffer.from(`${pipe}:${seq}`)];
const untag = (msg: Message): [number, number] => {
  const [pipe, seq] = msg[0]!.toString().split(":");
  return [Number(pipe), Number(seq)];
};

describe("LoadBalancer", () => {
  it("over k pipes with room, message i goes to pipe (start + i) mod k: each gets floor(n/k) or ceil(n/k)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(20), fc.nat(200), (k, warmUp, n) => {
        const lb = new LoadBalancer();
        const pipes = Array.from({ length: k }, (_, i) => new Pipe(idle, String(i), 0, 0));
        for (const pipe of pipes) lb.attach(pipe);
        for (let i = 0; i < warmUp; i++) lb.send(tagged(-1, i));
        const counts = new Array<number>(k).fill(0);
        for (let i = 0; i < n; i++) {
          const pipe = lb.send(tagged(-1, i));
          expect(pipe).toBe(pipes[(warmUp + i) % k]);
          counts[Number(pipe!.endpoint)]! += 1;
        }
        for (const count of counts) expect([Math.floor(n / k), Math.ceil(n / k)]).toContain(count);
      }),
      { numRuns: 200 },
    );
  });

  type Op = { kind: "send" } | { kind: "take"; pipe: number; count: number };
  const op = (k: number): fc.Arbitrary<Op> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<Op>({ kind: "send" }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("take" as const),
          pipe: fc.nat(k - 1),
          count: fc.integer({ min: 1, max: 3 }),
        }),
      },
    );
  const scenario = fc.integer({ min: 1, max: 6 }).chain((k) =>
    fc.record({
      // 0 = unlimited, as ZMQ_SNDHWM 0.
      hwms: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: k, maxLength: k }),
      ops: fc.array(op(k), { maxLength: 120 }),
    }),
  );

  it("skips full pipes and only them: each send goes to the next pipe in rotation with room, null when all are full", () => {
    fc.assert(
      fc.property(scenario, ({ hwms, ops }) => {
        const k = hwms.length;
        const lb = new LoadBalancer();
        const pipes = hwms.map((hwm, i) => new Pipe(idle, String(i), hwm, hwm));
        for (const pipe of pipes) lb.attach(pipe);
        // The model: libzmq's pipe counters (messages written, read, and the read count the
        // writer last heard of, every LWM = (hwm + 1) / 2 reads) and the rotation cursor of lb_t.
        const lengths = new Array<number>(k).fill(0);
        const written = new Array<number>(k).fill(0);
        const read = new Array<number>(k).fill(0);
        const heard = new Array<number>(k).fill(0);
        let next = 0;
        const hasRoom = (i: number): boolean => hwms[i] === 0 || written[i]! - heard[i]! < hwms[i]!;
        let seq = 0;
        for (const step of ops) {
          if (step.kind === "take") {
            const i = step.pipe;
            const lwm = hwms[i] === 0 ? 1 : Math.floor((hwms[i]! + 1) / 2);
            for (let j = 0; j < step.count; j++) {
              if (pipes[i]!.takeOutbound() === undefined) continue;
              lengths[i]! -= 1;
              read[i]! += 1;
              if (read[i]! % lwm === 0) heard[i] = read[i]!;
            }
            continue;
          }
          let expected: number | null = null;
          for (let j = 0; j < k; j++) {
            const i = (next + j) % k;
            if (hasRoom(i)) {
              expected = i;
              next = (i + 1) % k;
              break;
            }
          }
          const pipe = lb.send(tagged(-1, seq++));
          expect(pipe === null ? null : Number(pipe.endpoint)).toBe(expected);
          if (expected !== null) {
            lengths[expected]! += 1;
            written[expected]! += 1;
          }
          for (let i = 0; i < k; i++) {
            expect(pipes[i]!.outboundLength).toBe(lengths[i]);
            if (hwms[i]! > 0) expect(pipes[i]!.outboundLength).toBeLessThanOrEqual(hwms[i]!);
          }
          expect(lb.hasOut).toBe(lengths.some((_, i) => hasRoom(i)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** A fair queue whose pipes activate it as a socket's would (pipeReadable -> activate). */
function fairQueue(k: number): { fq: FairQueue; pipes: Pipe[] } {
  const fq = new FairQueue();
  const owner: PipeOwner = { pipeReadable: (p) => fq.activate(p), pipeWritable: () => undefined };
  const pipes = Array.from({ length: k }, (_, i) => new Pipe(owner, String(i), 0, 0));
  return { fq, pipes };
}

describe("FairQueue", () => {
  it("with messages already queued: round r yields the r-th message of every pipe that has one, in activation order", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10), { minLength: 1, maxLength: 8 }), (counts) => {
        const { fq, pipes } = fairQueue(counts.length);
        counts.forEach((count, i) => {
          for (let seq = 0; seq < count; seq++) pipes[i]!.deliver(tagged(i, seq));
        });
        const expected: string[] = [];
        for (let round = 0; round < Math.max(...counts); round++) {
          counts.forEach((count, i) => {
            if (round < count) expected.push(`${i}:${round}`);
          });
        }
        const got: string[] = [];
        for (let msg = fq.recv(); msg !== undefined; msg = fq.recv()) got.push(msg[0]!.toString());
        expect(got).toEqual(expected);
        expect(fq.readable).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  type FqOp = { kind: "deliver"; pipe: number; count: number } | { kind: "recv" };
  const fqOps = (k: number): fc.Arbitrary<FqOp[]> =>
    fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant("deliver" as const),
          pipe: fc.nat(k - 1),
          count: fc.integer({ min: 1, max: 4 }),
        }),
        fc.constant<FqOp>({ kind: "recv" }),
      ),
      { maxLength: 100 },
    );

  it("with deliveries and reads interleaved: per-pipe order is kept, nothing is lost or repeated, recv is undefined only when all are empty", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((k) => fc.tuple(fc.constant(k), fqOps(k))),
        ([k, ops]) => {
          const { fq, pipes } = fairQueue(k);
          const sent = new Array<number>(k).fill(0);
          const seen = new Array<number>(k).fill(0);
          const check = (msg: Message | undefined): boolean => {
            const waiting = sent.some((n, i) => n > seen[i]!);
            if (msg === undefined) {
              expect(waiting).toBe(false);
              return false;
            }
            const [pipe, seq] = untag(msg);
            expect(seq).toBe(seen[pipe]);
            seen[pipe]! += 1;
            return true;
          };
          for (const step of ops) {
            if (step.kind === "recv") check(fq.recv());
            else for (let j = 0; j < step.count; j++) pipes[step.pipe]!.deliver(tagged(step.pipe, sent[step.pipe]!++));
          }
          while (check(fq.recv()));
          expect(seen).toEqual(sent);
        },
      ),
      { numRuns: 300 },
    );
  });

  /**
   * Peers that send their next message only once the previous one was read (a REQ-like client,
   * an inproc peer in lock step) refill their pipe right after it empties. libzmq's fq_t still
   * serves every waiting pipe once per round: it advances its cursor after each read and only
   * deactivates a pipe when a read finds it empty.
   */
  const refillScenario = fc.integer({ min: 2, max: 5 }).chain((k) =>
    fc.record({
      backlog: fc.array(fc.nat(8), { minLength: k, maxLength: k }),
      refills: fc.array(fc.boolean(), { minLength: k, maxLength: k }),
      reads: fc.integer({ min: 1, max: 60 }),
    }),
  );

  it("while pipes refill as soon as they are read empty, no pipe is served twice while another one waits", () => {
    fc.assert(
      fc.property(refillScenario, ({ backlog, refills, reads }) => {
        const k = backlog.length;
        const { fq, pipes } = fairQueue(k);
        const sent = new Array<number>(k).fill(0);
        const deliver = (i: number): void => void pipes[i]!.deliver(tagged(i, sent[i]!++));
        backlog.forEach((count, i) => {
          for (let j = 0; j < count; j++) deliver(i);
        });
        // servedWhileWaiting[p]: the pipes served since p last got a turn while p had messages.
        const servedWhileWaiting = Array.from({ length: k }, () => new Set<number>());
        for (let r = 0; r < reads; r++) {
          const msg = fq.recv();
          if (msg === undefined) break;
          const [from] = untag(msg);
          servedWhileWaiting[from]!.clear();
          for (let p = 0; p < k; p++) {
            if (p === from || !pipes[p]!.readable) {
              if (p !== from) servedWhileWaiting[p]!.clear();
              continue;
            }
            expect(servedWhileWaiting[p]!.has(from), `pipe ${from} served twice while pipe ${p} waited`).toBe(false);
            servedWhileWaiting[p]!.add(from);
          }
          if (refills[from] && !pipes[from]!.readable) deliver(from);
        }
      }),
      // The smallest starvation: pipe 1 refills after each read and pipe 0's backlog never moves.
      { numRuns: 200, examples: [[{ backlog: [5, 1], refills: [false, true], reads: 6 }]] },
    );
  });

  it("reference: a libzmq PULL reading from a backlogged PUSH and a lock-step PUSH serves both in turn", async () => {
    const pull = new libzmq.Pull({ linger: 0, receiveTimeout: 2000 });
    const backlogged = new libzmq.Push({ linger: 0 });
    const lockStep = new libzmq.Push({ linger: 0 });
    try {
      await pull.bind("inproc://fairness");
      backlogged.connect("inproc://fairness");
      lockStep.connect("inproc://fairness");
      for (let i = 0; i < 50; i++) await backlogged.send(`a${i}`);
      await lockStep.send("b");
      const got: string[] = [];
      for (let i = 0; i < 20; i++) {
        const body = (await pull.receive())[0]!.toString();
        got.push(body);
        if (body === "b") await lockStep.send("b");
      }
      expect(got.filter((m) => m.startsWith("a")).length).toBeGreaterThanOrEqual(9);
    } finally {
      for (const s of [pull, backlogged, lockStep]) s.close();
    }
  });

  it("example: our PULL reading from a backlogged PUSH and a lock-step PUSH serves both in turn", async () => {
    const ctx = new Context();
    const pull = new Pull({ context: ctx, receiveTimeout: 2000 });
    const backlogged = new Push({ context: ctx });
    const lockStep = new Push({ context: ctx });
    try {
      await pull.bind("inproc://fairness");
      backlogged.connect("inproc://fairness");
      lockStep.connect("inproc://fairness");
      for (let i = 0; i < 50; i++) await backlogged.send(`a${i}`);
      await lockStep.send("b");
      const got: string[] = [];
      for (let i = 0; i < 20; i++) {
        const body = (await pull.receive())[0]!.toString();
        got.push(body);
        // The lock-step peer sends its next message once its previous one was read.
        if (body === "b") await lockStep.send("b");
      }
      // Observed: ["a0", "b", "b", "b", ...]; libzmq alternates a0, b, a1, b, ...
      expect(got.filter((m) => m.startsWith("a")).length).toBeGreaterThanOrEqual(9);
    } finally {
      for (const s of [pull, backlogged, lockStep]) s.close();
    }
  });
});

describe("PUSH at its high-water mark loses nothing", () => {
  const run = fc.record({
    sendHighWaterMark: fc.integer({ min: 1, max: 10 }),
    receiveHighWaterMark: fc.integer({ min: 1, max: 10 }),
    pulls: fc.integer({ min: 1, max: 3 }),
    messages: fc.integer({ min: 1, max: 120 }),
    // After every `every`-th read a reader pauses `ms` (0: a macrotask turn).
    pauses: fc.array(fc.record({ every: fc.integer({ min: 1, max: 15 }), ms: fc.integer({ min: 0, max: 4 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
  });

  type RunParams = typeof run extends fc.Arbitrary<infer T> ? T : never;
  let names = 0;

  async function pushToPulls(transport: "inproc" | "tcp", params: RunParams): Promise<void> {
    const { sendHighWaterMark, receiveHighWaterMark, pulls: pullCount, messages, pauses } = params;
    const ctx = new Context();
    const push = new Push({ context: ctx, linger: 0, sendHighWaterMark, sendTimeout: 5000 });
    const pulls = Array.from(
      { length: pullCount },
      () => new Pull({ context: ctx, linger: 0, receiveHighWaterMark, receiveTimeout: 5000 }),
    );
    const received = pulls.map((): number[] => []);
    let total = 0;
    let failure: unknown = null;
    let closing = false;
    const readers: Promise<void>[] = [];
    try {
      for (const pull of pulls) {
        await pull.bind(transport === "tcp" ? "tcp://127.0.0.1:*" : `inproc://hwm-${names++}`);
        push.connect(pull.lastEndpoint!);
      }
      pulls.forEach((pull, r) => {
        const pause = pauses[r % pauses.length]!;
        readers.push(
          (async () => {
            while (total < messages) {
              const msg = await pull.receive();
              received[r]!.push(Number(msg[0]!.toString()));
              total += 1;
              if (received[r]!.length % pause.every === 0) await sleep(pause.ms); // paced on purpose: a slow reader
            }
          })().catch((err: unknown) => {
            if (!closing) failure = err;
          }),
        );
      });
      for (let seq = 0; seq < messages; seq++) await push.send(String(seq));
      await until(() => total >= messages || failure !== null, 5000, `all ${messages} messages received`);
      if (failure !== null) throw failure;
      // Every sequence number exactly once overall, and in order at each PULL.
      const all = received.flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: messages }, (_, i) => i));
      for (const list of received) for (let i = 1; i < list.length; i++) expect(list[i]!).toBeGreaterThan(list[i - 1]!);
    } finally {
      closing = true;
      push.close();
      for (const pull of pulls) pull.close();
      await Promise.all(readers);
    }
  }

  for (const transport of ["inproc", "tcp"] as const) {
    it(`ours PUSH -> ours PULLs over ${transport}: every sequence number arrives exactly once, in order per PULL`, async () => {
      await fc.assert(
        fc.asyncProperty(run, (params) => pushToPulls(transport, params)),
        { numRuns: 15 },
      );
    }, 60_000);
  }
});
