import { once } from "node:events";
import { connect as netConnect, createServer, type Server, type Socket as NetSocket } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pair, curveKeyPair, type Event } from "../../src/index.js";
import { decodeCommand, type Command } from "../../src/zmtp/command.js";
import { FLAG_COMMAND, FLAG_LONG } from "../../src/zmtp/frame.js";
import { generateKeyPair } from "../../src/zmtp/mechanisms/curve-box.js";
import { CurveClient, CurveServer } from "../../src/zmtp/mechanisms/curve.js";
import type { MechanismHost, TrafficCodec } from "../../src/zmtp/mechanisms/mechanism.js";
import { ProtocolError } from "../../src/errors.js";

// ---- in memory: the mechanisms and their MESSAGE codec ----

class Host implements MechanismHost {
  readonly sent: Buffer[] = [];
  closed = false;
  constructor(private readonly type: string) {}
  sendCommand(body: Buffer): void {
    this.sent.push(body);
  }
  localProperties(): Array<[string, Buffer]> {
    return [["Socket-Type", Buffer.from(this.type)]];
  }
  checkPeerProperties(): void {}
  handshakeComplete(): void {}
  peerRejected(): void {}
  authFailed(): void {}
  stall(): void {}
  fail(): void {}
  zap(): null {
    return null;
  }
}

const cmd = (body: Buffer): Command => decodeCommand(body)!;

function connectedCodecs(): { client: TrafficCodec; server: TrafficCodec } {
  const serverKeys = generateKeyPair();
  const client = new CurveClient({ keyPair: generateKeyPair(), serverKey: serverKeys.publicKey });
  const server = new CurveServer({ keyPair: serverKeys, domain: "" });
  const ch = new Host("PAIR");
  const sh = new Host("PAIR");
  client.start(ch);
  server.start(sh);
  server.onCommand(cmd(ch.sent[0]!));
  client.onCommand(cmd(sh.sent[0]!));
  server.onCommand(cmd(ch.sent[1]!));
  client.onCommand(cmd(sh.sent[1]!));
  return { client: client.codec!, server: server.codec! };
}

const frameArb = fc.record({ flags: fc.integer({ min: 0, max: 3 }), body: fc.uint8Array({ maxLength: 600 }) });

describe("CURVE MESSAGE codec (property)", () => {
  it("any sequence of frames survives ours → ours in both directions, flags included", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 20 }), fc.array(frameArb, { maxLength: 20 }), (up, down) => {
        const { client, server } = connectedCodecs();
        for (const f of up) {
          const out = server.decode(client.encode(f.flags, Buffer.from(f.body)));
          expect(out.flags).toBe(f.flags);
          expect(Buffer.compare(out.body, Buffer.from(f.body))).toBe(0);
        }
        for (const f of down) {
          const out = client.decode(server.encode(f.flags, Buffer.from(f.body)));
          expect(out.flags).toBe(f.flags);
          expect(Buffer.compare(out.body, Buffer.from(f.body))).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("any single flipped bit in a MESSAGE is rejected with a ProtocolError, never delivered", () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), fc.boolean(), (frame, bitSeed, fromClient) => {
        const { client, server } = connectedCodecs();
        const [sender, receiver] = fromClient ? [client, server] : [server, client];
        const msg = sender.encode(frame.flags, Buffer.from(frame.body));
        const bit = bitSeed % (msg.length * 8);
        msg[bit >> 3]! ^= 1 << (bit & 7);
        let error: unknown = null;
        try {
          receiver.decode(msg);
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(ProtocolError);
        expect(["ERR_ZMTP_MALFORMED_COMMAND_MESSAGE", "ERR_ZMTP_INVALID_SEQUENCE", "ERR_ZMTP_CRYPTOGRAPHIC"]).toContain(
          (error as ProtocolError).code,
        );
      }),
      { numRuns: 500 },
    );
  });
});

// ---- over TCP: our sockets through a proxy that can corrupt one MESSAGE ----

/**
 * A TCP proxy that forwards ZMTP traffic frame by frame and, if asked, flips one bit in the body
 * of the n-th data frame (a CURVE MESSAGE) going from the client to the server.
 */
class FlippingProxy {
  readonly server: Server;
  private readonly sockets = new Set<NetSocket>();

  constructor(
    private readonly target: number,
    private readonly flip: { message: number; bit: number } | null,
  ) {
    this.server = createServer((client) => this.relay(client));
  }

  async listen(): Promise<number> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return (this.server.address() as { port: number }).port;
  }

  private relay(client: NetSocket): void {
    const upstream = netConnect(this.target, "127.0.0.1");
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    let pending = Buffer.alloc(0);
    let greetingLeft = 64;
    let dataFrames = 0;
    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const out: Buffer[] = [];
      if (greetingLeft > 0) {
        // The greeting goes on as it comes: both sides send it in stages, each waiting for the other's.
        const piece = pending.subarray(0, greetingLeft);
        out.push(piece);
        pending = pending.subarray(piece.length);
        greetingLeft -= piece.length;
      }
      for (;;) {
        if (pending.length < 2) break;
        const flags = pending[0]!;
        const long = (flags & FLAG_LONG) !== 0;
        const headerLen = long ? 9 : 2;
        if (pending.length < headerLen) break;
        const size = long ? Number(pending.readBigUInt64BE(1)) : pending[1]!;
        if (pending.length < headerLen + size) break;
        const frame = Buffer.from(pending.subarray(0, headerLen + size));
        pending = pending.subarray(headerLen + size);
        if ((flags & FLAG_COMMAND) === 0) {
          dataFrames += 1;
          if (this.flip !== null && dataFrames === this.flip.message) {
            const bit = this.flip.bit % (size * 8);
            frame[headerLen + (bit >> 3)]! ^= 1 << (bit & 7);
          }
        }
        out.push(frame);
      }
      if (out.length > 0) upstream.write(Buffer.concat(out));
    });
  }

  close(): void {
    this.server.close();
    for (const s of this.sockets) s.destroy();
  }
}

async function curvePairThroughProxy(flip: { message: number; bit: number } | null): Promise<{
  server: Pair;
  client: Pair;
  proxy: FlippingProxy;
  disconnects: () => number;
}> {
  const serverKeys = curveKeyPair();
  const clientKeys = curveKeyPair();
  const server = new Pair({ linger: 0, curveServer: true, curveSecretKey: serverKeys.secretKey });
  await server.bind("tcp://127.0.0.1:*");
  const port = Number(server.lastEndpoint!.split(":").pop());
  const proxy = new FlippingProxy(port, flip);
  const proxyPort = await proxy.listen();
  let disconnects = 0;
  server.events.on("disconnect", (_e: Event) => (disconnects += 1));
  const client = new Pair({
    linger: 0,
    reconnectInterval: -1,
    curveServerKey: serverKeys.publicKey,
    curvePublicKey: clientKeys.publicKey,
    curveSecretKey: clientKeys.secretKey,
  });
  client.connect(`tcp://127.0.0.1:${proxyPort}`);
  return { server, client, proxy, disconnects: () => disconnects };
}

const tcpFrameArb = fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a));

describe("CURVE over TCP, ours ↔ ours (property)", () => {
  it("random multipart messages arrive intact", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(tcpFrameArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        async (messages) => {
          const { server, client, proxy } = await curvePairThroughProxy(null);
          try {
            for (const msg of messages) await client.send(msg);
            server.receiveTimeout = 3000;
            for (const msg of messages) {
              const got = await server.receive();
              expect(got.length).toBe(msg.length);
              got.forEach((frame, i) => expect(frame.equals(msg[i]!)).toBe(true));
            }
          } finally {
            client.close();
            server.close();
            proxy.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it("one flipped bit in a MESSAGE closes the connection; the corrupted message is never delivered", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.nat(), async (message, bit) => {
        const { server, client, proxy, disconnects } = await curvePairThroughProxy({ message, bit });
        try {
          const sent = [0, 1, 2].map((i) => Buffer.from(`message ${i} `.repeat(5)));
          for (const m of sent) await client.send(m);
          server.receiveTimeout = 400;
          const received: Buffer[] = [];
          for (;;) {
            try {
              received.push((await server.receive())[0]!);
            } catch {
              break;
            }
          }
          // Only messages before the corrupted MESSAGE arrive, intact and in order (ones still
          // queued when the connection drops may be discarded with its pipe); nothing from it on.
          expect(received.length).toBeLessThan(message);
          expect(received.map(String)).toEqual(sent.slice(0, received.length).map(String));
          expect(disconnects()).toBe(1);
        } finally {
          client.close();
          server.close();
          proxy.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});
