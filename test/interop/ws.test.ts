/**
 * ws:// against libzmq 4.3.5's ws transport beyond the shared matrix (pairings.test.ts and
 * security.test.ts run every pairing and mechanism over ws): heartbeats (libzmq's ws engine pings
 * with WebSocket pings and ignores ZMTP PINGs), its events, its paths, its quirks — and jszmq, a
 * pure-JS ZWS 2.0 peer that speaks only bare ZWS2.0.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import jszmq from "jszmq";
import { afterEach, describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { interopCases } from "../../src/cli/interop/matrix.js";
import { PAIRINGS } from "../../src/cli/interop/pairings.js";
import * as ours from "../../src/index.js";
import { sleep, until, within } from "../helpers/time.js";
import { OURS, THEIRS, caseContext, useCleanup } from "./helpers.js";

useCleanup();

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

interface Closable {
  linger?: number;
  close(): void;
}

function closing<T extends Closable>(socket: T): T {
  cleanup.push(() => {
    if ("linger" in socket) socket.linger = 0;
    socket.close();
  });
  return socket;
}

type Observed = { events: { on(type: string, listener: (e: { type: string }) => void): unknown } };

function record(socket: Observed): string[] {
  const seen: string[] = [];
  for (const type of [
    "accept",
    "connect",
    "connect:delay",
    "connect:retry",
    "handshake",
    "handshake:error:protocol",
    "handshake:error:other",
    "disconnect",
  ]) {
    socket.events.on(type, (e) => seen.push(e.type));
  }
  return seen;
}

const ZEROMQ_URL = pathToFileURL(createRequire(import.meta.url).resolve("zeromq")).href;
const DIST = fileURLToPath(new URL("../../dist/esm/index.js", import.meta.url));

/** Runs `code` (ESM, `zmq` or `ours` imported) in a child; resolves its first stdout line. */
function child(code: string): { first: Promise<string>; exit: Promise<NodeJS.Signals | number | null>; pid: number } {
  const script = `
    const zmq = await import(${JSON.stringify(ZEROMQ_URL)});
    const ours = await import(${JSON.stringify(DIST)});
    ${code}
  `;
  const proc = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "ignore"] });
  cleanup.push(() => proc.kill("SIGKILL"));
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const exit = new Promise<NodeJS.Signals | number | null>((resolve) => proc.on("exit", (c, s) => resolve(s ?? c)));
  return { first: lines.next().then((r) => String(r.value)), exit, pid: proc.pid! };
}

describe("heartbeats over ws with libzmq", () => {
  it("libzmq pings our ROUTER with WebSocket pings; ours are answered, so its short timeout never fires", async () => {
    const router = closing(new ours.Router());
    await router.bind("ws://127.0.0.1:*/hb");
    const dealer = closing(new zmq.Dealer({ routingId: "hb", heartbeatInterval: 50, heartbeatTimeout: 150 }));
    const theirs = record(dealer);
    dealer.connect(router.lastEndpoint!);
    await dealer.send("before");
    expect((await router.receive()).map(String)).toEqual(["hb", "before"]);
    await sleep(800); // on purpose: 16 of its ping intervals, over 5 of its timeouts, pass without a disconnect
    expect(theirs).not.toContain("disconnect");
    await router.send(["hb", "after"]);
    expect((await dealer.receive()).map(String)).toEqual(["after"]);
  });

  it("our DEALER's heartbeats keep an idle libzmq ROUTER: it ignores ZMTP PINGs over ws but answers the WebSocket ping beside each", async () => {
    const router = closing(new zmq.Router());
    await router.bind("ws://127.0.0.1:*/hb");
    const dealer = closing(new ours.Dealer({ routingId: "hb2", heartbeatInterval: 50, heartbeatTimeout: 150 }));
    const mine = record(dealer);
    dealer.connect(router.lastEndpoint!);
    await dealer.send("x");
    await router.receive();
    await sleep(800); // on purpose: 16 of our PING intervals, over 5 of our timeouts, pass without a disconnect
    expect(mine).not.toContain("disconnect");
    await router.send(["hb2", "still here"]);
    expect((await dealer.receive()).map(String)).toEqual(["still here"]);
  });

  it("CURVE with heartbeats on both sides keeps going: WebSocket pings travel outside the mechanism", async () => {
    const server = ours.curveKeyPair();
    const client = ours.curveKeyPair();
    for (const [Bound, Connecting] of [
      [ours, zmq],
      [zmq, ours],
    ] as const) {
      const router = closing(
        new Bound.Router({ curveServer: true, curveSecretKey: server.secretKey, heartbeatInterval: 50 }),
      );
      await router.bind("ws://127.0.0.1:*/curve");
      const dealer = closing(
        new Connecting.Dealer({
          routingId: "c",
          heartbeatInterval: 50,
          heartbeatTimeout: 150,
          curveServerKey: server.publicKey,
          curvePublicKey: client.publicKey,
          curveSecretKey: client.secretKey,
        }),
      );
      const events = record(dealer);
      dealer.connect(router.lastEndpoint!);
      await dealer.send("one");
      expect((await router.receive()).map(String)).toEqual(["c", "one"]);
      await sleep(500); // on purpose: 10 ping intervals with nothing else on the wire
      await router.send(["c", "two"]);
      expect((await dealer.receive()).map(String)).toEqual(["two"]);
      expect(events).not.toContain("disconnect");
    }
  });

  it("we drop a libzmq peer whose process froze (SIGSTOP), and reconnect when it resumes", async () => {
    const peer = child(`
      const r = new zmq.Router({ linger: 0 });
      await r.bind("ws://127.0.0.1:*/frozen");
      console.log(r.lastEndpoint);
      for await (const [id, body] of r) await r.send([id, body]);
    `);
    const endpoint = await within(peer.first, 5000, "the libzmq ROUTER's endpoint");
    const dealer = closing(new ours.Dealer({ heartbeatInterval: 100, heartbeatTimeout: 300, receiveTimeout: 3000 }));
    dealer.connect(endpoint);
    await dealer.send("ping");
    expect((await dealer.receive()).map(String)).toEqual(["ping"]);
    const disconnected = new Promise<number>((resolve) => dealer.events.on("disconnect", () => resolve(Date.now())));
    process.kill(peer.pid, "SIGSTOP");
    const stoppedAt = Date.now();
    const after = (await within(disconnected, 5000, "the frozen peer dropped")) - stoppedAt;
    expect(after).toBeGreaterThanOrEqual(200);
    const handshake = new Promise<void>((resolve) => dealer.events.on("handshake", () => resolve()));
    process.kill(peer.pid, "SIGCONT");
    await within(handshake, 5000, "the reconnect");
    await dealer.send("again");
    expect((await dealer.receive()).map(String)).toEqual(["again"]);
  });

  it("libzmq drops our process when it freezes (SIGSTOP): ws answers its pings only while we run", async () => {
    const router = closing(new zmq.Router({ heartbeatInterval: 100, heartbeatTimeout: 300 }));
    await router.bind("ws://127.0.0.1:*/frozen");
    const peer = child(`
      const d = new ours.Dealer({ linger: 0 });
      d.connect(${JSON.stringify(router.lastEndpoint)});
      await d.send("hello");
      console.log("sent");
      setInterval(() => undefined, 1000);
    `);
    expect(String((await router.receive())[1])).toBe("hello");
    await within(peer.first, 5000, "the child's start");
    const disconnected = new Promise<void>((resolve) => router.events.on("disconnect", () => resolve()));
    process.kill(peer.pid, "SIGSTOP");
    await within(disconnected, 3000, "libzmq dropping the frozen peer");
  });
});

describe("libzmq's ws transport as it is", () => {
  it("reports the WebSocket upgrade as a handshake, then the mechanism's: two handshake events, on both sides, ours as theirs", async () => {
    const sequences: Record<string, string[]> = {};
    for (const [Bound, Connecting, name] of [
      [zmq, zmq, "libzmq-libzmq"],
      [ours, ours, "ours-ours"],
      [ours, zmq, "ours-libzmq"],
      [zmq, ours, "libzmq-ours"],
    ] as const) {
      const bound = closing(new Bound.Pair());
      const connecting = closing(new Connecting.Pair());
      const b = record(bound);
      const c = record(connecting);
      await bound.bind("ws://127.0.0.1:*/events");
      connecting.connect(bound.lastEndpoint!);
      await until(() => b.length >= 3 && c.length >= 4, 3000, `${name} events`);
      await sleep(50); // on purpose: no further event may follow
      sequences[name] = [...b.map((e) => `bound ${e}`), ...c.map((e) => `connecting ${e}`)];
    }
    const reference = sequences["libzmq-libzmq"];
    expect(reference).toEqual([
      "bound accept",
      "bound handshake",
      "bound handshake",
      "connecting connect:delay",
      "connecting connect",
      "connecting handshake",
      "connecting handshake",
    ]);
    for (const name of ["ours-ours", "ours-libzmq", "libzmq-ours"]) expect(sequences[name]).toEqual(reference);
  });

  it("libzmq serves any path on its port; we answer 404 to a path not bound, and libzmq's client then gives up", async () => {
    const theirs = closing(new zmq.Pair());
    await theirs.bind("ws://127.0.0.1:*/right");
    const lost = closing(new zmq.Pair({ receiveTimeout: 2000 }));
    lost.connect(theirs.lastEndpoint!.replace("/right", "/wrong"));
    await lost.send("any path will do");
    expect((await theirs.receive()).map(String)).toEqual(["any path will do"]);

    const mine = closing(new ours.Pair());
    await mine.bind("ws://127.0.0.1:*/right");
    const refused = closing(new zmq.Pair());
    const events = record(refused);
    refused.connect(mine.lastEndpoint!.replace("/right", "/wrong"));
    await until(() => events.includes("disconnect"), 2000, "the refused upgrade");
    await sleep(400); // on purpose: libzmq must not try again (a refused upgrade is a protocol error)
    expect(events).toEqual(["connect:delay", "connect", "handshake:error:protocol", "disconnect"]);
  });

  it("libzmq's ws client masks a frame over 128 bytes in place: the application's Buffer changes after send (libzmq on both sides)", async () => {
    const bound = closing(new zmq.Pair());
    await bound.bind("ws://127.0.0.1:*/mask");
    const connecting = closing(new zmq.Pair());
    connecting.connect(bound.lastEndpoint!);
    const small = Buffer.alloc(128, 0x41);
    const large = Buffer.alloc(129, 0x41);
    await connecting.send(small);
    await connecting.send(large);
    expect((await bound.receive())[0]!.equals(Buffer.alloc(128, 0x41))).toBe(true);
    expect((await bound.receive())[0]!.equals(Buffer.alloc(129, 0x41))).toBe(true);
    expect(small.equals(Buffer.alloc(128, 0x41))).toBe(true);
    expect(large.equals(Buffer.alloc(129, 0x41))).toBe(false);
  });

  it("a bare ZWS2.0 peer (jszmq) with heartbeats on: libzmq aborts the process, our ROUTER keeps the connection", async () => {
    const theirs = child(`
      const r = new zmq.Router({ linger: 0, heartbeatInterval: 50 });
      await r.bind("ws://127.0.0.1:*/bare");
      console.log(r.lastEndpoint);
      for await (const [id, body] of r) await r.send([id, body]);
    `);
    const theirEndpoint = await within(theirs.first, 5000, "the libzmq ROUTER's endpoint");
    const toTheirs = new jszmq.Dealer();
    cleanup.push(() => toTheirs.close());
    toTheirs.connect(theirEndpoint);
    expect(await within(theirs.exit, 3000, "libzmq's exit")).toBe("SIGABRT");
    // jszmq would redial the dead port, and its ws has no error listener for the refusal.
    toTheirs.close();

    const mine = closing(new ours.Router({ heartbeatInterval: 50, heartbeatTimeout: 150 }));
    await mine.bind("ws://127.0.0.1:*/bare");
    const events = record(mine);
    const toMine = new jszmq.Dealer();
    toMine.options.routingId = "jz";
    cleanup.push(() => toMine.close());
    toMine.connect(mine.lastEndpoint!);
    toMine.send("hello");
    expect((await mine.receive()).map(String)).toEqual(["jz", "hello"]);
    await sleep(400); // on purpose: 8 ping intervals, over 2 timeouts
    expect(events).not.toContain("disconnect");
  });

  it("maxMessageSize: a connecting socket drops a peer that sends a larger frame and, as libzmq, does not dial it again", async () => {
    const connects: Record<string, number> = {};
    for (const [Connecting, name] of [
      [zmq, "libzmq"],
      [ours, "ours"],
    ] as const) {
      const router = closing(new zmq.Router());
      await router.bind("ws://127.0.0.1:*/big");
      const dealer = closing(new Connecting.Dealer({ routingId: "d", maxMessageSize: 100 }));
      const events = record(dealer);
      dealer.connect(router.lastEndpoint!);
      await dealer.send("hi");
      await router.receive();
      await router.send(["d", Buffer.alloc(101)]);
      await until(() => events.includes("disconnect"), 2000, `${name} dropping the peer`);
      await sleep(400); // on purpose: no reconnect may follow
      connects[name] = events.filter((e) => e === "connect").length;
    }
    expect(connects).toEqual({ libzmq: 1, ours: 1 });
  });
});

describe("jszmq (bare ZWS2.0) as a peer", () => {
  it("a jszmq DEALER reaches our ROUTER under its routing id, and gets the reply", async () => {
    const router = closing(new ours.Router({ receiveTimeout: 2000 }));
    await router.bind("ws://127.0.0.1:*/jszmq");
    const dealer = new jszmq.Dealer();
    dealer.options.routingId = "jz";
    cleanup.push(() => dealer.close());
    const got: string[][] = [];
    dealer.on("message", (...frames: Buffer[]) => got.push(frames.map(String)));
    dealer.connect(router.lastEndpoint!);
    dealer.send(["hello", "world"]);
    expect((await router.receive()).map(String)).toEqual(["jz", "hello", "world"]);
    await router.send(["jz", "reply", "parts"]);
    await until(() => got.length === 1, 2000, "the reply at jszmq");
    expect(got).toEqual([["reply", "parts"]]);
  });

  it("a jszmq SUB gets from our PUB only what it subscribed to", async () => {
    const pub = closing(new ours.Publisher());
    await pub.bind("ws://127.0.0.1:*/jszmq");
    const sub = new jszmq.Sub();
    cleanup.push(() => sub.close());
    const got: string[][] = [];
    sub.on("message", (...frames: Buffer[]) => got.push(frames.map(String)));
    sub.subscribe("a");
    sub.connect(pub.lastEndpoint!);
    // The subscription travels after the connection: publish until the first "a0" arrives.
    await until(
      () => {
        void pub.send(["a0"]);
        return got.length > 0;
      },
      2000,
      "the subscription at our PUB",
    );
    await pub.send(["a1", "more"]);
    await pub.send(["b1"]);
    await pub.send(["a2"]);
    await until(() => got.some((m) => m[0] === "a2"), 2000, "the last message at jszmq");
    expect(got.filter((m) => m[0] !== "a0")).toEqual([["a1", "more"], ["a2"]]);
  });

  it("a jszmq PUSH feeds our PULL", async () => {
    const pull = closing(new ours.Pull({ receiveTimeout: 2000 }));
    await pull.bind("ws://127.0.0.1:*/jszmq");
    const push = new jszmq.Push();
    cleanup.push(() => push.close());
    push.connect(pull.lastEndpoint!);
    for (const m of ["one", "two", "three"]) push.send(m);
    for (const m of ["one", "two", "three"]) expect((await pull.receive()).map(String)).toEqual([m]);
  });

  it('a bound jszmq ROUTER refuses the ZWS2.0/NULL offer (its ws answers 400: "/" is no token character): libzmq\'s client and ours fail alike and give up', async () => {
    const seen: Record<string, string[]> = {};
    for (const [Connecting, name] of [
      [zmq, "libzmq"],
      [ours, "ours"],
    ] as const) {
      // jszmq cannot tell the port it bound: it serves on an HTTP server of ours, on port 0.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      cleanup.push(() => server.close());
      const port = (server.address() as AddressInfo).port;
      const router = new jszmq.Router();
      router.bind(`ws://127.0.0.1:${port}/jszmq`, server);
      cleanup.push(() => router.close());
      const dealer = closing(new Connecting.Dealer());
      const events = record(dealer);
      dealer.connect(`ws://127.0.0.1:${port}/jszmq`);
      await until(() => events.includes("disconnect"), 3000, `${name}'s refused upgrade`);
      await sleep(300); // on purpose: no reconnect may follow
      seen[name] = events;
    }
    expect(seen.libzmq).toEqual(["connect:delay", "connect", "handshake:error:protocol", "disconnect"]);
    expect(seen.ours).toEqual(seen.libzmq);
  });
});

// Last: the PLAIN / CURVE cases leave ZAP handlers bound in both default contexts until the file ends.
describe("the interop matrix's behaviour cases over ws (zmtp interop runs them too)", () => {
  const pairings = new Set(PAIRINGS.map((p) => p.name));
  for (const c of interopCases(OURS, THEIRS).filter((c) => c.transport === "ws" && !pairings.has(c.group))) {
    it(c.name, () => c.run(caseContext()));
  }
});
