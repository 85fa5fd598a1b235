import { once } from "node:events";
import { connect as netConnect, type Socket as NetSocket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  Authenticator,
  Context,
  Dealer,
  Reply,
  Router,
  capability,
  curveKeyPair,
  socketInternals,
  type AuthDecision,
  type Event,
  type Socket,
} from "../../../src/internal.js";
import { encodeCommand } from "../../../src/zmtp/command.js";
import { encodeFrame, FLAG_COMMAND } from "../../../src/zmtp/frame.js";
import { encodeGreeting } from "../../../src/zmtp/greeting.js";
import { decodeZapReply, encodeZapRequest } from "../../../src/zmtp/zap.js";
import { z85Decode } from "../../../src/zmtp/z85.js";
import { FakeClock } from "../../helpers/fake-clock.js";
import { sleep, until } from "../../helpers/time.js";

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of opened.splice(0)) {
    try {
      s.close();
    } catch {
      // already closed
    }
  }
});

function track<T extends { close(): void }>(s: T): T {
  opened.push(s);
  return s;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

/** Our key pair as a CURVE client's options. */
const asClient = (pair: { publicKey: string; secretKey: string }) => ({
  curvePublicKey: pair.publicKey,
  curveSecretKey: pair.secretKey,
});

/** Resolves with the first event of `type` (or rejects after `ms`). */
function nextEvent(socket: Socket, type: Event["type"], ms = 3000): Promise<Event> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms`)), ms);
    socket.events.on(type, (event: Event) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

async function boundRouter(options: object, context: Context): Promise<{ router: Router; endpoint: string }> {
  const router = track(new Router({ linger: 0, context, ...options }));
  await router.bind("tcp://127.0.0.1:*");
  return { router, endpoint: router.lastEndpoint! };
}

/** A ZAP handler written as for zeromq.js: a Reply bound at inproc://zeromq.zap.01. */
async function replyZapHandler(
  context: Context,
  decide: (frames: Buffer[]) => [string, string, string?],
): Promise<{ requests: Buffer[][] }> {
  const zap = track(new Reply({ linger: 0, context }));
  await zap.bind("inproc://zeromq.zap.01");
  const requests: Buffer[][] = [];
  void (async () => {
    for await (const msg of zap) {
      requests.push(msg);
      const [status, text, user] = decide(msg);
      await zap.send([msg[0]!, msg[1]!, status, text, user ?? "", ""]);
    }
  })();
  return { requests };
}

describe("security options", () => {
  it("securityMechanism follows the options (null, plain, curve)", () => {
    const keys = curveKeyPair();
    expect(track(new Dealer()).securityMechanism).toBeNull();
    expect(track(new Dealer({ plainUsername: "u" })).securityMechanism).toBe("plain");
    expect(track(new Router({ plainServer: true })).securityMechanism).toBe("plain");
    expect(track(new Router({ curveServer: true, curveSecretKey: keys.secretKey })).securityMechanism).toBe("curve");
    expect(track(new Dealer({ curveServerKey: keys.publicKey })).securityMechanism).toBe("curve");
    expect(capability.curve).toBe(true);
  });

  it("CURVE keys are Z85 strings or 32-byte Buffers; as in zeromq.js they cannot be read back (EINVAL)", () => {
    const keys = curveKeyPair();
    const dealer = track(new Dealer());
    dealer.curveSecretKey = keys.secretKey;
    (dealer as unknown as { curvePublicKey: Buffer }).curvePublicKey = z85Decode(keys.publicKey);
    expect(dealer.securityMechanism).toBe("curve");
    // zeromq.js reads strings into 1024 bytes; libzmq answers a key read only into 32 or 41.
    expect(codeOf(() => dealer.curveSecretKey)).toBe("EINVAL");
    expect(codeOf(() => (dealer.curveServerKey = null))).toBe("EINVAL");
  });

  it("bad CURVE keys and over-long PLAIN credentials are EINVAL at set time", () => {
    const dealer = track(new Dealer());
    expect(codeOf(() => (dealer.curveServerKey = "too short"))).toBe("EINVAL");
    expect(codeOf(() => (dealer.curveSecretKey = "x".repeat(39) + '"'))).toBe("EINVAL");
    expect(codeOf(() => (dealer.plainPassword = "p".repeat(256)))).toBe("EINVAL");
    expect(codeOf(() => new Dealer({ curvePublicKey: "nope" }))).toBe("EINVAL");
  });

  it("CURVE selected without keys binds and connects, as libzmq does (its handshakes then fail)", async () => {
    const keys = curveKeyPair();
    const dealer = track(new Dealer({ curveServerKey: keys.publicKey }));
    dealer.connect("tcp://127.0.0.1:5999");
    const router = track(new Router({ curveServer: true }));
    await expect(router.bind("tcp://127.0.0.1:*")).resolves.toBeUndefined();
  });
});

describe("ZAP request and reply frames (RFC 27)", () => {
  it("request: '' · 1.0 · 1 · domain · address · identity · mechanism · credentials", () => {
    const frames = encodeZapRequest({
      domain: "d",
      address: "127.0.0.1",
      identity: Buffer.from("srv"),
      mechanism: "PLAIN",
      credentials: [Buffer.from("u"), Buffer.from("p")],
    });
    expect(frames.map(String)).toEqual(["", "1.0", "1", "d", "127.0.0.1", "srv", "PLAIN", "u", "p"]);
  });

  const good = (): Buffer[] => ["", "1.0", "1", "200", "OK", "user", ""].map((s) => Buffer.from(s));
  const codeFor = (frames: Buffer[]): string | undefined => codeOf(() => decodeZapReply(frames));

  it("a well-formed reply decodes", () => {
    expect(decodeZapReply(good())).toMatchObject({ statusCode: "200", statusText: "OK", userId: "user" });
  });

  it("each broken reply has its ERR_ZAP_* code", () => {
    expect(codeFor(good().slice(0, 6))).toBe("ERR_ZAP_MALFORMED_REPLY");
    const noDelimiter = good();
    noDelimiter[0] = Buffer.from("x");
    expect(codeFor(noDelimiter)).toBe("ERR_ZAP_MALFORMED_REPLY");
    const version = good();
    version[1] = Buffer.from("2.0");
    expect(codeFor(version)).toBe("ERR_ZAP_BAD_VERSION");
    const id = good();
    id[2] = Buffer.from("7");
    expect(codeFor(id)).toBe("ERR_ZAP_BAD_REQUEST_ID");
    const status = good();
    status[3] = Buffer.from("201");
    expect(codeFor(status)).toBe("ERR_ZAP_INVALID_STATUS_CODE");
    const metadata = good();
    metadata[6] = Buffer.from([5, 65]);
    expect(codeFor(metadata)).toBe("ERR_ZAP_INVALID_METADATA");
  });
});

describe("PLAIN and ZAP between our sockets", () => {
  it("a Reply ZAP handler sees libzmq's request fields and its 200 lets the client in", async () => {
    const context = new Context();
    const zap = await replyZapHandler(context, () => ["200", "OK", "alice"]);
    const { router, endpoint } = await boundRouter(
      { plainServer: true, routingId: "srvid", zapDomain: "dom" },
      context,
    );
    const dealer = track(new Dealer({ linger: 0, context, plainUsername: "alice", plainPassword: "pw" }));
    dealer.connect(endpoint);
    await dealer.send("hello");
    const [, body] = await router.receive();
    expect(body!.toString()).toBe("hello");
    expect(zap.requests.map((r) => r.map(String))).toEqual([
      ["1.0", "1", "dom", "127.0.0.1", "srvid", "PLAIN", "alice", "pw"],
    ]);
  });

  it("ZAP 400: the server reports handshake:error:auth with status 400, the client stops reconnecting", async () => {
    const context = new Context();
    await replyZapHandler(context, () => ["400", "Denied"]);
    const { router, endpoint } = await boundRouter({ plainServer: true }, context);
    const serverAuth = nextEvent(router, "handshake:error:auth");
    const dealer = track(
      new Dealer({ linger: 0, context, plainUsername: "u", plainPassword: "bad", reconnectInterval: 20 }),
    );
    const clientAuth = nextEvent(dealer, "handshake:error:auth");
    let connects = 0;
    dealer.events.on("connect", () => (connects += 1));
    dealer.connect(endpoint);
    const serverEvent = (await serverAuth) as { error: { status?: number } };
    expect(serverEvent.error.status).toBe(400);
    await clientAuth;
    await sleep(200); // on purpose: ten reconnect intervals in which no redial may happen
    expect(connects).toBe(1);
  });

  it("a Router ZAP handler works too (routing id envelope)", async () => {
    const context = new Context();
    const zap = track(new Router({ linger: 0, context }));
    await zap.bind("inproc://zeromq.zap.01");
    void (async () => {
      for await (const [id, , version, requestId] of zap)
        await zap.send([id!, "", version!, requestId!, "200", "OK", "", ""]);
    })();
    const { router, endpoint } = await boundRouter({ plainServer: true }, context);
    const dealer = track(new Dealer({ linger: 0, context, plainUsername: "u", plainPassword: "p" }));
    dealer.connect(endpoint);
    await dealer.send("via router");
    expect((await router.receive())[1]!.toString()).toBe("via router");
  });

  it("without a ZAP handler the PLAIN server refuses everyone (handshake:error:other, no ERROR)", async () => {
    const context = new Context();
    const { router, endpoint } = await boundRouter({ plainServer: true }, context);
    const refused = nextEvent(router, "handshake:error:other");
    const dealer = track(new Dealer({ linger: 0, context, plainUsername: "u", plainPassword: "p" }));
    dealer.connect(endpoint);
    await refused;
  });

  it("a ZAP reply with a bad version is a protocol error on the server", async () => {
    const context = new Context();
    const zap = track(new Reply({ linger: 0, context }));
    await zap.bind("inproc://zeromq.zap.01");
    void (async () => {
      for await (const msg of zap) await zap.send(["9.9", msg[1]!, "200", "OK", "", ""]);
    })();
    const { router, endpoint } = await boundRouter({ plainServer: true }, context);
    const protocol = nextEvent(router, "handshake:error:protocol");
    track(new Dealer({ linger: 0, context, plainUsername: "u", plainPassword: "p" })).connect(endpoint);
    const event = (await protocol) as unknown as { error: { code: string } };
    expect(event.error.code).toBe("ERR_ZAP_BAD_VERSION");
  });

  it("NULL consults ZAP only with a zapDomain; 400 rejects the peer", async () => {
    const context = new Context();
    const zap = await replyZapHandler(context, () => ["400", "No"]);
    const open = await boundRouter({}, context);
    const d1 = track(new Dealer({ linger: 0, context }));
    d1.connect(open.endpoint);
    await d1.send("no domain, no ZAP");
    expect((await open.router.receive())[1]!.toString()).toBe("no domain, no ZAP");
    expect(zap.requests.length).toBe(0);

    const guarded = await boundRouter({ zapDomain: "guarded" }, context);
    const auth = nextEvent(guarded.router, "handshake:error:auth");
    track(new Dealer({ linger: 0, context })).connect(guarded.endpoint);
    await auth;
    expect(zap.requests.map((r) => String(r[5]))).toEqual(["NULL"]);
  });
});

describe("CURVE between our sockets", () => {
  it("without ZAP any client key is accepted; with ZAP the binary client key is the credential", async () => {
    const context = new Context();
    const server = curveKeyPair();
    const client = curveKeyPair();
    const { router, endpoint } = await boundRouter({ curveServer: true, curveSecretKey: server.secretKey }, context);
    const dealer = track(new Dealer({ linger: 0, context, curveServerKey: server.publicKey, ...asClient(client) }));
    dealer.connect(endpoint);
    await dealer.send(["a", "b"]);
    expect((await router.receive()).slice(1).map(String)).toEqual(["a", "b"]);

    const zap = await replyZapHandler(context, () => ["200", "OK"]);
    const second = track(new Dealer({ linger: 0, context, curveServerKey: server.publicKey, ...asClient(client) }));
    second.connect(endpoint);
    await second.send("zapped");
    expect((await router.receive())[1]!.toString()).toBe("zapped");
    expect(zap.requests[0]![5]!.toString()).toBe("CURVE");
    expect(zap.requests[0]![6]!.equals(z85Decode(client.publicKey))).toBe(true);
  });

  it("a client with the wrong server key fails the handshake (protocol error on the server)", async () => {
    const context = new Context();
    const server = curveKeyPair();
    const { router, endpoint } = await boundRouter({ curveServer: true, curveSecretKey: server.secretKey }, context);
    const protocol = nextEvent(router, "handshake:error:protocol");
    const dealer = track(
      new Dealer({ linger: 0, context, curveServerKey: curveKeyPair().publicKey, ...asClient(curveKeyPair()) }),
    );
    dealer.connect(endpoint);
    expect(((await protocol) as unknown as { error: { code: string } }).error.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
  });
});

describe("handshake timeout (docs/protocol.md §1.4), on a fake clock", () => {
  /** A raw client that writes `bytes`, then stays silent; counts what it receives. */
  async function stalledPeer(
    endpoint: string,
    bytes: Buffer,
  ): Promise<{ received: () => number; closed: Promise<unknown> }> {
    const [host, port] = endpoint.slice("tcp://".length).split(":");
    const sock: NetSocket = netConnect(Number(port), host!);
    await once(sock, "connect");
    let received = 0;
    sock.on("error", () => undefined);
    sock.on("data", (chunk: Buffer) => (received += chunk.length));
    sock.write(bytes);
    return { received: () => received, closed: once(sock, "close") };
  }

  /** New connections of `router` get their timers from a FakeClock. */
  function fakeClock(router: Router): FakeClock {
    const clock = new FakeClock();
    socketInternals(router).clock = clock;
    return clock;
  }

  /** The handshake timer, armed when the peer connected, closes it at exactly `ms`. */
  async function expectDroppedAt(clock: FakeClock, ms: number, peer: { closed: Promise<unknown> }): Promise<void> {
    const armed = clock.timers;
    clock.advance(ms - 1);
    expect(clock.timers).toBe(armed);
    clock.advance(1);
    expect(clock.timers).toBe(armed - 1);
    await peer.closed;
  }

  it("a PLAIN client that stops after HELLO is dropped handshakeInterval after it connected", async () => {
    const context = new Context();
    await replyZapHandler(context, () => ["200", "OK"]);
    const { router, endpoint } = await boundRouter({ plainServer: true, handshakeInterval: 300 }, context);
    const clock = fakeClock(router);
    // Greeting + HELLO, then silence: the server sends WELCOME and waits for INITIATE.
    const hello = encodeFrame(encodeCommand("HELLO", Buffer.from("\x01u\x01p", "latin1")), FLAG_COMMAND);
    const peer = await stalledPeer(endpoint, Buffer.concat([encodeGreeting("PLAIN", false), hello]));
    await until(() => peer.received() > 64, undefined, "the server's WELCOME");
    await expectDroppedAt(clock, 300, peer);
  });

  it("a CURVE client that stops after the greeting is dropped handshakeInterval after it connected", async () => {
    const context = new Context();
    const server = curveKeyPair();
    const { router, endpoint } = await boundRouter(
      { curveServer: true, curveSecretKey: server.secretKey, handshakeInterval: 300 },
      context,
    );
    const clock = fakeClock(router);
    const other = nextEvent(router, "handshake:error:other");
    const peer = await stalledPeer(endpoint, encodeGreeting("CURVE", false));
    await until(() => peer.received() >= 64, undefined, "the server's greeting");
    await expectDroppedAt(clock, 300, peer);
    await other;
  });

  it("a ZAP handler that never answers leaves the handshake to the timeout", async () => {
    const context = new Context();
    const zap = track(new Reply({ linger: 0, context }));
    await zap.bind("inproc://zeromq.zap.01"); // never receives, never replies
    const { router, endpoint } = await boundRouter({ plainServer: true, handshakeInterval: 300 }, context);
    const other = nextEvent(router, "handshake:error:other");
    track(new Dealer({ linger: 0, context, plainUsername: "u", plainPassword: "p" })).connect(endpoint);
    await other;
  });
});

describe("Authenticator", () => {
  async function withAuth(
    options: ConstructorParameters<typeof Authenticator>[0],
  ): Promise<{ auth: Authenticator; context: Context; log: AuthDecision[] }> {
    const context = new Context();
    const log: AuthDecision[] = [];
    const auth = new Authenticator({ ...options, context, onDecision: (d) => log.push(d) });
    await auth.start();
    opened.push(auth);
    return { auth, context, log };
  }

  it("PLAIN: a listed user with the right password gets in, with User-Id; a wrong password does not", async () => {
    const { context, log } = await withAuth({ passwords: { admin: "secret" } });
    const { router, endpoint } = await boundRouter({ plainServer: true }, context);
    const good = track(new Dealer({ linger: 0, context, plainUsername: "admin", plainPassword: "secret" }));
    good.connect(endpoint);
    await good.send("in");
    expect((await router.receive())[1]!.toString()).toBe("in");
    const auth = nextEvent(router, "handshake:error:auth");
    track(new Dealer({ linger: 0, context, plainUsername: "admin", plainPassword: "guess" })).connect(endpoint);
    await auth;
    expect(log.map((d) => [d.mechanism, d.user, d.allowed, d.reason])).toEqual([
      ["PLAIN", "admin", true, "password accepted"],
      ["PLAIN", "admin", false, "wrong password"],
    ]);
  });

  it("CURVE: listed keys get in, unlisted keys are refused; 'any' lets everyone in", async () => {
    const server = curveKeyPair();
    const listed = curveKeyPair();
    const { context, log, auth } = await withAuth({ curve: [listed.publicKey] });
    const { router, endpoint } = await boundRouter({ curveServer: true, curveSecretKey: server.secretKey }, context);
    const good = track(new Dealer({ linger: 0, context, curveServerKey: server.publicKey, ...asClient(listed) }));
    good.connect(endpoint);
    await good.send("listed");
    expect((await router.receive())[1]!.toString()).toBe("listed");
    const refused = nextEvent(router, "handshake:error:auth");
    const stranger = curveKeyPair();
    track(new Dealer({ linger: 0, context, curveServerKey: server.publicKey, ...asClient(stranger) })).connect(
      endpoint,
    );
    await refused;
    expect(log.map((d) => [d.user, d.allowed])).toEqual([
      [listed.publicKey, true],
      [stranger.publicKey, false],
    ]);
    auth.allowAnyCurveKey();
    const anyone = track(
      new Dealer({ linger: 0, context, curveServerKey: server.publicKey, ...asClient(curveKeyPair()) }),
    );
    anyone.connect(endpoint);
    await anyone.send("anyone");
    expect((await router.receive())[1]!.toString()).toBe("anyone");
  });

  it("an allow list without the peer's address refuses it; a deny list does too", async () => {
    const a = await withAuth({ allow: ["10.0.0.1"], passwords: { u: "p" } });
    const r1 = await boundRouter({ plainServer: true }, a.context);
    const denied1 = nextEvent(r1.router, "handshake:error:auth");
    track(new Dealer({ linger: 0, context: a.context, plainUsername: "u", plainPassword: "p" })).connect(r1.endpoint);
    await denied1;
    expect(a.log[0]).toMatchObject({ address: "127.0.0.1", allowed: false, reason: "address not in the allow list" });

    const b = await withAuth({ deny: ["127.0.0.1"], curve: "any" });
    const server = curveKeyPair();
    const r2 = await boundRouter({ curveServer: true, curveSecretKey: server.secretKey }, b.context);
    const denied2 = nextEvent(r2.router, "handshake:error:auth");
    track(
      new Dealer({ linger: 0, context: b.context, curveServerKey: server.publicKey, ...asClient(curveKeyPair()) }),
    ).connect(r2.endpoint);
    await denied2;
    expect(b.log[0]).toMatchObject({ allowed: false, reason: "address is denied" });
  });

  it("decide() is pure and covers NULL, unknown users and metadata-free requests", () => {
    const auth = new Authenticator({ passwords: new Map([["u", "p"]]) });
    const req = { version: "1.0", requestId: Buffer.from("1"), domain: "", address: "1.2.3.4" };
    expect(auth.decide({ ...req, mechanism: "NULL", credentials: [] }).allowed).toBe(true);
    expect(auth.decide({ ...req, mechanism: "PLAIN", credentials: [Buffer.from("x"), Buffer.from("p")] }).reason).toBe(
      "unknown user",
    );
    expect(auth.decide({ ...req, mechanism: "CURVE", credentials: [Buffer.alloc(32)] }).allowed).toBe(false);
    expect(auth.decide({ ...req, version: "2.0", mechanism: "NULL", credentials: [] }).statusCode).toBe("500");
  });

  it("start() fails with EADDRINUSE when the Context already has a ZAP handler", async () => {
    const { context } = await withAuth({});
    await expect(new Authenticator({ context }).start()).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
