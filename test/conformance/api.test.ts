/**
 * The module surface and every constructor, with good and bad arguments (zeromq.js validates in
 * src/util/arguments.h: TypeErrors for types and counts; libzmq's EINVAL for values).
 */
import { loose, scenarios } from "./harness.js";
import { calls, classOf, make, SOCKET_TYPES } from "./kit.js";

/** One scenario per constructor case, each over every socket type. */
const socketConstructorCases: Array<[string, (zmq: Parameters<typeof make>[0]) => unknown[]]> = [
  ["no arguments", () => []],
  ["an empty options object", () => [{}]],
  ["undefined options", () => [undefined]],
  ["null options", () => [null]],
  ["a number as options", () => [1]],
  ["a string as options", () => ["linger"]],
  ["an array as options", () => [[]]],
  ["two arguments", () => [{}, {}]],
  ["an unknown option", () => [{ unknownOption: 1 }]],
  ["a read-only option (type)", () => [{ type: 1 }]],
  ["a read-only option (lastEndpoint)", () => [{ lastEndpoint: "tcp://127.0.0.1:1" }]],
  ["an option of the wrong type", () => [{ linger: "10" }]],
  ["an option out of range", () => [{ linger: -2 }]],
  ["a valid option", () => [{ linger: 10, sendHighWaterMark: 5 }]],
  ["a context that is not a Context", () => [{ context: 1 }]],
  ["a plain object as context", () => [{ context: {} }]],
  ["a new Context", (zmq) => [{ context: new zmq.Context() }]],
  ["the default context", (zmq) => [{ context: zmq.context }]],
];

scenarios(
  "constructors: sockets",
  socketConstructorCases.map(([name, args]) => ({
    name,
    steps: async (zmq, t) => {
      for (const type of SOCKET_TYPES) {
        const socket = t.do(type, () => make(zmq, type, ...args(zmq)));
        if (socket !== undefined) t.note(`${type} linger`, socket.linger);
      }
    },
  })),
);

scenarios("constructors: socket classes", [
  {
    name: "called without new",
    steps: async (zmq, t) =>
      calls(
        t,
        Object.fromEntries(
          SOCKET_TYPES.map((type) => [type, () => (classOf(zmq, type) as unknown as () => unknown)()]),
        ),
      ),
  },
  {
    name: "class names and prototype chain",
    steps: async (zmq, t) => {
      for (const type of SOCKET_TYPES) {
        const cls = classOf(zmq, type);
        t.note(type, { name: cls.name, length: cls.length, socket: cls.prototype instanceof zmq.Socket });
      }
    },
  },
  {
    name: "instances are sealed",
    steps: async (zmq, t) => {
      for (const type of SOCKET_TYPES) {
        const socket = make(zmq, type);
        t.note(`${type} sealed`, Object.isSealed(socket));
        t.note(`${type} own keys`, Object.keys(socket));
        t.do(`${type} add a property`, () => ((socket as Record<string, unknown>).somethingNew = 1));
      }
    },
  },
  {
    name: "methods each type has",
    steps: async (zmq, t) => {
      const methods = [
        "bind",
        "unbind",
        "connect",
        "disconnect",
        "close",
        "send",
        "receive",
        "subscribe",
        "unsubscribe",
        "join",
        "leave",
      ];
      for (const type of SOCKET_TYPES) {
        const socket = make(zmq, type);
        const has = methods.filter((m) => typeof socket[m] === "function");
        t.note(type, { methods: has, asyncIterator: typeof socket[Symbol.asyncIterator as never] === "function" });
      }
    },
  },
  {
    name: "read-only state of a new socket",
    steps: async (zmq, t) => {
      for (const type of SOCKET_TYPES) {
        const socket = make(zmq, type);
        t.note(type, {
          type: socket.type,
          closed: socket.closed,
          readable: socket.readable,
          writable: socket.writable,
          lastEndpoint: socket.lastEndpoint,
          threadSafe: socket.threadSafe,
          securityMechanism: socket.securityMechanism,
          context: socket.context === zmq.context,
        });
      }
    },
  },
  {
    name: "new Socket(type) of the base class",
    steps: async (zmq, t) =>
      calls(t, {
        "no arguments": () => new (zmq.Socket as unknown as new (...a: unknown[]) => unknown)(),
        "type 5 (DEALER)": () => new (zmq.Socket as unknown as new (...a: unknown[]) => unknown)(5),
        "type 99": () => new (zmq.Socket as unknown as new (...a: unknown[]) => unknown)(99),
        "a string type": () => new (zmq.Socket as unknown as new (...a: unknown[]) => unknown)("DEALER"),
        "type and a number": () => new (zmq.Socket as unknown as new (...a: unknown[]) => unknown)(5, 1),
        "three arguments": () => new (zmq.Socket as unknown as new (...a: unknown[]) => unknown)(5, {}, 1),
      }),
  },
]);

scenarios("constructors: Context", [
  {
    name: "arguments",
    steps: async (zmq, t) => {
      const Context = zmq.Context as unknown as new (...a: unknown[]) => unknown;
      calls(t, {
        "no arguments": () => new Context(),
        "empty options": () => new Context({}),
        undefined: () => new Context(undefined),
        null: () => new Context(null),
        "a number": () => new Context(1),
        "two arguments": () => new Context({}, {}),
        "an unknown option": () => new Context({ unknownOption: 1 }),
        "a read-only option": () => new Context({ maxSocketsLimit: 1 }),
        "a write-only option": () => new Context({ threadPriority: 1 }),
        "an option of the wrong type": () => new Context({ ioThreads: "2" }),
        "an option out of range": () => new Context({ ioThreads: -1 }),
        "a valid option": () => (new Context({ ioThreads: 2 }) as { ioThreads: number }).ioThreads,
        "without new": () => (zmq.Context as unknown as () => unknown)(),
      });
    },
  },
  {
    name: "the default context",
    steps: async (zmq, t) => {
      t.note("is a Context", zmq.context instanceof zmq.Context);
      t.note("sealed", Object.isSealed(zmq.context));
      t.note("own keys", Object.keys(zmq.context));
    },
  },
]);

scenarios("constructors: Observer", [
  {
    name: "arguments",
    steps: async (zmq, t) => {
      // Not observed: a Context (or another wrapped object) as the socket. zeromq.js unwraps it as
      // a Socket and libzmq reads a foreign pointer: it may crash the process.
      const Observer = zmq.Observer as unknown as new (...a: unknown[]) => { close(): void };
      const closed = new zmq.Dealer();
      closed.close();
      calls(t, {
        "no arguments": () => new Observer(),
        "a number": () => new Observer(1),
        "a plain object": () => new Observer({}),
        "a socket": () => new Observer(new zmq.Dealer()),
        "a closed socket": () => new Observer(closed),
        "a socket and more": () => new Observer(new zmq.Dealer(), 1),
        "without new": () => (zmq.Observer as unknown as (s: unknown) => unknown)(new zmq.Dealer()),
      });
    },
  },
  {
    name: "socket.events",
    steps: async (zmq, t) => {
      const socket = new zmq.Dealer();
      t.note("same object each time", socket.events === socket.events);
      t.note("is an Observer", socket.events instanceof zmq.Observer);
      t.note("closed", socket.events.closed);
      t.do("assign", () => ((socket as unknown as Record<string, unknown>).events = null));
    },
  },
]);

scenarios("constructors: Proxy", [
  {
    name: "arguments",
    steps: async (zmq, t) => {
      const Proxy = zmq.Proxy as unknown as new (...a: unknown[]) => unknown;
      const closed = new zmq.Dealer();
      closed.close();
      calls(t, {
        "no arguments": () => new Proxy(),
        "one socket": () => new Proxy(new zmq.Router()),
        "a socket and a number": () => new Proxy(new zmq.Router(), 1),
        "a socket and a plain object": () => new Proxy(new zmq.Router(), {}),
        "a number and a socket": () => new Proxy(1, new zmq.Dealer()),
        "two sockets": () => new Proxy(new zmq.Router(), new zmq.Dealer()),
        "a closed socket": () => new Proxy(closed, new zmq.Dealer()),
        "three arguments": () => new Proxy(new zmq.Router(), new zmq.Dealer(), 1),
        "without new": () =>
          (zmq.Proxy as unknown as (a: unknown, b: unknown) => unknown)(new zmq.Router(), new zmq.Dealer()),
      });
    },
  },
  {
    name: "frontEnd and backEnd",
    steps: async (zmq, t) => {
      const front = new zmq.Router();
      const back = new zmq.Dealer();
      const proxy = new zmq.Proxy(front, back);
      t.note("frontEnd", proxy.frontEnd === front);
      t.note("backEnd", proxy.backEnd === back);
      t.do("assign frontEnd", () => ((proxy as unknown as Record<string, unknown>).frontEnd = back));
      t.note("own keys", Object.keys(proxy));
    },
  },
]);

scenarios("module", [
  {
    name: "exported names",
    steps: async (zmq, t) => t.note("names", Object.keys(zmq).sort()),
  },
  { name: "version", run: (zmq) => zmq.version },
  { name: "capability", run: (zmq) => zmq.capability },
  {
    name: "curveKeyPair",
    steps: async (zmq, t) => {
      const shape = (pair: unknown): unknown => {
        const keys = pair as Record<string, string>;
        return Object.fromEntries(
          Object.entries(keys).map(([k, v]) => [
            k,
            typeof v === "string" ? `${v.length} chars, z85: ${/^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]+$/.test(v)}` : v,
          ]),
        );
      };
      t.do("no arguments", () => shape(zmq.curveKeyPair()));
      t.do("an argument", () => shape(loose(zmq).curveKeyPair!(1)));
      t.note("fresh each call", zmq.curveKeyPair().secretKey !== zmq.curveKeyPair().secretKey);
    },
  },
]);
