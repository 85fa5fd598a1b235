/**
 * Transport limits reach the operating system: connectTimeout aborts a TCP connect that hangs,
 * tcpKeepalive / tcpKeepaliveIdle are set on both connecting and accepted streams, and backlog is
 * the listen(2) backlog. Only 127.0.0.0/8 is used: a connect is made to hang by a local listener
 * whose accept queue is full (a child process that never accepts), not by an unroutable address.
 */
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Dealer, Pull, Push, Router, type Event } from "../../../src/index.js";
import { bundleWorker, removeBundle, runChild, type ChildRun } from "../../helpers/child-process.js";
import { nextEvent, useHarness } from "../../helpers/sockets.js";
import { sleep, until } from "../../helpers/time.js";

const h = useHarness();
const LINUX_PROC = process.platform === "linux" && existsSync("/proc/net/tcp");

let bundle = "";
const children: ChildRun[] = [];
const rawSockets: net.Socket[] = [];
beforeAll(async () => {
  bundle = await bundleWorker("test/unit/transports/blocked-listener.worker.ts");
});
afterAll(() => removeBundle(bundle));
afterEach(() => {
  vi.restoreAllMocks();
  for (const socket of rawSockets.splice(0)) socket.destroy();
  for (const run of children.splice(0)) run.child.kill("SIGKILL");
});

/** A listener in a child process that never accepts; returns its endpoint and port. */
async function blockedListener(backlog: number | "default"): Promise<{ endpoint: string; port: number }> {
  const run = runChild(bundle, [String(backlog)]);
  children.push(run);
  const endpoint = await Promise.race([
    run.firstLine,
    run.done.then(() => Promise.reject(new Error("the listener child exited early"))),
  ]);
  return { endpoint, port: Number(endpoint.slice(endpoint.lastIndexOf(":") + 1)) };
}

/** Opens `n` raw TCP connections to `port`; resolves with how many completed within `ms`. */
async function completedConnects(port: number, n: number, ms: number): Promise<number> {
  let connected = 0;
  for (let i = 0; i < n; i++) {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.on("error", () => undefined);
    socket.on("connect", () => void (connected += 1));
    rawSockets.push(socket);
  }
  await sleep(ms); // on purpose: what the kernel completes within `ms` is the measurement
  return connected;
}

describe("connectTimeout", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // The transport times the dial with the global timers: faked here, so the bound is exact.
  it("aborts a connect that hangs (peer's accept queue full): close exactly connectTimeout after the dial, then connect:retry; without it no timer ends the dial", async () => {
    const { endpoint, port } = await blockedListener(1);
    // Fill the accept queue (backlog 1 holds 2 on Linux); later SYNs are dropped.
    await completedConnects(port, 4, 100);

    const timed = h.open(Dealer, { connectTimeout: 300, reconnectInterval: 50 });
    const untimed = h.open(Dealer, { reconnectInterval: 50 });
    const timedEvents: Event[] = [];
    const untimedEvents: Event[] = [];
    for (const type of ["connect:delay", "connect", "close", "connect:retry"] as const) {
      timed.events.on(type, (event) => timedEvents.push(event));
      untimed.events.on(type, (event) => untimedEvents.push(event));
    }
    const types = (events: Event[]): string[] => events.map((e) => e.type);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    timed.connect(endpoint);
    untimed.connect(endpoint);
    await until(
      () => types(timedEvents).includes("connect:delay") && types(untimedEvents).includes("connect:delay"),
      3000,
      "both dialling",
    );
    await vi.advanceTimersByTimeAsync(299);
    await new Promise((resolve) => setImmediate(resolve));
    expect(types(timedEvents)).toEqual(["connect:delay"]);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => types(timedEvents).includes("connect:retry"), 3000, "connect:retry after the timeout");

    expect(types(timedEvents).slice(0, 3)).toEqual(["connect:delay", "close", "connect:retry"]);
    expect(types(timedEvents)).not.toContain("connect");
    // The control: the same endpoint without connectTimeout has no timer to end its dial.
    expect(types(untimedEvents)).toEqual(["connect:delay"]);
  });
});

interface TcpEntry {
  localPort: number;
  remotePort: number;
  /** 1 = ESTABLISHED. */
  state: number;
  /** 2 is sk_timer, the keepalive timer of an established socket; 0 none. */
  timer: number;
  /** Seconds until the timer fires (the column is in 1/100 s). */
  timerSeconds: number;
}

/** The loopback IPv4 connections in /proc/net/tcp. */
function tcpTable(): TcpEntry[] {
  const entries: TcpEntry[] = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6 || !fields[1]!.startsWith("0100007F:")) continue;
    const [timer, when] = fields[5]!.split(":");
    entries.push({
      localPort: parseInt(fields[1]!.split(":")[1]!, 16),
      remotePort: parseInt(fields[2]!.split(":")[1]!, 16),
      state: parseInt(fields[3]!, 16),
      timer: parseInt(timer!, 16),
      timerSeconds: parseInt(when!, 16) / 100,
    });
  }
  return entries;
}

describe("tcpKeepalive", () => {
  it("tcpKeepalive 1 with tcpKeepaliveIdle calls setKeepAlive(true, idle ms) on the connecting and the accepted stream", async () => {
    const spy = vi.spyOn(net.Socket.prototype, "setKeepAlive");
    const router = h.open(Router, { tcpKeepalive: 1, tcpKeepaliveIdle: 45 });
    await router.bind("tcp://127.0.0.1:*");
    const port = Number(router.lastEndpoint!.split(":").pop());
    const dealer = h.open(Dealer, { tcpKeepalive: 1, tcpKeepaliveIdle: 30 });
    const accepted = nextEvent(router, "handshake");
    dealer.connect(router.lastEndpoint!);
    await accepted;
    const calls = spy.mock.calls.map((args, i) => ({ args, socket: spy.mock.contexts[i] as net.Socket }));
    const connecting = calls.filter((c) => c.socket.remotePort === port);
    const acceptedSide = calls.filter((c) => c.socket.localPort === port);
    expect(connecting.map((c) => c.args)).toEqual([[true, 30_000]]);
    expect(acceptedSide.map((c) => c.args)).toEqual([[true, 45_000]]);
  });

  it("tcpKeepalive 0 turns keepalive off explicitly; the default (-1) leaves the OS setting alone", async () => {
    const spy = vi.spyOn(net.Socket.prototype, "setKeepAlive");
    const pull = h.open(Pull);
    await pull.bind("tcp://127.0.0.1:*");
    const off = h.open(Push, { tcpKeepalive: 0 });
    const untouched = h.open(Push);
    const offReady = nextEvent(off, "handshake");
    const untouchedReady = nextEvent(untouched, "handshake");
    off.connect(pull.lastEndpoint!);
    await offReady;
    expect(spy.mock.calls).toEqual([[false]]);
    untouched.connect(pull.lastEndpoint!);
    await untouchedReady;
    expect(spy.mock.calls).toEqual([[false]]);
  });

  it.skipIf(!LINUX_PROC)(
    "the kernel runs a keepalive timer of tcpKeepaliveIdle seconds on the connection, and none without the option (/proc/net/tcp)",
    async () => {
      const router = h.open(Router);
      await router.bind("tcp://127.0.0.1:*");
      const port = Number(router.lastEndpoint!.split(":").pop());
      const dealer = h.open(Dealer, { tcpKeepalive: 1, tcpKeepaliveIdle: 30 });
      const ready = nextEvent(dealer, "handshake");
      dealer.connect(router.lastEndpoint!);
      await ready;
      await sleep(100); // on purpose: an idle moment, so no retransmit timer hides the keepalive timer
      const table = tcpTable();
      const server = table.find((e) => e.localPort === port && e.state === 1);
      expect(server, "the accepted connection in /proc/net/tcp").toBeDefined();
      const client = table.find((e) => e.localPort === server!.remotePort && e.remotePort === port);
      expect(client, "the connecting side in /proc/net/tcp").toBeDefined();
      expect(client!.timer).toBe(2);
      expect(client!.timerSeconds).toBeGreaterThan(20);
      expect(client!.timerSeconds).toBeLessThanOrEqual(30);
      // The ROUTER side had no keepalive option: no timer.
      expect(server!.timer).toBe(0);
    },
  );
});

describe("backlog", () => {
  it("is passed to listen() for tcp and ipc (zeromq.js default 100)", async () => {
    const spy = vi.spyOn(net.Server.prototype, "listen");
    const tcp = h.open(Pull, { backlog: 7 });
    await tcp.bind("tcp://127.0.0.1:*");
    const ipc = h.open(Pull, { backlog: 9 });
    await ipc.bind(`ipc://${h.ipcPath()}`);
    const byDefault = h.open(Pull);
    await byDefault.bind("tcp://127.0.0.1:*");
    const backlogs = spy.mock.calls.map((args) => (args[0] as { backlog?: number }).backlog);
    expect(backlogs).toEqual([7, 9, 100]);
  });

  it.skipIf(process.platform !== "linux")(
    "limits the connections the kernel completes while nothing accepts: backlog 2 takes about 3 of 8, the default takes all 8",
    async () => {
      const small = await blockedListener(2);
      const large = await blockedListener("default");
      const [smallCount, largeCount] = await Promise.all([
        completedConnects(small.port, 8, 500),
        completedConnects(large.port, 8, 500),
      ]);
      // Linux queues backlog + 1 completed connections before it drops SYNs.
      expect(smallCount).toBeGreaterThanOrEqual(2);
      expect(smallCount).toBeLessThanOrEqual(3);
      expect(largeCount).toBe(8);
    },
  );
});
