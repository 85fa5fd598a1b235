/**
 * Socket events (`socket.events`) as zeromq.js reports libzmq's monitor: the sequence for bind,
 * connect (live and dead endpoints), accept, handshake, disconnect, close and unbind, with each
 * event's address; connect:retry intervals; and the Observer's own methods.
 */
import { ALL_TRANSPORTS, scenarios } from "./harness.js";
import { calls } from "./kit.js";

scenarios("events: sequences", [
  {
    name: "bind, then close",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const log = t.events(s);
      await t.wait("bind", () => s.bind(t.endpoint()));
      s.close();
      await log.until("end");
    },
  },
  {
    name: "bind, then unbind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const log = t.events(s);
      const ep = t.endpoint();
      await t.wait("bind", () => s.bind(ep));
      await t.wait("unbind", () => s.unbind(ep));
      await t.sleep(30);
      t.note("before close", log.types());
    },
  },
  {
    name: "bind to a wildcard",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const log = t.events(s);
      await t.wait("bind", () => s.bind("tcp://127.0.0.1:*"));
      await log.until("bind");
    },
  },
  {
    name: "bind fails",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const ep = t.endpoint();
      await t.wait("first bind", () => new zmq.Dealer().bind(ep));
      const s = new zmq.Dealer();
      const log = t.events(s);
      await t.wait("bind", () => s.bind(ep));
      await t.sleep(30);
      t.note("events so far", log.list.length);
    },
  },
  {
    name: "connect and accept",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const server = new zmq.Dealer();
      const client = new zmq.Dealer();
      const serverLog = t.events(server, "server events");
      const clientLog = t.events(client, "client events");
      const ep = t.endpoint();
      await t.wait("bind", () => server.bind(ep));
      client.connect(ep);
      await t.wait("send", () => client.send("hello"));
      await t.wait("receive", () => server.receive());
      if (t.transport !== "inproc") {
        await serverLog.until("handshake");
        await clientLog.until("handshake");
      }
      // What follows a close() is not compared here: zeromq.js's "disconnect"/"end" can take
      // seconds to come when the machine is busy.
    },
  },
  {
    name: "disconnect",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const server = new zmq.Dealer();
      const client = new zmq.Dealer();
      const clientLog = t.events(client, "client events");
      const ep = t.endpoint();
      await t.wait("bind", () => server.bind(ep));
      client.connect(ep);
      await t.wait("send", () => client.send("hello"));
      await t.wait("receive", () => server.receive());
      if (t.transport !== "inproc") await clientLog.until("handshake");
      t.do("disconnect", () => client.disconnect(ep));
      await t.sleep(50);
    },
  },
  {
    name: "connect to a dead endpoint",
    transports: ["tcp", "ipc"],
    steps: async (zmq, t) => {
      const client = new zmq.Dealer({ reconnectInterval: 20 });
      const log = t.events(client, "events", 20);
      client.connect(t.endpoint());
      await log.until("connect:retry", 2);
      log.keepThrough("connect:retry", 2);
    },
  },
  {
    name: "connect:retry intervals with backoff",
    transports: ["tcp"],
    steps: async (zmq, t) => {
      const client = new zmq.Dealer({ reconnectInterval: 10, reconnectMaxInterval: 80 });
      const log = t.events(client, "events", 10);
      client.connect(t.endpoint());
      await log.until("connect:retry", 5);
      log.keepThrough("connect:retry", 5);
      t.note(
        "intervals",
        log.list
          .filter((e) => (e as Record<string, unknown>).type === "connect:retry")
          .slice(0, 5)
          .map((e) => (e as Record<string, unknown>).interval),
      );
    },
  },
  {
    name: "connect to an inproc name bound later",
    steps: async (zmq, t) => {
      const client = new zmq.Dealer();
      const server = new zmq.Dealer();
      const log = t.events(client, "client events");
      const ep = t.endpoint("inproc");
      client.connect(ep);
      await t.wait("bind", () => server.bind(ep));
      await t.wait("send", () => client.send("x"));
      await t.wait("receive", () => server.receive());
      t.note("client events so far", log.types());
    },
  },
]);

scenarios(
  "events: after the peer closes",
  [
    {
      name: "the peer closes",
      transports: ALL_TRANSPORTS,
      steps: async (zmq, t) => {
        const server = new zmq.Dealer();
        const client = new zmq.Dealer({ reconnectInterval: 60_000 });
        const clientLog = t.events(client, "client events", 60_000);
        const ep = t.endpoint();
        await t.wait("bind", () => server.bind(ep));
        client.connect(ep);
        await t.wait("send", () => client.send("hello"));
        await t.wait("receive", () => server.receive());
        if (t.transport !== "inproc") await clientLog.until("handshake");
        server.close();
        // zeromq.js's disconnect can take seconds when the file's other scenarios run beside it.
        if (t.transport !== "inproc") await clientLog.until("disconnect", 1, 8_000);
        else await t.sleep(30);
      },
    },
  ],
  { sequential: true },
);

scenarios("events: Observer", [
  {
    name: "receive",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const events = s.events;
      t.do("bind", () => s.bind("tcp://127.0.0.1:*"));
      await t.wait("receive", () => events.receive());
      t.do("receive with an argument", () => (events.receive as (x: unknown) => unknown)(1));
    },
  },
  {
    name: "on and off",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const seen: string[] = [];
      const listener = (e: { type: string }) => seen.push(e.type);
      t.do("on returns", () => s.events.on("bind", listener) === s.events);
      t.do("receive in event emitter mode", () => s.events.receive());
      await t.wait("bind", () => s.bind("tcp://127.0.0.1:*"));
      await t.until("bind seen", () => seen.length > 0);
      t.do("off returns", () => s.events.off("bind", listener) === s.events);
      await t.wait("bind again", () => s.bind("tcp://127.0.0.1:*"));
      await t.sleep(30);
      t.note("seen", seen);
    },
  },
  {
    name: "on with a bad listener",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      calls(t, {
        "on(type)": () => (s.events.on as (...a: unknown[]) => unknown)("bind"),
        "on(1, fn)": () => (s.events.on as (...a: unknown[]) => unknown)(1, () => undefined),
        "on unknown type": () => (s.events.on as (...a: unknown[]) => unknown)("nonsense", () => undefined),
      });
    },
  },
  {
    name: "close",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const events = s.events;
      t.do("pending receive", () => events.receive());
      t.do("close", () => events.close());
      t.note("closed", events.closed);
      t.do("receive after close", () => events.receive());
      t.do("close again", () => events.close());
      t.do("close with an argument", () => (events.close as (x: unknown) => unknown)(1));
      t.note("socket closed", s.closed);
      t.do("socket.events after observer close", () => s.events === events);
    },
  },
  // Not a scenario: iterating socket.events while the socket closes. zeromq.js's outcome varies
  // from run to run (the loop ends after "close"/"end", rejects ENOTSOCK, or sees no event at all).
  {
    name: "async iteration ends when the observer closes",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      let ended = false;
      void (async () => {
        for await (const _event of s.events) void _event;
        ended = true;
      })().catch((err: unknown) => t.note("iteration threw", err));
      await t.sleep(10);
      s.events.close();
      await t.until("iteration ended", () => ended);
    },
  },
  {
    name: "a second Observer on one socket",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const first = s.events;
      const second = new zmq.Observer(s);
      t.do("bind", () => s.bind("tcp://127.0.0.1:*"));
      t.do("first receive", () => first.receive());
      t.do("second receive", () => second.receive());
      await t.sleep(30);
    },
  },
]);
