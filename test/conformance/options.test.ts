/**
 * Socket and context options: every option zeromq.js defines (src/index.ts `defineOpt`), read on
 * every socket type, set to a valid value, to a value of the wrong type, out of range and (string
 * options) as a UTF-8 Buffer; the warnings for options set after connect, after bind, during bind
 * and for numbers beyond 2^53; and the generic accessors with libzmq option ids.
 */
import { ALL_TRANSPORTS, loose, scenarios, type Scenario, type Trial } from "./harness.js";
import { calls, CLIENT_KEYS, make, SERVER_KEYS, SOCKET_TYPES, type AnySocket } from "./kit.js";

interface OptionCase {
  name: string;
  valid: unknown;
  /** Wrong values beyond the wrong type: out of range, malformed. */
  invalid?: unknown[];
}

const int = (name: string, valid: number, ...invalid: number[]): OptionCase => ({ name, valid, invalid });
const bool = (name: string): OptionCase => ({ name, valid: true });
const str = (name: string, valid: string, ...invalid: string[]): OptionCase => ({ name, valid, invalid });

/** Every option zeromq.js v6 defines on sockets (readable, writable, read-only and write-only). */
const SOCKET_OPTIONS: OptionCase[] = [
  int("sendBufferSize", 65536, -2, 1.5),
  int("sendHighWaterMark", 5, -1, 2 ** 31),
  int("sendTimeout", 50, -2),
  int("multicastHops", 3, 0),
  int("receiveBufferSize", 65536, -2),
  int("receiveHighWaterMark", 5, -1),
  int("receiveTimeout", 50, -2),
  int("affinity", 3, -1, 2 ** 60),
  int("rate", 200, 0),
  int("recoveryInterval", 5000, -1),
  int("type", 1),
  int("linger", 10, -2, 2 ** 31, Number.NaN),
  int("reconnectInterval", 50, -2),
  int("backlog", 10, -1),
  int("reconnectMaxInterval", 500, -1),
  int("maxMessageSize", 1024, -2, 2 ** 60),
  str("lastEndpoint", "tcp://127.0.0.1:1"),
  bool("mandatory"),
  int("tcpKeepalive", 1, 2, -2),
  int("tcpKeepaliveCount", 5, -2),
  int("tcpKeepaliveIdle", 10, -2),
  int("tcpKeepaliveInterval", 10, -2),
  str("tcpAcceptFilter", "127.0.0.1", "not-an-ip", ""),
  bool("immediate"),
  bool("ipv6"),
  str("securityMechanism", "plain"),
  bool("plainServer"),
  str("plainUsername", "user", "x".repeat(256)),
  str("plainPassword", "secret", "x".repeat(256)),
  bool("curveServer"),
  str("curvePublicKey", CLIENT_KEYS.publicKey, "short", "x".repeat(40)),
  str("curveSecretKey", CLIENT_KEYS.secretKey, "short"),
  str("curveServerKey", SERVER_KEYS.publicKey, "short"),
  str("zapDomain", "global", "x".repeat(256)),
  int("typeOfService", 8, -1, 256),
  int("handshakeInterval", 1000, -1),
  str("socksProxy", "127.0.0.1:1080"),
  int("heartbeatInterval", 100, -1),
  int("heartbeatTimeToLive", 1000, -1, 6_553_600),
  int("heartbeatTimeout", 100, -2),
  int("connectTimeout", 100, -1),
  int("tcpMaxRetransmitTimeout", 100, -1),
  bool("threadSafe"),
  int("multicastMaxTransportDataUnit", 1400, -1),
  int("vmciBufferSize", 1024, -1),
  int("vmciBufferMinSize", 1024, -1),
  int("vmciBufferMaxSize", 1024, -1),
  int("vmciConnectTimeout", 100, -2),
  str("interface", "lo"),
  bool("zapEnforceDomain"),
  bool("loopbackFastPath"),
  str("routingId", "id1", "", "\u0000id", "x".repeat(256)),
  bool("probeRouter"),
  bool("correlate"),
  bool("relaxed"),
  bool("conflate"),
  bool("handover"),
  bool("noDrop"),
  bool("manual"),
  str("welcomeMessage", "welcome"),
  bool("invertMatching"),
  { name: "verbosity", valid: "allSubs", invalid: ["allSubsUnsubs", null, "bogus", 1] },
];

/** A value of the wrong type for the option's kind. */
function wrongType(option: OptionCase): unknown {
  return typeof option.valid === "number" ? "10" : typeof option.valid === "boolean" ? 1 : 1;
}

function optionSteps(t: Trial, socket: AnySocket, prefix: string, option: OptionCase): void {
  const { name } = option;
  const get = (): unknown => socket[name];
  const set = (value: unknown) => () => ((socket as Record<string, unknown>)[name] = value);
  t.do(`${prefix} get`, get);
  t.do(`${prefix} set ${JSON.stringify(option.valid)}`, set(option.valid));
  t.do(`${prefix} get after set`, get);
  t.do(`${prefix} set wrong type`, set(wrongType(option)));
  for (const value of option.invalid ?? []) {
    const shown =
      typeof value === "string" && value.length > 12
        ? `${value.slice(0, 4)}…(${value.length})`
        : (JSON.stringify(value) ?? String(value));
    t.do(`${prefix} set ${shown}`, set(value));
  }
  if (typeof option.valid === "string") {
    t.do(`${prefix} set UTF-8 Buffer`, set(Buffer.from("h\u00e9llo \u2713")));
    t.do(`${prefix} get after Buffer`, get);
    t.do(`${prefix} set null`, set(null));
  }
  t.do(`${prefix} get at the end`, get);
}

scenarios(
  "options: every socket type",
  SOCKET_OPTIONS.map((option) => ({
    name: option.name,
    steps: async (zmq, t) => {
      for (const type of SOCKET_TYPES) optionSteps(t, make(zmq, type), type, option);
    },
  })),
);

/** Options that apply once connected; zeromq.js warns when they are set after connect/bind. */
const DEALER_OPTIONS: Array<[string, unknown]> = [
  ["sendHighWaterMark", 5],
  ["receiveHighWaterMark", 5],
  ["sendTimeout", 5],
  ["receiveTimeout", 5],
  ["linger", 5],
  ["sendBufferSize", 4096],
  ["receiveBufferSize", 4096],
  ["affinity", 1],
  ["rate", 200],
  ["recoveryInterval", 500],
  ["reconnectInterval", 50],
  ["backlog", 10],
  ["reconnectMaxInterval", 500],
  ["maxMessageSize", 1000],
  ["tcpKeepalive", 1],
  ["tcpKeepaliveCount", 3],
  ["tcpKeepaliveIdle", 3],
  ["tcpKeepaliveInterval", 3],
  ["tcpAcceptFilter", "127.0.0.1"],
  ["immediate", true],
  ["ipv6", true],
  ["plainUsername", "u"],
  ["plainPassword", "p"],
  ["zapDomain", "d"],
  ["typeOfService", 8],
  ["handshakeInterval", 500],
  ["heartbeatInterval", 500],
  ["heartbeatTimeToLive", 500],
  ["heartbeatTimeout", 500],
  ["connectTimeout", 500],
  ["routingId", "r"],
  ["probeRouter", true],
  ["conflate", true],
  ["multicastHops", 2],
];

function setAll(t: Trial, socket: AnySocket): void {
  for (const [name, value] of DEALER_OPTIONS) t.do(name, () => ((socket as Record<string, unknown>)[name] = value));
}

const warningScenarios: Scenario[] = [
  { name: "set before connect or bind", steps: async (zmq, t) => setAll(t, new zmq.Dealer() as AnySocket) },
  {
    name: "set after connect",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer() as AnySocket;
      s.connect(t.endpoint());
      setAll(t, s);
    },
  },
  {
    name: "set after bind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer() as AnySocket;
      await t.wait("bind", () => s.bind(t.endpoint()));
      setAll(t, s);
    },
  },
  {
    name: "set during bind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer() as AnySocket;
      t.do("bind", () => s.bind(t.endpoint()));
      setAll(t, s);
    },
  },
  {
    name: "set after unbind",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer() as AnySocket;
      const ep = t.endpoint();
      await t.wait("bind", () => s.bind(ep));
      await t.wait("unbind", () => s.unbind(ep));
      setAll(t, s);
    },
  },
  {
    name: "set after disconnect",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = new zmq.Dealer() as AnySocket;
      const ep = t.endpoint();
      s.connect(ep);
      s.disconnect(ep);
      setAll(t, s);
    },
  },
  {
    name: "Subscriber.subscribe after connect",
    steps: async (zmq, t) => {
      const s = new zmq.Subscriber();
      s.connect("inproc://subscribe-after-connect");
      calls(t, {
        subscribe: () => s.subscribe("a"),
        unsubscribe: () => s.unsubscribe("a"),
        "subscribe Buffer": () => s.subscribe(Buffer.from([0, 1])),
      });
    },
  },
  {
    name: "numbers beyond 2^53",
    steps: async (zmq, t) => {
      const s = new zmq.Dealer() as AnySocket;
      calls(t, {
        "affinity 2^60": () => (s.affinity = 2 ** 60),
        "affinity read back": () => s.affinity,
        "affinity 2^64": () => (s.affinity = 2 ** 64),
        "affinity read back #2": () => s.affinity,
        "affinity -1": () => (s.affinity = -1),
        "affinity read back #3": () => s.affinity,
        "vmciBufferSize 2^53": () => (s.vmciBufferSize = 2 ** 53),
        "maxMessageSize 2^53": () => (s.maxMessageSize = 2 ** 53),
        "maxMessageSize read back": () => s.maxMessageSize,
        "linger 2^32 + 5": () => (s.linger = 2 ** 32 + 5),
        "linger read back": () => s.linger,
        "linger 1.9": () => (s.linger = 1.9),
        "linger read back #2": () => s.linger,
        "linger Infinity": () => (s.linger = Infinity),
        "linger read back #3": () => s.linger,
      });
    },
  },
];

scenarios("options: warnings", warningScenarios);

scenarios("options: generic accessors", [
  {
    name: "getters with libzmq ids",
    steps: async (zmq, t) => {
      const s = loose(new zmq.Dealer({ routingId: "rid", linger: 7 }));
      calls(t, {
        "getBoolOption(39) immediate": () => s.getBoolOption!(39),
        "getInt32Option(17) linger": () => s.getInt32Option!(17),
        "getUint32Option(57) typeOfService": () => s.getUint32Option!(57),
        "getInt64Option(22) maxMessageSize": () => s.getInt64Option!(22),
        "getUint64Option(4) affinity": () => s.getUint64Option!(4),
        "getStringOption(5) routingId": () => s.getStringOption!(5),
        "getStringOption(32) lastEndpoint": () => s.getStringOption!(32),
        "getInt32Option(16) type": () => s.getInt32Option!(16),
        "getInt32Option(9999)": () => s.getInt32Option!(9999),
        "getStringOption(17) on an int option": () => s.getStringOption!(17),
        "getBoolOption(17) on an int option": () => s.getBoolOption!(17),
        "getInt32Option()": () => s.getInt32Option!(),
        'getInt32Option("17")': () => s.getInt32Option!("17"),
        "getInt32Option(17, 1)": () => s.getInt32Option!(17, 1),
      });
    },
  },
  {
    name: "setters with libzmq ids",
    steps: async (zmq, t) => {
      const raw = new zmq.Dealer() as AnySocket;
      const s = loose(raw);
      calls(t, {
        "setBoolOption(39, true)": () => s.setBoolOption!(39, true),
        immediate: () => raw.immediate,
        "setInt32Option(17, 10)": () => s.setInt32Option!(17, 10),
        linger: () => raw.linger,
        "setUint32Option(57, 8)": () => s.setUint32Option!(57, 8),
        typeOfService: () => raw.typeOfService,
        "setInt64Option(22, 1024)": () => s.setInt64Option!(22, 1024),
        maxMessageSize: () => raw.maxMessageSize,
        "setUint64Option(4, 3)": () => s.setUint64Option!(4, 3),
        affinity: () => raw.affinity,
        'setStringOption(5, "abc")': () => s.setStringOption!(5, "abc"),
        routingId: () => raw.routingId,
        "setStringOption(5, UTF-8 Buffer)": () => s.setStringOption!(5, Buffer.from("h\u00e9llo")),
        "routingId #2": () => raw.routingId,
        "setStringOption(5, null)": () => s.setStringOption!(5, null),
        "routingId #3": () => raw.routingId,
        "setInt32Option(9999, 1)": () => s.setInt32Option!(9999, 1),
        "setInt32Option(17)": () => s.setInt32Option!(17),
        'setInt32Option(17, "10")': () => s.setInt32Option!(17, "10"),
        'setInt32Option("17", 10)': () => s.setInt32Option!("17", 10),
        "setInt32Option(17, 10, 1)": () => s.setInt32Option!(17, 10, 1),
        "setBoolOption(39, 1)": () => s.setBoolOption!(39, 1),
        "setStringOption(5, 1)": () => s.setStringOption!(5, 1),
        "setInt32Option(17, -2)": () => s.setInt32Option!(17, -2),
        "setUint64Option(4, 2^60)": () => s.setUint64Option!(4, 2 ** 60),
        "setInt32Option(16, 1) type": () => s.setInt32Option!(16, 1),
      });
    },
  },
  {
    name: "setters after bind warn",
    steps: async (zmq, t) => {
      const s = loose(new zmq.Dealer());
      await t.wait("bind", () => s.bind!("tcp://127.0.0.1:*") as Promise<void>);
      calls(t, {
        "setInt32Option(18, 50) reconnectInterval": () => s.setInt32Option!(18, 50),
        "setInt32Option(17, 5) linger": () => s.setInt32Option!(17, 5),
        "setInt32Option(23, 5) sendHighWaterMark": () => s.setInt32Option!(23, 5),
      });
    },
  },
  {
    name: "accessors after close",
    steps: async (zmq, t) => {
      const s = loose(new zmq.Dealer());
      s.close!();
      calls(t, {
        "getInt32Option(17)": () => s.getInt32Option!(17),
        "setInt32Option(17, 1)": () => s.setInt32Option!(17, 1),
        "getStringOption(5)": () => s.getStringOption!(5),
      });
    },
  },
  {
    name: "Context accessors",
    steps: async (zmq, t) => {
      const c = loose(new zmq.Context());
      calls(t, {
        "getInt32Option(1) ioThreads": () => c.getInt32Option!(1),
        "setInt32Option(1, 2)": () => c.setInt32Option!(1, 2),
        "getInt32Option(1) again": () => c.getInt32Option!(1),
        "getBoolOption(70) blocky": () => c.getBoolOption!(70),
        "setBoolOption(70, false)": () => c.setBoolOption!(70, false),
        "getBoolOption(70) again": () => c.getBoolOption!(70),
        "getInt32Option(9999)": () => c.getInt32Option!(9999),
        "setInt32Option(1, -1)": () => c.setInt32Option!(1, -1),
        "setInt32Option(1)": () => c.setInt32Option!(1),
        "getInt32Option()": () => c.getInt32Option!(),
        "setBoolOption(70, 1)": () => c.setBoolOption!(70, 1),
        getStringOption: () => c.getStringOption!(1),
        getUint64Option: () => c.getUint64Option!(1),
      });
    },
  },
]);

const CONTEXT_OPTIONS: OptionCase[] = [
  int("ioThreads", 2, -1, 0),
  int("maxSockets", 100, -1, 0),
  int("maxSocketsLimit", 1),
  int("threadPriority", 1, -2),
  int("threadSchedulingPolicy", 0, -2),
  int("maxMessageSize", 1024, -2, 0),
  bool("ipv6"),
  bool("blocky"),
];

scenarios("options: Context", [
  ...CONTEXT_OPTIONS.map((option) => ({
    name: option.name,
    steps: async (zmq: Parameters<NonNullable<Scenario["steps"]>>[0], t: Trial) => {
      const context = new zmq.Context() as unknown as AnySocket;
      optionSteps(t, context, "new Context", option);
    },
  })),
  {
    name: "the default context's values",
    steps: async (zmq, t) => {
      const c = zmq.context as unknown as Record<string, unknown>;
      for (const option of CONTEXT_OPTIONS) t.do(option.name, () => c[option.name]);
    },
  },
  {
    name: "blocky false gives new sockets linger 0",
    steps: async (zmq, t) => {
      const context = new zmq.Context({ blocky: false });
      t.note("linger", new zmq.Dealer({ context }).linger);
      const other = new zmq.Context();
      t.note("linger with a default context", new zmq.Dealer({ context: other }).linger);
      other.blocky = false;
      t.note("linger after blocky = false", new zmq.Dealer({ context: other }).linger);
    },
  },
  {
    name: "ipv6 on the context is the default of new sockets",
    steps: async (zmq, t) => {
      const context = new zmq.Context({ ipv6: true });
      t.note("ipv6", new zmq.Dealer({ context }).ipv6);
    },
  },
]);
