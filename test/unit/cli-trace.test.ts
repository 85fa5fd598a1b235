/**
 * `zmtp trace` between libzmq peers (the zeromq package): messages must pass unchanged and the
 * decoded log must match what was sent — greetings, READY properties, frames in order — with
 * PLAIN decoded (password hidden) and CURVE shown as command names and MESSAGE sizes.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { TraceDecoder, type TraceEvent } from "../../src/cli/trace/decoder.js";
import { formatTraceText, startTrace, type TraceRecord, type Tracer } from "../../src/cli/trace/command.js";
import { command, greeting, ready } from "../helpers/raw-peer.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

function track<T extends { close(): unknown }>(thing: T): T {
  closers.push(() => void thing.close());
  return thing;
}

interface Traced {
  tracer: Tracer;
  records: TraceRecord[];
  /** Resolves once a record matching `test` has been seen. */
  seen(test: (r: TraceRecord) => boolean): Promise<TraceRecord>;
}

async function trace(to: string): Promise<Traced> {
  const records: TraceRecord[] = [];
  const waiters: Array<{ test: (r: TraceRecord) => boolean; resolve: (r: TraceRecord) => void }> = [];
  const tracer = await startTrace({ listen: "tcp://127.0.0.1:*", to, previewBytes: 32, once: false }, (record) => {
    records.push(record);
    for (const w of waiters.splice(0)) {
      if (w.test(record)) w.resolve(record);
      else waiters.push(w);
    }
  });
  track(tracer);
  const seen = (test: (r: TraceRecord) => boolean): Promise<TraceRecord> => {
    const found = records.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  };
  return { tracer, records, seen };
}

/** Records of one direction and kind, without the timestamp. */
function events(records: TraceRecord[], dir: ">" | "<", ...kinds: string[]): Array<Omit<TraceRecord, "time">> {
  return records.filter((r) => r.dir === dir && kinds.includes(r.event)).map(({ time: _time, ...rest }) => rest);
}

describe("zmtp trace between a libzmq DEALER and ROUTER", () => {
  it("forwards messages unchanged and logs greetings, READY properties and every frame in order", async () => {
    const router = track(new zmq.Router({ linger: 0, routingId: "the-router" }));
    await router.bind("tcp://127.0.0.1:*");
    const { tracer, records, seen } = await trace(router.lastEndpoint!);
    const dealer = track(new zmq.Dealer({ linger: 0, routingId: "the-dealer" }));
    dealer.connect(tracer.endpoint);

    const request = [Buffer.from("hello"), Buffer.from([0, 1, 2, 255]), Buffer.alloc(0)];
    await dealer.send(request);
    const [id, ...body] = await router.receive();
    expect(id!.toString()).toBe("the-dealer");
    expect(body).toEqual(request);
    const big = Buffer.alloc(300, "x");
    await router.send([id!, "reply", big]);
    expect(await dealer.receive()).toEqual([Buffer.from("reply"), big]);
    await seen((r) => r.dir === "<" && r.event === "frame" && r.size === 300);

    expect(events(records, ">", "greeting")).toEqual([
      { conn: 1, dir: ">", event: "greeting", version: "3.1", mechanism: "NULL", asServer: false },
    ]);
    expect(events(records, "<", "greeting")).toEqual([
      { conn: 1, dir: "<", event: "greeting", version: "3.1", mechanism: "NULL", asServer: false },
    ]);
    expect(events(records, ">", "command")).toEqual([
      {
        conn: 1,
        dir: ">",
        event: "command",
        name: "READY",
        size: expect.any(Number),
        properties: { "Socket-Type": "DEALER", Identity: "the-dealer" },
      },
    ]);
    expect(events(records, "<", "command")).toEqual([
      {
        conn: 1,
        dir: "<",
        event: "command",
        name: "READY",
        size: expect.any(Number),
        properties: { "Socket-Type": "ROUTER", Identity: "the-router" },
      },
    ]);
    expect(events(records, ">", "frame")).toEqual([
      { conn: 1, dir: ">", event: "frame", size: 5, more: true, text: "hello" },
      { conn: 1, dir: ">", event: "frame", size: 4, more: true, hex: "000102ff" },
      { conn: 1, dir: ">", event: "frame", size: 0, more: false, text: "" },
    ]);
    // The ROUTER's routing id frame is local: on the wire the DEALER gets just the body.
    expect(events(records, "<", "frame")).toEqual([
      { conn: 1, dir: "<", event: "frame", size: 5, more: true, text: "reply" },
      { conn: 1, dir: "<", event: "frame", size: 300, more: false, text: "x".repeat(32), truncated: true },
    ]);
    expect(records[0]).toMatchObject({ conn: 0, event: "listening", endpoint: tracer.endpoint });
    expect(records.find((r) => r.event === "open")).toMatchObject({ conn: 1, to: router.lastEndpoint });

    const lines = records.map(formatTraceText);
    expect(lines).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} #1 > READY Socket-Type=DEALER Identity=the-dealer \(\d+ bytes\)$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/ #1 > frame MORE size=4 0x000102ff$/));
    expect(lines).toContainEqual(expect.stringMatching(/ #1 < frame LAST size=300 "x{32}"…$/));

    dealer.close();
    await seen((r) => r.event === "close");
  });

  it("PLAIN: shows HELLO's user name but never the password, then WELCOME, INITIATE and READY properties", async () => {
    const context = new zmq.Context();
    const zap = track(new zmq.Reply({ context, linger: 0 }));
    await zap.bind("inproc://zeromq.zap.01");
    void (async () => {
      for await (const [version, id] of zap) await zap.send([version!, id!, "200", "OK", "", ""]);
    })().catch(() => undefined);
    const router = track(new zmq.Router({ context, linger: 0, plainServer: true }));
    await router.bind("tcp://127.0.0.1:*");
    const { tracer, records, seen } = await trace(router.lastEndpoint!);
    const dealer = track(new zmq.Dealer({ linger: 0, plainUsername: "alice", plainPassword: "hunter2" }));
    dealer.connect(tracer.endpoint);
    await dealer.send("over plain");
    expect((await router.receive())[1]!.toString()).toBe("over plain");
    await seen((r) => r.event === "frame");

    const names = records.filter((r) => r.event === "command").map((r) => `${r.dir}${(r as { name: string }).name}`);
    expect(names).toEqual([">HELLO", "<WELCOME", ">INITIATE", "<READY"]);
    expect(records.find((r) => r.event === "command" && r.name === "HELLO")).toMatchObject({
      detail: "username=alice password=(7 bytes)",
    });
    expect(records.find((r) => r.event === "command" && r.name === "INITIATE")).toMatchObject({
      properties: { "Socket-Type": "DEALER", Identity: "" },
    });
    expect(JSON.stringify(records)).not.toContain("hunter2");
  });

  it("CURVE: shows the handshake command names and sizes and each MESSAGE's size", async () => {
    const keys = zmq.curveKeyPair();
    const client = zmq.curveKeyPair();
    const router = track(new zmq.Router({ linger: 0, curveServer: true, curveSecretKey: keys.secretKey }));
    await router.bind("tcp://127.0.0.1:*");
    const { tracer, records, seen } = await trace(router.lastEndpoint!);
    const dealer = track(
      new zmq.Dealer({
        linger: 0,
        curveServerKey: keys.publicKey,
        curvePublicKey: client.publicKey,
        curveSecretKey: client.secretKey,
      }),
    );
    dealer.connect(tracer.endpoint);
    await dealer.send(["one", "three"]);
    expect((await router.receive()).slice(1).map(String)).toEqual(["one", "three"]);
    await seen((r) => r.event === "message" && r.size === 33 + 5);

    const commands = records
      .filter((r) => r.event === "command")
      .map((r) => [r.dir, (r as { name: string }).name, (r as { size: number }).size]);
    expect(commands.slice(0, 2)).toEqual([
      [">", "HELLO", 200],
      ["<", "WELCOME", 168],
    ]);
    expect(commands.slice(2).map(([dir, name]) => `${dir}${name}`)).toEqual([">INITIATE", "<READY"]);
    // MESSAGE = 8 name + 8 nonce + 16 tag + 1 flags + the frame.
    expect(events(records, ">", "message")).toEqual([
      { conn: 1, dir: ">", event: "message", size: 33 + 3 },
      { conn: 1, dir: ">", event: "message", size: 33 + 5 },
    ]);
    expect(events(records, ">", "frame")).toEqual([]);
  });
});

describe("TraceDecoder", () => {
  function decode(...chunks: Buffer[]): TraceEvent[] {
    const out: TraceEvent[] = [];
    const decoder = new TraceDecoder((e) => out.push(e), { previewBytes: 8 });
    for (const chunk of chunks) decoder.push(chunk);
    return out;
  }

  it("decodes byte by byte what arrives in one piece", () => {
    const wire = Buffer.concat([greeting({ minor: 0 }), ready("PUB"), command("PING", Buffer.from([0, 20, 0x61]))]);
    const whole = decode(wire);
    const bytewise = decode(...[...wire].map((b) => Buffer.of(b)));
    expect(bytewise).toEqual(whole);
    expect(whole).toEqual([
      { event: "greeting", version: "3.0", mechanism: "NULL", asServer: false },
      { event: "command", name: "READY", size: 25, properties: { "Socket-Type": "PUB" } },
      { event: "command", name: "PING", size: 8, detail: "ttl=2000ms context=a" },
    ]);
  });

  it("reports libzmq's malformed PLAIN ERROR as ERROR", () => {
    const malformed = Buffer.from([0x04, 0x09, 0x5e, 0x52, 0x52, 0x4f, 0x52, 0x03, 0x34, 0x30, 0x30]);
    expect(decode(greeting({ mechanism: "PLAIN" }), malformed)[1]).toEqual({
      event: "command",
      name: "ERROR",
      size: 9,
      detail: '"400" (libzmq\'s malformed PLAIN ERROR)',
    });
  });

  it("says so when the bytes are not ZMTP, and only counts them afterwards", () => {
    const out = decode(Buffer.from("GET / HTTP/1.1\r\n\r\n"), Buffer.from("more"));
    expect(out[0]).toMatchObject({ event: "error" });
    expect((out[0] as { message: string }).message).toContain("not ZMTP");
    expect(out[1]).toEqual({ event: "bytes", size: 4 });
  });
});

describe("zmtp trace command line", () => {
  it("--json prints one JSON object per line; --once exits when the connection closes", async () => {
    if (!existsSync(join(ROOT, "dist", "esm", "cli.js")))
      throw new Error("dist/ is missing: run `npm run build` (npm test does)");
    const router = track(new zmq.Router({ linger: 0 }));
    await router.bind("tcp://127.0.0.1:*");
    const child = spawn(
      process.execPath,
      [
        join(ROOT, "bin", "zmtp.js"),
        "trace",
        "--listen",
        "tcp://127.0.0.1:*",
        "--to",
        router.lastEndpoint!,
        "--json",
        "--once",
      ],
      {
        cwd: ROOT,
      },
    );
    closers.push(() => child.kill("SIGKILL"));
    const lines = createInterface({ input: child.stdout });
    const records: Array<Record<string, unknown>> = [];
    const iterator = lines[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, unknown>> => {
      const { value } = await iterator.next();
      const record = JSON.parse(value as string) as Record<string, unknown>;
      records.push(record);
      return record;
    };
    const listening = await next();
    expect(listening).toMatchObject({ conn: 0, event: "listening", to: router.lastEndpoint });
    const dealer = track(new zmq.Dealer({ linger: 0 }));
    dealer.connect(listening.endpoint as string);
    await dealer.send("via the cli");
    await router.receive();
    while ((await next()).event !== "frame");
    dealer.close();
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    while ((await next()).event !== "close");
    expect(await exit).toBe(0);
    expect(records.find((r) => r.event === "frame")).toMatchObject({
      conn: 1,
      dir: ">",
      size: 11,
      more: false,
      text: "via the cli",
    });
    expect(typeof records[1]!.time).toBe("string");
  });

  it("a raw non-ZMTP client is reported and its bytes still forwarded", async () => {
    const received: Buffer[] = [];
    const { createServer } = await import("node:net");
    const server = track(
      createServer((sock) => {
        sock.on("data", (d: Buffer) => received.push(d));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const { tracer, records, seen } = await trace(`tcp://127.0.0.1:${port}`);
    const sock = connect(Number(tracer.endpoint.split(":").pop()), "127.0.0.1");
    closers.push(() => sock.destroy());
    sock.write("GET / HTTP/1.1\r\n\r\n");
    await seen((r) => r.event === "error");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Buffer.concat(received).toString()).toBe("GET / HTTP/1.1\r\n\r\n");
    expect(records.find((r) => r.event === "error")).toMatchObject({ dir: ">" });
  });
});
