/**
 * tcp through a SOCKS5 proxy with libzmq on the other side, both ways: the binding's socket
 * connects through the test proxy to a zmtp bind, and zmtp's to a binding bind. Both ask the
 * proxy the same things (methods, address type, host, credentials).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import * as zmtp from "../../src/index.js";
import { startSocksProxy, type SocksProxy } from "../helpers/socks-proxy.js";
import { text, useHarness } from "../helpers/sockets.js";
import { until } from "../helpers/time.js";

const zeromq = createRequire(import.meta.url)("zeromq") as typeof import("zeromq");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const h = useHarness();
const proxies: SocksProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

type Library = "zmtp" | "libzmq";
const LIBRARIES: Library[] = ["zmtp", "libzmq"];

interface AnySocket {
  socksProxy: string | null;
  linger: number;
  receiveTimeout: number;
  sendTimeout: number;
  readonly lastEndpoint: string | null;
  readonly closed: boolean;
  bind(address: string): Promise<void>;
  connect(address: string): void;
  close(): void;
  setStringOption(id: number, value: string): void;
}

function socket(library: Library, kind: "Push" | "Pull"): AnySocket {
  const made = (library === "zmtp" ? new zmtp[kind]() : new zeromq[kind]()) as unknown as AnySocket;
  made.linger = 0;
  if (kind === "Pull") made.receiveTimeout = 3000;
  else made.sendTimeout = 3000;
  return h.track(made);
}

const cases = LIBRARIES.map((via) => [via, via === "zmtp" ? "libzmq" : "zmtp"] as const);

describe.each(cases)("%s connects through the proxy to %s", (via, to) => {
  it("without authentication, naming a host the proxy resolves", async () => {
    const socks = await startSocksProxy();
    proxies.push(socks);
    const pull = socket(to, "Pull");
    await pull.bind("tcp://127.0.0.1:*");
    const push = socket(via, "Push");
    push.socksProxy = socks.address;
    push.connect(pull.lastEndpoint!.replace("127.0.0.1", "localhost"));
    await (push as unknown as zmtp.Push).send(["through", "socks"]);
    expect(text(await (pull as unknown as zmtp.Pull).receive())).toEqual(["through", "socks"]);
    expect(socks.requests[0]).toMatchObject({ methods: [0], addressType: 3, host: "localhost" });
  });

  it("with username and password", async () => {
    const socks = await startSocksProxy({ credentials: { username: "zmq", password: "pw" } });
    proxies.push(socks);
    const pull = socket(to, "Pull");
    await pull.bind("tcp://127.0.0.1:*");
    const push = socket(via, "Push");
    push.socksProxy = socks.address;
    push.setStringOption(99, "zmq");
    push.setStringOption(100, "pw");
    push.connect(pull.lastEndpoint!);
    await (push as unknown as zmtp.Push).send("authenticated");
    expect(text(await (pull as unknown as zmtp.Pull).receive())).toEqual(["authenticated"]);
    expect(socks.requests[0]).toMatchObject({ methods: [2], username: "zmq", password: "pw", addressType: 1 });
  });
});

/**
 * The binding's half runs in a child process that is killed, never closed: libzmq 4.3.5 aborts
 * the process (epoll.cpp:86, "Bad file descriptor") when a socket closes after a failed attempt
 * through a proxy (test/conformance/differences.ts lists it), which here would take the test
 * worker down with it.
 */
function libzmqDialsThrough(proxy: string, endpoints: readonly string[]): ChildProcess {
  const script = `
    const { Push } = require("zeromq");
    const push = new Push({ linger: 0 });
    push.socksProxy = ${JSON.stringify(proxy)};
    for (const endpoint of ${JSON.stringify(endpoints)}) push.connect(endpoint);
    setInterval(() => {}, 1000);`;
  return spawn(process.execPath, ["-e", script], { cwd: ROOT, stdio: "ignore" });
}

it("zmtp asks the proxy exactly what libzmq asks", async () => {
  const endpoints = ["tcp://127.0.0.1:5555", "tcp://[::1]:5556", "tcp://example.invalid:5557"];
  const asked: Record<Library, unknown[]> = { zmtp: [], libzmq: [] };
  for (const library of LIBRARIES) {
    const socks = await startSocksProxy({ replyCode: 5 });
    proxies.push(socks);
    let child: ChildProcess | null = null;
    if (library === "libzmq") {
      child = libzmqDialsThrough(socks.address, endpoints);
    } else {
      const push = socket(library, "Push");
      push.socksProxy = socks.address;
      for (const endpoint of endpoints) push.connect(endpoint);
    }
    try {
      await until(() => socks.requests.length >= endpoints.length, 5000, `${library}'s requests`);
    } finally {
      child?.kill("SIGKILL");
    }
    asked[library] = socks.requests
      .slice(0, endpoints.length)
      .map(({ methods, addressType, host, port }) => ({ methods, addressType, host, port }))
      .sort((a, b) => a.port - b.port);
  }
  expect(asked.libzmq).toHaveLength(3);
  expect(asked.zmtp).toEqual(asked.libzmq);
});
