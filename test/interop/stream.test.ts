/**
 * STREAM against libzmq's (zeromq.js's `Stream`) and against plain `node:net` peers, both
 * roles (we bind / they bind), over tcp and ipc. The net cases run for libzmq's STREAM too, so
 * every expectation here is checked against the reference as well as against ours.
 */
import { createConnection, createServer, type Server, type Socket as NetSocket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sleep, within } from "../helpers/time.js";
import {
  OURS,
  THEIRS,
  TRANSPORTS,
  bindFresh,
  payload,
  receiveWithin,
  sendWithin,
  text,
  useCleanup,
  who,
  type Implementation as Side,
  type Sock,
  type Transport,
} from "./helpers.js";

useCleanup();

interface StreamSock extends Sock {
  notify: boolean;
}

const opened: StreamSock[] = [];
const netSockets: NetSocket[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) {
    try {
      s.close();
    } catch {
      // closed by the test
    }
  }
  for (const socket of netSockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
});

function openStream(side: Side, options: Record<string, unknown> = {}): StreamSock {
  const Ctor = side.module.Stream as unknown as new (options: object) => StreamSock;
  const s = new Ctor({ linger: 0, ...options });
  opened.push(s);
  return s;
}

function name(side: Side, mode: "bind" | "connect", transport: Transport): string {
  return `${who(side)} STREAM (${mode}, ${transport})`;
}

/** Receives [id, bytes] messages until `length` bytes arrived from `id` (TCP may split them). */
async function receiveBytes(s: StreamSock, id: Buffer, length: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  while (got < length) {
    const [from, data] = await receiveWithin(s);
    expect(from!.equals(id), `bytes from ${from!.toString("hex")}, expected ${id.toString("hex")}`).toBe(true);
    expect(data!.length, "a data frame is never empty").toBeGreaterThan(0);
    parts.push(data!);
    got += data!.length;
  }
  return Buffer.concat(parts);
}

async function until(condition: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(5);
  }
}

function recorder(socket: NetSocket): { socket: NetSocket; bytes(): Buffer; ended: () => boolean } {
  netSockets.push(socket);
  const chunks: Buffer[] = [];
  let ended = false;
  socket.on("data", (c) => chunks.push(c));
  socket.on("end", () => (ended = true));
  socket.on("error", () => undefined);
  return { socket, bytes: () => Buffer.concat(chunks), ended: () => ended };
}

const BIG = 300_000;

/**
 * STREAM carries raw bytes, which ZWS (ZMTP frames) cannot: over ws a STREAM (libzmq's and ours)
 * runs a ZMTP handshake as STREAM, which no peer completes.
 */
const STREAM_TRANSPORTS = TRANSPORTS.filter((t) => t !== "ws");

describe("STREAM to STREAM", () => {
  for (const [binder, connecter] of [
    [OURS, THEIRS],
    [THEIRS, OURS],
  ] as const) {
    for (const t of STREAM_TRANSPORTS) {
      it(`${name(binder, "bind", t)} <- ${name(connecter, "connect", t)} with routingId "far": notifications on both sides, ${BIG} bytes each way intact, [id, ""] ends it on both sides`, async () => {
        const server = openStream(binder);
        const client = openStream(connecter);
        client.connect(await bindFresh(server, t), { routingId: "far" });
        const [clientId, note] = await receiveWithin(server, 3000, "connect notification on the binding side");
        expect(note!.length).toBe(0);
        expect(clientId!.length).toBe(5);
        expect(clientId![0]).toBe(0);
        expect(text(await receiveWithin(client, 3000, "connect notification on the connecting side"))).toEqual([
          "far",
          "",
        ]);

        const up = payload([BIG], 1)[0]!;
        await sendWithin(client, ["far", up]);
        expect((await receiveBytes(server, clientId!, BIG)).equals(up)).toBe(true);
        const down = payload([BIG], 2)[0]!;
        await sendWithin(server, [clientId!, down]);
        expect((await receiveBytes(client, Buffer.from("far"), BIG)).equals(down)).toBe(true);

        await sendWithin(server, [clientId!, ""]);
        // libzmq closes the connection when its application next uses the socket (see below).
        within(server.receive(), 3000, "receive").catch(() => undefined);
        expect(text(await receiveWithin(client, 3000, "disconnect notification"))).toEqual(["far", ""]);
      });
    }
  }
});

describe("STREAM with a plain net peer", () => {
  for (const side of [OURS, THEIRS]) {
    for (const t of STREAM_TRANSPORTS) {
      it(`${name(side, "bind", t)} <- net client: [id, ""] on connect, bytes both ways, [id, ""] when the client ends`, async () => {
        const s = openStream(side);
        const endpoint = await bindFresh(s, t);
        const client = recorder(
          t === "tcp"
            ? createConnection(Number(endpoint.split(":").pop()), "127.0.0.1")
            : createConnection(endpoint.slice("ipc://".length)),
        );
        const [id, note] = await receiveWithin(s);
        expect(note!.length).toBe(0);
        client.socket.write("ping");
        expect(text(await receiveWithin(s))).toEqual([id!.toString(), "ping"]);
        await sendWithin(s, [id!, "pong"]);
        await until(() => client.bytes().toString() === "pong", "the client got pong");
        client.socket.end();
        expect(await receiveWithin(s)).toEqual([id, Buffer.alloc(0)]);
      });
    }

    it(`${name(side, "connect", "tcp")} -> net server: the connect routing id, bytes both ways, and the server's close as [id, ""]`, async () => {
      const accepted: ReturnType<typeof recorder>[] = [];
      const srv = createServer((socket) => accepted.push(recorder(socket)));
      servers.push(srv);
      await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
      const port = (srv.address() as { port: number }).port;
      const s = openStream(side, { reconnectInterval: 50 });
      s.connect(`tcp://127.0.0.1:${port}`, { routingId: "srv" });
      expect(text(await receiveWithin(s))).toEqual(["srv", ""]);
      await sendWithin(s, ["srv", "request"]);
      await until(() => accepted[0]?.bytes().toString() === "request", "the server got the request");
      accepted[0]!.socket.end("response");
      expect(text(await receiveWithin(s))).toEqual(["srv", "response"]);
      expect(text(await receiveWithin(s))).toEqual(["srv", ""]);
    });

    it(`${name(side, "bind", "tcp")}: [id, data, id, ""] sends the data, then the net client sees the end`, async () => {
      const s = openStream(side);
      const endpoint = await bindFresh(s, "tcp");
      const client = recorder(createConnection(Number(endpoint.split(":").pop()), "127.0.0.1"));
      const [id] = await receiveWithin(s);
      await sendWithin(s, [id!, "goodbye", id!, ""]);
      // libzmq's socket learns that the session took the pipe down when its application next
      // uses it (zeromq.js polls it for a pending receive); then the connection closes.
      within(s.receive(), 3000, "receive").catch(() => undefined);
      await until(() => client.ended(), "the client saw the end");
      expect(client.bytes().toString()).toBe("goodbye");
    });
  }
});
