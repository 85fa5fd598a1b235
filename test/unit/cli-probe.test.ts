/**
 * `zmtp probe` against real peers: libzmq (the zeromq package) ROUTER, PUB and REP with NULL,
 * PLAIN and CURVE, and things that are not ZMTP peers — a closed port, an HTTP server, a silent
 * server. The report must say what the peer is, or why it failed, with the documented exit code.
 */
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { parseProbeArgs } from "../../src/cli/probe/args.js";
import { PROBE_EXIT_CODES, formatProbeReport, type ProbeReport } from "../../src/cli/probe/report.js";
import { runProbe } from "../../src/cli/probe/command.js";
import { encodeGreeting } from "../../src/zmtp/greeting.js";
import { ready } from "../helpers/raw-peer.js";
import { zmtpCommand, type RunResult } from "../helpers/run-node.js";

function zmtp(...args: string[]): Promise<RunResult> {
  return zmtpCommand(args, 15_000);
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function probe(...args: string[]): Promise<ProbeReport> {
  const options = parseProbeArgs(args);
  if (options === "help") throw new Error("unexpected --help");
  return runProbe(options);
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function track<T extends { close(): unknown }>(thing: T): T {
  closers.push(() => void thing.close());
  return thing;
}

async function bound<T extends zmq.Socket>(sock: T): Promise<{ sock: T; endpoint: string }> {
  track(sock);
  await sock.bind("tcp://127.0.0.1:*");
  return { sock, endpoint: sock.lastEndpoint! };
}

/** A ZAP handler in its own libzmq context, so other tests keep a context without one. */
const zapContext = new zmq.Context();
let zap: zmq.Reply;

beforeAll(async () => {
  zap = new zmq.Reply({ context: zapContext, linger: 0 });
  await zap.bind("inproc://zeromq.zap.01");
  void (async () => {
    for await (const [version, id, , , , mechanism, user, password] of zap) {
      const ok =
        mechanism!.toString() !== "PLAIN" || (user!.toString() === "admin" && password!.toString() === "secret");
      await zap.send([version!, id!, ok ? "200" : "400", ok ? "OK" : "Denied", "", ""]);
    }
  })().catch(() => undefined);
});

afterAll(() => {
  zap.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

async function listen(server: Server): Promise<string> {
  track(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("zmtp probe against libzmq", () => {
  it("reports a NULL ROUTER: greeting, Socket-Type and Identity, PONG, and an echoed message", async () => {
    const { sock: router, endpoint } = await bound(new zmq.Router({ linger: 0, routingId: "srv-id" }));
    void (async () => {
      for await (const [id, ...body] of router)
        await router.send([id!, ...body.map((b) => Buffer.concat([Buffer.from("echo:"), b]))]);
    })().catch(() => undefined);
    const report = await probe(endpoint, "--send", "hello|0x00ff", "--recv", "1");
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ ok: true, exitCode: 0, socketType: "DEALER", mechanism: "NULL" });
    expect(report.greeting).toMatchObject({ version: "3.1", mechanism: "NULL", asServer: false });
    // libzmq pads the signature with its routing id length + 1 (docs/protocol.md §1.1).
    expect(report.greeting!.padding).toBe("0000000000000007");
    expect(report.properties).toEqual({ "Socket-Type": "ROUTER", Identity: "srv-id" });
    expect(report.ping?.answered).toBe(true);
    expect(report.handshakeMs).toBeGreaterThan(0);
    expect(report.sent).toEqual([
      [
        { size: 5, text: "hello" },
        { size: 2, hex: "00ff" },
      ],
    ]);
    expect(report.received).toEqual([
      [
        { size: 10, text: "echo:hello" },
        { size: 7, hex: "6563686f3a00ff" },
      ],
    ]);
    const text = formatProbeReport(report);
    expect(text).toMatch(/^greeting\s+ZMTP 3\.1, mechanism NULL, as-server 0$/m);
    expect(text).toMatch(/^ {2}Socket-Type ROUTER$/m);
    expect(text).toMatch(/^ping\s+PONG in [\d.]+ ms$/m);
    expect(text).toMatch(/^received\s+"echo:hello" \| 0x6563686f3a00ff$/m);
    expect(text.trimEnd().split("\n").pop()).toBe("ok");
  });

  it("reports a PUB (no Identity) and receives what it publishes as a SUB", async () => {
    const { sock: pub, endpoint } = await bound(new zmq.Publisher({ linger: 0 }));
    const timer = setInterval(() => void pub.send(["weather", "sunny"]).catch(() => undefined), 20);
    closers.push(() => clearInterval(timer));
    const report = await probe(endpoint, "--type", "sub", "--subscribe", "weather", "--recv", "1");
    expect(report.exitCode).toBe(0);
    expect(report.properties).toEqual({ "Socket-Type": "PUB" });
    expect(report.subscribed).toEqual(["weather"]);
    expect(report.received).toEqual([
      [
        { size: 7, text: "weather" },
        { size: 5, text: "sunny" },
      ],
    ]);
  });

  it("a DEALER probing a PUB fails as an incompatible socket type (exit 6), still showing the peer's type", async () => {
    const { endpoint } = await bound(new zmq.Publisher({ linger: 0 }));
    const report = await probe(endpoint);
    expect(report.exitCode).toBe(PROBE_EXIT_CODES["socket-type"]);
    expect(report.exitCode).toBe(6);
    expect(report.properties).toEqual({ "Socket-Type": "PUB" });
    expect(report.error?.message).toContain("the peer is PUB");
  });

  it("talks to a REP as a REQ, adding the empty delimiter", async () => {
    const { sock: rep, endpoint } = await bound(new zmq.Reply({ linger: 0 }));
    void (async () => {
      for await (const [body] of rep) await rep.send(`re:${body!.toString()}`);
    })().catch(() => undefined);
    const report = await probe(endpoint, "--type", "REQ", "--send", "hi", "--recv", "1");
    expect(report.exitCode).toBe(0);
    expect(report.properties).toEqual({ "Socket-Type": "REP" });
    expect(report.sent).toEqual([
      [
        { size: 0, text: "" },
        { size: 2, text: "hi" },
      ],
    ]);
    expect(report.received).toEqual([
      [
        { size: 0, text: "" },
        { size: 5, text: "re:hi" },
      ],
    ]);
  });

  it("PLAIN: right credentials complete the handshake; wrong ones are an auth failure with the ERROR reason (exit 7)", async () => {
    const rep = track(new zmq.Reply({ context: zapContext, linger: 0, plainServer: true }));
    await rep.bind("tcp://127.0.0.1:*");
    const endpoint = rep.lastEndpoint!;
    const good = await probe(endpoint, "--type", "REQ", "--username", "admin", "--password", "secret");
    expect(good.error).toBeUndefined();
    expect(good).toMatchObject({ exitCode: 0, mechanism: "PLAIN", role: "client" });
    expect(good.greeting?.mechanism).toBe("PLAIN");
    expect(good.properties).toEqual({ "Socket-Type": "REP" });
    const bad = await probe(endpoint, "--type", "REQ", "--username", "admin", "--password", "nope");
    expect(bad.exitCode).toBe(7);
    expect(bad.error).toMatchObject({ kind: "auth" });
    expect(bad.error!.message).toContain('ERROR "400"');
  });

  it("PLAIN against a libzmq server without a ZAP handler: closed during the handshake (exit 8)", async () => {
    const { endpoint } = await bound(new zmq.Reply({ linger: 0, plainServer: true }));
    const report = await probe(endpoint, "--type", "REQ", "--username", "u", "--password", "p");
    expect(report.exitCode).toBe(8);
    expect(report.error?.message).toContain("during the PLAIN handshake");
  });

  it("CURVE: with the server's key the handshake completes and traffic flows; with another key the server hangs up", async () => {
    const keys = zmq.curveKeyPair();
    const { sock: router, endpoint } = await bound(
      new zmq.Router({ linger: 0, curveServer: true, curveSecretKey: keys.secretKey }),
    );
    void (async () => {
      for await (const [id] of router) await router.send([id!, "secret reply"]);
    })().catch(() => undefined);
    const report = await probe(endpoint, "--server-key", keys.publicKey, "--send", "x", "--recv", "1");
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ exitCode: 0, mechanism: "CURVE" });
    expect(report.greeting?.mechanism).toBe("CURVE");
    expect(report.properties).toEqual({ "Socket-Type": "ROUTER", Identity: "" });
    expect(report.ping?.answered).toBe(true);
    expect(report.curvePublicKey).toHaveLength(40);
    expect(report.received).toEqual([[{ size: 12, text: "secret reply" }]]);
    const wrong = await probe(endpoint, "--server-key", zmq.curveKeyPair().publicKey);
    expect(wrong.exitCode).toBe(8);
    expect(wrong.error?.message).toContain("CURVE handshake");
  });

  it("a mechanism mismatch shows the peer's greeting and exits 5", async () => {
    const { endpoint } = await bound(new zmq.Router({ linger: 0 }));
    const report = await probe(endpoint, "--mechanism", "plain", "--username", "u");
    expect(report.exitCode).toBe(5);
    expect(report.greeting?.mechanism).toBe("NULL");
    expect(report.error?.message).toContain("the peer uses NULL, we offered PLAIN");
  });

  it("--bind accepts one connection; as a PLAIN server it shows the client's credentials", async () => {
    const port = await freePort();
    const endpoint = `tcp://127.0.0.1:${port}`;
    const dealer = track(
      new zmq.Dealer({ linger: 0, routingId: "client-7", plainUsername: "alice", plainPassword: "pw" }),
    );
    const pending = probe(
      endpoint,
      "--bind",
      "--as-server",
      "--mechanism",
      "plain",
      "--type",
      "ROUTER",
      "--recv",
      "1",
      "--timeout",
      "5000",
    );
    dealer.connect(endpoint);
    await dealer.send("from libzmq");
    const report = await pending;
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ mode: "bind", role: "server", exitCode: 0 });
    expect(report.client).toEqual({ username: "alice", password: "pw" });
    expect(report.properties).toEqual({ "Socket-Type": "DEALER", Identity: "client-7" });
    expect(report.received).toEqual([[{ size: 11, text: "from libzmq" }]]);
  });
});

describe("zmtp probe against things that are not ZMTP peers", () => {
  it("a closed port is a connect failure (exit 3)", async () => {
    const port = await freePort();
    const report = await probe(`tcp://127.0.0.1:${port}`);
    expect(report.exitCode).toBe(3);
    expect(report.error).toMatchObject({ kind: "connect" });
    expect(report.error!.message).toContain("ECONNREFUSED");
  });

  it("an HTTP server is not ZMTP (exit 4), and the report quotes what it answered", async () => {
    const endpoint = await listen(createHttpServer((_req, res) => res.end("hello")));
    const report = await probe(endpoint);
    expect(report.exitCode).toBe(4);
    expect(report.error).toMatchObject({ kind: "not-zmtp" });
    expect(report.error!.message).toContain("bad signature");
    expect(report.error!.message).toContain('"HTTP/1.1 400 Bad Request"');
  });

  it("a server that accepts and says nothing times out (exit 9)", async () => {
    const endpoint = await listen(createServer(() => undefined));
    const report = await probe(endpoint, "--timeout", "300");
    expect(report.exitCode).toBe(9);
    expect(report.error?.message).toContain("sent nothing within 300 ms");
  });

  it("a peer that waits for our whole greeting still gets it (zmq.rs-style), and a 3.0 peer is reported as such", async () => {
    const endpoint = await listen(
      createServer((sock: Socket) => {
        let got = 0;
        sock.on("data", (chunk: Buffer) => {
          const before = got;
          got += chunk.length;
          // Answer only once all 64 bytes are in; announce ZMTP 3.0.
          if (before < 64 && got >= 64) {
            const greeting = encodeGreeting("NULL", false);
            greeting[11] = 0;
            sock.write(
              Buffer.concat([
                greeting,
                ready("ROUTER", [
                  ["Identity", ""],
                  ["X-Vendor", "raw"],
                ]),
              ]),
            );
          }
        });
        sock.on("error", () => undefined);
      }),
    );
    const report = await probe(endpoint, "--no-ping");
    expect(report.error).toBeUndefined();
    expect(report.greeting).toMatchObject({ version: "3.0", minor: 0 });
    expect(report.properties).toEqual({ "Socket-Type": "ROUTER", Identity: "", "X-Vendor": "raw" });
    expect(report.ping).toBeUndefined();
  });
});

describe("zmtp probe command line", () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, "dist", "esm", "cli.js")))
      throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  });

  it("prints a JSON report and exits with the failure's code", async () => {
    const port = await freePort();
    const result = await zmtp("probe", `tcp://127.0.0.1:${port}`, "--json");
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as ProbeReport;
    expect(report).toMatchObject({ ok: false, exitCode: 3, error: { kind: "connect" } });
  });

  it("probes a libzmq ROUTER in text form and exits 0", async () => {
    const { endpoint } = await bound(new zmq.Router({ linger: 0 }));
    const result = await zmtp("probe", endpoint);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}Socket-Type ROUTER$/m);
    expect(result.stdout).toMatch(/^handshake\s+ok in [\d.]+ ms$/m);
  });

  it("--help exits 0; bad arguments are usage errors (exit 2)", async () => {
    const help = await zmtp("probe", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
    for (const args of [
      [],
      ["tcp://127.0.0.1:1", "--type", "BOGUS"],
      ["tcp://127.0.0.1:1", "--mechanism", "curve"],
      ["tcp://127.0.0.1:1", "--send", "0xabc"],
      ["nope"],
    ]) {
      const result = await zmtp("probe", ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain("Usage: zmtp probe");
    }
  });
});
