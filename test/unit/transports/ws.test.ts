/**
 * ws:// and wss:// through the socket API: endpoints as libzmq reads and reports them, several
 * endpoints on one port by path, an application's own HTTP(S) server, TLS with a test CA, the
 * wss options, ZAP's peer address. The protocol against libzmq is test/interop's; hostile peers
 * are test/fault/ws.test.ts's.
 */
import { createServer as createHttpServer, request, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createConnection, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { Context, Dealer, Pair, Router, Stream, curveKeyPair } from "../../../src/index.js";
import { Authenticator } from "../../../src/entries/auth.js";
import { attachServer } from "../../../src/entries/ws.js";
import { failure, nextEvent, text, useHarness } from "../../helpers/sockets.js";
import { hasOpenssl, makeTestPki, type TestPki } from "../../helpers/tls.js";

const h = useHarness();
const servers: HttpServer[] = [];
afterEach(() => {
  // The sockets close after this (the harness's hook runs last): their connections go with them.
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

function portOf(endpoint: string): number {
  return Number(/:(\d+)\//.exec(endpoint)![1]);
}

async function roundTrip(bound: Pair, connecting: Pair, endpoint: string): Promise<void> {
  connecting.connect(endpoint);
  await connecting.send("ping");
  expect(text(await bound.receive())).toEqual(["ping"]);
  await bound.send("pong");
  expect(text(await connecting.receive())).toEqual(["pong"]);
}

/** What an HTTP server answers to a request (an upgrade request with `upgrade`). */
function httpStatus(port: number, path: string, upgrade: boolean, subprotocol = "ZWS2.0/NULL"): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = upgrade
      ? {
          Connection: "Upgrade",
          Upgrade: "websocket",
          "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
          "Sec-WebSocket-Version": "13",
          "Sec-WebSocket-Protocol": subprotocol,
        }
      : {};
    const req = request({ host: "127.0.0.1", port, path, headers });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode!);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Whether something accepts TCP connections on the port. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function listening<S extends HttpServer>(server: S): Promise<S> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe("ws endpoints", () => {
  it("bind ws://127.0.0.1:* reports the real port and the path, '/' when none was given (as libzmq)", async () => {
    const a = h.open(Pair);
    await a.bind("ws://127.0.0.1:*");
    expect(a.lastEndpoint).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
    await a.bind("ws://127.0.0.1:*/some/path?x=1");
    expect(a.lastEndpoint).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*\/some\/path\?x=1$/);
    await roundTrip(a, h.open(Pair), a.lastEndpoint!);
  });

  it("bind ws://*:* listens on every interface and reports 0.0.0.0", async () => {
    const a = h.open(Pair);
    await a.bind("ws://*:*/any");
    expect(a.lastEndpoint).toMatch(/^ws:\/\/0\.0\.0\.0:[1-9]\d*\/any$/);
    await roundTrip(a, h.open(Pair), `ws://127.0.0.1:${portOf(a.lastEndpoint!)}/any`);
  });

  it("a bind to a host name (or none) is ENODEV (libzmq looks up no ws bind); an interface name is bound", async () => {
    const a = h.open(Pair);
    expect(await failure(() => a.bind("ws://localhost:*/x"))).toMatchObject({ code: "ENODEV" });
    expect(await failure(() => a.bind("ws://:5555/x"))).toMatchObject({ code: "ENODEV" });
    await a.bind("ws://lo:*/x");
    expect(a.lastEndpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/x$/);
  });

  it("malformed ws endpoints are EINVAL: no port, a port that is not a number, connect to *, a source address, IPv6 without ipv6", async () => {
    const a = h.open(Pair);
    for (const address of ["ws://127.0.0.1/x", "ws://127.0.0.1:abc/x", "ws://127.0.0.1:65536/x"]) {
      expect(await failure(() => a.bind(address)), address).toMatchObject({ code: "EINVAL" });
    }
    for (const address of [
      "ws://127.0.0.1/x",
      "ws://*:5555/x",
      "ws://127.0.0.1:1;127.0.0.1:2/x",
      "ws://[::1]:5555/x",
    ]) {
      expect(await failure(() => a.connect(address)), address).toMatchObject({ code: "EINVAL" });
    }
  });

  it("a connect reports its endpoint with the path, '/' when none was given; disconnect takes it as given", async () => {
    const a = h.open(Dealer);
    a.connect("ws://127.0.0.1:5/x");
    expect(a.lastEndpoint).toBe("ws://127.0.0.1:5/x");
    const retry = nextEvent(a, "connect:retry", 2000, (e) => e.address === "ws://127.0.0.1:6/");
    a.connect("ws://127.0.0.1:6");
    expect(a.lastEndpoint).toBe("ws://127.0.0.1:6/");
    await retry;
    a.disconnect("ws://127.0.0.1:6");
  });

  it("a STREAM socket's ws connections never complete, as libzmq's: ZWS frames ZMTP, and no peer accepts a STREAM", async () => {
    const s = h.open(Stream, { receiveTimeout: 200 });
    await s.bind("ws://127.0.0.1:*/s");
    const d = h.open(Dealer);
    const dropped = nextEvent(d, "disconnect");
    d.connect(s.lastEndpoint!);
    await dropped;
    await expect(s.receive()).rejects.toMatchObject({ code: "EAGAIN" });
  });
});

describe("several ws endpoints on one port", () => {
  it("each path reaches its own socket; binding a path twice is EADDRINUSE", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind("ws://127.0.0.1:*/a");
    const port = portOf(a.lastEndpoint!);
    await b.bind(`ws://127.0.0.1:${port}/b`);
    expect(b.lastEndpoint).toBe(`ws://127.0.0.1:${port}/b`);
    expect(await failure(() => h.open(Pair).bind(`ws://127.0.0.1:${port}/a`))).toMatchObject({ code: "EADDRINUSE" });
    await roundTrip(a, h.open(Pair), `ws://127.0.0.1:${port}/a`);
    await roundTrip(b, h.open(Pair), `ws://127.0.0.1:${port}/b`);
  });

  it("an upgrade for a path nobody bound is answered 404, a plain HTTP request 426", async () => {
    const a = h.open(Pair);
    await a.bind("ws://127.0.0.1:*/a");
    const port = portOf(a.lastEndpoint!);
    expect(await httpStatus(port, "/other", true)).toBe(404);
    expect(await httpStatus(port, "/a", false)).toBe(426);
    expect(await httpStatus(port, "/a", true)).toBe(101);
  });

  it("unbinding one endpoint keeps the others; unbinding the last frees the port", async () => {
    const a = h.open(Pair);
    const b = h.open(Pair);
    await a.bind("ws://127.0.0.1:*/a");
    const port = portOf(a.lastEndpoint!);
    await b.bind(`ws://127.0.0.1:${port}/b`);
    await a.unbind(a.lastEndpoint!);
    expect(await httpStatus(port, "/a", true)).toBe(404);
    await roundTrip(b, h.open(Pair), `ws://127.0.0.1:${port}/b`);
    await b.unbind(`ws://127.0.0.1:${port}/b`);
    expect(await accepting(port)).toBe(false);
    const again = h.open(Pair);
    await again.bind(`ws://127.0.0.1:${port}/b`);
    expect(again.lastEndpoint).toBe(`ws://127.0.0.1:${port}/b`);
  });
});

describe("attachServer: ws endpoints on the application's HTTP server", () => {
  it("binds to its port add paths to it; its own requests and its other WebSocket paths are left to it", async () => {
    const server = await listening(
      createHttpServer((_req, res) => {
        res.writeHead(200);
        res.end("app");
      }),
    );
    const port = (server.address() as AddressInfo).port;
    const appSockets = new WebSocketServer({ noServer: true });
    server.on("upgrade", (req, socket, head) => {
      if (req.url === "/app") appSockets.handleUpgrade(req, socket, head, (ws) => ws.send("from the app"));
    });
    const attachment = attachServer(server);
    const a = h.open(Pair);
    await a.bind(`ws://127.0.0.1:${port}/zmq`);
    expect(a.lastEndpoint).toBe(`ws://127.0.0.1:${port}/zmq`);
    await roundTrip(a, h.open(Pair), a.lastEndpoint!);
    expect(await httpStatus(port, "/page", false)).toBe(200);
    expect(await httpStatus(port, "/app", true, "chat")).toBe(101);
    attachment.detach();
    await a.unbind(a.lastEndpoint!);
    expect(await httpStatus(port, "/page", false)).toBe(200);
    expect(server.listening).toBe(true);
    expect(server.listenerCount("upgrade")).toBe(1);
  });

  it("a wildcard bind on the port matches a server listening on every interface", async () => {
    const server = createHttpServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as AddressInfo).port;
    attachServer(server).detach();
    const attachment = attachServer(server);
    const a = h.open(Pair);
    await a.bind(`ws://*:${port}/zmq`);
    await roundTrip(a, h.open(Pair), `ws://127.0.0.1:${port}/zmq`);
    a.close();
    attachment.detach();
  });
});

describe.skipIf(!hasOpenssl)("wss (a test CA made with openssl)", () => {
  let pki: TestPki | null = null;
  const certs = (): TestPki => (pki ??= makeTestPki());

  async function wssServer(options: { certPem?: string; keyPem?: string } = {}): Promise<Pair> {
    const server = h.open(Pair, {
      wssCertPem: options.certPem ?? certs().certPem,
      wssKeyPem: options.keyPem ?? certs().keyPem,
    });
    await server.bind("wss://127.0.0.1:*/tls");
    return server;
  }

  it("a client that trusts the CA (wssTrustPem) and checks the name (wssHostname) talks to the server", async () => {
    const server = await wssServer();
    expect(server.lastEndpoint).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/tls$/);
    const client = h.open(Pair, { wssTrustPem: certs().caPem, wssHostname: "localhost" });
    await roundTrip(server, client, server.lastEndpoint!);
  });

  it("a client that trusts nothing (libzmq's default) never gets through: handshake:error:other, then it tries again", async () => {
    const server = await wssServer();
    const client = h.open(Pair);
    const failed = nextEvent(client, "handshake:error:other");
    const retried = nextEvent(client, "connect:retry");
    client.connect(server.lastEndpoint!);
    expect((await failed).error).toMatchObject({ code: "ECONNABORTED" });
    await retried;
    const trustsSystem = h.open(Pair, { wssTrustSystem: true });
    const refusedToo = nextEvent(trustsSystem, "handshake:error:other");
    trustsSystem.connect(server.lastEndpoint!);
    await refusedToo;
  });

  it("the name is checked only when wssHostname is set (as libzmq): a self-signed stranger passes no check it cannot", async () => {
    const stranger = await wssServer({ certPem: certs().strangerCertPem, keyPem: certs().strangerKeyPem });
    const client = h.open(Pair, { wssTrustPem: certs().caPem });
    const failed = nextEvent(client, "handshake:error:other");
    client.connect(stranger.lastEndpoint!);
    await failed;
    const server = await wssServer();
    const wrongName = h.open(Pair, { wssTrustPem: certs().caPem, wssHostname: "example.com" });
    const refused = nextEvent(wrongName, "handshake:error:other");
    wrongName.connect(server.lastEndpoint!);
    await refused;
    const anyName = h.open(Pair, { wssTrustPem: certs().caPem });
    await roundTrip(server, anyName, server.lastEndpoint!);
  });

  it("CURVE runs over wss", async () => {
    const keys = curveKeyPair();
    const client = curveKeyPair();
    const server = h.open(Pair, {
      wssCertPem: certs().certPem,
      wssKeyPem: certs().keyPem,
      curveServer: true,
      curveSecretKey: keys.secretKey,
    });
    await server.bind("wss://127.0.0.1:*/curve");
    const peer = h.open(Pair, {
      wssTrustPem: certs().caPem,
      curveServerKey: keys.publicKey,
      curvePublicKey: client.publicKey,
      curveSecretKey: client.secretKey,
    });
    await roundTrip(server, peer, server.lastEndpoint!);
  });

  it("a wss bind without wssCertPem and wssKeyPem is EINVAL (libzmq aborts there)", async () => {
    expect(await failure(() => h.open(Pair).bind("wss://127.0.0.1:*/x"))).toMatchObject({ code: "EINVAL" });
    const bad = h.open(Pair, { wssCertPem: "not a certificate", wssKeyPem: "not a key" });
    expect(await failure(() => bad.bind("wss://127.0.0.1:*/x"))).toMatchObject({ code: "EINVAL" });
  });

  it("attachServer with an https.Server serves wss with its certificate", async () => {
    const server = await listening(createHttpsServer({ cert: certs().certPem, key: certs().keyPem }));
    const port = (server.address() as AddressInfo).port;
    const attachment = attachServer(server);
    const a = h.open(Pair);
    await a.bind(`wss://127.0.0.1:${port}/zmq`);
    await roundTrip(a, h.open(Pair, { wssTrustPem: certs().caPem }), a.lastEndpoint!);
    attachment.detach();
  });
});

describe("wss options", () => {
  it("are write-only, as libzmq's ZMQ_WSS_*: reading gives undefined, reading by id EINVAL", () => {
    const s = h.open(Pair, { wssHostname: "example.com", wssTrustSystem: true });
    expect(s.wssHostname).toBeUndefined();
    expect(() => s.getStringOption(106)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    s.setStringOption(103, "");
    expect(() => s.setInt32Option(107, 2)).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });
});

describe("ZAP over ws", () => {
  it("a ZAP handler sees the peer's IP address", async () => {
    const ctx = new Context();
    const decisions: string[] = [];
    const auth = new Authenticator({ context: ctx, onDecision: (d) => decisions.push(`${d.mechanism} ${d.address}`) });
    await auth.start();
    try {
      const server = h.open(Router, { context: ctx, zapDomain: "ws" });
      await server.bind("ws://127.0.0.1:*/zap");
      const client = h.open(Dealer, { context: ctx, routingId: "z" });
      client.connect(server.lastEndpoint!);
      await client.send("in");
      expect(text(await server.receive())).toEqual(["z", "in"]);
      expect(decisions).toEqual(["NULL 127.0.0.1"]);
    } finally {
      auth.close();
    }
  });
});
