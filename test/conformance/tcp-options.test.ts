/**
 * The tcp options that change connections: socksProxy (connects through a SOCKS5 proxy, a test
 * proxy started for each run on a port of the run's) and tcpAcceptFilter (a listener that closes
 * peers outside its networks), and how the ipv6 option binds an IPv4 address.
 */
import { createConnection } from "node:net";
import { afterAll } from "vitest";
import { startSocksProxy, type SocksProxy } from "../helpers/socks-proxy.js";
import { scenarios, type Scenario, type Trial } from "./harness.js";
import { processScenarios, type ProcessScenario } from "./process-harness.js";

/** A free port of the run (normalized in what is compared) for a proxy or a raw peer. */
function portOf(t: Trial): number {
  const endpoint = t.endpoint("tcp");
  return Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
}

const proxies: SocksProxy[] = [];

/** A test proxy on a port of the run, closed after the file: the run's events end with its body, before that. */
async function startProxy(t: Trial, options: Parameters<typeof startSocksProxy>[0]): Promise<SocksProxy> {
  const proxy = await startSocksProxy({ ...options, port: portOf(t) });
  proxies.push(proxy);
  return proxy;
}

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
});

const socksScenarios: Scenario[] = [
  {
    ports: 4,
    name: "through a proxy to a bound socket",
    steps: async (zmq, t) => {
      const proxy = await startProxy(t, {});
      const pull = new zmq.Pull();
      await t.wait("bind", () => pull.bind(t.endpoint("tcp")));
      const push = new zmq.Push({ socksProxy: proxy.address });
      const log = t.events(push, "push events");
      t.do("connect", () => push.connect(String(pull.lastEndpoint)));
      t.note("lastEndpoint", push.lastEndpoint);
      await t.wait("send", () => push.send("via socks"));
      await t.wait("receive", () => pull.receive());
      await log.until("handshake");
      t.note(
        "proxy requests",
        proxy.requests.map((r) => ({ methods: r.methods, addressType: r.addressType })),
      );
    },
  },
];

/**
 * After a failed attempt through a proxy, closing the socket aborts the binding's process (libzmq
 * 4.3.5's socks connecter leaves a stale poller handle: "Bad file descriptor (epoll.cpp:86)"), so
 * the failures run in a child process per library. Each line holds the events before close(),
 * which comes while the socket waits to retry (when the binding's handle is stale).
 */
const failureScenarios: ProcessScenario[] = [
  {
    name: "a proxy that is not listening, then close()",
    transports: ["tcp"],
    main: `
      const push = new zmq.Push({ socksProxy: ENDPOINT.slice(6), reconnectInterval: 300 });
      const seen = [];
      push.events.on("connect:delay", () => seen.push("connect:delay"));
      push.events.on("close", (e) => seen.push("close " + e.address));
      push.events.on("connect:retry", () => seen.push("connect:retry"));
      push.connect(ENDPOINT2);
      while (!seen.includes("connect:retry")) await new Promise((r) => setTimeout(r, 5));
      say(seen.join(", "));
      push.close();
      // The binding's I/O thread aborts soon after close(): give it the time, so that it always
      // does so before the script's end is recorded.
      await new Promise((r) => setTimeout(r, 300));`,
  },
  {
    name: "a proxy that cannot reach the endpoint, then close()",
    transports: ["tcp"],
    main: `
      const net = await import("node:net");
      const proxy = net.createServer((c) => {
        c.on("error", () => undefined);
        c.once("data", () => {
          c.write(Buffer.from([5, 0]));
          c.once("data", () => c.end(Buffer.from([5, 5, 0, 1, 127, 0, 0, 1, 0, 0])));
        });
      });
      await new Promise((r) => proxy.listen(Number(ENDPOINT.split(":")[2]), "127.0.0.1", r));
      proxy.unref();
      const push = new zmq.Push({ socksProxy: ENDPOINT.slice(6), reconnectInterval: 300 });
      const seen = [];
      for (const type of ["connect:delay", "connect", "close", "connect:retry"]) push.events.on(type, () => seen.push(type));
      push.connect(ENDPOINT2);
      while (!seen.includes("connect:retry")) await new Promise((r) => setTimeout(r, 5));
      say(seen.join(", "));
      push.close();
      // The binding's I/O thread aborts soon after close(): give it the time, so that it always
      // does so before the script's end is recorded.
      await new Promise((r) => setTimeout(r, 300));`,
  },
];

const filterScenarios: Scenario[] = [
  {
    ports: 4,
    name: "a peer outside the filter",
    steps: async (zmq, t) => {
      const pull = new zmq.Pull({ tcpAcceptFilter: "10.0.0.0/8" });
      await t.wait("bind", () => pull.bind(t.endpoint("tcp")));
      const log = t.events(pull, "pull events");
      const endpoint = String(pull.lastEndpoint);
      const peer = createConnection({ host: "127.0.0.1", port: Number(endpoint.slice(endpoint.lastIndexOf(":") + 1)) });
      peer.on("error", () => undefined);
      const closed = new Promise<boolean>((resolve) => peer.once("close", () => resolve(true)));
      await log.until("accept:error");
      t.note("the peer's connection closed", await closed);
      t.note("events", log.types());
    },
  },
  {
    ports: 4,
    name: "a peer inside the filter, with ipv6 (IPv4 mapped)",
    steps: async (zmq, t) => {
      const pull = new zmq.Pull({ ipv6: true });
      t.do("filter", () => (pull.tcpAcceptFilter = "127.0.0.1/104"));
      await t.wait("bind", () => pull.bind(t.endpoint("tcp")));
      t.note("lastEndpoint", pull.lastEndpoint);
      const push = new zmq.Push();
      push.connect(t.endpoint("tcp").replace(/\d+$/, String(pull.lastEndpoint).replace(/^.*:/, "")));
      await t.wait("send", () => push.send("in"));
      await t.wait("receive", () => pull.receive());
    },
  },
  {
    ports: 4,
    name: "an IPv4 filter set before ipv6, on a dual-stack bind",
    steps: async (zmq, t) => {
      const pull = new zmq.Pull();
      t.do("filter", () => (pull.tcpAcceptFilter = "127.0.0.1"));
      pull.ipv6 = true;
      const port = portOf(t);
      await t.wait("bind", () => pull.bind(`tcp://*:${port}`));
      const log = t.events(pull, "pull events");
      const peer = createConnection({ host: "127.0.0.1", port });
      peer.on("error", () => undefined);
      await log.until("accept:error");
      peer.destroy();
      t.note("events", log.types());
    },
  },
  {
    ports: 4,
    name: "filters set after bind",
    steps: async (zmq, t) => {
      const pull = new zmq.Pull();
      await t.wait("bind", () => pull.bind(t.endpoint("tcp")));
      t.do("filter", () => (pull.tcpAcceptFilter = "10.0.0.1"));
      const push = new zmq.Push();
      push.connect(String(pull.lastEndpoint));
      await t.wait("send", () => push.send("bound before"));
      await t.wait("receive", () => pull.receive());
    },
  },
  {
    ports: 4,
    name: "filter values",
    steps: async (zmq, t) => {
      const pull = new zmq.Pull();
      const set = (value: unknown) => () => ((pull as unknown as Record<string, unknown>).tcpAcceptFilter = value);
      for (const value of [
        "127.1",
        "0x7f.0.0.1",
        "127.0.0.1/8x",
        "127.0.0.1/00",
        "127.0.0.1/0",
        "[127.0.0.1]",
        "::1",
        "127.0.0.1%lo",
        "127.0.0.1%",
      ])
        t.do(`set ${value}`, set(value));
      t.do("ipv6 on", () => (pull.ipv6 = true));
      for (const value of [
        "::1",
        "[::1]/128",
        "127.0.0.1/128",
        "127.0.0.1/129",
        "fe80::1%lo",
        "::ffff:10.0.0.1",
        "1::2::3",
      ])
        t.do(`set ${value} (ipv6)`, set(value));
      t.do("get", () => pull.tcpAcceptFilter);
    },
  },
];

scenarios("socksProxy", socksScenarios);
processScenarios("socksProxy failures", failureScenarios);
scenarios("tcpAcceptFilter", filterScenarios);
