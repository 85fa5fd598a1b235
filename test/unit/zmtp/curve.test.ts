import { afterAll, describe, expect, it } from "vitest";
import { FakeMechanismHost, command } from "./fake-mechanism-host.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { poly1305 } from "@noble/ciphers/_poly1305.js";
import { hsalsa, xsalsa20 } from "@noble/ciphers/salsa.js";
import { encodeCommand, encodeError } from "../../../src/zmtp/command.js";
import {
  generateKeyPair,
  keyPairFromSecret,
  nonce,
  open,
  seal,
  sharedKey,
  type CurveKeyPair,
} from "../../../src/zmtp/mechanisms/curve-box.js";
import { CurveClient, CurveServer } from "../../../src/zmtp/mechanisms/curve.js";
import { MessageBoxes, secretboxEngine, useSecretboxEngine } from "../../../src/zmtp/mechanisms/curve-message-box.js";
import type { TrafficCodec } from "../../../src/zmtp/mechanisms/mechanism.js";
import { encodeProperties } from "../../../src/zmtp/metadata.js";
import { ProtocolError } from "../../../src/errors.js";
import type { ZapReply } from "../../../src/zmtp/zap.js";

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

// The crypto_box test vectors of NaCl (tests/box.c, box2.c; "Cryptography in NaCl" §9-10).
const ALICE_SK = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const ALICE_PK = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
const BOB_SK = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
const BOB_PK = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
const BEFORENM = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
const NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
const MESSAGE = hex(`
  be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705`);
// crypto_box output without the 16 zero bytes of the classic API: Poly1305 tag, then ciphertext.
const BOX = hex(`
  f3ffc7703f9400e52a7dfb4b3d3305d9
  8e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5`);

/** An independent crypto_box_open built from noble's raw primitives, to check our layout. */
function referenceOpen(
  box: Uint8Array,
  nonce24: Uint8Array,
  peerPublic: Uint8Array,
  ownSecret: Uint8Array,
): Buffer | null {
  const shared = x25519.getSharedSecret(ownSecret, peerPublic);
  const sigma = new Uint32Array(new Uint8Array(Buffer.from("expand 32-byte k")).buffer);
  const k = new Uint32Array(8);
  hsalsa(sigma, new Uint32Array(shared.slice().buffer), new Uint32Array(4), k);
  const key = new Uint8Array(k.buffer);
  const tag = box.subarray(0, 16);
  const ciphertext = box.subarray(16);
  // XSalsa20 stream: the first 32 bytes key Poly1305, the rest encrypts (NaCl secretbox).
  const stream = xsalsa20(key, nonce24, new Uint8Array(32 + ciphertext.length));
  if (!Buffer.from(poly1305(ciphertext, stream.subarray(0, 32))).equals(Buffer.from(tag))) return null;
  const plain = Buffer.alloc(ciphertext.length);
  for (let i = 0; i < plain.length; i++) plain[i] = ciphertext[i]! ^ stream[32 + i]!;
  return plain;
}

function protocolCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProtocolError) return err.code;
    throw err;
  }
  return "no error";
}

interface Pair {
  client: CurveClient;
  server: CurveServer;
  clientHost: FakeMechanismHost;
  serverHost: FakeMechanismHost;
  serverKeys: CurveKeyPair;
  clientKeys: CurveKeyPair;
  hello: Buffer;
  welcome: Buffer;
  initiate: Buffer;
  ready: Buffer;
}

/** Runs the four handshake commands between our client and server, keeping each on the side. */
function handshake(
  configure?: (serverHost: FakeMechanismHost) => void,
  zap: { domain?: string; enforceDomain?: boolean } = {},
): Pair {
  const serverKeys = generateKeyPair();
  const clientKeys = generateKeyPair();
  const client = new CurveClient({ keyPair: clientKeys, serverKey: serverKeys.publicKey });
  const server = new CurveServer({ keyPair: serverKeys, domain: zap.domain ?? "", enforceDomain: zap.enforceDomain });
  const clientHost = new FakeMechanismHost("DEALER");
  const serverHost = new FakeMechanismHost("ROUTER");
  configure?.(serverHost);
  client.start(clientHost);
  server.start(serverHost);
  const hello = clientHost.last();
  server.onCommand(command(hello));
  const welcome = serverHost.last();
  client.onCommand(command(welcome));
  const initiate = clientHost.last();
  server.onCommand(command(initiate));
  const ready = serverHost.sent[1] ?? Buffer.alloc(0);
  if (ready.length > 0) client.onCommand(command(ready));
  return { client, server, clientHost, serverHost, serverKeys, clientKeys, hello, welcome, initiate, ready };
}

const codec = (m: { codec?: TrafficCodec | null }): TrafficCodec => {
  if (!m.codec) throw new Error("no codec yet");
  return m.codec;
};

describe("CURVE crypto primitives (NaCl known answers)", () => {
  it("public key of Alice's and Bob's secret keys", () => {
    expect(keyPairFromSecret(ALICE_SK).publicKey.equals(ALICE_PK)).toBe(true);
    expect(keyPairFromSecret(BOB_SK).publicKey.equals(BOB_PK)).toBe(true);
  });

  it("crypto_box_beforenm is the same from both sides", () => {
    expect(sharedKey(keyPairFromSecret(ALICE_SK), BOB_PK)!.equals(BEFORENM)).toBe(true);
    expect(sharedKey(keyPairFromSecret(BOB_SK), ALICE_PK)!.equals(BEFORENM)).toBe(true);
  });

  it("a box is the 16-byte tag followed by the ciphertext, no zero padding", () => {
    const box = seal(MESSAGE, NONCE, BEFORENM);
    expect(box.length).toBe(MESSAGE.length + 16);
    expect(box.equals(BOX)).toBe(true);
    expect(open(BOX, NONCE, sharedKey(keyPairFromSecret(BOB_SK), ALICE_PK)!)!.equals(MESSAGE)).toBe(true);
  });

  it("a box that was changed anywhere does not open", () => {
    for (const at of [0, 15, 16, BOX.length - 1]) {
      const bad = Buffer.from(BOX);
      bad[at]! ^= 0x01;
      expect(open(bad, NONCE, BEFORENM), `byte ${at}`).toBeNull();
    }
    expect(open(BOX.subarray(0, 15), NONCE, BEFORENM)).toBeNull();
  });

  it("a low-order peer key gives no shared key (all-zero X25519 output)", () => {
    expect(sharedKey(keyPairFromSecret(ALICE_SK), Buffer.alloc(32))).toBeNull();
    expect(sharedKey(keyPairFromSecret(ALICE_SK), Buffer.alloc(32))).toBeNull();
  });

  it("shared keys stay right when peer keys repeat and outnumber the imported-key cache", () => {
    const own = keyPairFromSecret(ALICE_SK);
    const peers = Array.from({ length: 20 }, () => generateKeyPair());
    const reference = (peer: CurveKeyPair): string => sharedKey(peer, own.publicKey)!.toString("hex");
    for (const order of [peers, [...peers].reverse(), peers.flatMap((p) => [p, p, peers[0]!])]) {
      for (const peer of order) expect(sharedKey(own, peer.publicKey)!.toString("hex")).toBe(reference(peer));
    }
    expect(sharedKey(own, BOB_PK)!.equals(BEFORENM)).toBe(true);
  });
});

describe.each(["libsodium", "noble"] as const)("handshake boxes with %s", (engine) => {
  afterAll(() => useSecretboxEngine("libsodium"));

  it("seal gives NaCl's box and open its message, in a fresh Buffer each", async () => {
    await useSecretboxEngine(engine);
    expect(secretboxEngine()).toBe(engine);
    const box = seal(MESSAGE, NONCE, BEFORENM);
    expect(box.equals(BOX)).toBe(true);
    const plain = open(box, NONCE, BEFORENM)!;
    expect(plain.equals(MESSAGE)).toBe(true);
    plain[0]! ^= 1;
    expect(box.equals(BOX)).toBe(true);
    expect(seal(Buffer.alloc(0), NONCE, BEFORENM).length).toBe(16);
  });

  it("a changed or truncated box does not open, and the box is left as it was", async () => {
    await useSecretboxEngine(engine);
    for (const at of [0, 15, 16, BOX.length - 1]) {
      const bad = Buffer.from(BOX);
      bad[at]! ^= 0x01;
      const before = Buffer.from(bad);
      expect(open(bad, NONCE, BEFORENM), `byte ${at}`).toBeNull();
      expect(bad.equals(before)).toBe(true);
    }
    expect(open(BOX.subarray(0, 15), NONCE, BEFORENM)).toBeNull();
  });

  it("a handshake box between two MESSAGE boxes leaves the connection's key in place", async () => {
    await useSecretboxEngine(engine);
    const boxes = new MessageBoxes(Buffer.alloc(32, 9), Buffer.alloc(16, 4));
    const first = Buffer.alloc(17 + 10);
    boxes.seal(first, 0, 0, Buffer.alloc(10, 1));
    expect(seal(MESSAGE, NONCE, BEFORENM).equals(BOX)).toBe(true);
    const second = Buffer.alloc(17 + 10);
    boxes.seal(second, 0, 0, Buffer.alloc(10, 1));
    expect(second.equals(first)).toBe(true);
  });
});

describe("CURVE handshake layout (RFC 26, docs/protocol.md §8.3)", () => {
  it("HELLO is 200 bytes: version 1.0, 72 zero bytes, C', nonce 1, Box[64 zeros](C'→S)", () => {
    const { hello, serverKeys } = handshake();
    expect(hello.length).toBe(200);
    expect(hello.subarray(0, 6).toString("latin1")).toBe("\x05HELLO");
    expect([hello[6], hello[7]]).toEqual([1, 0]);
    expect(hello.subarray(8, 80).equals(Buffer.alloc(72))).toBe(true);
    expect(hello.readBigUInt64BE(112)).toBe(1n);
    const clientTransient = hello.subarray(80, 112);
    const plain = referenceOpen(
      hello.subarray(120),
      nonce(Buffer.from("CurveZMQHELLO---"), hello.subarray(112, 120)),
      clientTransient,
      serverKeys.secretKey,
    );
    expect(plain?.equals(Buffer.alloc(64))).toBe(true);
  });

  it("WELCOME is 168 bytes and opens with (S, c') to S' and a 96-byte cookie", () => {
    const { welcome, hello, serverKeys } = handshake();
    expect(welcome.length).toBe(168);
    expect(welcome.subarray(0, 8).toString("latin1")).toBe("\x07WELCOME");
    // The server's box is from s to C'; open it from the server's side of the pair.
    const plain = referenceOpen(
      welcome.subarray(24),
      nonce(Buffer.from("WELCOME-"), welcome.subarray(8, 24)),
      hello.subarray(80, 112),
      serverKeys.secretKey,
    );
    expect(plain?.length).toBe(128);
  });

  it("INITIATE is 257 bytes plus metadata and carries nonce 2", () => {
    const { initiate } = handshake();
    const metadata = encodeProperties([["Socket-Type", "DEALER"]]);
    expect(initiate.length).toBe(257 + metadata.length);
    expect(initiate.subarray(0, 9).toString("latin1")).toBe("\x08INITIATE");
    expect(initiate.readBigUInt64BE(105)).toBe(1n + 1n);
  });

  it("READY carries server nonce 1 and both sides complete with the peer's metadata", () => {
    const { ready, clientHost, serverHost } = handshake();
    expect(ready.subarray(0, 6).toString("latin1")).toBe("\x05READY");
    expect(ready.readBigUInt64BE(6)).toBe(1n);
    expect(clientHost.completed?.get("Socket-Type")?.toString()).toBe("ROUTER");
    expect(serverHost.completed?.get("Socket-Type")?.toString()).toBe("DEALER");
  });
});

describe("CURVE MESSAGE nonces and boxes (docs/protocol.md §8.5, §8.6)", () => {
  it("client MESSAGEs count 3, 4, 5…; server MESSAGEs 2, 3, 4…", () => {
    const { client, server } = handshake();
    const fromClient = [0, 1, 2].map(() => codec(client).encode(0, Buffer.from("x")));
    const fromServer = [0, 1, 2].map(() => codec(server).encode(0, Buffer.from("y")));
    expect(fromClient.map((m) => m.readBigUInt64BE(8))).toEqual([3n, 4n, 5n]);
    expect(fromServer.map((m) => m.readBigUInt64BE(8))).toEqual([2n, 3n, 4n]);
    for (const m of fromClient) expect(codec(server).decode(m).body.toString()).toBe("x");
    for (const m of fromServer) expect(codec(client).decode(m).body.toString()).toBe("y");
  });

  it("MESSAGE = 07 MESSAGE · nonce · Box[flags + body] with prefix CurveZMQMESSAGEC from the client", () => {
    const { client, server } = handshake();
    const msg = codec(client).encode(1, Buffer.from("part"));
    expect(msg.length).toBe(16 + 16 + 1 + 4);
    expect(msg.subarray(0, 8).toString("latin1")).toBe("\x07MESSAGE");
    const { flags, body } = codec(server).decode(msg);
    expect(flags).toBe(1);
    expect(body.toString()).toBe("part");
  });

  it("a replayed MESSAGE is an invalid sequence", () => {
    const { client, server } = handshake();
    const msg = codec(client).encode(0, Buffer.from("once"));
    codec(server).decode(msg);
    expect(protocolCode(() => codec(server).decode(msg))).toBe("ERR_ZMTP_INVALID_SEQUENCE");
  });

  it("an older MESSAGE after a newer one is an invalid sequence; gaps are accepted", () => {
    const { client, server } = handshake();
    const m3 = codec(client).encode(0, Buffer.from("3"));
    codec(client).encode(0, Buffer.from("4"));
    const m5 = codec(client).encode(0, Buffer.from("5"));
    expect(codec(server).decode(m5).body.toString()).toBe("5");
    expect(protocolCode(() => codec(server).decode(m3))).toBe("ERR_ZMTP_INVALID_SEQUENCE");
  });

  it("a client MESSAGE reusing INITIATE's nonce 2 is rejected", () => {
    const { client, server } = handshake();
    const msg = codec(client).encode(0, Buffer.from("x"));
    msg.writeBigUInt64BE(2n, 8);
    expect(protocolCode(() => codec(server).decode(msg))).toBe("ERR_ZMTP_INVALID_SEQUENCE");
  });

  it("a tampered MESSAGE box is a cryptographic error and does not consume the nonce", () => {
    const { client, server } = handshake();
    const msg = codec(client).encode(0, Buffer.from("payload"));
    const bad = Buffer.from(msg);
    bad[bad.length - 1]! ^= 0x80;
    expect(protocolCode(() => codec(server).decode(bad))).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
    expect(codec(server).decode(msg).body.toString()).toBe("payload");
  });

  it("a frame that is not a MESSAGE, or too short, is malformed", () => {
    const { server } = handshake();
    expect(protocolCode(() => codec(server).decode(encodeCommand("PING", Buffer.alloc(40))))).toBe(
      "ERR_ZMTP_MALFORMED_COMMAND_MESSAGE",
    );
    expect(
      protocolCode(() => codec(server).decode(Buffer.concat([Buffer.from("\x07MESSAGE", "latin1"), Buffer.alloc(24)]))),
    ).toBe("ERR_ZMTP_MALFORMED_COMMAND_MESSAGE");
  });

  it("messages from the server do not open as messages from the client (prefix S vs C)", () => {
    const { server } = handshake();
    codec(server).encode(0, Buffer.from("x"));
    const msg = codec(server).encode(0, Buffer.from("x")); // nonce 3: above the client's INITIATE nonce 2
    // Feed the server its own MESSAGE: same key, but the nonce prefix differs.
    expect(protocolCode(() => codec(server).decode(msg))).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
  });
});

describe("CURVE server validation", () => {
  function serverAfterHello(): {
    server: CurveServer;
    host: FakeMechanismHost;
    keys: CurveKeyPair;
    client: CurveClient;
    clientHost: FakeMechanismHost;
  } {
    const keys = generateKeyPair();
    const server = new CurveServer({ keyPair: keys, domain: "" });
    const host = new FakeMechanismHost("ROUTER");
    server.start(host);
    const client = new CurveClient({ keyPair: generateKeyPair(), serverKey: keys.publicKey });
    const clientHost = new FakeMechanismHost("DEALER");
    client.start(clientHost);
    return { server, host, keys, client, clientHost };
  }

  it("HELLO of 198 bytes (70 bytes of padding, the RFC prose) is malformed", () => {
    const { server, clientHost } = serverAfterHello();
    const hello = clientHost.last();
    const short = Buffer.concat([hello.subarray(0, 8), hello.subarray(10)]);
    expect(protocolCode(() => server.onCommand(command(short)))).toBe("ERR_ZMTP_MALFORMED_COMMAND_HELLO");
  });

  it("HELLO with version 2.0 is malformed", () => {
    const { server, clientHost } = serverAfterHello();
    const hello = Buffer.from(clientHost.last());
    hello[6] = 2;
    expect(protocolCode(() => server.onCommand(command(hello)))).toBe("ERR_ZMTP_MALFORMED_COMMAND_HELLO");
  });

  it("HELLO boxed for another server key is a cryptographic error", () => {
    const client = new CurveClient({ keyPair: generateKeyPair(), serverKey: generateKeyPair().publicKey });
    const clientHost = new FakeMechanismHost("DEALER");
    client.start(clientHost);
    const server = new CurveServer({ keyPair: generateKeyPair(), domain: "" });
    server.start(new FakeMechanismHost("ROUTER"));
    expect(protocolCode(() => server.onCommand(command(clientHost.last())))).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
  });

  it("anything but HELLO first is an unexpected command", () => {
    const { server } = serverAfterHello();
    expect(protocolCode(() => server.onCommand(command(encodeCommand("READY"))))).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  it("a short INITIATE is malformed; a forged cookie is a cryptographic error", () => {
    const { server, host, client, clientHost } = serverAfterHello();
    server.onCommand(command(clientHost.last()));
    client.onCommand(command(host.last()));
    const initiate = clientHost.last();
    expect(protocolCode(() => server.onCommand(command(initiate.subarray(0, 256))))).toBe(
      "ERR_ZMTP_MALFORMED_COMMAND_INITIATE",
    );
    const forged = Buffer.from(initiate);
    forged[30]! ^= 1; // inside the cookie box
    expect(protocolCode(() => server.onCommand(command(forged)))).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
  });

  it("INITIATE whose vouch names another C' is a key-exchange error", () => {
    // A hand-made client (our primitives, its own transient pair) so the vouch can lie.
    const clientLongTerm = generateKeyPair();
    const transient = generateKeyPair();
    const keys = generateKeyPair();
    const srv = new CurveServer({ keyPair: keys, domain: "" });
    const srvHost = new FakeMechanismHost("ROUTER");
    srv.start(srvHost);
    const helloNonce = Buffer.alloc(8);
    helloNonce.writeBigUInt64BE(1n);
    const helloKey = sharedKey(transient, keys.publicKey)!;
    const handHello = Buffer.concat([
      Buffer.from("\x05HELLO\x01\x00", "latin1"),
      Buffer.alloc(72),
      transient.publicKey,
      helloNonce,
      seal(Buffer.alloc(64), nonce(Buffer.from("CurveZMQHELLO---"), helloNonce), helloKey),
    ]);
    srv.onCommand(command(handHello));
    const w = srvHost.last();
    const wPlain = open(w.subarray(24), nonce(Buffer.from("WELCOME-"), w.subarray(8, 24)), helloKey)!;
    const serverTransient = wPlain.subarray(0, 32);
    const cookie = wPlain.subarray(32);
    const vouchNonce = Buffer.alloc(16, 7);
    const vouch = seal(
      Buffer.concat([generateKeyPair().publicKey, keys.publicKey]), // not our C'
      nonce(Buffer.from("VOUCH---"), vouchNonce),
      sharedKey(clientLongTerm, serverTransient)!,
    );
    const initiateNonce = Buffer.alloc(8);
    initiateNonce.writeBigUInt64BE(2n);
    const box = seal(
      Buffer.concat([clientLongTerm.publicKey, vouchNonce, vouch, encodeProperties([["Socket-Type", "DEALER"]])]),
      nonce(Buffer.from("CurveZMQINITIATE"), initiateNonce),
      sharedKey(transient, serverTransient)!,
    );
    const handInitiate = Buffer.concat([Buffer.from("\x08INITIATE", "latin1"), cookie, initiateNonce, box]);
    expect(protocolCode(() => srv.onCommand(command(handInitiate)))).toBe("ERR_ZMTP_KEY_EXCHANGE");
  });

  it("INITIATE reusing HELLO's nonce is an invalid sequence", () => {
    const { server, host, client, clientHost } = serverAfterHello();
    server.onCommand(command(clientHost.last()));
    client.onCommand(command(host.last()));
    const initiate = Buffer.from(clientHost.last());
    initiate.writeBigUInt64BE(1n, 105);
    expect(protocolCode(() => server.onCommand(command(initiate)))).toBe("ERR_ZMTP_INVALID_SEQUENCE");
  });
});

describe("CURVE client validation", () => {
  it("WELCOME of the wrong size is malformed", () => {
    const client = new CurveClient({ keyPair: generateKeyPair(), serverKey: generateKeyPair().publicKey });
    client.start(new FakeMechanismHost("DEALER"));
    expect(
      protocolCode(() =>
        client.onCommand(command(Buffer.concat([Buffer.from("\x07WELCOME", "latin1"), Buffer.alloc(159)]))),
      ),
    ).toBe("ERR_ZMTP_MALFORMED_COMMAND_WELCOME");
  });

  it("WELCOME from a server with another key is a cryptographic error", () => {
    const client = new CurveClient({ keyPair: generateKeyPair(), serverKey: generateKeyPair().publicKey });
    const clientHost = new FakeMechanismHost("DEALER");
    client.start(clientHost);
    const impostor = new CurveServer({ keyPair: generateKeyPair(), domain: "" });
    const impostorHost = new FakeMechanismHost("ROUTER");
    impostor.start(impostorHost);
    // The impostor cannot open HELLO; forge a WELCOME of the right size instead.
    const welcome = Buffer.concat([Buffer.from("\x07WELCOME", "latin1"), Buffer.alloc(160, 1)]);
    expect(protocolCode(() => client.onCommand(command(welcome)))).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
  });

  it("ERROR instead of WELCOME or READY is a rejection, with the reason", () => {
    const client = new CurveClient({ keyPair: generateKeyPair(), serverKey: generateKeyPair().publicKey });
    const host = new FakeMechanismHost("DEALER");
    client.start(host);
    client.onCommand(command(encodeError("400")));
    expect(host.rejected).toBe("400");
  });

  it("a READY that does not open is a cryptographic error", () => {
    const pair = handshake((host) => {
      host.zapReply = new Promise(() => undefined); // server waits forever: READY never comes
    });
    const fakeReady = Buffer.concat([Buffer.from("\x05READY", "latin1"), Buffer.alloc(8), Buffer.alloc(40, 3)]);
    expect(protocolCode(() => pair.client.onCommand(command(fakeReady)))).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
  });
});

describe("CURVE server and ZAP (docs/protocol.md §8.7)", () => {
  it("without a handler every client key is accepted", () => {
    const { serverHost, ready } = handshake();
    expect(serverHost.zapRequests.length).toBe(1); // asked, got null: no handler
    expect(ready.length).toBeGreaterThan(0);
    expect(serverHost.completed).not.toBeNull();
  });

  // libzmq curve_server: ZMQ_ZAP_ENFORCE_DOMAIN turns "no handler, every key in" into a failure.
  it("with zapEnforceDomain and no handler, INITIATE fails the handshake with EFAULT before READY", () => {
    let serverHost: FakeMechanismHost | null = null;
    const run = (): Pair => handshake((host) => (serverHost = host), { domain: "d", enforceDomain: true });
    expect(run).toThrow(expect.objectContaining({ code: "EFAULT" }));
    expect(serverHost!.sent).toHaveLength(1); // WELCOME only
    expect(serverHost!.completed).toBeNull();
  });

  it("asks ZAP with mechanism CURVE and the 32-byte binary client key, then READY with User-Id", async () => {
    const pair = handshake((host) => {
      host.zapReply = Promise.resolve({
        statusCode: "200",
        statusText: "OK",
        userId: "alice",
        metadata: encodeProperties([["X-Role", "admin"]]),
      });
    });
    expect(pair.serverHost.zapRequests[0]!.mechanism).toBe("CURVE");
    expect(pair.serverHost.zapRequests[0]!.credentials).toEqual([pair.clientKeys.publicKey]);
    expect(pair.serverHost.completed).toBeNull(); // waiting for ZAP
    await new Promise((r) => setImmediate(r));
    expect(pair.serverHost.completed?.get("User-Id")?.toString()).toBe("alice");
    expect(pair.serverHost.completed?.get("X-Role")?.toString()).toBe("admin");
    const ready = pair.serverHost.last();
    pair.client.onCommand(command(ready));
    expect(pair.clientHost.completed).not.toBeNull();
  });

  it("ZAP 400 is an auth failure; a broken ZAP exchange fails the connection", async () => {
    const denied = handshake((host) => {
      host.zapReply = Promise.resolve({ statusCode: "400", statusText: "no", userId: "", metadata: Buffer.alloc(0) });
    });
    await new Promise((r) => setImmediate(r));
    expect(denied.serverHost.authFailure).toBe(400);
    expect(denied.serverHost.completed).toBeNull();

    const broken = handshake((host) => {
      host.zapReply = Promise.reject(new ProtocolError("ERR_ZAP_BAD_VERSION", "bad version"));
    });
    await new Promise((r) => setImmediate(r));
    expect((broken.serverHost.failure as ProtocolError).code).toBe("ERR_ZAP_BAD_VERSION");
  });

  it("a ZAP reply after the connection closed is dropped", async () => {
    let resolve!: (r: ZapReply) => void;
    const pair = handshake((host) => {
      host.zapReply = new Promise((r) => (resolve = r));
    });
    pair.serverHost.closed = true;
    const sentBefore = pair.serverHost.sent.length;
    resolve({ statusCode: "200", statusText: "OK", userId: "", metadata: Buffer.alloc(0) });
    await new Promise((r) => setImmediate(r));
    expect(pair.serverHost.sent.length).toBe(sentBefore);
    expect(pair.serverHost.completed).toBeNull();
  });
});
