/**
 * Peers that ignore our FIN: closing a socket must release its connections even when the peer
 * never closes its side (libzmq close()s the fd; docs/protocol.md §5.9 — linger bounds what keeps a socket's
 * connections alive after close). Checked against libzmq as the reference.
 */
import { describe, expect, it } from "vitest";
import * as libzmq from "zeromq";
import { Dealer } from "../../src/index.js";
import { handshake } from "../helpers/raw-peer.js";
import { sleep } from "../helpers/time.js";
import { eventOf, rawServer, track, useFaultGuard, type Observed } from "./fixtures.js";

useFaultGuard();

/**
 * A DEALER (linger 0) connects to a raw ROUTER that keeps its side open after our FIN and keeps
 * writing; returns whether the connection was really released (the peer's writes then fail).
 */
async function releasedAfterClose(
  dealer: Observed & { connect(a: string): void; close(): void },
): Promise<{ ended: boolean; released: boolean }> {
  const server = await rawServer((peer) => peer.send(handshake("ROUTER")), { allowHalfOpen: true });
  const shaken = eventOf(dealer, "handshake");
  dealer.connect(server.endpoint);
  const peer = await server.peer();
  await shaken;
  dealer.close();
  await peer.until(() => peer.ended, 1000, "our FIN").catch(() => undefined);
  // A released fd answers these writes with RST; a half-closed one swallows them.
  for (let i = 0; i < 20 && !peer.closed; i++) {
    peer.socket.write("x");
    await sleep(50); // paced on purpose: one probe write every 50 ms for up to 1 s
  }
  return { ended: peer.ended, released: peer.closed };
}

describe("close() with linger 0 and a peer that ignores our FIN", () => {
  it("reference: libzmq releases the connection", async () => {
    expect(await releasedAfterClose(new libzmq.Dealer({ linger: 0 }))).toEqual({ ended: true, released: true });
  });

  // A local close ends the stream and destroys it a grace period later (Engine.close in
  // src/zmtp/engine.ts), so a peer that never ends its side cannot keep the fd, or the process.
  it("our DEALER releases the connection", async () => {
    const dealer = track(new Dealer({ linger: 0 }));
    expect(await releasedAfterClose(dealer)).toEqual({ ended: true, released: true });
  });
});
