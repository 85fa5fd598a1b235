/**
 * STREAM through the public API against plain `node:net` peers (libzmq's stream.cpp,
 * raw_engine.cpp, session_base.cpp): routing ids, notifications, libzmq's frame-by-frame send,
 * closing a connection, reconnects, flow control both ways, linger and events.
 */
import { createServer, createConnection, type Server, type Socket as NetSocket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Stream } from "../../../src/index.js";
import { collectEvents, expectNothing, failure, freePort, inproc, text, useHarness } from "../../helpers/sockets.js";
import { sleep, until } from "../../helpers/time.js";

const h = useHarness();
const LOCAL_TCP = "tcp://127.0.0.1:*";

/** A net peer that records what it receives and whether our side ended the connection. */
interface Peer {
  socket: NetSocket;
  received(): string;
  readonly ended: boolean;
}

const netSockets: NetSocket[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const socket of netSockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
});

function peer(socket: NetSocket): Peer {
  netSockets.push(socket);
  const chunks: Buffer[] = [];
  let ended = false;
  socket.on("data", (chunk) => chunks.push(chunk));
  socket.on("end", () => (ended = true));
  socket.on("error", () => undefined);
  return {
    socket,
    received: () => Buffer.concat(chunks).toString(),
    get ended() {
      return ended;
    },
  };
}

/** A net client of a bound STREAM. */
function client(stream: Stream): Peer {
  const port = Number(stream.lastEndpoint!.split(":").pop());
  return peer(createConnection(port, "127.0.0.1"));
}

/** A net server that records the connections it accepts. */
async function server(port = 0): Promise<{ port: number; peers: Peer[]; server: Server }> {
  const peers: Peer[] = [];
  const srv = createServer((socket) => peers.push(peer(socket)));
  servers.push(srv);
  await new Promise<void>((resolve) => srv.listen(port, "127.0.0.1", resolve));
  const info = srv.address();
  return { port: typeof info === "object" && info !== null ? info.port : port, peers, server: srv };
}

/** Stream's type takes [id, data] only; the quirks need other shapes, as zeromq.js's runtime accepts. */
function sendFrames(stream: Stream, frames: unknown[]): Promise<void> {
  return (stream as unknown as { send(message: unknown[]): Promise<void> }).send(frames);
}

async function receiveText(stream: Stream): Promise<string> {
  const [, data] = await stream.receive();
  return data!.toString();
}

/** A bound STREAM with one net client whose connect notification has been read. */
async function acceptedPair(
  options: ConstructorParameters<typeof Stream>[0] = {},
): Promise<{ stream: Stream; peer: Peer; id: Buffer }> {
  const stream = h.open(Stream, options);
  await stream.bind(LOCAL_TCP);
  const p = client(stream);
  const [id, note] = await stream.receive();
  expect(note!.length).toBe(0);
  return { stream, peer: p, id: id! };
}

describe("STREAM routing ids", () => {
  it("each accepted connection gets 0x00 and a 32-bit big-endian counter, one more per connection", async () => {
    const stream = h.open(Stream);
    await stream.bind(LOCAL_TCP);
    client(stream);
    const [first] = await stream.receive();
    client(stream);
    const [second] = await stream.receive();
    for (const id of [first!, second!]) {
      expect(id.length).toBe(5);
      expect(id[0]).toBe(0);
    }
    expect(second!.readUInt32BE(1)).toBe((first!.readUInt32BE(1) + 1) >>> 0);
  });

  it("a connect routing id names the connection; a message to it waits for the connection and is written once it is made", async () => {
    const port = await freePort();
    const stream = h.open(Stream, { reconnectInterval: 20 });
    stream.connect(`tcp://127.0.0.1:${port}`, { routingId: "backend" });
    await stream.send(["backend", "early bytes"]);
    const srv = await server(port);
    expect(text(await stream.receive())).toEqual(["backend", ""]);
    await until(() => srv.peers[0]?.received() === "early bytes");
    srv.peers[0]!.socket.write("answer");
    expect(text(await stream.receive())).toEqual(["backend", "answer"]);
  });

  it("with immediate there is no pipe before the connection, and the connection gets a generated id, not the connect routing id (libzmq)", async () => {
    const srv = await server();
    const stream = h.open(Stream, { immediate: true });
    stream.connect(`tcp://127.0.0.1:${srv.port}`, { routingId: "backend" });
    expect(await failure(() => stream.send(["backend", "early"]))).toMatchObject({ code: "EHOSTUNREACH" });
    const [id] = await stream.receive();
    expect(id!.length).toBe(5);
    expect(id![0]).toBe(0);
  });

  it("a connect routing id already in use is refused: the first connection keeps it (libzmq aborts the process)", async () => {
    const first = await server();
    const second = await server();
    const stream = h.open(Stream);
    stream.connect(`tcp://127.0.0.1:${first.port}`, { routingId: "X" });
    stream.connect(`tcp://127.0.0.1:${second.port}`, { routingId: "X" });
    expect(text(await stream.receive())).toEqual(["X", ""]);
    await stream.send(["X", "to the first"]);
    await until(() => first.peers[0]?.received() === "to the first");
    await expectNothing(stream);
    expect(second.peers.every((p) => p.received() === "")).toBe(true);
  });

  it("an unknown routing id fails with EHOSTUNREACH at once, with or without peers, and the socket stays writable", async () => {
    const stream = h.open(Stream);
    expect(stream.writable).toBe(true);
    expect(await failure(() => stream.send(["nobody", "x"]))).toMatchObject({
      code: "EHOSTUNREACH",
      message: "Host unreachable",
    });
    await stream.bind(LOCAL_TCP);
    client(stream);
    await stream.receive();
    expect(await failure(() => stream.send(["nobody", "x"]))).toMatchObject({ code: "EHOSTUNREACH" });
    expect(stream.writable).toBe(true);
  });

  it("reads the socket's routing id back as the last generated id (libzmq stores it as ZMQ_ROUTING_ID)", async () => {
    const { stream } = await acceptedPair();
    // zeromq.js reads it as a C string: the leading zero byte makes it "".
    expect(stream.getStringOption(5)).toBe("");
  });
});

describe("STREAM send, frame by frame as libzmq", () => {
  it("[id, data] writes the bytes to that connection only, unframed", async () => {
    const stream = h.open(Stream);
    await stream.bind(LOCAL_TCP);
    const a = client(stream);
    const [idA] = await stream.receive();
    const b = client(stream);
    const [idB] = await stream.receive();
    await stream.send([idA!, "to a"]);
    await stream.send([idB!, Buffer.from([0xff, 0, 1])]);
    await until(() => a.received() === "to a" && b.socket.bytesRead === 3);
  });

  it("a lone routing id makes the next message's first frame its data, which goes nowhere; the frame after is read as a lone id again", async () => {
    const { stream, peer: p, id } = await acceptedPair();
    await sendFrames(stream, [id]);
    await stream.send([id, "A"]);
    await stream.send([id, "B"]);
    await sleep(30);
    expect(p.received()).toBe("");
    // [id, "C", "D"]: id is data (dropped), "C" is looked up as a routing id.
    expect(await failure(() => sendFrames(stream, [id, "C", "D"]))).toMatchObject({ code: "EHOSTUNREACH" });
    await stream.send([id, "E"]);
    await until(() => p.received() === "E");
  });

  it("a third frame is read as the next routing id: [idA, a, idB, b] writes a to A and b to B", async () => {
    const stream = h.open(Stream);
    await stream.bind(LOCAL_TCP);
    const a = client(stream);
    const [idA] = await stream.receive();
    const b = client(stream);
    const [idB] = await stream.receive();
    await sendFrames(stream, [idA!, "for a", idB!, "for b"]);
    await until(() => a.received() === "for a" && b.received() === "for b");
  });
});

describe("STREAM connections ending", () => {
  it('[id, ""] closes the connection after what was queued; no notification follows and the id is unreachable', async () => {
    const { stream, peer: p, id } = await acceptedPair();
    await stream.send([id, "last words"]);
    await stream.send([id, ""]);
    expect(await failure(() => stream.send([id, "more"]))).toMatchObject({ code: "EHOSTUNREACH" });
    await until(() => p.ended);
    expect(p.received()).toBe("last words");
    await expectNothing(stream);
  });

  it('when the peer ends: its bytes, then [id, ""]; sends are EAGAIN until that notification is read, then EHOSTUNREACH', async () => {
    const { stream, peer: p, id } = await acceptedPair();
    p.socket.end("bye");
    await until(() => stream.readable);
    await sleep(20);
    expect(await failure(() => stream.send([id, "x"]))).toMatchObject({ code: "EAGAIN" });
    expect(text(await stream.receive())).toEqual([id.toString(), "bye"]);
    expect(await stream.receive()).toEqual([id, Buffer.alloc(0)]);
    expect(await failure(() => stream.send([id, "x"]))).toMatchObject({ code: "EHOSTUNREACH" });
  });

  it("with notify off neither a connection nor its end is announced", async () => {
    const stream = h.open(Stream, { notify: false });
    await stream.bind(LOCAL_TCP);
    const p = client(stream);
    p.socket.write("data");
    expect(await receiveText(stream)).toBe("data");
    p.socket.end();
    await expectNothing(stream, 100);
  });

  it("a connected STREAM keeps its pipe and routing id across reconnects, with notifications for each connection; what is sent meanwhile goes to the next one", async () => {
    const srv = await server();
    const stream = h.open(Stream, { reconnectInterval: 20 });
    stream.connect(`tcp://127.0.0.1:${srv.port}`, { routingId: "peer" });
    expect(text(await stream.receive())).toEqual(["peer", ""]);
    await until(() => srv.peers.length === 1);
    srv.peers[0]!.socket.end();
    expect(text(await stream.receive())).toEqual(["peer", ""]);
    await stream.send(["peer", "while away"]);
    expect(text(await stream.receive())).toEqual(["peer", ""]);
    await until(() => srv.peers[1]?.received() === "while away");
  });

  it('[id, ""] on a connected peer ends that connection for good: no redial, and disconnect() still knows the endpoint', async () => {
    const srv = await server();
    const stream = h.open(Stream, { reconnectInterval: 10 });
    const address = `tcp://127.0.0.1:${srv.port}`;
    stream.connect(address, { routingId: "peer" });
    await stream.receive();
    await stream.send(["peer", ""]);
    await until(() => srv.peers[0]?.ended === true);
    await sleep(100);
    expect(srv.peers).toHaveLength(1);
    stream.disconnect(address);
  });
});

describe("STREAM connections ending while away", () => {
  it('[id, ""] while a connected peer is away: the connecter dials no more', async () => {
    const srv = await server();
    const stream = h.open(Stream, { reconnectInterval: 20 });
    stream.connect(`tcp://127.0.0.1:${srv.port}`, { routingId: "peer" });
    await stream.receive();
    await until(() => srv.peers.length === 1);
    srv.peers[0]!.socket.end();
    expect(text(await stream.receive())).toEqual(["peer", ""]);
    await stream.send(["peer", ""]);
    // A redial may have won the race with the empty frame; it is ended, and none follows.
    const made = srv.peers.length;
    await sleep(200);
    expect(srv.peers.length).toBe(made);
    await until(() => srv.peers.every((p) => p.ended));
  });
});

describe("STREAM flow control", () => {
  it("a peer that sends faster than the application reads is paused: at most receiveHighWaterMark messages wait, nothing is lost", async () => {
    const { stream, peer: p } = await acceptedPair({ receiveHighWaterMark: 4 });
    const block = Buffer.alloc(64 * 1024, 7);
    for (let i = 0; i < 64; i++) p.socket.write(block);
    await sleep(100);
    const queued = stream.peers()[0]!.queuedIn;
    expect(queued).toBeLessThanOrEqual(4);
    // The peer's own buffer holds what we did not read: the kernel's windows closed.
    expect(p.socket.writableLength).toBeGreaterThan(0);
    let total = 0;
    while (total < 64 * block.length) {
      const [, data] = await stream.receive();
      expect(data!.length).toBeLessThanOrEqual(8192);
      total += data!.length;
    }
    expect(total).toBe(64 * block.length);
  });

  it("a peer that never reads makes sends fail with EAGAIN once the pipe and the connection's buffers are full", async () => {
    const { stream, peer: p, id } = await acceptedPair({ sendHighWaterMark: 4 });
    p.socket.pause();
    const block = Buffer.alloc(256 * 1024, 1);
    let sent = 0;
    let error: unknown;
    for (; sent < 1000; sent++) {
      try {
        await stream.send([id, block]);
      } catch (err) {
        error = err;
        break;
      }
      await sleep(0);
    }
    expect(error).toMatchObject({ code: "EAGAIN" });
    expect(sent).toBeLessThan(1000);
    expect(stream.peers()[0]!.queuedOut).toBeLessThanOrEqual(4);
  });

  it("close() with linger delivers what is queued to a slow reader, then ends the connection", async () => {
    const { stream, peer: p, id } = await acceptedPair({ linger: 2000 });
    p.socket.pause();
    const block = Buffer.alloc(1024 * 1024, 3);
    for (let i = 0; i < 4; i++) await stream.send([id, block]);
    stream.close();
    await sleep(50);
    p.socket.resume();
    await until(() => p.ended, 5000);
    expect(p.socket.bytesRead).toBe(4 * block.length);
  });
});

describe("STREAM transports, security and events", () => {
  it("works over ipc as over tcp", async () => {
    const stream = h.open(Stream);
    const path = h.ipcPath();
    await stream.bind(`ipc://${path}`);
    const p = peer(createConnection(path));
    const [id] = await stream.receive();
    p.socket.write("over ipc");
    expect(await receiveText(stream)).toBe("over ipc");
    await stream.send([id!, "back"]);
    await until(() => p.received() === "back");
  });

  it("ignores security options: a STREAM with curveServer set still talks raw bytes", async () => {
    const stream = h.open(Stream, {
      curveServer: true,
      curveSecretKey: "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6",
      curvePublicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
    });
    await stream.bind(LOCAL_TCP);
    const p = client(stream);
    const [id] = await stream.receive();
    p.socket.write("plain");
    expect(await receiveText(stream)).toBe("plain");
    await stream.send([id!, "plain back"]);
    await until(() => p.received() === "plain back");
  });

  it("reports accept and, when the peer goes, handshake:error:other (EPIPE) then disconnect; our own close is not reported", async () => {
    const stream = h.open(Stream);
    const types: string[] = [];
    const errors: unknown[] = [];
    stream.events.on("accept", () => types.push("accept"));
    stream.events.on("handshake", () => types.push("handshake"));
    stream.events.on("handshake:error:other", (event) => (types.push(event.type), errors.push(event.error)));
    stream.events.on("disconnect", () => types.push("disconnect"));
    await stream.bind(LOCAL_TCP);
    const leaving = client(stream);
    await stream.receive();
    leaving.socket.end();
    await stream.receive();
    await until(() => types.length >= 3);
    const staying = client(stream);
    const [id] = await stream.receive();
    await stream.send([id!, ""]);
    await until(() => staying.ended);
    await sleep(20);
    expect(types).toEqual(["accept", "handshake:error:other", "disconnect", "accept"]);
    expect(errors[0]).toMatchObject({ code: "EPIPE", errno: 32, message: "Broken pipe" });
  });

  it("a connecting STREAM reports connect:delay and connect, never handshake", async () => {
    const srv = await server();
    const stream = h.open(Stream);
    const handshakes = collectEvents(stream, "handshake");
    const connects = collectEvents(stream, "connect");
    stream.connect(`tcp://127.0.0.1:${srv.port}`);
    await stream.receive();
    await until(() => connects.length === 1);
    await sleep(20);
    expect(handshakes).toEqual([]);
  });

  it("over inproc two STREAMs pass frames without notifications; the connect routing id names the peer", async () => {
    const a = h.open(Stream);
    const b = h.open(Stream);
    const ep = inproc("stream");
    await a.bind(ep);
    b.connect(ep, { routingId: "X" });
    await b.send(["X", "hello"]);
    const [id, data] = await a.receive();
    expect(id!.length).toBe(5);
    expect(data!.toString()).toBe("hello");
    await a.send([id!, "back"]);
    expect(text(await b.receive())).toEqual(["X", "back"]);
  });
});
