/**
 * What the page runs (bundled by chromium.test.ts; "zmtp" is the built dist/browser/zmtp.js,
 * through the page's import map). Each case returns what it saw, for the test to compare.
 */
import * as zmq from "zmtp";

type Frames = string[];
const RECEIVE_MS = 3000;
const text = (msg: Buffer[]): Frames => msg.map((frame) => frame.toString());

let names = 0;
/** A fresh inproc name per case: every case runs in the page's one default context. */
const fresh = (): string => `inproc://page-${++names}`;

/** A socket closed at once, whose receives (for types that receive) fail instead of hanging. */
function opened<S extends zmq.Socket>(cls: new (o?: object) => S, options: object = {}): S {
  const receives = "receiveTimeout" in cls.prototype;
  return new cls({ ...(receives ? { receiveTimeout: RECEIVE_MS } : {}), linger: 0, ...options });
}

function closeAll(...sockets: zmq.Socket[]): void {
  for (const socket of sockets) socket.close();
}

/** Publishes until the subscriber has a message (subscriptions reach the publisher asynchronously). */
async function publishUntilReceived(publish: () => Promise<void>, receive: () => Promise<Buffer[]>): Promise<Frames> {
  const received = receive();
  let done = false;
  void received.finally(() => (done = true));
  for (let i = 0; i < 200 && !done; i++) {
    await publish();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return text(await received);
}

/** Sockets over inproc, every pairing RFC 28-31 allows; each returns the frames seen, in order. */
export const inproc: Record<string, () => Promise<Frames>> = {
  async "PAIR-PAIR"() {
    const [a, b, at] = [opened(zmq.Pair), opened(zmq.Pair), fresh()];
    await a.bind(at);
    b.connect(at);
    await b.send("ping");
    const seen = text(await a.receive());
    await a.send("pong");
    seen.push(...text(await b.receive()));
    closeAll(a, b);
    return seen;
  },

  async "REQ-REP"() {
    const [rep, req, at] = [opened(zmq.Reply), opened(zmq.Request), fresh()];
    await rep.bind(at);
    req.connect(at);
    await req.send("question");
    const seen = text(await rep.receive());
    await rep.send("answer");
    seen.push(...text(await req.receive()));
    closeAll(rep, req);
    return seen;
  },

  async "REQ-ROUTER"() {
    const [router, req, at] = [opened(zmq.Router), opened(zmq.Request, { routingId: "req" }), fresh()];
    await router.bind(at);
    req.connect(at);
    await req.send("question");
    const request = await router.receive();
    await router.send([request[0]!, "", "answer"]);
    const seen = [...text(request), ...text(await req.receive())];
    closeAll(router, req);
    return seen;
  },

  async "DEALER-REP"() {
    const [rep, dealer, at] = [opened(zmq.Reply), opened(zmq.Dealer), fresh()];
    await rep.bind(at);
    dealer.connect(at);
    await dealer.send(["", "question"]);
    const seen = text(await rep.receive());
    await rep.send("answer");
    seen.push(...text(await dealer.receive()));
    closeAll(rep, dealer);
    return seen;
  },

  async "DEALER-ROUTER"() {
    const [router, dealer, at] = [opened(zmq.Router), opened(zmq.Dealer, { routingId: "d1" }), fresh()];
    await router.bind(at);
    dealer.connect(at);
    await dealer.send("hi");
    const request = await router.receive();
    await router.send([request[0]!, "back"]);
    const seen = [...text(request), ...text(await dealer.receive())];
    closeAll(router, dealer);
    return seen;
  },

  async "DEALER-DEALER"() {
    const [a, b, at] = [opened(zmq.Dealer), opened(zmq.Dealer), fresh()];
    await a.bind(at);
    b.connect(at);
    await b.send("one");
    const seen = text(await a.receive());
    await a.send("two");
    seen.push(...text(await b.receive()));
    closeAll(a, b);
    return seen;
  },

  async "ROUTER-ROUTER"() {
    const [server, client, at] = [
      opened(zmq.Router, { routingId: "server" }),
      opened(zmq.Router, { routingId: "client", mandatory: true }),
      fresh(),
    ];
    await server.bind(at);
    client.connect(at, { routingId: "server" });
    await client.send(["server", "hello"]);
    const request = await server.receive();
    await server.send([request[0]!, "welcome"]);
    const seen = [...text(request), ...text(await client.receive())];
    closeAll(server, client);
    return seen;
  },

  async "PUSH-PULL"() {
    // 1,000 sends and receives that complete at once: every 512th waits for a turn of the page's
    // event loop (zeromq.js's fairness), through the page's MessageChannel.
    const [pull, push, at] = [opened(zmq.Pull), opened(zmq.Push), fresh()];
    await pull.bind(at);
    push.connect(at);
    for (let i = 0; i < 1000; i++) await push.send(`m${i}`);
    const got: string[] = [];
    for (let i = 0; i < 1000; i++) got.push(text(await pull.receive())[0]!);
    closeAll(pull, push);
    const inOrder = got.every((m, i) => m === `m${i}`);
    return [got[0]!, got[999]!, `${got.length} in order: ${inOrder}`];
  },

  async "PUB-SUB"() {
    const [pub, sub, at] = [opened(zmq.Publisher), opened(zmq.Subscriber), fresh()];
    await pub.bind(at);
    sub.connect(at);
    sub.subscribe("a");
    const seen = await publishUntilReceived(
      async () => {
        await pub.send("b: not subscribed");
        await pub.send("a: subscribed");
      },
      () => sub.receive(),
    );
    closeAll(pub, sub);
    return seen;
  },

  async "PUB-XSUB"() {
    const [pub, xsub, at] = [opened(zmq.Publisher), opened(zmq.XSubscriber), fresh()];
    await pub.bind(at);
    xsub.connect(at);
    await xsub.send("\x01a");
    const seen = await publishUntilReceived(
      async () => {
        await pub.send("b: not subscribed");
        await pub.send("a: subscribed");
      },
      () => xsub.receive(),
    );
    closeAll(pub, xsub);
    return seen;
  },

  async "XPUB-SUB"() {
    const [xpub, sub, at] = [opened(zmq.XPublisher), opened(zmq.Subscriber), fresh()];
    await xpub.bind(at);
    sub.connect(at);
    sub.subscribe("a");
    const subscription = text(await xpub.receive()).map((s) => JSON.stringify(s));
    await xpub.send("a: subscribed");
    const seen = [...subscription, ...text(await sub.receive())];
    closeAll(xpub, sub);
    return seen;
  },

  async "XPUB-XSUB"() {
    const [xpub, xsub, at] = [opened(zmq.XPublisher), opened(zmq.XSubscriber), fresh()];
    await xpub.bind(at);
    xsub.connect(at);
    await xsub.send("\x01a");
    const subscription = text(await xpub.receive()).map((s) => JSON.stringify(s));
    await xpub.send("a: subscribed");
    const seen = [...subscription, ...text(await xsub.receive())];
    closeAll(xpub, xsub);
    return seen;
  },

  async "PUB-Proxy-SUB"() {
    const [front, back, inAt, outAt] = [opened(zmq.XSubscriber), opened(zmq.XPublisher), fresh(), fresh()];
    await front.bind(inAt);
    await back.bind(outAt);
    const proxy = new zmq.Proxy(front, back);
    const running = proxy.run();
    const [pub, sub] = [opened(zmq.Publisher), opened(zmq.Subscriber)];
    pub.connect(inAt);
    sub.connect(outAt);
    sub.subscribe("");
    const seen = await publishUntilReceived(
      () => pub.send("through the proxy"),
      () => sub.receive(),
    );
    proxy.terminate();
    await running;
    closeAll(pub, sub, front, back);
    return seen;
  },
};

/** What a page cannot do, and says so as libzmq would. */
export async function refusals(): Promise<Frames> {
  const dealer = opened(zmq.Dealer);
  const seen: string[] = [];
  const record = (err: unknown): void => {
    const e = err as { code: string; errno: number; message: string };
    seen.push(`${e.code} ${e.errno} ${e.message}`);
  };
  await dealer.bind("tcp://127.0.0.1:*").catch(record);
  try {
    dealer.connect("ipc:///tmp/page.sock");
  } catch (err) {
    record(err);
  }
  seen.push(JSON.stringify(zmq.capability));
  dealer.close();
  return seen;
}

/** ws:// from the page: DEALER to a ROUTER that answers "echo: <message>". */
export async function wsDealer(endpoint: string): Promise<Frames> {
  const dealer = opened(zmq.Dealer);
  dealer.connect(endpoint);
  const seen: string[] = [];
  for (const word of ["one", "two"]) {
    await dealer.send(word);
    seen.push(...text(await dealer.receive()));
  }
  dealer.close();
  return seen;
}

/** ws:// from the page with CURVE: refused at connect (a browser cannot offer ZWS2.0/CURVE). */
export async function wsCurveDealer(endpoint: string, curveServerKey: string): Promise<Frames> {
  const { publicKey, secretKey } = zmq.curveKeyPair();
  const dealer = opened(zmq.Dealer, { curveServerKey, curvePublicKey: publicKey, curveSecretKey: secretKey });
  const seen: string[] = [];
  try {
    dealer.connect(endpoint);
  } catch (err) {
    seen.push(`${(err as { code: string }).code} ${(err as Error).message}`);
  }
  dealer.close();
  return seen;
}

/** ws:// from the page: a SUB receiving from a PUB that publishes "news <n>" until stopped. */
export async function wsSubscriber(endpoint: string): Promise<Frames> {
  const sub = opened(zmq.Subscriber, { receiveTimeout: 10_000 });
  sub.connect(endpoint);
  sub.subscribe("news");
  const [first] = text(await sub.receive());
  sub.close();
  return [first!.replace(/\d+$/, "<n>")];
}

/** ws:// bind from a page: refused (a page cannot listen). */
export async function wsBind(): Promise<Frames> {
  const router = opened(zmq.Router);
  const seen: string[] = [];
  await router.bind("ws://127.0.0.1:*").catch((e: { code: string; message: string }) => {
    seen.push(`${e.code} ${e.message}`);
  });
  router.close();
  return seen;
}
