/**
 * The ZWS adapter on its own, over a port the test drives: what the engine is shown (a made-up
 * greeting, then ZMTP frames), what the peer is sent (one message per frame, no greeting), bare
 * ZWS2.0's routing ids, protocol violations, heartbeats and backpressure. Then an engine on a
 * FakeClock completes a NULL handshake and heartbeats through it.
 */
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../src/errors.js";
import type { PortEvents, WebSocketPort, WhatwgWebSocket } from "../../../src/transports/ws/port.js";
import { whatwgPort } from "../../../src/transports/ws/port.js";
import { ZwsStream } from "../../../src/transports/ws/zws-stream.js";
import { decodeCommand, decodeReady, encodeReady } from "../../../src/zmtp/command.js";
import { Engine, type EngineClose, type EngineHost } from "../../../src/zmtp/engine.js";
import { FLAG_COMMAND, encodeFrame } from "../../../src/zmtp/frame.js";
import { decodeGreeting, encodeGreeting } from "../../../src/zmtp/greeting.js";
import { getProperty, type Metadata } from "../../../src/zmtp/metadata.js";
import { NullMechanism } from "../../../src/zmtp/mechanisms/null.js";
import { FakeClock } from "../../helpers/fake-clock.js";
import { until } from "../../helpers/time.js";

/** A port the test plays: what the adapter sends is kept, what the peer does is `peer.*`. */
class TestPort implements WebSocketPort {
  events: PortEvents | null = null;
  readonly sent: Buffer[] = [];
  bufferedAmount = 0;
  signalsDrain = true;
  closed: "close" | "terminate" | null = null;
  pings = 0;
  paused = false;

  attach(events: PortEvents): void {
    this.events = events;
  }
  send(payload: Uint8Array): void {
    this.sent.push(Buffer.from(payload));
  }
  close(): void {
    this.closed = "close";
  }
  terminate(): void {
    this.closed = "terminate";
  }
  ping(): void {
    this.pings += 1;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  get peer(): PortEvents {
    return this.events!;
  }
}

interface Seen {
  data: Buffer[];
  events: string[];
  errors: Error[];
}

function watch(stream: ZwsStream): Seen {
  const seen: Seen = { data: [], events: [], errors: [] };
  stream.on("data", (chunk: Buffer) => seen.data.push(chunk));
  for (const name of ["connecting", "connect", "handshake", "drain", "close"] as const) {
    stream.on(name, () => seen.events.push(name));
  }
  stream.on("error", (err: Error) => seen.errors.push(err));
  return seen;
}

const microtask = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

function open(mechanism: "NULL" | "PLAIN" | "CURVE" = "NULL", socketType: "DEALER" | "ROUTER" = "DEALER") {
  const port = new TestPort();
  const stream = new ZwsStream(port, { mechanism, socketType });
  return { port, stream, seen: watch(stream) };
}

const READY_DEALER = encodeFrame(encodeReady([["Socket-Type", "DEALER"]]), FLAG_COMMAND);

describe("ZwsStream", () => {
  it("holds what the engine writes before the upgrade, then drops our greeting and sends each frame as one message", async () => {
    const { port, stream, seen } = open();
    const greeting = encodeGreeting("NULL", false);
    expect(stream.write(greeting.subarray(0, 10))).toBe(true);
    expect(stream.writableLength).toBe(10);
    port.peer.connect();
    port.peer.open("ZWS2.0/NULL");
    await microtask();
    expect(seen.events).toEqual(["connect", "handshake"]);
    expect(decodeGreeting(seen.data[0]!)).toMatchObject({ minor: 0, mechanism: "NULL" });
    stream.write(Buffer.concat([greeting.subarray(10), READY_DEALER, encodeFrame(Buffer.from("hi"))]));
    expect(port.sent.map((p) => p.toString("latin1"))).toEqual([
      `\x02${READY_DEALER.subarray(2).toString("latin1")}`,
      "\x00hi",
    ]);
  });

  it("messages that came with the upgrade's response reach the engine after the greeting", async () => {
    const { port, seen } = open();
    port.peer.open("ZWS2.0/NULL");
    port.peer.message(Buffer.from("\x00early", "latin1"));
    expect(seen.data).toEqual([]);
    await microtask();
    expect(seen.data.length).toBe(2);
    expect(seen.data[1]!.toString("latin1")).toBe("\x00\x05early");
  });

  it("bare ZWS2.0: no handshake event, the peer's routing id becomes a READY, ours goes out, commands stay here", async () => {
    const { port, stream, seen } = open("NULL", "ROUTER");
    port.peer.open("ZWS2.0");
    await microtask();
    expect(seen.events).toEqual([]);
    port.peer.message(Buffer.from("\x00peer", "latin1"));
    const ready = decodeReady(decodeCommand(seen.data[1]!.subarray(2))!.data);
    expect(getProperty(ready, "Socket-Type")?.toString()).toBe("REQ");
    expect(getProperty(ready, "Identity")?.toString()).toBe("peer");
    stream.write(encodeGreeting("NULL", false));
    stream.write(
      encodeFrame(
        encodeReady([
          ["Socket-Type", "ROUTER"],
          ["Identity", "me"],
        ]),
        FLAG_COMMAND,
      ),
    );
    stream.write(encodeFrame(Buffer.from("\x04PING\x00\x00", "latin1"), FLAG_COMMAND));
    stream.write(encodeFrame(Buffer.from("data")));
    expect(port.sent.map((p) => p.toString("latin1"))).toEqual(["\x00me", "\x00data"]);
  });

  it("a subprotocol that was not offered, a text message or an empty message end the connection with a ProtocolError", async () => {
    const cases: Array<[boolean, (p: TestPort) => void]> = [
      [false, (p) => p.peer.open("ZWS2.0/CURVE")],
      [true, (p) => p.peer.message("text")],
      [true, (p) => p.peer.message(new Uint8Array(0))],
    ];
    for (const [upgraded, act] of cases) {
      const { port, seen } = open();
      if (upgraded) port.peer.open("ZWS2.0/NULL");
      await microtask();
      act(port);
      expect(seen.errors[0]).toBeInstanceOf(ProtocolError);
      expect((seen.errors[0] as ProtocolError).code).toBe("ERR_WS_UNSPECIFIED");
      expect(port.closed).toBe("terminate");
      expect(seen.events.at(-1)).toBe("close");
    }
  });

  it("bare ZWS2.0 is refused when the socket runs PLAIN or CURVE", () => {
    const { port, seen } = open("CURVE");
    port.peer.open("ZWS2.0");
    expect(seen.errors[0]).toBeInstanceOf(ProtocolError);
  });

  it("a ping or pong from the peer is traffic: an empty chunk", async () => {
    const { port, seen } = open();
    port.peer.open("ZWS2.0/NULL");
    await microtask();
    port.peer.heartbeat();
    expect(seen.data.at(-1)!.length).toBe(0);
  });

  it("pings over the WebSocket only once upgraded", async () => {
    const { port, stream } = open();
    stream.ping();
    expect(port.pings).toBe(0);
    port.peer.open("ZWS2.0/NULL");
    stream.ping();
    expect(port.pings).toBe(1);
  });

  it("tells writers to wait above 16 KiB buffered, and to go on at the port's drain", async () => {
    const { port, stream, seen } = open();
    port.peer.open("ZWS2.0/NULL");
    stream.write(encodeGreeting("NULL", false));
    port.bufferedAmount = 20_000;
    expect(stream.write(encodeFrame(Buffer.alloc(100)))).toBe(false);
    expect(stream.writableNeedDrain).toBe(true);
    port.peer.drain();
    expect(seen.events).not.toContain("drain");
    port.bufferedAmount = 0;
    port.peer.drain();
    expect(seen.events).toContain("drain");
    expect(stream.writableNeedDrain).toBe(false);
  });

  it("polls bufferedAmount when the port signals no drain (a browser's WebSocket)", async () => {
    const { port, stream, seen } = open();
    port.signalsDrain = false;
    port.peer.open("ZWS2.0/NULL");
    stream.write(encodeGreeting("NULL", false));
    port.bufferedAmount = 20_000;
    expect(stream.write(encodeFrame(Buffer.alloc(100)))).toBe(false);
    port.bufferedAmount = 0;
    await until(() => seen.events.includes("drain"), 1000, "drain");
  });

  it("end() closes with a close frame after what was sent; destroy() cuts and reports close once", () => {
    const a = open();
    a.stream.end();
    expect(a.port.closed).toBe("close");
    expect(a.stream.write(Buffer.from("x"))).toBe(false);
    const b = open();
    b.stream.destroy();
    b.stream.destroy();
    expect(b.port.closed).toBe("terminate");
    expect(b.seen.events).toEqual(["close"]);
  });

  it("pause() and resume() reach the port (inbound backpressure)", () => {
    const { port, stream } = open();
    stream.pause();
    expect(port.paused).toBe(true);
    stream.resume();
    expect(port.paused).toBe(false);
  });
});

describe("an engine over ZwsStream", () => {
  class Host implements EngineHost {
    ready: Metadata | null = null;
    closed: EngineClose | null = null;
    engineReady(_engine: Engine, props: Metadata): void {
      this.ready = props;
    }
    engineRefused(): void {}
    engineClosed(_engine: Engine, reason: EngineClose): void {
      this.closed = reason;
    }
  }

  function engineOn(stream: ZwsStream, clock: FakeClock, host: Host, heartbeatInterval = 0): Engine {
    return new Engine(
      stream,
      {
        socketType: "DEALER",
        identity: Buffer.alloc(0),
        mechanism: new NullMechanism(),
        maxMessageSize: -1,
        handshakeInterval: 30_000,
        heartbeatInterval,
        heartbeatTimeout: -1,
        heartbeatTimeToLive: 0,
        counters: { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 },
        clock,
        zapIdentity: Buffer.alloc(0),
        zapDomain: "",
        zap: null,
      },
      host,
      "ws://127.0.0.1:1/",
    );
  }

  it("completes the NULL handshake against libzmq's messages and sends its READY as one command message", async () => {
    const { port, stream } = open();
    const host = new Host();
    engineOn(stream, new FakeClock(), host);
    port.peer.open("ZWS2.0/NULL");
    port.peer.message(Buffer.from(`\x02${encodeReady([["Socket-Type", "ROUTER"]]).toString("latin1")}`, "latin1"));
    await until(() => host.ready !== null, 1000, "handshake");
    expect(getProperty(host.ready!, "Socket-Type")?.toString()).toBe("ROUTER");
    expect(port.sent.length).toBe(1);
    expect(port.sent[0]![0]).toBe(0x02);
    expect(decodeCommand(port.sent[0]!.subarray(1))?.name).toBe("READY");
  });

  it("heartbeats with a WebSocket ping beside the ZMTP PING, and a pong keeps the connection", async () => {
    const { port, stream } = open();
    const host = new Host();
    const clock = new FakeClock();
    engineOn(stream, clock, host, 1000);
    port.peer.open("ZWS2.0/NULL");
    port.peer.message(Buffer.from(`\x02${encodeReady([["Socket-Type", "ROUTER"]]).toString("latin1")}`, "latin1"));
    await until(() => host.ready !== null, 1000, "handshake");
    clock.advance(1000);
    expect(port.pings).toBe(1);
    await until(() => decodeCommand(port.sent.at(-1)!.subarray(1))?.name === "PING", 1000, "ZMTP PING");
    port.peer.heartbeat();
    clock.advance(1000);
    expect(host.closed).toBeNull();
    clock.advance(1000);
    expect(host.closed?.kind).toBe("timeout");
  });

  it("a ProtocolError from the stream is fatal: libzmq gives up on such a peer", async () => {
    const { port, stream } = open();
    const host = new Host();
    engineOn(stream, new FakeClock(), host);
    port.peer.open("ZWS2.0/NULL");
    await microtask();
    port.peer.message("text");
    expect(host.closed).toMatchObject({ kind: "protocol", fatal: true });
  });
});

describe("whatwgPort", () => {
  class FakeWebSocket implements WhatwgWebSocket {
    binaryType = "blob";
    bufferedAmount = 0;
    protocol = "ZWS2.0";
    readyState = 0;
    sent: Uint8Array[] = [];
    closedWith: number | undefined | null = null;
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    onclose: ((event: unknown) => void) | null = null;
    send(data: Uint8Array): void {
      this.sent.push(data);
    }
    close(code?: number): void {
      this.closedWith = code;
    }
  }

  it("reads ArrayBuffers (binaryType arraybuffer), reports open with the server's subprotocol and text as text", async () => {
    const socket = new FakeWebSocket();
    const stream = new ZwsStream(whatwgPort(socket), { mechanism: "NULL", socketType: "DEALER" });
    const seen = watch(stream);
    expect(socket.binaryType).toBe("arraybuffer");
    await microtask();
    expect(seen.events).toEqual(["connecting"]);
    socket.readyState = 1;
    socket.onopen!({});
    await microtask();
    expect(seen.events).toEqual(["connecting", "connect"]);
    socket.onmessage!({ data: new Uint8Array([0, 0x61]).buffer });
    socket.onmessage!({ data: new Uint8Array([0, 0x62]).buffer });
    const ready = decodeReady(decodeCommand(seen.data[1]!.subarray(2))!.data);
    expect(getProperty(ready, "Identity")?.toString()).toBe("a");
    expect(seen.data[2]!.toString("latin1")).toBe("\x00\x01b");
    socket.onmessage!({ data: "text" });
    expect(seen.errors[0]).toBeInstanceOf(ProtocolError);
    expect(socket.closedWith).toBeUndefined();
  });
});
