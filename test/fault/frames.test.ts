/**
 * Peers that break framing after a good handshake (docs/protocol.md §2): lying size headers, frames over
 * maxMessageSize, connections cut in the middle of a frame.
 */
import { describe, expect, it } from "vitest";
import * as libzmq from "zeromq";
import { Pull } from "../../src/index.js";
import { FLAG_MORE, RawPeer, frame, handshake } from "../helpers/raw-peer.js";
import { sleep, until } from "../helpers/time.js";
import {
  connectingPull,
  eventOf,
  portOf,
  rawClient,
  rawServer,
  servingPull,
  track,
  useFaultGuard,
  waitEvent,
  type Observed,
} from "./fixtures.js";

useFaultGuard();

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");
/** A long-form data frame header claiming a 4 GiB body. */
const HEADER_4GIB = hex("02 00 00 00 01 00 00 00 00");

/** A raw PUSH connected to `endpoint` whose handshake has completed on our side. */
async function shakenPeer(endpoint: string, pull: Pull): Promise<RawPeer> {
  const shaken = waitEvent(pull, "handshake");
  const peer = await rawClient(endpoint);
  peer.send(handshake("PUSH"));
  await shaken;
  return peer;
}

describe("size limits", () => {
  it("closes at once, without waiting for the body, on a header claiming 4 GiB with maxMessageSize 1 MiB", async () => {
    const { endpoint, pull, expectServing } = await servingPull("ours", { maxMessageSize: 1 << 20 });
    const peer = await shakenPeer(endpoint, pull);
    const before = process.memoryUsage().arrayBuffers;
    peer.send(HEADER_4GIB, Buffer.alloc(1024, 0x55));
    // The 4 GiB never come: a close within the wait means the header alone decided it.
    await peer.waitClose(1000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
    await expectServing();
  });

  it("closes on a 4 GiB header in the second frame of a multipart message", async () => {
    const { endpoint, pull, expectServing } = await servingPull("libzmq", { maxMessageSize: 1 << 20 });
    const peer = await shakenPeer(endpoint, pull);
    peer.send(frame(Buffer.from("first"), FLAG_MORE), HEADER_4GIB);
    await peer.waitClose(1000);
    await expectServing();
  });

  it("with maxMessageSize 1 KiB accepts a 1 KiB frame and closes on a 2 KiB one", async () => {
    const { endpoint, pull, expectServing } = await servingPull("ours", { maxMessageSize: 1024 });
    const peer = await shakenPeer(endpoint, pull);
    peer.send(frame(Buffer.alloc(1024, 1)));
    expect((await pull.receive())[0]!.length).toBe(1024);
    peer.send(frame(Buffer.alloc(2048, 2)));
    await peer.waitClose(1000);
    await expectServing();
  });

  it("a connecting socket does not redial a server that exceeded maxMessageSize (docs/protocol.md §2.2, §11.2)", async () => {
    const { pull, expectServing } = await connectingPull("ours", { maxMessageSize: 1024, reconnectInterval: 50 });
    const server = await rawServer((peer) => peer.send(handshake("PUSH"), frame(Buffer.alloc(2048))));
    pull.connect(server.endpoint);
    await (await server.peer(0)).waitClose();
    await sleep(1000); // on purpose: 20 reconnect intervals in which no redial may happen
    expect(server.peers).toHaveLength(1);
    await expectServing();
  });
});

describe("peer killed mid-frame", () => {
  it("our bound PULL sees a disconnect and keeps serving its good peer", async () => {
    const { endpoint, pull, expectServing } = await servingPull("ours");
    const peer = await shakenPeer(endpoint, pull);
    const disconnected = waitEvent(pull, "disconnect");
    const before = pull.statistics.bytesIn;
    peer.send(frame(Buffer.alloc(600, 7)).subarray(0, 300));
    await until(() => pull.statistics.bytesIn >= before + 300, undefined, "the first half of the frame read");
    peer.destroy();
    expect((await disconnected).address).toBe(endpoint);
    await expectServing();
  });

  it("our connecting PULL sees a disconnect, redials, and receives from the restarted server", async () => {
    const server = await rawServer((peer) => {
      if (server.peers.length === 1) {
        peer.send(handshake("PUSH"), frame(Buffer.from("cut-off")).subarray(0, 4));
        setTimeout(() => peer.destroy(), 20);
      } else {
        peer.send(handshake("PUSH"), frame(Buffer.from("after-reconnect")));
      }
    });
    const { pull, expectServing } = await connectingPull("libzmq", { reconnectInterval: 50 });
    const disconnected = waitEvent(pull, "disconnect");
    pull.connect(server.endpoint);
    expect((await disconnected).address).toBe(server.endpoint);
    let msg = await pull.receive();
    while (msg[0]!.toString().startsWith("good-")) msg = await pull.receive();
    expect(msg.map(String)).toEqual(["after-reconnect"]);
    expect(server.peers).toHaveLength(2);
    await expectServing();
  });
});

/**
 * Messages a peer completed before it died were received: libzmq still hands them to the
 * application (the accepting side drops only what was queued *towards* the peer, docs/protocol.md §5.9).
 */
async function receivedBeforeDeath(
  pull: Observed & {
    bind(a: string): Promise<void>;
    readonly lastEndpoint: string | null;
    receive(): Promise<Buffer[]>;
  },
): Promise<string[]> {
  await pull.bind("tcp://127.0.0.1:*");
  const shaken = eventOf(pull, "handshake");
  const gone = eventOf(pull, "disconnect");
  const peer = await RawPeer.connect(portOf(pull.lastEndpoint!));
  peer.send(handshake("PUSH"));
  await shaken;
  peer.send(frame(Buffer.from("one")), frame(Buffer.from("two")), frame(Buffer.from("cut")).subarray(0, 3));
  // The peer dies mid-frame: its FIN follows the bytes it wrote. Read only once the PULL has
  // seen the connection go.
  peer.socket.end();
  await gone;
  peer.destroy();
  const got: string[] = [];
  try {
    for (;;) got.push(...(await pull.receive()).map(String));
  } catch {
    return got;
  }
}

describe("messages completed before the peer was killed", () => {
  it("reference: a libzmq bound PULL still delivers them", async () => {
    const pull = track(new libzmq.Pull({ linger: 0, receiveTimeout: 300 }));
    expect(await receivedBeforeDeath(pull)).toEqual(["one", "two"]);
  });

  // The accepting session drops only its queue towards the dead peer (AcceptedSession.engineClosed
  // in src/sockets/session/acceptor.ts); what the peer completed stays queued for the application.
  it("our bound PULL still delivers them, as libzmq does", async () => {
    const pull = track(new Pull({ linger: 0, receiveTimeout: 300 }));
    expect(await receivedBeforeDeath(pull)).toEqual(["one", "two"]);
  });
});
