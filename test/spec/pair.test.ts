/**
 * PAIR, as RFC 31 (EXPAIR) states it, through the public API with ours on both sides, over every
 * transport.
 */
import { describe, expect, it } from "vitest";
import { Pair } from "../../src/index.js";
import {
  TRANSPORTS,
  collectEvents,
  connectedPeers,
  expectNothing,
  joined,
  text,
  useHarness,
} from "../helpers/sockets.js";
import { until } from "../helpers/time.js";

const h = useHarness();

describe.each(TRANSPORTS)("PAIR over %s", (transport) => {
  // RFC 31: "MAY both send and receive messages", "SHALL not filter or modify outgoing or incoming messages".
  it("carries multipart messages both ways, unmodified", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    b.connect(await h.bound(a, transport));
    await b.send(["hello", "world"]);
    expect(text(await a.receive())).toEqual(["hello", "world"]);
    await a.send("back");
    expect(text(await b.receive())).toEqual(["back"]);
  });

  // RFC 31: "MAY be connected to at most one PAIR peer".
  it("refuses a second peer: its messages never arrive, and the first peer keeps working both ways", async () => {
    const a = h.open(Pair);
    const first = h.open(Pair);
    const second = h.open(Pair, { sendTimeout: 200 });
    const handshakes = collectEvents(a, "handshake");
    const ep = await h.bound(a, transport);
    first.connect(ep);
    await joined(a);
    second.connect(ep);
    // Over a wire the second peer completes its handshake before it is refused (inproc has none).
    if (transport !== "inproc") await until(() => handshakes.length === 2, undefined, "the second peer's handshake");
    await second.send("from second").catch(() => undefined);
    await expectNothing(a, 200);
    await first.send("from first");
    expect(text(await a.receive())).toEqual(["from first"]);
    await a.send("to first");
    expect(text(await first.receive())).toEqual(["to first"]);
  });

  // RFC 31: "If this peer disconnects, the PAIR socket SHALL destroy its double queue": the next peer is taken.
  it("pairs with a new peer once the first one has gone", async () => {
    const a = h.open(Pair);
    const ep = await h.bound(a, transport);
    const first = h.open(Pair);
    first.connect(ep);
    await first.send("first");
    expect(text(await a.receive())).toEqual(["first"]);
    first.close();
    await until(() => connectedPeers(a) === 0, undefined, "the first peer gone");
    const second = h.open(Pair);
    second.connect(ep);
    await second.send("second");
    expect(text(await a.receive())).toEqual(["second"]);
    await a.send("to second");
    expect(text(await second.receive())).toEqual(["to second"]);
  });

  // libzmq ends a departed peer's pipe only when its reader reaches the end: what arrived before the
  // disconnect is still delivered (RFC 31's "destroy its double queue" is about what is left after that).
  it("delivers what a peer sent before it disconnected, then pairs with the next one", async () => {
    const a = h.open(Pair);
    const ep = await h.bound(a, transport);
    const first = h.open(Pair, { linger: -1 });
    first.connect(ep);
    await joined(a);
    await first.send(["one", "1"]);
    await first.send("two");
    first.close();
    await until(() => connectedPeers(a) === 0, undefined, "the first peer gone");
    expect(text(await a.receive())).toEqual(["one", "1"]);
    expect(text(await a.receive())).toEqual(["two"]);
    const second = h.open(Pair);
    second.connect(ep);
    await second.send("second");
    expect(text(await a.receive())).toEqual(["second"]);
  });
});
