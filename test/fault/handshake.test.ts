/**
 * Peers that break the NULL handshake (docs/protocol.md §3, §4, §11): bad READY, data too early, silence.
 * Bad connections are closed; a connecting socket gives up on fatal errors and redials transient
 * ones; the good peer keeps being served throughout.
 */
import { describe, expect, it } from "vitest";
import { command, frame, greeting, handshake, ping, ready } from "../helpers/raw-peer.js";
import { socketInternals } from "../../src/internal.js";
import { FakeClock } from "../helpers/fake-clock.js";
import { sleep, until } from "../helpers/time.js";
import { connectingPull, rawClient, rawServer, record, servingPull, useFaultGuard, waitEvent } from "./fixtures.js";

useFaultGuard();

describe("our bound PULL against a bad handshake", () => {
  it.each([
    ["READY says PUB (incompatible with PULL)", () => handshake("PUB")],
    ['READY says "push" (Socket-Type values are case-sensitive)', () => handshake("push")],
    ["READY without Socket-Type", () => Buffer.concat([greeting(), command("READY")])],
    [
      "truncated READY metadata",
      () => Buffer.concat([greeting(), command("READY", Buffer.from("\x0bSocket-Type\0\0\0\x09PUSH", "latin1"))]),
    ],
    ["a data frame before READY", () => Buffer.concat([greeting(), frame(Buffer.from("early")), ready("PUSH")])],
    ["PING instead of READY (docs/protocol.md §1.4)", () => Buffer.concat([greeting(), ping(10), ready("PUSH")])],
    ["an empty command frame instead of READY", () => Buffer.concat([greeting(), Buffer.from([0x04, 0x00])])],
  ])("closes a peer that sends %s, and keeps serving its good peer", async (_name, bytes) => {
    const { endpoint, pull, expectServing } = await servingPull("ours");
    const seen = record(pull, ["handshake", "disconnect"]);
    const peer = await rawClient(endpoint);
    peer.send(bytes());
    await peer.waitClose();
    await until(() => seen.length > 0, undefined, "the disconnect event");
    expect(seen.map((e) => e.type)).toEqual(["disconnect"]);
    await expectServing();
  });

  it("drops a peer that connects and sends nothing, exactly handshakeInterval after it connected (docs/protocol.md §1.4)", async () => {
    const { endpoint, pull, expectServing } = await servingPull("ours", { handshakeInterval: 200 });
    // New connections' timers run on a fake clock (the good peer's are already set).
    const clock = new FakeClock();
    socketInternals(pull).clock = clock;
    const failed = waitEvent(pull, "handshake:error:other");
    const peer = await rawClient(endpoint);
    await until(() => clock.timers === 1, undefined, "the handshake timer armed");
    clock.advance(199);
    expect(clock.timers).toBe(1);
    clock.advance(1);
    expect(clock.timers).toBe(0);
    await peer.waitClose(2000);
    expect((await failed).error).toMatchObject({ code: "ETIMEDOUT" });
    await expectServing();
  });

  it("drops a peer that sent only its greeting after handshakeInterval", async () => {
    const { endpoint, expectServing } = await servingPull("libzmq", { handshakeInterval: 200 });
    const peer = await rawClient(endpoint);
    peer.send(greeting());
    await peer.waitClose(2000);
    await expectServing();
  });
});

describe("our connecting PULL against a bad server", () => {
  it("does not redial a server whose READY is incompatible (PUB): exactly one connection in 1 s (docs/protocol.md §4.2, §11.2)", async () => {
    const { pull, expectServing } = await connectingPull("libzmq", { reconnectInterval: 50 });
    const server = await rawServer((peer) => peer.send(handshake("PUB")));
    pull.connect(server.endpoint);
    await (await server.peer(0)).waitClose();
    await sleep(1000); // on purpose: 20 reconnect intervals in which no redial may happen
    expect(server.peers).toHaveLength(1);
    await expectServing();
  });

  // Giving up stops only that dial (Connecter in src/sockets/session/connecter.ts); a new
  // connect() adds a new Connecter for the endpoint (src/sockets/endpoints.ts), which dials.
  it("after giving up on a fatal handshake, connect() to the same endpoint dials again (docs/protocol.md §4.2, §11.2)", async () => {
    const { pull, expectServing } = await connectingPull("ours", { reconnectInterval: 50 });
    const server = await rawServer((peer) => {
      if (server.peers.length === 1) peer.send(handshake("PUB"));
      else peer.send(handshake("PUSH"));
    });
    pull.connect(server.endpoint);
    // Our side closed it (fatal): the endpoint's connecter has given up by now.
    await (await server.peer(0)).waitClose();
    pull.connect(server.endpoint);
    await server.peer(1, 1000);
    await expectServing();
  });

  it("does not redial a server that answers with ERROR (docs/protocol.md §3.4)", async () => {
    const { pull, expectServing } = await connectingPull("ours", { reconnectInterval: 50 });
    const server = await rawServer((peer) => peer.send(greeting(), command("ERROR", Buffer.from("\x03400"))));
    const seen = record(pull, ["handshake:error:auth"]);
    pull.connect(server.endpoint);
    await (await server.peer(0)).waitClose();
    await sleep(600); // on purpose: 12 reconnect intervals in which no redial may happen
    expect(server.peers).toHaveLength(1);
    expect(seen).toHaveLength(1);
    await expectServing();
  });

  it("redials a server that accepts and closes at once, several times within 1 s (docs/protocol.md §11)", async () => {
    const { pull, expectServing } = await connectingPull("ours");
    const server = await rawServer((peer) => peer.destroy());
    pull.connect(server.endpoint);
    // IVL 100 + jitter < 100: three attempts take well under a second.
    await until(() => server.peers.length >= 3, 3000, "three connections");
    await expectServing();
  });

  it("redials a server that stays silent past handshakeInterval (a timeout is transient)", async () => {
    const { pull, expectServing } = await connectingPull("ours", { handshakeInterval: 150, reconnectInterval: 50 });
    const server = await rawServer();
    pull.connect(server.endpoint);
    await (await server.peer(0)).waitClose(1000);
    await server.peer(1, 1000);
    await expectServing();
  });
});
