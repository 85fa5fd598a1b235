/**
 * SERVER and CLIENT as RFC 41 (CLIENTSERVER) and libzmq 4.3.5 state them, through the public API
 * with ours on both sides, over every transport; the wire form against a raw ZMTP peer.
 */
import { describe, expect, it } from "vitest";
import { Dealer } from "../../src/index.js";
import { Client, Server } from "../../src/entries/draft.js";
import { FLAG_MORE, RawPeer, frame, handshake } from "../helpers/raw-peer.js";
import { TRANSPORTS, expectNothing, failure, joined, queuedIn, text, useHarness } from "../helpers/sockets.js";
import { until } from "../helpers/time.js";

const h = useHarness();

/** send() with arguments its type refuses (a multipart message where single parts are declared). */
function untyped(socket: object, ...args: unknown[]): Promise<void> {
  return (socket as { send(...a: unknown[]): Promise<void> }).send(...args);
}

describe.each(TRANSPORTS)("SERVER / CLIENT over %s", (transport) => {
  // RFC 41 §2.2: "SHALL prefix ... a routing id"; the SERVER "SHALL use the routing id to route" replies.
  it("SERVER answers each CLIENT by the routing id its message came with; each gets only its own reply", async () => {
    const server = h.open(Server);
    const a = h.open(Client);
    const b = h.open(Client);
    const ep = await h.bound(server, transport);
    a.connect(ep);
    b.connect(ep);
    await joined(server, 2);
    await a.send("from a");
    await b.send("from b");
    const ids = new Map<string, number>();
    for (let i = 0; i < 2; i++) {
      const [body, { routingId }] = await server.receive();
      ids.set(body.toString(), routingId);
    }
    await server.send("to a", { routingId: ids.get("from a")! });
    await server.send("to b", { routingId: ids.get("from b")! });
    expect(text(await a.receive())).toEqual(["to a"]);
    expect(text(await b.receive())).toEqual(["to b"]);
    await expectNothing(a, 50);
  });

  // libzmq server.cpp: a uint32 per peer, from a random start, one more per peer, never 0.
  it("routing ids are uint32s, one per peer, the same for all of a peer's messages, one apart", async () => {
    const server = h.open(Server);
    const ep = await h.bound(server, transport);
    const clients = [h.open(Client), h.open(Client), h.open(Client)];
    for (const client of clients) {
      client.connect(ep);
      await joined(server, clients.indexOf(client) + 1);
    }
    for (const [i, client] of clients.entries()) {
      await client.send(`${i}`);
      await client.send(`${i}`);
    }
    const byClient = new Map<string, Set<number>>();
    for (let i = 0; i < 6; i++) {
      const [body, { routingId }] = await server.receive();
      expect(Number.isInteger(routingId) && routingId > 0 && routingId <= 0xffffffff).toBe(true);
      byClient.set(body.toString(), (byClient.get(body.toString()) ?? new Set()).add(routingId));
    }
    const ids = ["0", "1", "2"].map((i) => [...byClient.get(i)!]);
    for (const id of ids) expect(id).toHaveLength(1);
    // Peers joined in turn: consecutive ids (mod 2^32, skipping 0).
    const step = (x: number, y: number): number => (y - x + 0x100000000) % 0x100000000;
    expect([step(ids[0]![0]!, ids[1]![0]!), step(ids[1]![0]!, ids[2]![0]!)].every((d) => d === 1 || d === 2)).toBe(
      true,
    );
  });

  it("a SERVER that connects (the CLIENT binds) routes replies by the id it gave the peer at connect()", async () => {
    const server = h.open(Server);
    const client = h.open(Client);
    server.connect(await h.bound(client, transport));
    await joined(client);
    await client.send("hi");
    const [body, { routingId }] = await server.receive();
    expect(body.toString()).toBe("hi");
    await server.send("back", { routingId });
    expect(text(await client.receive())).toEqual(["back"]);
  });

  it("SERVER send to a routing id no peer has rejects with EHOSTUNREACH", async () => {
    const server = h.open(Server);
    const client = h.open(Client);
    client.connect(await h.bound(server, transport));
    await client.send("hi");
    const [, { routingId }] = await server.receive();
    const unknown = routingId === 0xffffffff ? 1 : routingId + 1;
    expect(await failure(() => server.send("x", { routingId: unknown }))).toMatchObject({ code: "EHOSTUNREACH" });
  });

  // RFC 41 §2.1: single-part messages only; libzmq refuses SNDMORE with EINVAL.
  it("a multipart send is EINVAL on both, and nothing is sent", async () => {
    const server = h.open(Server);
    const client = h.open(Client);
    client.connect(await h.bound(server, transport));
    await joined(client);
    expect(await failure(() => untyped(client, ["a", "b"]))).toMatchObject({ code: "EINVAL" });
    await client.send("one");
    const [body, { routingId }] = await server.receive();
    expect(body.toString()).toBe("one");
    expect(await failure(() => untyped(server, ["a", "b"], { routingId }))).toMatchObject({ code: "EINVAL" });
    await server.send("two", { routingId });
    expect(text(await client.receive())).toEqual(["two"]);
    await expectNothing(client, 50);
  });

  // RFC 41 §2.1 / client.cpp: CLIENT round-robins to its SERVERs as a DEALER does.
  it("CLIENT deals messages round-robin across 2 SERVERs", async () => {
    const client = h.open(Client);
    const s1 = h.open(Server);
    const s2 = h.open(Server);
    client.connect(await h.bound(s1, transport));
    client.connect(await h.bound(s2, transport));
    await joined(client, 2);
    for (let i = 0; i < 4; i++) await client.send(`m${i}`);
    const got1 = [(await s1.receive())[0].toString(), (await s1.receive())[0].toString()];
    const got2 = [(await s2.receive())[0].toString(), (await s2.receive())[0].toString()];
    expect([got1.join(","), got2.join(",")].sort()).toEqual(["m0,m2", "m1,m3"]);
  });

  it("a new CLIENT connection gets a new routing id; the old one is gone (EHOSTUNREACH)", async () => {
    const server = h.open(Server);
    const ep = await h.bound(server, transport);
    const first = h.open(Client);
    first.connect(ep);
    await first.send("1");
    const [, { routingId: old }] = await server.receive();
    first.close();
    await until(() => server.peers().length === 0, undefined, "the first client gone");
    const second = h.open(Client);
    second.connect(ep);
    await second.send("2");
    const [, { routingId }] = await server.receive();
    expect(routingId).not.toBe(old);
    expect(await failure(() => server.send("x", { routingId: old }))).toMatchObject({ code: "EHOSTUNREACH" });
  });
});

describe("SERVER / CLIENT: what peers send in parts", () => {
  // libzmq's server.cpp / client.cpp drop a multipart message whole and deliver the next one.
  it("SERVER drops a multipart message from a peer (inproc, which checks no socket types)", async () => {
    const server = h.open(Server);
    const dealer = h.open(Dealer);
    dealer.connect(await h.bound(server, "inproc"));
    await dealer.send(["a", "b"]);
    await dealer.send("whole");
    await until(() => queuedIn(server) === 2, undefined, "both messages queued");
    expect((await server.receive())[0].toString()).toBe("whole");
    await expectNothing(server, 50);
  });

  it("CLIENT drops a multipart message from a SERVER peer on the wire and takes the next", async () => {
    const client = h.open(Client);
    const port = Number((await h.bound(client, "tcp")).split(":").pop());
    const raw = await RawPeer.connect(port);
    raw.send(handshake("SERVER"), frame(Buffer.from("x"), FLAG_MORE), frame(Buffer.from("y")), frame(Buffer.from("z")));
    await until(() => queuedIn(client) === 2, undefined, "both messages queued");
    expect(text(await client.receive())).toEqual(["z"]);
    raw.destroy();
  });

  // libzmq's POLLIN counts a queued message before xrecv drops it: zeromq.js's pending receive
  // is then answered, and fails.
  it("a receive pending when only a multipart message arrives fails with EAGAIN, as with libzmq", async () => {
    const client = h.open(Client);
    const port = Number((await h.bound(client, "tcp")).split(":").pop());
    const raw = await RawPeer.connect(port);
    raw.send(handshake("SERVER"));
    await joined(client);
    const pending = client.receive();
    raw.send(frame(Buffer.from("x"), FLAG_MORE), frame(Buffer.from("y")));
    expect(await failure(() => pending)).toMatchObject({ code: "EAGAIN" });
    raw.destroy();
  });

  it("over ZMTP a CLIENT announces Socket-Type CLIENT, no Identity, and sends single frames", async () => {
    const client = h.open(Client);
    const port = Number((await h.bound(client, "tcp")).split(":").pop());
    const raw = await RawPeer.connect(port);
    raw.send(handshake("SERVER"));
    await client.send("hello");
    const sent = await raw.waitFrame((f) => !f.command);
    expect(sent).toMatchObject({ body: Buffer.from("hello"), more: false });
    const ready = raw.output.frames.find((f) => f.name === "READY")!;
    expect(ready.body.includes("CLIENT")).toBe(true);
    expect(ready.body.includes("Identity")).toBe(false);
    raw.destroy();
  });

  it("a CLIENT refuses a peer that is not a SERVER (DEALER): no traffic reaches it", async () => {
    const client = h.open(Client);
    const port = Number((await h.bound(client, "tcp")).split(":").pop());
    const raw = await RawPeer.connect(port);
    raw.send(handshake("DEALER"), frame(Buffer.from("x")));
    await raw.waitClose();
    await expectNothing(client, 50);
  });
});
