/**
 * tcp, ipc and inproc through the socket API: real endpoints after wildcard binds, address
 * conflicts, stale ipc files, unbind/disconnect per endpoint, several endpoints per socket.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { platform } from "node:os";
import { describe, expect, it } from "vitest";
import { Context, Dealer, Pair, Pull, Push, Router } from "../../../src/index.js";
import { expectNothing, failure, inproc, nextEvent, text, useHarness } from "../../helpers/sockets.js";
import { eventually, until } from "../../helpers/time.js";

const h = useHarness();

/** Whether this machine can listen on the IPv6 loopback. */
const hasIpv6Loopback: boolean = await new Promise((resolve) => {
  const server = createServer();
  server.once("error", () => resolve(false));
  server.listen(0, "::1", () => server.close(() => resolve(true)));
});

/** Resolves "refused" or "connected" for a plain TCP connect to the port. */
function probeTcp(port: number, host = "127.0.0.1"): Promise<"refused" | "connected"> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", () => resolve("refused"));
  });
}

function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
}

async function roundTrip(bound: Pair, connecting: Pair, endpoint: string): Promise<void> {
  connecting.connect(endpoint);
  await connecting.send("ping");
  expect(text(await bound.receive())).toEqual(["ping"]);
  await bound.send("pong");
  expect(text(await connecting.receive())).toEqual(["pong"]);
}

describe("tcp", () => {
  it("bind tcp://127.0.0.1:* sets lastEndpoint with the real port, and it is reachable", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind("tcp://127.0.0.1:*");
    const ep = a.lastEndpoint!;
    expect(ep).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(portOf(ep)).toBeGreaterThan(0);
    await roundTrip(a, b, ep);
  });

  it("bind tcp://127.0.0.1:0 also reports the real port", async () => {
    const a = h.open(Pair);
    await a.bind("tcp://127.0.0.1:0");
    expect(portOf(a.lastEndpoint!)).toBeGreaterThan(0);
  });

  it("bind tcp://*:* listens on every interface and reports tcp://0.0.0.0:<port>", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind("tcp://*:*");
    const ep = a.lastEndpoint!;
    expect(ep).toMatch(/^tcp:\/\/0\.0\.0\.0:\d+$/);
    await roundTrip(a, b, `tcp://127.0.0.1:${portOf(ep)}`);
  });

  it("connects by hostname (localhost)", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind("tcp://127.0.0.1:*");
    await roundTrip(a, b, `tcp://localhost:${portOf(a.lastEndpoint!)}`);
  });

  it.skipIf(!hasIpv6Loopback)("IPv6: bind and connect tcp://[::1]:* round trip", async () => {
    const a = h.open(Pair, { ipv6: true });
    const b = h.open(Pair, { ipv6: true });
    await a.bind("tcp://[::1]:*");
    const ep = a.lastEndpoint!;
    expect(ep).toMatch(/^tcp:\/\/\[::1\]:\d+$/);
    await roundTrip(a, b, ep);
  });

  it("binding a tcp endpoint already in use -> EADDRINUSE", async () => {
    const a = h.open(Pull);
    const b = h.open(Pull);
    await a.bind("tcp://127.0.0.1:*");
    expect(await failure(() => b.bind(a.lastEndpoint!))).toMatchObject({ code: "EADDRINUSE" });
  });

  it("bind with an invalid endpoint rejects with EINVAL / EPROTONOSUPPORT, connect throws them", async () => {
    const a = h.open(Dealer);
    expect(await failure(() => a.bind("tcp://127.0.0.1"))).toMatchObject({ code: "EINVAL" });
    expect(await failure(() => a.bind("bogus://x:1"))).toMatchObject({ code: "EPROTONOSUPPORT" });
    expect(await failure(() => a.connect("tcp://127.0.0.1:*"))).toMatchObject({ code: "EINVAL" });
    expect(await failure(() => a.connect("bogus://x:1"))).toMatchObject({ code: "EPROTONOSUPPORT" });
  });
});

describe("ipc", () => {
  it("binds a path and round-trips", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    const ep = `ipc://${h.ipcPath()}`;
    await a.bind(ep);
    expect(a.lastEndpoint).toBe(ep);
    await roundTrip(a, b, ep);
  });

  it("ipc://* binds a fresh path reported in lastEndpoint", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind("ipc://*");
    const ep = a.lastEndpoint!;
    expect(ep).toMatch(/^ipc:\/\/.+/);
    expect(ep).not.toBe("ipc://*");
    await roundTrip(a, b, ep);
  });

  it("a stale socket file left by a dead process is replaced on bind", async () => {
    const path = h.ipcPath();
    // The child listens, then exits without closing: Node leaves the socket file behind.
    execFileSync(process.execPath, [
      "-e",
      "require('net').createServer().listen(process.argv[1], () => process.exit(0))",
      path,
    ]);
    expect(existsSync(path)).toBe(true);
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind(`ipc://${path}`);
    await roundTrip(a, b, `ipc://${path}`);
  });

  it("binding a path another socket serves takes it over, as libzmq does (it removes the file first)", async () => {
    const ep = `ipc://${h.ipcPath()}`;
    const a = h.open(Pair);
    const other = h.open(Pair);
    const b = h.open(Pair);
    await a.bind(ep);
    await other.bind(ep);
    await roundTrip(other, b, ep);
  });

  it("binding a path a plain net server serves takes it over too", async () => {
    const path = h.ipcPath();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const a = h.open(Pair);
      const b = h.open(Pair);
      await a.bind(`ipc://${path}`);
      await roundTrip(a, b, `ipc://${path}`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("closing the socket removes the ipc socket file it created", async () => {
    const path = h.ipcPath();
    const a = h.open(Pair);
    await a.bind(`ipc://${path}`);
    expect(existsSync(path)).toBe(true);
    a.close();
    await until(() => !existsSync(path), 1000, "socket file removed");
  });

  it("unbind removes the ipc socket file", async () => {
    const path = h.ipcPath();
    const a = h.open(Pair);
    await a.bind(`ipc://${path}`);
    await a.unbind(`ipc://${path}`);
    await until(() => !existsSync(path), 1000, "socket file removed");
  });

  it.skipIf(platform() !== "linux")("abstract ipc://@name round trip (Linux)", async () => {
    const ep = `ipc://@zmtp-unit-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind(ep);
    expect(a.lastEndpoint).toBe(ep);
    await roundTrip(a, b, ep);
  });

  it.skipIf(platform() !== "linux")("abstract ipc name already bound -> EADDRINUSE", async () => {
    const ep = `ipc://@zmtp-unit-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind(ep);
    expect(await failure(() => b.bind(ep))).toMatchObject({ code: "EADDRINUSE" });
  });
});

describe("inproc", () => {
  it("connect before bind: messages queue and arrive once the name is bound", async () => {
    const ep = inproc("late");
    const push = h.open(Push);
    const pull = h.open(Pull);
    push.connect(ep);
    await push.send("early");
    await pull.bind(ep);
    expect(text(await pull.receive())).toEqual(["early"]);
  });

  it("binding a name twice in one Context -> EADDRINUSE", async () => {
    const ep = inproc("twice");
    const a = h.open(Pull);
    const b = h.open(Pull);
    await a.bind(ep);
    expect(await failure(() => b.bind(ep))).toMatchObject({ code: "EADDRINUSE" });
  });

  it("names are scoped to a Context: a socket in another Context does not reach it", async () => {
    const ep = inproc("scoped");
    const pull = h.open(Pull);
    await pull.bind(ep);
    const other = h.track(new Push({ context: new Context() }));
    other.connect(ep);
    await other.send("lost").catch(() => undefined);
    await expectNothing(pull, 50);
    const same = h.open(Push);
    same.connect(ep);
    await same.send("found");
    expect(text(await pull.receive())).toEqual(["found"]);
  });

  it("the same name may be bound again after unbind", async () => {
    const ep = inproc("rebind");
    const a = h.open(Pull);
    const b = h.open(Pull);
    await a.bind(ep);
    await a.unbind(ep);
    await b.bind(ep);
    const push = h.open(Push);
    push.connect(ep);
    await push.send("to b");
    expect(text(await b.receive())).toEqual(["to b"]);
  });
});

describe("unbind and disconnect", () => {
  it("after unbind of one tcp endpoint a new connect cannot reach it; the other endpoint still works", async () => {
    const router = h.open(Router);
    await router.bind("tcp://127.0.0.1:*");
    const ep1 = router.lastEndpoint!;
    await router.bind("tcp://127.0.0.1:*");
    const ep2 = router.lastEndpoint!;
    expect(ep2).not.toBe(ep1);
    await router.unbind(ep1);
    // The listener closes asynchronously after unbind() resolves.
    await eventually(
      async () => expect(await probeTcp(portOf(ep1))).toBe("refused"),
      () => true,
      2000,
    );
    expect(await probeTcp(portOf(ep2))).toBe("connected");

    const late = h.open(Dealer, { routingId: "late" });
    late.connect(ep1);
    await late.send("via unbound");
    const fine = h.open(Dealer, { routingId: "fine" });
    fine.connect(ep2);
    await fine.send("via bound");
    expect(text(await router.receive())).toEqual(["fine", "via bound"]);
    await expectNothing(router, 150);
  });

  it("unbind also closes the connections accepted on that endpoint (the peer sees disconnect)", async () => {
    const pull = h.open(Pull);
    await pull.bind("tcp://127.0.0.1:*");
    const ep = pull.lastEndpoint!;
    const push = h.open(Push, { reconnectInterval: 50 });
    const handshaken = nextEvent(push, "handshake");
    push.connect(ep);
    await handshaken;
    const disconnected = nextEvent(push, "disconnect");
    await pull.unbind(ep);
    expect((await disconnected).address).toBe(ep);
  });

  it("the same tcp endpoint can be bound again after unbind", async () => {
    const pull = h.open(Pull);
    await pull.bind("tcp://127.0.0.1:*");
    const ep = pull.lastEndpoint!;
    await pull.unbind(ep);
    await pull.bind(ep);
    expect(pull.lastEndpoint).toBe(ep);
    const push = h.open(Push);
    push.connect(ep);
    await push.send("again");
    expect(text(await pull.receive())).toEqual(["again"]);
  });

  it("connect again after disconnect reaches the peer", async () => {
    const pull = h.open(Pull);
    await pull.bind("tcp://127.0.0.1:*");
    const ep = pull.lastEndpoint!;
    const push = h.open(Push);
    push.connect(ep);
    await push.send("first");
    expect(text(await pull.receive())).toEqual(["first"]);
    push.disconnect(ep);
    push.connect(ep);
    await push.send("second");
    expect(text(await pull.receive())).toEqual(["second"]);
  });

  it("unbind of an ipc endpoint stops accepting there", async () => {
    const pull = h.open(Pull);
    const ep = `ipc://${h.ipcPath()}`;
    await pull.bind(ep);
    await pull.unbind(ep);
    const push = h.open(Push);
    push.connect(ep);
    await push.send("nobody");
    await expectNothing(pull, 150);
  });

  it("unbind of an unknown endpoint -> ENOENT", async () => {
    const a = h.open(Pull);
    expect(await failure(() => a.unbind("tcp://127.0.0.1:5999"))).toMatchObject({ code: "ENOENT" });
    expect(await failure(() => a.unbind(inproc("never-bound")))).toMatchObject({ code: "ENOENT" });
  });

  it("disconnect of an unknown endpoint -> ENOENT", async () => {
    const a = h.open(Push);
    expect(await failure(() => a.disconnect("tcp://127.0.0.1:5999"))).toMatchObject({ code: "ENOENT" });
    expect(await failure(() => a.disconnect(inproc("never-connected")))).toMatchObject({ code: "ENOENT" });
  });

  it("disconnect of one tcp endpoint sends later messages only to the remaining peer", async () => {
    const pull1 = h.open(Pull);
    const pull2 = h.open(Pull);
    await pull1.bind("tcp://127.0.0.1:*");
    await pull2.bind("tcp://127.0.0.1:*");
    const push = h.open(Push);
    const both = Promise.all([
      nextEvent(push, "handshake", 2000, (e) => e.address === pull1.lastEndpoint),
      nextEvent(push, "handshake", 2000, (e) => e.address === pull2.lastEndpoint),
    ]);
    push.connect(pull1.lastEndpoint!);
    push.connect(pull2.lastEndpoint!);
    await both;
    const gone = nextEvent(pull1, "disconnect");
    push.disconnect(pull1.lastEndpoint!);
    await gone;
    for (let i = 0; i < 4; i++) await push.send(`m${i}`);
    for (let i = 0; i < 4; i++) expect(text(await pull2.receive())).toEqual([`m${i}`]);
    await expectNothing(pull1, 100);
  });

  it("disconnect of an inproc endpoint detaches that peer only", async () => {
    const ep1 = inproc("d1");
    const ep2 = inproc("d2");
    const pull1 = h.open(Pull);
    const pull2 = h.open(Pull);
    await pull1.bind(ep1);
    await pull2.bind(ep2);
    const push = h.open(Push);
    push.connect(ep1);
    push.connect(ep2);
    push.disconnect(ep1);
    for (let i = 0; i < 3; i++) await push.send(`m${i}`);
    for (let i = 0; i < 3; i++) expect(text(await pull2.receive())).toEqual([`m${i}`]);
    await expectNothing(pull1, 50);
  });
});

describe("several endpoints on one socket", () => {
  it("a PULL bound on tcp, ipc and inproc receives from a PUSH on each", async () => {
    const pull = h.open(Pull);
    const endpoints = ["tcp://127.0.0.1:*", `ipc://${h.ipcPath()}`, inproc("multi")];
    const real: string[] = [];
    for (const ep of endpoints) {
      await pull.bind(ep);
      real.push(pull.lastEndpoint!);
    }
    expect(real[0]).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    for (const [i, ep] of real.entries()) {
      const push = h.open(Push);
      push.connect(ep);
      await push.send(`via ${i}`);
    }
    const got = new Set<string>();
    for (let i = 0; i < 3; i++) got.add(text(await pull.receive())[0]!);
    expect(got).toEqual(new Set(["via 0", "via 1", "via 2"]));
  });

  it("a DEALER connected to several ROUTERs over different transports reaches each", async () => {
    const routers = [h.open(Router), h.open(Router), h.open(Router)];
    await routers[0]!.bind("tcp://127.0.0.1:*");
    await routers[1]!.bind(`ipc://${h.ipcPath()}`);
    await routers[2]!.bind(inproc("dealer-multi"));
    const dealer = h.open(Dealer, { routingId: "d" });
    for (const router of routers) dealer.connect(router.lastEndpoint!);
    for (let i = 0; i < 3; i++) await dealer.send(`m${i}`);
    const bodies = [];
    for (const router of routers) {
      const [id, body] = await router.receive();
      expect(id!.toString()).toBe("d");
      bodies.push(body!.toString());
    }
    expect(bodies.sort()).toEqual(["m0", "m1", "m2"]);
  });
});
