/**
 * SCATTER and GATHER (libzmq 4.3.5 scatter.cpp / gather.cpp): PUSH and PULL for single-part
 * messages, through the public API with ours on both sides, over every transport.
 */
import { describe, expect, it } from "vitest";
import { Push } from "../../src/index.js";
import { Gather, Scatter } from "../../src/entries/draft.js";
import {
  TRANSPORTS,
  expectNothing,
  failure,
  fairRounds,
  joined,
  queuedIn,
  text,
  useHarness,
} from "../helpers/sockets.js";
import { until } from "../helpers/time.js";

const h = useHarness();

/** send() with arguments its type refuses (a multipart message where single parts are declared). */
function untyped(socket: object, ...args: unknown[]): Promise<void> {
  return (socket as { send(...a: unknown[]): Promise<void> }).send(...args);
}

describe.each(TRANSPORTS)("SCATTER / GATHER over %s", (transport) => {
  it("SCATTER deals messages round-robin across 2 GATHERs", async () => {
    const scatter = h.open(Scatter);
    const g1 = h.open(Gather);
    const g2 = h.open(Gather);
    const ep = await h.bound(scatter, transport);
    g1.connect(ep);
    g2.connect(ep);
    await joined(scatter, 2);
    for (let i = 0; i < 4; i++) await scatter.send(`m${i}`);
    const got1 = [...text(await g1.receive()), ...text(await g1.receive())];
    const got2 = [...text(await g2.receive()), ...text(await g2.receive())];
    expect([got1.join(","), got2.join(",")].sort()).toEqual(["m0,m2", "m1,m3"]);
  });

  it("GATHER fair-queues from 2 SCATTERs", async () => {
    const gather = h.open(Gather);
    const a = h.open(Scatter);
    const b = h.open(Scatter);
    const ep = await h.bound(gather, transport);
    a.connect(ep);
    b.connect(ep);
    for (let i = 0; i < 3; i++) await a.send(`a${i}`);
    for (let i = 0; i < 3; i++) await b.send(`b${i}`);
    await until(() => queuedIn(gather) === 6, undefined, "all 6 messages queued at the GATHER");
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(...text(await gather.receive()));
    expect(fairRounds(got, 2)).toEqual([
      ["a0", "b0"],
      ["a1", "b1"],
      ["a2", "b2"],
    ]);
  });

  it("SCATTER refuses a multipart message with EINVAL; the next single part goes", async () => {
    const scatter = h.open(Scatter);
    const gather = h.open(Gather);
    scatter.connect(await h.bound(gather, transport));
    await joined(scatter);
    expect(await failure(() => untyped(scatter, ["a", "b"]))).toMatchObject({ code: "EINVAL" });
    await scatter.send("c");
    expect(text(await gather.receive())).toEqual(["c"]);
    await expectNothing(gather, 50);
  });

  it("a SCATTER with no GATHER waits (sendTimeout), as PUSH does", async () => {
    const scatter = h.open(Scatter, { sendTimeout: 50 });
    expect(await failure(() => scatter.send("x"))).toMatchObject({ code: "EAGAIN" });
  });
});

describe("SCATTER / GATHER: peers that send in parts", () => {
  it("GATHER drops a multipart message from a peer (inproc, which checks no socket types)", async () => {
    const gather = h.open(Gather);
    const push = h.open(Push);
    push.connect(await h.bound(gather, "inproc"));
    await push.send(["a", "b"]);
    await push.send("whole");
    await until(() => queuedIn(gather) === 2, undefined, "both messages queued");
    expect(text(await gather.receive())).toEqual(["whole"]);
    await expectNothing(gather, 50);
  });

  it("conflate is accepted on both and changes nothing (libzmq conflates five classic types only)", async () => {
    const gather = h.open(Gather, { conflate: true });
    const scatter = h.open(Scatter, { conflate: true });
    scatter.connect(await h.bound(gather, "inproc"));
    for (let i = 0; i < 3; i++) await scatter.send(`${i}`);
    for (let i = 0; i < 3; i++) expect(text(await gather.receive())).toEqual([`${i}`]);
  });
});
