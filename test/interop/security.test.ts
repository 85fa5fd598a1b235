/**
 * PLAIN, CURVE and ZAP against libzmq 4.3.5 (zeromq@6), both directions and both roles:
 * handshakes, ZAP handlers on each side (each a Reply bound at inproc://zeromq.zap.01 in its
 * own implementation's Context), rejections, large and multipart traffic, heartbeats inside
 * CURVE, and a CURVE server under a flood of bogus HELLOs (docs/protocol.md §7–§9).
 */
import { once } from "node:events";
import { connect as netConnect, type Socket as NetSocket } from "node:net";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Authenticator, Context as OurContext } from "../../src/internal.js";
import { encodeFrame, FLAG_COMMAND } from "../../src/zmtp/frame.js";
import { encodeGreeting } from "../../src/zmtp/greeting.js";
import { z85Decode } from "../../src/zmtp/z85.js";
import {
  MIB,
  OURS,
  THEIRS,
  TRANSPORTS,
  api,
  bindFresh,
  expectFrames,
  expectNothingWithin,
  open,
  payload,
  receiveWithin,
  sendWithin,
  text,
  useCleanup,
  who,
  type Implementation,
  type Kind,
  type Sock,
} from "./helpers.js";
import { sleep, until, within } from "../helpers/time.js";

useCleanup();

type Keys = { publicKey: string; secretKey: string };
type Observed = { events: { on(type: string, fn: (e: { error?: { code?: string; status?: number } }) => void): void } };

const keyPair = (side: Implementation): Keys => api(side).curveKeyPair();
const asClient = (keys: Keys, serverKey: string) => ({
  curveServerKey: serverKey,
  curvePublicKey: keys.publicKey,
  curveSecretKey: keys.secretKey,
});
const asServer = (keys: Keys) => ({ curveServer: true, curveSecretKey: keys.secretKey });

/** A socket of `kind` from `side`, with its security options. */
function sock(side: Implementation, kind: Kind, options: Record<string, unknown> = {}): Sock {
  return open(side, kind, options);
}

/** A fresh Context of that implementation, so each test's ZAP handler is its own. */
function newContext(side: Implementation): unknown {
  return side === OURS ? new OurContext() : new (api(THEIRS).Context)();
}

/** Counts events of `type` on `s`; `first` resolves with the first one. */
function watch(
  s: Sock,
  type: string,
): { count(): number; first: Promise<{ error?: { code?: string; status?: number } }> } {
  let n = 0;
  let resolve!: (e: { error?: { code?: string; status?: number } }) => void;
  const first = new Promise<{ error?: { code?: string; status?: number } }>((r) => (resolve = r));
  (s as unknown as Observed).events.on(type, (e) => {
    n += 1;
    resolve(e);
  });
  return { count: () => n, first };
}

interface ZapLog {
  requests: string[][];
  raw: Buffer[][];
}

/**
 * A ZAP handler exactly as zeromq.js users write one: a Reply bound at inproc://zeromq.zap.01
 * in `context`, answering [version, id, status, text, user, metadata].
 */
async function zapHandler(
  side: Implementation,
  context: unknown,
  decide: (req: string[]) => [string, string, string?],
): Promise<ZapLog> {
  const zap = sock(side, "Reply", { context });
  await zap.bind("inproc://zeromq.zap.01");
  const log: ZapLog = { requests: [], raw: [] };
  void (async () => {
    for (;;) {
      let msg: Buffer[];
      try {
        msg = await zap.receive();
      } catch {
        return;
      }
      log.raw.push(msg);
      log.requests.push(msg.map((f) => f.toString("latin1")));
      const [status, statusText, user] = decide(msg.map((f) => f.toString("latin1")));
      try {
        await zap.send([msg[0]!, msg[1]!, status, statusText, user ?? "", ""]);
      } catch {
        return;
      }
    }
  })();
  return log;
}

const SIDES: ReadonlyArray<[Implementation, Implementation]> = [
  [OURS, THEIRS], // [client, server]
  [THEIRS, OURS],
];

describe("CURVE handshake and traffic", () => {
  for (const [clientSide, serverSide] of SIDES) {
    for (const t of TRANSPORTS) {
      it(`${who(clientSide)} CURVE DEALER (connect, ${t}) -> ${who(serverSide)} CURVE ROUTER (bind): multipart both ways, message boundaries kept`, async () => {
        const serverKeys = keyPair(serverSide);
        const router = sock(serverSide, "Router", asServer(serverKeys));
        const dealer = sock(clientSide, "Dealer", {
          routingId: "d1",
          ...asClient(keyPair(clientSide), serverKeys.publicKey),
        });
        dealer.connect(await bindFresh(router, t));
        // Pitfall 18: three single-frame messages stay three messages.
        for (const m of ["one", "two", "three"]) await sendWithin(dealer, m);
        for (const m of ["one", "two", "three"]) expect(text(await receiveWithin(router))).toEqual(["d1", m]);
        // Pitfall 19: a multipart message stays one message.
        const parts = payload([0, 1, 255, 256, 70_000], 7);
        await sendWithin(router, [Buffer.from("d1"), ...parts]);
        expectFrames(await receiveWithin(dealer), parts, "multipart from the server");
        await sendWithin(dealer, parts);
        expectFrames((await receiveWithin(router)).slice(1), parts, "multipart from the client");
      });
    }

    it(`${who(clientSide)} CURVE client -> ${who(serverSide)} CURVE server: 8 MiB messages both ways (multipart)`, async () => {
      const serverKeys = keyPair(serverSide);
      const server = sock(serverSide, "Pair", asServer(serverKeys));
      const client = sock(clientSide, "Pair", asClient(keyPair(clientSide), serverKeys.publicKey));
      client.connect(await bindFresh(server, "tcp"));
      const big = payload([8 * MIB, 3], 1);
      await sendWithin(client, big, 10_000);
      expectFrames(await receiveWithin(server, 15_000), big, "8 MiB up");
      const back = payload([8 * MIB], 3);
      await sendWithin(server, back, 10_000);
      expectFrames(await receiveWithin(client, 15_000), back, "8 MiB down");
    });

    it(`${who(clientSide)} CURVE client with heartbeats -> ${who(serverSide)} CURVE server: PING/PONG ride inside MESSAGE (inner COMMAND bit)`, async () => {
      const serverKeys = keyPair(serverSide);
      const server = sock(serverSide, "Pair", {
        ...asServer(serverKeys),
        heartbeatInterval: 40,
        heartbeatTimeout: 400,
      });
      const client = sock(clientSide, "Pair", {
        ...asClient(keyPair(clientSide), serverKeys.publicKey),
        heartbeatInterval: 40,
        heartbeatTimeout: 400,
      });
      const disconnects = watch(client, "disconnect");
      client.connect(await bindFresh(server, "tcp"));
      await sendWithin(client, "before");
      expect(text(await receiveWithin(server))).toEqual(["before"]);
      await sleep(600); // on purpose: 15 heartbeat intervals, longer than the timeout, must pass without a disconnect
      await sendWithin(server, "after");
      expect(text(await receiveWithin(client))).toEqual(["after"]);
      expect(disconnects.count()).toBe(0);
    });
  }

  it("our CURVE server may connect and libzmq's CURVE client bind (roles come from options)", async () => {
    const serverKeys = keyPair(OURS);
    const client = sock(THEIRS, "Pair", asClient(keyPair(THEIRS), serverKeys.publicKey));
    const server = sock(OURS, "Pair", asServer(serverKeys));
    server.connect(await bindFresh(client, "tcp"));
    await sendWithin(client, "reverse roles");
    expect(text(await receiveWithin(server))).toEqual(["reverse roles"]);
  });

  it("libzmq's CURVE server may connect to our binding CURVE client", async () => {
    const serverKeys = keyPair(THEIRS);
    const client = sock(OURS, "Pair", asClient(keyPair(OURS), serverKeys.publicKey));
    const server = sock(THEIRS, "Pair", asServer(serverKeys));
    server.connect(await bindFresh(client, "tcp"));
    await sendWithin(server, "reverse roles");
    expect(text(await receiveWithin(client))).toEqual(["reverse roles"]);
  });

  for (const [clientSide, serverSide] of SIDES) {
    it(`${who(clientSide)} CURVE client with the wrong server key is refused by ${serverSide === OURS ? "our" : "the libzmq"} server`, async () => {
      const serverKeys = keyPair(serverSide);
      const server = sock(serverSide, "Pair", asServer(serverKeys));
      const protocol = watch(server, "handshake:error:protocol");
      const client = sock(clientSide, "Pair", {
        ...asClient(keyPair(clientSide), keyPair(clientSide).publicKey),
        reconnectInterval: 50,
      });
      client.connect(await bindFresh(server, "tcp"));
      await sendWithin(client, "should not arrive");
      await expectNothingWithin(server, 500, "a client with the wrong server key got through");
      await within(protocol.first, 2000, "server handshake:error:protocol");
      if (serverSide === OURS) expect((await protocol.first).error?.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
    });
  }
});

describe("CURVE with ZAP (credential = the 32-byte client key)", () => {
  for (const [clientSide, serverSide] of SIDES) {
    it(`${who(serverSide)} CURVE server + ${who(serverSide)} ZAP handler: the listed ${who(clientSide)} client gets in, an unlisted one is refused with handshake:error:auth 400`, async () => {
      const context = newContext(serverSide);
      const listed = keyPair(clientSide);
      const listedRaw = z85Decode(listed.publicKey);
      const zap = await zapHandler(serverSide, context, (req) => {
        const key = Buffer.from(req[6] ?? "", "latin1");
        return key.equals(listedRaw) ? ["200", "OK", "listed-user"] : ["400", "Unknown key"];
      });
      const serverKeys = keyPair(serverSide);
      const router = sock(serverSide, "Router", { context, ...asServer(serverKeys), routingId: "srvid" });
      const endpoint = await bindFresh(router, "tcp");

      const good = sock(clientSide, "Dealer", asClient(listed, serverKeys.publicKey));
      good.connect(endpoint);
      await sendWithin(good, "listed");
      expect(text(await receiveWithin(router)).slice(1)).toEqual(["listed"]);
      // Pitfall 27: the request carries mechanism CURVE, the binary key, our routing id as identity.
      expect(zap.requests[0]!.slice(0, 6)).toEqual(["1.0", "1", "", "127.0.0.1", "srvid", "CURVE"]);
      expect(zap.raw[0]![6]!.length).toBe(32);

      const serverAuth = watch(router, "handshake:error:auth");
      const stranger = sock(clientSide, "Dealer", {
        ...asClient(keyPair(clientSide), serverKeys.publicKey),
        reconnectInterval: 50,
      });
      const clientAuth = watch(stranger, "handshake:error:auth");
      const connects = watch(stranger, "connect");
      stranger.connect(endpoint);
      await sendWithin(stranger, "stranger");
      expect((await within(serverAuth.first, 3000, "server auth event")).error?.status).toBe(400);
      expect((await within(clientAuth.first, 3000, "client auth event")).error?.status).toBe(400);
      await expectNothingWithin(router, 300, "an unlisted client got through");
      expect(connects.count(), "a refused client must not reconnect").toBe(1);
    });
  }

  it("our Authenticator admits libzmq CURVE clients by key and logs its decisions", async () => {
    const context = new OurContext();
    const listed = keyPair(THEIRS);
    const decisions: string[] = [];
    const auth = new Authenticator({
      context,
      curve: [listed.publicKey],
      onDecision: (d) => decisions.push(`${d.user}:${d.allowed}`),
    });
    await auth.start();
    try {
      const serverKeys = keyPair(OURS);
      const router = sock(OURS, "Router", { context, ...asServer(serverKeys) });
      const endpoint = await bindFresh(router, "tcp");
      const good = sock(THEIRS, "Dealer", asClient(listed, serverKeys.publicKey));
      good.connect(endpoint);
      await sendWithin(good, "hi");
      expect(text(await receiveWithin(router)).slice(1)).toEqual(["hi"]);
      const strangerKeys = keyPair(THEIRS);
      const stranger = sock(THEIRS, "Dealer", asClient(strangerKeys, serverKeys.publicKey));
      const refused = watch(stranger, "handshake:error:auth");
      stranger.connect(endpoint);
      expect((await within(refused.first, 3000, "libzmq client auth event")).error?.status).toBe(400);
      expect(decisions).toEqual([`${listed.publicKey}:true`, `${strangerKeys.publicKey}:false`]);
    } finally {
      auth.close();
    }
  });
});

describe("PLAIN with a ZAP handler on each side", () => {
  for (const [clientSide, serverSide] of SIDES) {
    it(`${who(clientSide)} PLAIN client -> ${who(serverSide)} PLAIN server + ${who(serverSide)} ZAP: right password gets in`, async () => {
      const context = newContext(serverSide);
      const zap = await zapHandler(serverSide, context, (req) =>
        req[6] === "admin" && req[7] === "secret" ? ["200", "OK", "admin"] : ["400", "No"],
      );
      const router = sock(serverSide, "Router", { context, plainServer: true, routingId: "srvid", zapDomain: "dom" });
      const dealer = sock(clientSide, "Dealer", { plainUsername: "admin", plainPassword: "secret" });
      dealer.connect(await bindFresh(router, "tcp"));
      await sendWithin(dealer, "plain hello");
      const got = await receiveWithin(router);
      expect(text(got).slice(1)).toEqual(["plain hello"]);
      await sendWithin(router, [got[0]!, "plain reply"]);
      expect(text(await receiveWithin(dealer))).toEqual(["plain reply"]);
      // Pitfall 27: the same request tuple whichever side serves.
      expect(zap.requests).toEqual([["1.0", "1", "dom", "127.0.0.1", "srvid", "PLAIN", "admin", "secret"]]);
    });

    it(`${who(clientSide)} PLAIN client with a wrong password is refused by ${who(serverSide)} server + ZAP 400 and does not reconnect`, async () => {
      const context = newContext(serverSide);
      await zapHandler(serverSide, context, () => ["400", "Wrong password"]);
      const router = sock(serverSide, "Router", { context, plainServer: true });
      const serverAuth = watch(router, "handshake:error:auth");
      const disconnects = watch(router, "disconnect");
      const dealer = sock(clientSide, "Dealer", {
        plainUsername: "admin",
        plainPassword: "guess",
        reconnectInterval: 50,
      });
      const connects = watch(dealer, "connect");
      const failed = clientSide === OURS ? watch(dealer, "handshake:error:auth") : null;
      dealer.connect(await bindFresh(router, "tcp"));
      expect((await within(serverAuth.first, 3000, "server auth event")).error?.status).toBe(400);
      if (failed !== null) {
        // Pitfall 21: libzmq's malformed "^RROR" is an auth failure for us, not a protocol error.
        expect((await within(failed.first, 3000, "our client auth event")).error?.status).toBe(400);
        // Pitfall 22: we close at once, the libzmq server does not wait for its handshake timer (30 s).
        await within(disconnects.first, 1000, "server sees the client close");
      }
      await sleep(300); // on purpose: six reconnect intervals in which no redial may happen
      expect(connects.count(), "a refused client must not reconnect").toBe(1);
      await expectNothingWithin(router, 100, "a refused client got through");
    });
  }

  it("our PLAIN client against a libzmq PLAIN server without ZAP handler: dropped without ERROR, keeps retrying (libzmq behaviour)", async () => {
    const context = newContext(THEIRS);
    const router = sock(THEIRS, "Router", { context, plainServer: true });
    const dealer = sock(OURS, "Dealer", { plainUsername: "u", plainPassword: "p", reconnectInterval: 30 });
    const auth = watch(dealer, "handshake:error:auth");
    const connects = watch(dealer, "connect");
    dealer.connect(await bindFresh(router, "tcp"));
    await until(() => connects.count() > 1, 3000, "a second connect");
    expect(auth.count()).toBe(0);
  });

  it("libzmq PLAIN client against our PLAIN server without ZAP handler: refused (handshake:error:other)", async () => {
    const router = sock(OURS, "Router", { context: new OurContext(), plainServer: true });
    const other = watch(router, "handshake:error:other");
    const dealer = sock(THEIRS, "Dealer", { plainUsername: "u", plainPassword: "p" });
    dealer.connect(await bindFresh(router, "tcp"));
    await within(other.first, 3000, "our server refuses");
    await expectNothingWithin(router, 200, "no ZAP handler, yet a client got through");
  });
});

describe("ZAP deny by IP", () => {
  it("libzmq ZAP handler denying 127.0.0.1 refuses our CURVE client", async () => {
    const context = newContext(THEIRS);
    await zapHandler(THEIRS, context, (req) => (req[3] === "127.0.0.1" ? ["400", "Address denied"] : ["200", "OK"]));
    const serverKeys = keyPair(THEIRS);
    const server = sock(THEIRS, "Pair", { context, ...asServer(serverKeys) });
    const client = sock(OURS, "Pair", asClient(keyPair(OURS), serverKeys.publicKey));
    const auth = watch(client, "handshake:error:auth");
    client.connect(await bindFresh(server, "tcp"));
    await sendWithin(client, "denied");
    await within(auth.first, 3000, "our client auth event");
    await expectNothingWithin(server, 200, "a denied address got through");
  });

  it("our Authenticator denying 127.0.0.1 refuses a libzmq PLAIN client", async () => {
    const context = new OurContext();
    const decisions: string[] = [];
    const auth = new Authenticator({
      context,
      deny: ["127.0.0.1"],
      passwords: { u: "p" },
      onDecision: (d) => decisions.push(d.reason),
    });
    await auth.start();
    try {
      const server = sock(OURS, "Pair", { context, plainServer: true });
      const serverAuth = watch(server, "handshake:error:auth");
      const client = sock(THEIRS, "Pair", { plainUsername: "u", plainPassword: "p" });
      client.connect(await bindFresh(server, "tcp"));
      await sendWithin(client, "denied");
      await within(serverAuth.first, 3000, "our server auth event");
      await expectNothingWithin(server, 200, "a denied address got through");
      expect(decisions).toEqual(["address is denied"]);
    } finally {
      auth.close();
    }
  });
});

describe("CURVE server under a flood of bogus HELLOs", () => {
  /** Opens a raw connection that sends a CURVE greeting and a 200-byte HELLO of random bytes. */
  async function bogusHello(port: number): Promise<NetSocket> {
    const s = netConnect(port, "127.0.0.1");
    s.on("error", () => undefined);
    s.on("data", () => undefined);
    await once(s, "connect");
    const hello = Buffer.concat([Buffer.from("\x05HELLO\x01\x00", "latin1"), randomBytes(192)]);
    s.write(Buffer.concat([encodeGreeting("CURVE", false), encodeFrame(hello, FLAG_COMMAND)]));
    return s;
  }

  for (const [clientSide, serverSide] of SIDES) {
    it(`${who(serverSide)} CURVE ROUTER keeps serving its ${who(clientSide)} client while 200 raw connections send garbage HELLOs`, async () => {
      const serverKeys = keyPair(serverSide);
      const router = sock(serverSide, "Router", asServer(serverKeys));
      const endpoint = await bindFresh(router, "tcp");
      const port = Number(endpoint.split(":").pop());
      const dealer = sock(clientSide, "Dealer", {
        routingId: "good",
        ...asClient(keyPair(clientSide), serverKeys.publicKey),
      });
      dealer.connect(endpoint);
      await sendWithin(dealer, "warm-up");
      expect(text(await receiveWithin(router))).toEqual(["good", "warm-up"]);

      let stop = false;
      const echo = (async () => {
        while (!stop) {
          let msg: Buffer[];
          try {
            msg = await router.receive();
          } catch {
            return;
          }
          await router.send(msg);
        }
      })();
      const flood = Promise.all(Array.from({ length: 200 }, () => bogusHello(port)));
      for (let i = 0; i < 50; i++) {
        await sendWithin(dealer, `ping ${i}`);
        expect(text(await receiveWithin(dealer, 5000))).toEqual([`ping ${i}`]);
      }
      const raws = await flood;
      // The server drops every bogus peer (a cryptographic error on HELLO).
      await within(
        Promise.all(raws.map((s) => (s.destroyed ? Promise.resolve() : once(s, "close")))),
        5000,
        "bogus peers dropped",
      );
      stop = true;
      router.close();
      await echo;
    });
  }
});
