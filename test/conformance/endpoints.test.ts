/**
 * bind / unbind / connect / disconnect: argument checks, invalid endpoints and protocols, the
 * order of operations (bind during bind, unbind during unbind), and every operation after close.
 */
import { ALL_TRANSPORTS, loose, scenarios, type Scenario } from "./harness.js";
import { calls } from "./kit.js";

const LONG_IPC = `ipc:///tmp/${"x".repeat(120)}`;

/** Addresses no transport accepts, or that name a transport zeromq.js's libzmq lacks. */
const BAD_ADDRESSES = [
  "",
  "127.0.0.1:5555",
  "tcp",
  "tcp://",
  "tcp://127.0.0.1",
  "tcp://127.0.0.1:",
  "tcp://127.0.0.1:abc",
  "tcp://127.0.0.1:65536",
  "tcp://127.0.0.1:-1",
  "tcp://:5555",
  "tcp://256.0.0.1:5555",
  "tcp://[::1",
  "TCP://127.0.0.1:5555",
  "udp://127.0.0.1:5555",
  "pgm://127.0.0.1;239.192.1.1:5555",
  "epgm://127.0.0.1;239.192.1.1:5555",
  "tipc://{5560,0,0}",
  "vmci://1:5555",
  "ws://127.0.0.1",
  "ws://127.0.0.1:abc/x",
  "ws://127.0.0.1:65536/x",
  "ws://:5555/x",
  "ws://[::1]:5555/x",
  "ws://localhost:5555/x",
  "wss://127.0.0.1:5555/x",
  "norm://127.0.0.1:5555",
  "foo://bar",
  "inproc://",
  "ipc://",
  LONG_IPC,
];

const argumentScenarios: Scenario[] = ["bind", "unbind", "connect", "disconnect"].map((method) => ({
  name: `${method} arguments`,
  steps: async (zmq, t) => {
    const call =
      (...args: unknown[]) =>
      () =>
        loose(new zmq.Dealer())[method]!(...args);
    calls(t, {
      "no argument": call(),
      undefined: call(undefined),
      null: call(null),
      "a number": call(42),
      "an object": call({}),
      "a Buffer": call(Buffer.from("tcp://127.0.0.1:*")),
      "an extra argument": call("inproc://extra-argument", {}),
      "two extra arguments": call("inproc://extra-arguments", {}, 1),
    });
  },
}));

scenarios("endpoints: arguments", [
  ...argumentScenarios,
  {
    name: "Router.connect options",
    steps: async (zmq, t) => {
      const call =
        (...args: unknown[]) =>
        () =>
          loose(new zmq.Router()).connect!(...args);
      calls(t, {
        "routingId string": call("inproc://router-connect-a", { routingId: "peer" }),
        "routingId number": call("inproc://router-connect-b", { routingId: 5 }),
        "routingId empty": call("inproc://router-connect-c", { routingId: "" }),
        "unknown option": call("inproc://router-connect-d", { unknown: 1 }),
        "options not an object": call("inproc://router-connect-e", 1),
      });
    },
  },
]);

scenarios(
  "endpoints: invalid addresses",
  ["bind", "unbind", "connect", "disconnect"].map((method) => ({
    name: method,
    steps: async (zmq, t) => {
      // Port -1 is 65535 to libzmq: that bind succeeds, and is compared on its own below.
      for (const address of BAD_ADDRESSES.filter((a) => method !== "bind" || !a.endsWith(":-1"))) {
        t.do(JSON.stringify(address.length > 40 ? `${address.slice(0, 30)}…` : address), () =>
          loose(new zmq.Dealer())[method]!(address),
        );
      }
    },
  })),
);

scenarios("endpoints: wildcards and names", [
  {
    name: "bind tcp://127.0.0.1:-1 (port 65535 to libzmq), closed before the other run",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer({ linger: 0 });
      await t.wait("bind", () => s.bind("tcp://127.0.0.1:-1"));
      t.note("lastEndpoint", s.lastEndpoint);
      s.close();
      await t.sleep(50);
    },
  },
  {
    name: "bind tcp://127.0.0.1:*",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      await t.wait("bind", () => s.bind("tcp://127.0.0.1:*"));
      t.note("lastEndpoint", s.lastEndpoint);
    },
  },
  {
    name: "bind tcp://*:*",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      await t.wait("bind", () => s.bind("tcp://*:*"));
      t.note("lastEndpoint", s.lastEndpoint);
    },
  },
  {
    name: "bind tcp://localhost:*",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      await t.wait("bind", () => s.bind("tcp://localhost:*"));
      t.note("lastEndpoint", s.lastEndpoint);
    },
  },
  {
    name: "bind tcp://127.0.0.1:0",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      await t.wait("bind", () => s.bind("tcp://127.0.0.1:0"));
      t.note("lastEndpoint", s.lastEndpoint);
    },
  },
  {
    name: "bind ipc://*",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      await t.wait("bind", () => s.bind("ipc://*"));
      t.note("lastEndpoint shape", s.lastEndpoint?.replace(/[A-Za-z0-9]{6,}/g, "<random>"));
    },
  },
  {
    name: "unbind a wildcard",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      await t.wait("bind", () => s.bind("tcp://127.0.0.1:*"));
      await t.wait("unbind", () => s.unbind("tcp://127.0.0.1:*"));
    },
  },
  {
    name: "unbind lastEndpoint",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      await t.wait("bind", () => s.bind("tcp://127.0.0.1:*"));
      await t.wait("unbind", () => s.unbind(s.lastEndpoint!));
      t.note("lastEndpoint", s.lastEndpoint);
    },
  },
  {
    name: "lastEndpoint after connect",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      s.connect(t.endpoint());
      t.note("lastEndpoint", s.lastEndpoint);
    },
  },
  {
    name: "connect to a host name",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      t.do("connect", () => s.connect("tcp://localhost:5555"));
      t.do("disconnect", () => s.disconnect("tcp://localhost:5555"));
    },
  },
  {
    name: "connect to an unresolvable host",
    steps: async (zmq, t) => {
      t.do("connect", () => new zmq.Dealer().connect("tcp://no-such-host.invalid:5555"));
    },
  },
  {
    name: "connect with a source address",
    steps: async (zmq, t) => {
      t.do("connect", () => new zmq.Dealer().connect("tcp://127.0.0.1:0;127.0.0.1:5555"));
    },
  },
]);

scenarios("endpoints: twice", [
  {
    name: "bind the same endpoint twice",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const ep = t.endpoint();
      await t.wait("bind", () => s.bind(ep));
      await t.wait("bind again", () => s.bind(ep));
    },
  },
  {
    name: "bind an endpoint another socket has bound",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const ep = t.endpoint();
      await t.wait("first", () => new zmq.Dealer().bind(ep));
      await t.wait("second", () => new zmq.Dealer().bind(ep));
    },
  },
  {
    name: "connect the same endpoint twice",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const ep = t.endpoint();
      t.do("connect", () => s.connect(ep));
      t.do("connect again", () => s.connect(ep));
      t.do("disconnect", () => s.disconnect(ep));
      t.do("disconnect again", () => s.disconnect(ep));
    },
  },
  {
    name: "unbind twice",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const ep = t.endpoint();
      await t.wait("bind", () => s.bind(ep));
      await t.wait("unbind", () => s.unbind(ep));
      await t.wait("unbind again", () => s.unbind(ep));
    },
  },
  {
    name: "unbind what was never bound",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      await t.wait("unbind", () => new zmq.Dealer().unbind(t.endpoint()));
    },
  },
  {
    name: "disconnect what was never connected",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      t.do("disconnect", () => new zmq.Dealer().disconnect(t.endpoint()));
    },
  },
  {
    name: "unbind a connected endpoint, disconnect a bound one",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const bound = t.endpoint();
      const connected = t.endpoint();
      await t.wait("bind", () => s.bind(bound));
      s.connect(connected);
      t.do("disconnect the bound", () => s.disconnect(bound));
      await t.wait("unbind the connected", () => s.unbind(connected));
    },
  },
  {
    name: "rebind after unbind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const ep = t.endpoint();
      await t.wait("bind", () => s.bind(ep));
      await t.wait("unbind", () => s.unbind(ep));
      await t.wait("bind again", () => s.bind(ep));
    },
  },
]);

scenarios("endpoints: while binding", [
  {
    name: "bind during bind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      t.do("bind", () => s.bind(t.endpoint()));
      t.do("bind again", () => s.bind(t.endpoint()));
    },
  },
  {
    name: "unbind during unbind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const a = t.endpoint();
      const b = t.endpoint();
      await t.wait("bind a", () => s.bind(a));
      await t.wait("bind b", () => s.bind(b));
      t.do("unbind a", () => s.unbind(a));
      t.do("unbind b", () => s.unbind(b));
    },
  },
  {
    name: "every other call during bind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      t.do("bind", () => s.bind(t.endpoint()));
      const other = t.endpoint();
      calls(t, {
        unbind: () => s.unbind(other),
        connect: () => s.connect(other),
        disconnect: () => s.disconnect(other),
        send: () => s.send("x"),
        receive: () => s.receive(),
        "get linger": () => s.linger,
        "set linger": () => (s.linger = 5),
        "get readable": () => s.readable,
        "get closed": () => s.closed,
      });
    },
  },
  {
    name: "close during bind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const ep = t.endpoint();
      t.do("bind", () => s.bind(ep));
      t.do("close", () => s.close());
      t.note("closed right after", s.closed);
      await t.until("closed", () => s.closed);
      await t.wait("bind the endpoint elsewhere", () => new zmq.Dealer().bind(ep));
    },
  },
  {
    name: "close during unbind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const ep = t.endpoint();
      await t.wait("bind", () => s.bind(ep));
      t.do("unbind", () => s.unbind(ep));
      t.do("close", () => s.close());
      t.note("closed right after", s.closed);
    },
  },
]);

scenarios("endpoints: after close", [
  {
    name: "every operation after close",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer();
      const ep = t.endpoint();
      await t.wait("bind", () => s.bind(ep));
      s.close();
      calls(t, {
        bind: () => s.bind(t.endpoint()),
        "bind a wrong type": () => loose(s).bind!(1),
        unbind: () => s.unbind(ep),
        connect: () => s.connect(ep),
        disconnect: () => s.disconnect(ep),
        send: () => s.send("x"),
        "send nothing": () => loose(s).send!(),
        receive: () => s.receive(),
        "close again": () => s.close(),
        closed: () => s.closed,
        readable: () => s.readable,
        writable: () => s.writable,
        lastEndpoint: () => s.lastEndpoint,
        type: () => s.type,
        "get linger": () => s.linger,
        "set linger": () => (s.linger = 0),
        "get routingId": () => s.routingId,
        "set routingId": () => (s.routingId = "x"),
        events: () => s.events,
        context: () => s.context === zmq.context,
      });
    },
  },
  {
    name: "close arguments",
    steps: async (zmq, t) =>
      calls(t, {
        "no argument": () => new zmq.Dealer().close(),
        "an argument": () => loose(new zmq.Dealer()).close!(1),
        returns: () => typeof new zmq.Dealer().close(),
      }),
  },
  {
    name: "Subscriber.subscribe after close",
    steps: async (zmq, t) => {
      const s = new zmq.Subscriber();
      s.close();
      calls(t, {
        subscribe: () => s.subscribe("a"),
        unsubscribe: () => s.unsubscribe("a"),
        "subscribe all": () => s.subscribe(),
      });
    },
  },
]);
