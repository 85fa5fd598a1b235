/**
 * tcp connects through a SOCKS5 proxy (socksProxy, ZMQ_SOCKS_USERNAME/PASSWORD), as libzmq's
 * socks_connecter makes them: what reaches the proxy, the events (which name the proxy), and
 * failures that close the connection and retry.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Pull, Push, type Socket } from "../../../src/index.js";
import {
  encodeAuthRequest,
  encodeConnectRequest,
  readConnectReply,
  splitTarget,
} from "../../../src/transports/tcp-socks-codec.js";
import { startSocksProxy, type SocksProxy } from "../../helpers/socks-proxy.js";
import { freePort, text, useHarness } from "../../helpers/sockets.js";
import { until } from "../../helpers/time.js";

const h = useHarness();
const proxies: SocksProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

async function proxy(options?: Parameters<typeof startSocksProxy>[0]): Promise<SocksProxy> {
  const started = await startSocksProxy(options);
  proxies.push(started);
  return started;
}

/** The events of `socket` as `type address`, from now on. */
function eventLog(socket: Socket): string[] {
  const seen: string[] = [];
  for (const type of ["connect", "connect:delay", "connect:retry", "close", "handshake", "disconnect"] as const)
    socket.events.on(type, (event) => seen.push(`${event.type} ${event.address}`));
  return seen;
}

/** ZMQ_SOCKS_USERNAME and ZMQ_SOCKS_PASSWORD, which zeromq.js has as option ids only. */
function credentials(socket: Socket, username: string, password: string): void {
  const access = socket as unknown as { setStringOption(id: number, value: string): void };
  access.setStringOption(99, username);
  access.setStringOption(100, password);
}

describe("SOCKS5 codec", () => {
  it("names a numeric host by address and any other by name, as libzmq's getaddrinfo(AI_NUMERICHOST)", () => {
    expect([...encodeConnectRequest("127.0.0.1", 5555)!]).toEqual([5, 1, 0, 1, 127, 0, 0, 1, 0x15, 0xb3]);
    expect([...encodeConnectRequest("127.1", 1)!]).toEqual([5, 1, 0, 1, 127, 0, 0, 1, 0, 1]);
    expect([...encodeConnectRequest("::1", 1)!]).toEqual([5, 1, 0, 4, ...new Array(15).fill(0), 1, 0, 1]);
    expect([...encodeConnectRequest("lo", 1)!]).toEqual([5, 1, 0, 3, 2, 108, 111, 0, 1]);
    expect(encodeConnectRequest("x".repeat(256), 1)).toBeNull();
  });

  it("takes the host before the last colon, without IPv6 brackets, and refuses port 0", () => {
    expect(splitTarget("[::1]:80")).toEqual({ host: "::1", port: 80 });
    expect(splitTarget("example.com:65536")).toBeNull();
    expect(splitTarget("example.com:-1")).toEqual({ host: "example.com", port: 65535 });
  });

  it("writes RFC 1929 credentials with a length byte each", () => {
    const bytes = encodeAuthRequest(Buffer.from("ab"), Buffer.from("c"));
    expect([...bytes]).toEqual([1, 2, 97, 98, 1, 99]);
  });

  it("reads a CONNECT reply of each address type and rejects what libzmq rejects", () => {
    expect(readConnectReply(Uint8Array.of(5, 0, 0, 1, 1, 2, 3, 4, 0))).toEqual({ kind: "more" });
    expect(readConnectReply(Uint8Array.of(5, 0, 0, 1, 1, 2, 3, 4, 0, 1, 99))).toEqual({
      kind: "done",
      length: 10,
      code: 0,
    });
    expect(readConnectReply(Uint8Array.of(5, 5, 0, 3, 1, 120, 0, 1))).toEqual({ kind: "done", length: 8, code: 5 });
    expect(readConnectReply(Uint8Array.of(5, 0, 0, 4, ...new Array(18).fill(0)))).toMatchObject({ length: 22 });
    expect(readConnectReply(Uint8Array.of(4))).toEqual({ kind: "bad" });
    expect(readConnectReply(Uint8Array.of(5, 9))).toEqual({ kind: "bad" });
    expect(readConnectReply(Uint8Array.of(5, 0, 1))).toEqual({ kind: "bad" });
    expect(readConnectReply(Uint8Array.of(5, 0, 0, 2))).toEqual({ kind: "bad" });
  });
});

describe("socksProxy", () => {
  it("connects through the proxy without authentication and names the proxy in its events", async () => {
    const socks = await proxy();
    const pull = h.open(Pull);
    const endpoint = await h.bound(pull, "tcp");
    const push = h.open(Push, { socksProxy: socks.address });
    const events = eventLog(push);
    push.connect(endpoint);
    await push.send("through");
    expect(text(await pull.receive())).toEqual(["through"]);
    const port = Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
    expect(socks.requests).toEqual([{ methods: [0], addressType: 1, host: "127.0.0.1", port }]);
    await until(() => events.length >= 3);
    const at = `tcp://${socks.address}`;
    expect(events.slice(0, 3)).toEqual([`connect:delay ${at}`, `connect ${at}`, `handshake ${at}`]);
    expect(push.lastEndpoint).toBe(endpoint);
  });

  it("leaves a host name to the proxy to resolve", async () => {
    const socks = await proxy();
    const pull = h.open(Pull);
    const endpoint = await h.bound(pull, "tcp");
    const push = h.open(Push, { socksProxy: socks.address });
    push.connect(endpoint.replace("127.0.0.1", "localhost"));
    await push.send("named");
    expect(text(await pull.receive())).toEqual(["named"]);
    expect(socks.requests[0]).toMatchObject({ addressType: 3, host: "localhost" });
  });

  it("authenticates with username and password (RFC 1929) when a username is set", async () => {
    const socks = await proxy({ credentials: { username: "user", password: "secret" } });
    const pull = h.open(Pull);
    const endpoint = await h.bound(pull, "tcp");
    const push = h.open(Push, { socksProxy: socks.address });
    credentials(push, "user", "secret");
    push.connect(endpoint);
    await push.send("authenticated");
    expect(text(await pull.receive())).toEqual(["authenticated"]);
    expect(socks.requests[0]).toMatchObject({ methods: [2], username: "user", password: "secret" });
  });

  it("keeps the peer's bytes that arrive in the same segment as the proxy's reply", async () => {
    const socks = await proxy({ coalesce: true });
    const pull = h.open(Pull);
    const endpoint = await h.bound(pull, "tcp");
    const push = h.open(Push, { socksProxy: socks.address });
    push.connect(endpoint);
    await push.send("coalesced");
    expect(text(await pull.receive())).toEqual(["coalesced"]);
  });

  it("closes and retries when the proxy refuses the credentials", async () => {
    const socks = await proxy({ credentials: { username: "user", password: "secret" } });
    const push = h.open(Push, { socksProxy: socks.address, reconnectInterval: 10 });
    credentials(push, "user", "wrong");
    const events = eventLog(push);
    push.connect(`tcp://127.0.0.1:${await freePort()}`);
    await until(() => socks.connections >= 2);
    const at = `tcp://${socks.address}`;
    expect(events.slice(0, 3)).toEqual([`connect:delay ${at}`, `close ${at}`, `connect:retry ${at}`]);
  });

  it("closes and retries when the proxy cannot reach the endpoint", async () => {
    const socks = await proxy({ replyCode: 5 });
    const push = h.open(Push, { socksProxy: socks.address, reconnectInterval: 10 });
    const events = eventLog(push);
    push.connect(`tcp://127.0.0.1:${await freePort()}`);
    await until(() => socks.requests.length >= 2);
    expect(events.slice(0, 3).map((e) => e.split(" ")[0])).toEqual(["connect:delay", "close", "connect:retry"]);
    expect(events).not.toContain(`connect tcp://${socks.address}`);
  });

  it("retries when nothing listens at the proxy address", async () => {
    const port = await freePort();
    const push = h.open(Push, { socksProxy: `127.0.0.1:${port}`, reconnectInterval: 10 });
    const events = eventLog(push);
    push.connect("tcp://127.0.0.1:5555");
    await until(() => events.filter((e) => e.startsWith("connect:retry")).length >= 2);
    const at = `tcp://127.0.0.1:${port}`;
    expect(events.slice(0, 3)).toEqual([`connect:delay ${at}`, `close ${at}`, `connect:retry ${at}`]);
  });

  it("reaches the endpoint once the proxy lets it through after failures", async () => {
    const pull = h.open(Pull);
    const endpoint = await h.bound(pull, "tcp");
    const port = await freePort();
    const push = h.open(Push, { socksProxy: `127.0.0.1:${port}`, reconnectInterval: 10 });
    const events = eventLog(push);
    push.connect(endpoint);
    await until(() => events.some((e) => e.startsWith("connect:retry")));
    const { createServer } = await import("node:net");
    // A proxy appears at the address the socket keeps retrying.
    const late = await startSocksProxy();
    proxies.push(late);
    const relay = createServer((client) => {
      const [host, lport] = late.address.split(":");
      void import("node:net").then(({ createConnection }) => {
        const upstream = createConnection({ host: host!, port: Number(lport) });
        client.pipe(upstream).pipe(client);
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
      });
    });
    await new Promise<void>((resolve) => relay.listen(port, "127.0.0.1", resolve));
    try {
      await push.send("late");
      expect(text(await pull.receive())).toEqual(["late"]);
    } finally {
      relay.close();
    }
  });

  it("only applies to tcp: an ipc connect ignores it", async () => {
    const pull = h.open(Pull);
    const endpoint = await h.bound(pull, "ipc");
    const push = h.open(Push, { socksProxy: "127.0.0.1:1" });
    push.connect(endpoint);
    await push.send("direct");
    expect(text(await pull.receive())).toEqual(["direct"]);
  });
});
