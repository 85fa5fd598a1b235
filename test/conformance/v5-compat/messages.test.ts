/**
 * Messages in the v5 API: `message` events with one argument per frame, what send() accepts
 * (strings, numbers, Buffers, arrays, ZMQ_SNDMORE parts), send callbacks and `error` events,
 * pause/resume in both directions, REQ/REP, ROUTER envelopes and ZMQ_ROUTER_MANDATORY, STREAM,
 * and proxy().
 */
import { ALL_TRANSPORTS } from "../harness.js";
import type { Snap } from "../observe.js";
import { callback, compatScenarios, Emitted, texts, type Compat, type CompatSocket } from "./kit.js";

/** A PULL bound at a fresh endpoint and a PUSH connected to it. */
async function pipeline(zmq: Compat, endpoint: string): Promise<[CompatSocket, CompatSocket]> {
  const pull = zmq.socket("pull");
  const push = zmq.socket("push");
  await new Promise<void>((resolve) => pull.bind(endpoint, () => resolve()));
  push.connect(endpoint);
  return [push, pull];
}

compatScenarios("messages", [
  {
    name: "frames as arguments: strings, numbers, Buffers, null, typed arrays",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const [push, pull] = await pipeline(zmq, t.endpoint());
      const emitted = new Emitted(pull, ["message", "error"]);
      push.send("text");
      push.send(15.99);
      push.send(Buffer.from("buffer"));
      push.send(["a", 2, Buffer.from("c"), null, new Uint8Array([1, 2])]);
      push.send([]);
      await t.until("messages", () => emitted.count("message") === 5);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "ZMQ_SNDMORE parts make one message; their callbacks are dropped",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const [push, pull] = await pipeline(zmq, t.endpoint());
      const emitted = new Emitted(pull, ["message"]);
      const calls: Snap[] = [];
      t.do("part 1", () => push.send(["tobi", "loki"], zmq.ZMQ_SNDMORE, callback(calls)) === push);
      t.do("part 2", () => push.send("jane", zmq.ZMQ_SNDMORE | 1, callback(calls)) === push);
      t.do("last part", () => push.send("manny", 0, callback(calls)) === push);
      t.do("flags as a string", () => push.send("x", "2" as unknown as number, callback(calls)));
      t.do("flags null", () => push.send("y", null, callback(calls)));
      await t.until("messages", () => emitted.count("message") === 2);
      await t.until("callbacks", () => calls.length === 2);
      t.note("messages", texts(emitted));
      t.note("callbacks", calls);
    },
  },
  {
    name: "send callbacks run in order, each after its send",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const [push, pull] = await pipeline(zmq, t.endpoint());
      const order: string[] = [];
      pull.on("message", (frame: Buffer) => order.push(`received ${frame}`));
      for (const text of ["1", "2", "3"]) push.send(text, 0, () => order.push(`sent ${text}`));
      t.note("at once", order.slice());
      await t.until("all", () => order.length === 6);
      t.note(
        "sent",
        order.filter((entry) => entry.startsWith("sent")),
      );
    },
  },
  {
    name: "a send that fails: the error to its callback, or an error event",
    steps: async (zmq, t) => {
      const router = zmq.socket("router");
      const emitted = new Emitted(router, ["error"]);
      router.setsockopt(zmq.ZMQ_ROUTER_MANDATORY, 1);
      router.setsockopt(zmq.ZMQ_SNDTIMEO, 10);
      const calls: Snap[] = [];
      router.send(["nobody", "hello"], 0, callback(calls));
      router.send(["nobody", "hello"]);
      await t.until("callback", () => calls.length === 1);
      await t.until("error", () => emitted.count("error") === 1);
      t.note("callback", calls);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "without ZMQ_ROUTER_MANDATORY an unroutable message is dropped",
    steps: async (zmq, t) => {
      const router = zmq.socket("router");
      const calls: Snap[] = [];
      router.send(["nobody", "hello"], 0, callback(calls));
      await t.until("callback", () => calls.length === 1);
      t.note("callback", calls);
    },
  },
  {
    name: "a callback that throws is called again with what it threw",
    steps: async (zmq, t) => {
      const router = zmq.socket("router");
      const calls: Snap[] = [];
      let first = true;
      router.send(["nobody", "hello"], 0, (err?: Error) => {
        calls.push(err === undefined ? "no error" : err.message);
        if (first) {
          first = false;
          throw new Error("from the callback");
        }
      });
      await t.until("second call", () => calls.length === 2);
      t.note("calls", calls);
    },
  },
]);

compatScenarios("flow", [
  {
    name: "pause holds messages, resume delivers them in order",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const [push, pull] = await pipeline(zmq, t.endpoint());
      const emitted = new Emitted(pull, ["message"]);
      push.send("before");
      await t.until("first", () => emitted.count("message") === 1);
      t.do("pause", () => pull.pause());
      for (const text of ["a", "b", "c"]) push.send(text);
      await t.sleep(50);
      t.note("while paused", texts(emitted));
      t.do("resume", () => pull.resume());
      await t.until("all", () => emitted.count("message") === 4);
      t.note("after resume", texts(emitted));
    },
  },
  {
    name: "pause holds sends, resume sends them",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const [push, pull] = await pipeline(zmq, t.endpoint());
      const emitted = new Emitted(pull, ["message"]);
      const calls: Snap[] = [];
      push.pause();
      push.send("held", 0, callback(calls));
      await t.sleep(50);
      t.note("while paused", { received: texts(emitted), callbacks: calls.slice() });
      push.resume();
      await t.until("received", () => emitted.count("message") === 1);
      t.note("after resume", { received: texts(emitted), callbacks: calls });
    },
  },
  {
    name: "req-rep, and a burst of requests",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const rep = zmq.socket("rep");
      const req = zmq.socket("req");
      const ep = t.endpoint();
      rep.on("message", (frame: Buffer) => rep.send(`${frame} world`));
      const replies = new Emitted(req, ["message", "error"]);
      await new Promise<void>((resolve) => rep.bind(ep, () => resolve()));
      req.connect(ep);
      for (let i = 0; i < 5; i++) req.send(`hello ${i}`);
      await t.until("replies", () => replies.count("message") === 5);
      t.note("replies", texts(replies));
    },
  },
  {
    name: "router-dealer: the envelope as the first argument",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const router = zmq.socket("router");
      const dealer = zmq.createSocket("dealer", { identity: "dealer-1" });
      const ep = t.endpoint();
      const atRouter = new Emitted(router, ["message"]);
      const atDealer = new Emitted(dealer, ["message"]);
      router.on("message", (...frames: Buffer[]) => router.send(frames));
      await new Promise<void>((resolve) => router.bind(ep, () => resolve()));
      dealer.connect(ep);
      for (let i = 0; i < 3; i++) dealer.send(["Hello", `part ${i}`]);
      await t.until("echoes", () => atDealer.count("message") === 3);
      t.note("at router", texts(atRouter));
      t.note("at dealer", texts(atDealer));
    },
  },
  {
    name: "pub-sub with subscriptions set as options and by method",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const pub = zmq.socket("pub");
      const sub = zmq.socket("sub");
      const ep = t.endpoint();
      const emitted = new Emitted(sub, ["message"]);
      sub.subscribe("js");
      sub.setsockopt(zmq.ZMQ_SUBSCRIBE, "luna");
      await new Promise<void>((resolve) => sub.bind(ep, () => resolve()));
      pub.connect(ep);
      await t.until("subscribed", () => {
        pub.send("js probe");
        return emitted.count("message") > 0;
      });
      for (const text of ["js is cool", "ruby is meh", "luna is cool too"]) pub.send(text);
      await t.until("received", () => texts(emitted).some((m) => m[0] === '{"$":"Buffer","bytes":"luna is cool too"}'));
      t.note("received", [...new Set(texts(emitted).map((m) => m.join(" ")))]);
    },
  },
  {
    name: "stream: raw TCP bytes with the connection id first",
    steps: async (zmq, t) => {
      const stream = zmq.socket("stream");
      const seen: Array<[number, string]> = [];
      stream.on("message", (id: Buffer, data: Buffer) => {
        seen.push([id.length, data.toString()]);
        if (data.length > 0) stream.send([id, "200 OK"]);
      });
      await new Promise<void>((resolve) => stream.bind("tcp://127.0.0.1:*", () => resolve()));
      const { createConnection } = await import("node:net");
      const client = createConnection(Number(String(stream.last_endpoint).split(":").pop()), "127.0.0.1");
      let answer = "";
      client.on("data", (data) => (answer += data));
      client.write("GET /");
      await t.until("answer", () => answer === "200 OK");
      t.note("seen", seen);
      client.destroy();
    },
  },
]);

compatScenarios("internals", [
  {
    // The binding drives sending with a listener of its own event: removeAllListeners() stops it.
    name: "removeAllListeners, then send",
    transports: ["inproc"],
    steps: async (zmq, t) => {
      const ep = t.endpoint();
      const pull = zmq.socket("pull");
      const push = zmq.socket("push");
      const emitted = new Emitted(pull, ["message"]);
      pull.bindSync(ep);
      push.connect(ep);
      t.do("removeAllListeners", () => push.removeAllListeners() === push);
      push.send("after");
      await t.until("message", () => emitted.count("message") === 1);
    },
  },
  {
    name: "the binding's underscored fields",
    run: (zmq) => {
      const s = zmq.socket("dealer") as unknown as Record<string, unknown>;
      return ["_socket", "_sendQueue", "_recvQueue", "_msg", "_paused", "_recv", "_send"].map((k) => typeof s[k]);
    },
  },
]);

compatScenarios("proxy", [
  {
    name: "pairings it refuses",
    steps: async (zmq, t) => {
      for (const [a, b] of [
        ["xsub", "xpub"],
        ["dealer", "router"],
        ["pub", "sub"],
      ] as const) {
        t.do(`${a}/${b}`, () => zmq.proxy(zmq.socket(a), zmq.socket(b)));
      }
    },
  },
  {
    // tcp only: over inproc the binding's PULL that connected after it began reading may not see
    // the message (see endpoints.test.ts).
    name: "push-pull through a pull/push proxy, with capture",
    transports: ["tcp"],
    steps: async (zmq, t) => {
      const frontend = zmq.socket("pull");
      const backend = zmq.socket("push");
      const capture = zmq.socket("push");
      const captured = zmq.socket("pull");
      const [front, back, cap] = [t.endpoint(), t.endpoint(), t.endpoint()];
      for (const [socket, ep] of [
        [frontend, front],
        [backend, back],
        [captured, cap],
      ] as const) {
        await new Promise<void>((resolve) => socket.bind(ep, () => resolve()));
      }
      capture.connect(cap);
      const push = zmq.socket("push");
      const pull = zmq.socket("pull");
      const atPull = new Emitted(pull, ["message"]);
      const atCapture = new Emitted(captured, ["message"]);
      push.connect(front);
      pull.connect(back);
      t.do("proxy", () => zmq.proxy(frontend, backend, capture));
      push.send(["foo", "bar"]);
      await t.until("forwarded", () => atPull.count("message") === 1);
      await t.sleep(30);
      t.note("at pull", texts(atPull));
      t.note("captured", texts(atCapture));
    },
  },
  {
    name: "req-rep through a router/dealer proxy, capture without the envelope",
    transports: ["tcp"],
    steps: async (zmq, t) => {
      const frontend = zmq.socket("router");
      const backend = zmq.socket("dealer");
      const capture = zmq.socket("push");
      const captured = zmq.socket("pull");
      const [front, back, cap] = [t.endpoint(), t.endpoint(), t.endpoint()];
      for (const [socket, ep] of [
        [frontend, front],
        [backend, back],
        [captured, cap],
      ] as const) {
        await new Promise<void>((resolve) => socket.bind(ep, () => resolve()));
      }
      capture.connect(cap);
      const req = zmq.socket("req");
      const rep = zmq.socket("rep");
      rep.on("message", (frame: Buffer) => rep.send(`${frame} bar`));
      const replies = new Emitted(req, ["message"]);
      const atCapture = new Emitted(captured, ["message"]);
      req.connect(front);
      rep.connect(back);
      zmq.proxy(frontend, backend, capture);
      req.send("foo");
      await t.until("reply", () => replies.count("message") === 1);
      await t.until("captured", () => atCapture.count("message") === 1);
      t.note("reply", texts(replies));
      t.note("captured", texts(atCapture));
    },
  },
]);
