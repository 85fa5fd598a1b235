/**
 * The raw engine (libzmq's raw_engine_t) alone: a Pipe on one side, a ByteStream in memory on
 * the other. No greeting, no framing: chunks in become one-frame messages, messages out become
 * bytes, a full pipe pauses the stream, a stream that pushes back stops the pipe draining.
 */
import { EventEmitter } from "node:events";
import { setImmediate as turn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Pipe, type Message, type PipeOwner } from "../../../src/sockets/pipe.js";
import { RawEngine, type RawEngineHost, type RawEngineOptions } from "../../../src/sockets/session/raw-engine.js";
import type { ByteStream } from "../../../src/transports/stream.js";
import type { EngineClose } from "../../../src/zmtp/engine.js";

/** A ByteStream whose peer is the test: it records writes and lets the test push back. */
class TestStream extends EventEmitter implements ByteStream {
  readonly written: Buffer[] = [];
  writableLength = 0;
  writableNeedDrain = false;
  /** Writes beyond this many bytes are refused (write() returns false) until drain(). */
  capacity = Infinity;
  corked = 0;
  writevs = 0;
  paused = false;
  ended = false;
  destroyed = false;

  write(chunk: Uint8Array): boolean {
    this.written.push(Buffer.from(chunk));
    this.writableLength += chunk.length;
    if (this.writableLength >= this.capacity) this.writableNeedDrain = true;
    return !this.writableNeedDrain;
  }
  cork(): void {
    this.corked++;
  }
  uncork(): void {
    this.corked--;
    this.writevs++;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The kernel took everything: room again. */
  drain(): void {
    this.writableLength = 0;
    this.writableNeedDrain = false;
    this.emit("drain");
  }
  /** What the peer received, as one string. */
  get text(): string {
    return Buffer.concat(this.written).toString();
  }
}

const owner: PipeOwner = { pipeReadable: () => undefined, pipeWritable: () => undefined };

interface Setup {
  stream: TestStream;
  pipe: Pipe;
  engine: RawEngine;
  closes: EngineClose[];
  counters: RawEngineOptions["counters"];
}

/** An engine whose host attaches `pipe` when the engine is ready, as a session does. */
async function setup(options: Partial<RawEngineOptions> = {}, hwm = 1000): Promise<Setup> {
  const stream = new TestStream();
  const pipe = new Pipe(owner, "tcp://peer", hwm, hwm);
  const closes: EngineClose[] = [];
  const counters = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
  const host: RawEngineHost = {
    rawEngineReady: (engine) => engine.attach(pipe),
    engineClosed: (_engine, reason) => closes.push(reason),
  };
  const engine = new RawEngine(stream, { notify: true, inBatchSize: 8192, counters, ...options }, host, "tcp://peer");
  await turn();
  return { stream, pipe, engine, closes, counters };
}

function drainInbound(pipe: Pipe): string[] {
  const out: string[] = [];
  let msg: Message | undefined;
  while ((msg = pipe.read()) !== undefined) out.push(msg.map((f) => f.toString()).join("|"));
  return out;
}

describe("raw engine input", () => {
  it("delivers an empty connect notification first, then each chunk as a one-frame message", async () => {
    const { stream, pipe, counters } = await setup();
    stream.emit("data", Buffer.from("GET / HTTP/1.0\r\n"));
    stream.emit("data", Buffer.from("\r\n"));
    expect(drainInbound(pipe)).toEqual(["", "GET / HTTP/1.0\r\n", "\r\n"]);
    expect(counters).toMatchObject({ messagesIn: 2, bytesIn: 18 });
  });

  it("with notify off there is no connect notification", async () => {
    const { stream, pipe } = await setup({ notify: false });
    stream.emit("data", Buffer.from("x"));
    expect(drainInbound(pipe)).toEqual(["x"]);
  });

  it("splits a chunk larger than inBatchSize into messages of at most inBatchSize bytes, as views of the chunk", async () => {
    const { stream, pipe } = await setup({ notify: false, inBatchSize: 4 });
    const chunk = Buffer.from("abcdefghij");
    stream.emit("data", chunk);
    const parts = [pipe.read()!, pipe.read()!, pipe.read()!].map((m) => m[0]!);
    expect(parts.map(String)).toEqual(["abcd", "efgh", "ij"]);
    expect(parts[0]!.buffer).toBe(chunk.buffer);
    expect(pipe.read()).toBeUndefined();
  });

  it("pauses the stream when the pipe is full, holds the rest of the chunk and resumes once the reader drained to the low-water mark", async () => {
    const { stream, pipe } = await setup({ notify: false, inBatchSize: 2 }, 4);
    stream.emit("data", Buffer.from("aabbccddeeff"));
    expect(stream.paused).toBe(true);
    expect(pipe.inboundLength).toBe(4);
    // Reading one is not enough: libzmq reports room only every low-water mark (2 of 4).
    expect(pipe.read()![0]!.toString()).toBe("aa");
    expect(stream.paused).toBe(true);
    expect(pipe.read()![0]!.toString()).toBe("bb");
    // The held "eeff" fills the pipe again: still paused, nothing lost, order kept.
    expect(stream.paused).toBe(true);
    expect(drainInbound(pipe)).toEqual(["cc", "dd", "ee", "ff"]);
    expect(stream.paused).toBe(false);
  });

  it("stops delivering when the pipe fills with the last piece of a chunk, and resumes with nothing held", async () => {
    const { stream, pipe } = await setup({ notify: false }, 2);
    stream.emit("data", Buffer.from("one"));
    stream.emit("data", Buffer.from("two"));
    expect(stream.paused).toBe(true);
    expect(drainInbound(pipe)).toEqual(["one", "two"]);
    expect(stream.paused).toBe(false);
  });
});

describe("raw engine output", () => {
  it("writes each message's bytes with no framing, a burst of sends as one corked write", async () => {
    const { stream, pipe, counters } = await setup();
    const writevs = stream.writevs;
    pipe.write([Buffer.from("HTTP/1.0 200 OK\r\n")]);
    pipe.write([Buffer.from("\r\nbody")]);
    await turn();
    expect(stream.text).toBe("HTTP/1.0 200 OK\r\n\r\nbody");
    expect(stream.writevs - writevs).toBe(1);
    expect(counters).toMatchObject({ messagesOut: 2, bytesOut: 23 });
  });

  it("stops taking from the pipe while the stream pushes back, and continues on drain", async () => {
    const { stream, pipe } = await setup();
    stream.capacity = 3;
    for (const part of ["ab", "cd", "ef"]) pipe.write([Buffer.from(part)]);
    await turn();
    expect(stream.text).toBe("abcd");
    expect(pipe.outboundLength).toBe(1);
    stream.drain();
    expect(stream.text).toBe("abcdef");
    expect(pipe.outboundLength).toBe(0);
  });
});

describe("raw engine end", () => {
  it("when the peer ends: what it sent, then an empty disconnect notification; closed as EPIPE, reported as a failed handshake", async () => {
    const { stream, pipe, closes } = await setup();
    stream.emit("data", Buffer.from("bye"));
    stream.emit("end");
    expect(drainInbound(pipe)).toEqual(["", "bye", ""]);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ kind: "eof", handshaken: false, fatal: false });
    expect(closes[0]!.error).toMatchObject({ code: "EPIPE", errno: 32 });
    expect(stream.destroyed).toBe(true);
    expect(pipe.driver).toBeNull();
  });

  it("a connection error closes with the error's code; without notify nothing is delivered", async () => {
    const { stream, pipe, closes } = await setup({ notify: false });
    stream.emit("error", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    stream.emit("close");
    expect(drainInbound(pipe)).toEqual([]);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ kind: "io", handshaken: false });
    expect(closes[0]!.error).toMatchObject({ code: "ECONNRESET" });
  });

  it("a terminated pipe: what was queued still goes out, then the stream ends; no notification, nothing more read, closed as local and fatal", async () => {
    const { stream, pipe, closes } = await setup();
    drainInbound(pipe);
    pipe.write([Buffer.from("last words")]);
    pipe.terminate();
    stream.emit("data", Buffer.from("ignored"));
    await turn();
    expect(stream.text).toBe("last words");
    expect(stream.ended).toBe(true);
    expect(drainInbound(pipe)).toEqual([]);
    expect(closes).toEqual([{ kind: "local", error: null, handshaken: true, fatal: true, graceful: true }]);
  });

  it("a terminated pipe waits for a stream that pushes back before it ends", async () => {
    const { stream, pipe, closes } = await setup();
    stream.capacity = 2;
    pipe.write([Buffer.from("ab")]);
    pipe.write([Buffer.from("cd")]);
    pipe.terminate();
    await turn();
    expect(stream.ended).toBe(false);
    expect(closes).toEqual([]);
    stream.drain();
    expect(stream.text).toBe("abcd");
    stream.drain();
    expect(stream.ended).toBe(true);
    expect(closes).toHaveLength(1);
  });

  it("a local close flushes what is queued and ends the stream (graceful) or destroys it at once", async () => {
    const graceful = await setup();
    graceful.pipe.write([Buffer.from("queued")]);
    graceful.engine.close();
    expect(graceful.stream.text).toBe("queued");
    expect(graceful.stream.ended).toBe(true);
    expect(graceful.closes[0]).toMatchObject({ kind: "local" });
    const abrupt = await setup();
    abrupt.engine.close({ kind: "local", error: null, handshaken: true, fatal: false, graceful: false });
    expect(abrupt.stream.destroyed).toBe(true);
    // Closing twice tells the host once.
    abrupt.engine.close();
    expect(abrupt.closes).toHaveLength(1);
  });

  it("reads nothing before the session attached a pipe", async () => {
    const stream = new TestStream();
    const host: RawEngineHost = { rawEngineReady: () => undefined, engineClosed: () => undefined };
    new RawEngine(
      stream,
      { notify: true, inBatchSize: 8192, counters: { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 } },
      host,
      "x",
    );
    expect(stream.listenerCount("data")).toBe(0);
    await turn();
    expect(stream.listenerCount("data")).toBe(1);
  });
});
