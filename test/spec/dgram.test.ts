/**
 * DGRAM over udp:// (libzmq 4.3.5 dgram.cpp, udp_engine.cpp): `[address, body]` both ways, the
 * part-by-part checks of a send, one peer only.
 */
import { createSocket } from "node:dgram";
import { createConnection } from "node:net";
import { describe, expect, it } from "vitest";
import { Datagram } from "../../src/entries/draft.js";
import { expectNothing, failure, stillPending, text, useHarness } from "../helpers/sockets.js";
import { until } from "../helpers/time.js";
import { freeUdpPort } from "../helpers/udp.js";

const h = useHarness();

/** send() with arguments its type refuses (a multipart message where single parts are declared). */
function untyped(socket: object, ...args: unknown[]): Promise<void> {
  return (socket as { send(...a: unknown[]): Promise<void> }).send(...args);
}

async function bound(): Promise<{ socket: Datagram; port: number }> {
  const port = await freeUdpPort();
  const socket = h.open(Datagram);
  await socket.bind(`udp://127.0.0.1:${port}`);
  return { socket, port };
}

describe("DGRAM over udp://", () => {
  it("sends [address, body] to that address; the receiver gets [sender 'ip:port' + NUL, body]", async () => {
    const a = await bound();
    const b = await bound();
    await a.socket.send([`127.0.0.1:${b.port}`, "hello"]);
    const [from, body] = await b.socket.receive();
    expect(from).toEqual(Buffer.from(`127.0.0.1:${a.port}\0`));
    expect(body!.toString()).toBe("hello");
    // The address frame received is one a reply can be sent to as it is.
    await b.socket.send([from!, "back"]);
    expect(text(await a.socket.receive())).toEqual([`127.0.0.1:${b.port}\0`, "back"]);
  });

  it("any UDP peer can talk to it: plain datagrams in, plain datagrams out", async () => {
    const d = await bound();
    const raw = createSocket("udp4");
    const got: Buffer[] = [];
    raw.on("message", (m) => got.push(m));
    await new Promise<void>((resolve) => raw.bind(0, "127.0.0.1", resolve));
    raw.send("ping", d.port, "127.0.0.1");
    const [from, body] = await d.socket.receive();
    expect([from!.toString(), body!.toString()]).toEqual([`127.0.0.1:${raw.address().port}\0`, "ping"]);
    await d.socket.send([from!, "pong"]);
    await until(() => got.length === 1, undefined, "the reply");
    expect(got[0]!.toString()).toBe("pong");
    raw.close();
  });

  // dgram.cpp checks each part as it comes: the first must have MORE, the second must not.
  it("a single part or a third part is EINVAL; a message left open is completed by the next single part", async () => {
    const a = await bound();
    const b = await bound();
    const to = `127.0.0.1:${b.port}`;
    expect(await failure(() => untyped(a.socket, "alone"))).toMatchObject({ code: "EINVAL" });
    expect(await failure(() => untyped(a.socket, [to, "y", "z"]))).toMatchObject({ code: "EINVAL" });
    // The address of that message is taken: a new two-part message is now EINVAL at its first part.
    expect(await failure(() => a.socket.send([to, "w"]))).toMatchObject({ code: "EINVAL" });
    await untyped(a.socket, "v");
    await a.socket.send([to, "u"]);
    expect(text(await b.socket.receive())[1]).toBe("v");
    expect(text(await b.socket.receive())[1]).toBe("u");
  });

  // udp_engine.cpp's resolve_raw_address: inet_addr and atoi, no host names; bad ones are dropped.
  it.each(["localhost:1", "127.0.0.1", "127.0.0.1:0", "255.255.255.255:1", "300.0.0.1:1"])(
    "a message to %j is dropped, the next one goes",
    async (address) => {
      const a = await bound();
      const b = await bound();
      await a.socket.send([address, "dropped"]);
      await a.socket.send([`127.1:${b.port}`, "sent"]);
      expect(text(await b.socket.receive())[1]).toBe("sent");
      await expectNothing(b.socket, 50);
    },
  );

  it("one peer only: a second bind gets no pipe, nothing sent to it arrives", async () => {
    const first = await bound();
    const second = await freeUdpPort();
    await first.socket.bind(`udp://127.0.0.1:${second}`);
    const other = await bound();
    await other.socket.send([`127.0.0.1:${second}`, "to the second"]);
    await other.socket.send([`127.0.0.1:${first.port}`, "to the first"]);
    expect(text(await first.socket.receive())[1]).toBe("to the first");
    await expectNothing(first.socket, 50);
  });

  it("before any bind a send waits (no pipe), and fails at once with sendTimeout 0", async () => {
    const socket = h.open(Datagram);
    expect(await stillPending(socket.send(["127.0.0.1:1", "x"]))).toBe(true);
    const eager = h.open(Datagram, { sendTimeout: 0 });
    expect(await failure(() => eager.send(["127.0.0.1:1", "x"]))).toMatchObject({ code: "EAGAIN" });
  });

  it("udp:// is for bind only (connect is ENOCOMPATPROTO); lastEndpoint is the address without the scheme", async () => {
    const port = await freeUdpPort();
    const socket = h.open(Datagram);
    expect(() => socket.connect(`udp://127.0.0.1:${port}`)).toThrow(
      expect.objectContaining({ code: "ENOCOMPATPROTO" }) as Error,
    );
    await socket.bind(`udp://*:${port}`);
    expect(socket.lastEndpoint).toBe(`*:${port}`);
  });

  // libzmq: DGRAM is a raw socket (raw_socket, raw_notify on by default), like STREAM without ids.
  it("over tcp it is a raw socket: an empty message at connect and at the peer's end, bytes in, parts out as bytes", async () => {
    const socket = h.open(Datagram);
    await socket.bind("tcp://127.0.0.1:*");
    const port = Number(socket.lastEndpoint!.split(":").pop());
    const peer = createConnection(port, "127.0.0.1");
    let got = "";
    peer.on("data", (chunk: Buffer) => (got += chunk.toString()));
    peer.write("abc");
    expect(text(await socket.receive())).toEqual([""]);
    expect(text(await socket.receive())).toEqual(["abc"]);
    await socket.send(["x", "y"]);
    await until(() => got === "xy", undefined, "the bytes at the peer");
    peer.end();
    expect(text(await socket.receive())).toEqual([""]);
  });
});
