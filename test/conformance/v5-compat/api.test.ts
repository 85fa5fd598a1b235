/**
 * The v5 API's surface: the module's exports and constants, `Context`, `curveKeypair`, making
 * sockets of every type name (and wrong ones), and every option id and alias read and set on
 * every socket type, open and closed.
 */
import { loose } from "../harness.js";
import { compatScenarios, type Compat, type CompatSocket } from "./kit.js";

const TYPE_NAMES = [
  "pair",
  "req",
  "rep",
  "pub",
  "sub",
  "dealer",
  "xreq",
  "router",
  "xrep",
  "pull",
  "push",
  "xpub",
  "xsub",
  "stream",
] as const;

/** Every id from 0 to 80 (libzmq's options up to ZMQ_CONNECT_TIMEOUT and beyond) and the v5 alias names. */
function optionKeys(zmq: Compat): Array<number | string> {
  return [...Array.from({ length: 81 }, (_, id) => id), ...Object.keys(zmq.options), "nonsense"];
}

/** A value each option accepts, by libzmq id (the rest get 1). */
const VALUES: Record<number, unknown> = {
  5: "id1",
  6: "topic",
  7: "topic",
  38: "127.0.0.1",
  45: "user",
  46: "secret",
  48: "fZda:X)R$BEZU89?m*fpNN>-(Ec)ZDAE1Bpz]=6#",
  49: "WOrRzh+Lme0359+Xw)q^0C{$*HJY6@u5+}!].(Hl",
  50: "x/]tTb)?}[YP:>CMmiBwz3G2urN6m6ua^r!2>:3t",
  55: "domain",
};

function outcome(fn: () => unknown): unknown {
  try {
    const value = fn();
    return value instanceof Object && "setsockopt" in value ? "this" : value;
  } catch (err) {
    return err;
  }
}

compatScenarios("module", [
  {
    name: "exports and the values of the constants",
    run: (zmq) =>
      Object.fromEntries(
        Object.keys(zmq)
          .sort()
          .map((key) => {
            const value = (zmq as unknown as Record<string, unknown>)[key];
            return [key, typeof value === "number" ? value : typeof value];
          }),
      ),
  },
  { name: "socket is createSocket", run: (zmq) => zmq.socket === zmq.createSocket },
  { name: "version", run: (zmq) => zmq.version },
  { name: "options (the alias names)", run: (zmq) => zmq.options },
  {
    name: "curveKeypair",
    run: (zmq) => {
      const pair = zmq.curveKeypair();
      return { keys: Object.keys(pair), public: pair.public.length, secret: pair.secret.length };
    },
  },
  { name: "new Context() throws", run: (zmq) => new zmq.Context() },
  {
    name: "Context: max threads and max sockets",
    run: (zmq) => {
      const threads = zmq.Context.getMaxThreads();
      const sockets = zmq.Context.getMaxSockets();
      zmq.Context.setMaxThreads(3);
      zmq.Context.setMaxSockets(256);
      const after = [zmq.Context.getMaxThreads(), zmq.Context.getMaxSockets()];
      zmq.Context.setMaxThreads(threads);
      zmq.Context.setMaxSockets(sockets);
      return { threads, sockets, after, wrong: outcome(() => zmq.Context.setMaxThreads(-1)) };
    },
  },
]);

compatScenarios("sockets", [
  {
    name: "every type name",
    steps: async (zmq, t) => {
      for (const name of TYPE_NAMES) {
        const s = t.do(name, () => zmq.socket(name));
        if (s !== undefined) t.note(`${name} state`, { type: s.type, closed: s.closed, id: s.getsockopt(16) });
      }
    },
  },
  {
    name: "wrong type names",
    steps: async (zmq, t) => {
      const socket = zmq.socket as unknown as (type: unknown) => CompatSocket;
      for (const name of ["PUSH", "foo", 8, undefined, null, "constructor"]) t.do(String(name), () => socket(name));
    },
  },
  { name: "new Socket()", run: (zmq) => new zmq.Socket("dealer").type },
  {
    name: "createSocket with options",
    run: (zmq) => {
      const s = zmq.createSocket("dealer", { identity: "abc", linger: 0, backlog: 30, sndhwm: 5 });
      return [s.getsockopt(zmq.ZMQ_IDENTITY), s.linger, s.backlog, (s as unknown as { sndhwm: unknown }).sndhwm];
    },
  },
  {
    name: "createSocket with an option of the wrong type",
    run: (zmq) => zmq.createSocket("dealer", { linger: "soon" }),
  },
  {
    name: "close, closed, and calls on a closed socket",
    steps: async (zmq, t) => {
      const s = zmq.socket("dealer");
      t.do("close", () => s.close() === s);
      t.note("closed", s.closed);
      t.do("close again", () => s.close() === s);
      t.do("bind", () => s.bind("inproc://closed"));
      t.do("bindSync", () => s.bindSync("inproc://closed"));
      t.do("unbindSync", () => s.unbindSync("inproc://closed"));
      t.do("connect", () => s.connect("inproc://closed"));
      t.do("disconnect", () => s.disconnect("inproc://closed"));
      t.do("send", () => s.send("x") === s);
      t.do("monitor", () => s.monitor());
      t.do("unmonitor", () => s.unmonitor());
      t.do("getsockopt", () => s.getsockopt(zmq.ZMQ_LINGER));
      t.do("setsockopt", () => s.setsockopt(zmq.ZMQ_LINGER, 0));
      t.do("pause", () => s.pause());
      t.do("resume", () => s.resume());
    },
  },
  { name: "read() is gone", run: (zmq) => zmq.socket("pull").read() },
  {
    name: "subscribe and unsubscribe",
    steps: async (zmq, t) => {
      for (const name of ["sub", "xsub", "pub", "pull"] as const) {
        const s = zmq.socket(name);
        t.do(`${name} subscribe`, () => s.subscribe("a") === s);
        t.do(`${name} unsubscribe`, () => s.unsubscribe("a") === s);
        t.do(`${name} subscribe a number`, () => loose(s).subscribe!(5));
      }
    },
  },
]);

compatScenarios(
  "options",
  TYPE_NAMES.filter((name) => name !== "xreq" && name !== "xrep").map((name) => ({
    name: `read every option of ${name}`,
    run: (zmq: Compat) => {
      const s = zmq.socket(name);
      return Object.fromEntries(optionKeys(zmq).map((key) => [key, outcome(() => s.getsockopt(key as number))]));
    },
  })),
);

compatScenarios(
  "options",
  TYPE_NAMES.filter((name) => name !== "xreq" && name !== "xrep").map((name) => ({
    name: `set every option of ${name}, then read it`,
    run: (zmq: Compat) => {
      const out: Record<string, unknown> = {};
      for (let id = 0; id <= 80; id++) {
        const s = zmq.socket(name);
        const value = VALUES[id] ?? 1;
        out[id] = { set: outcome(() => s.setsockopt(id, value)), get: outcome(() => s.getsockopt(id)) };
        s.close();
      }
      return out;
    },
  })),
);

compatScenarios("options", [
  {
    name: "aliases: set as properties, strings as UTF-8 bytes",
    run: (zmq) => {
      const s = zmq.socket("router") as CompatSocket & Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const values: Record<string, unknown> = {
        identity: "ü-id",
        linger: 5,
        backlog: 7,
        rate: 200,
        rcvbuf: 4096,
        sndbuf: 4096,
        reconnect_ivl: 50,
        recovery_ivl: 500,
        affinity: 2,
        zap_domain: "dom",
        heartbeat_ivl: 100,
        heartbeat_ttl: 1000,
        heartbeat_timeout: 200,
        connect_timeout: 300,
        plain_username: "u",
        plain_password: "p",
        curve_server: 1,
        _subscribe: "x",
        last_endpoint: "tcp://x:1",
        mechanism: 1,
        _fd: 1,
      };
      for (const [key, value] of Object.entries(values)) {
        out[key] = { set: outcome(() => (s[key] = value)), get: outcome(() => s[key]) };
      }
      return out;
    },
  },
  {
    name: "setsockopt with values of the wrong type",
    run: (zmq) => {
      const s = zmq.socket("router");
      return {
        linger: outcome(() => s.setsockopt(zmq.ZMQ_LINGER, "x")),
        identity: outcome(() => s.setsockopt(zmq.ZMQ_IDENTITY, 5)),
        mandatory: outcome(() => s.setsockopt(zmq.ZMQ_ROUTER_MANDATORY, "yes")),
        ipv4only: outcome(() => s.setsockopt(zmq.ZMQ_IPV4ONLY, 0)),
        ipv6: outcome(() => s.getsockopt(zmq.ZMQ_IPV6)),
        option: outcome(() => s.setsockopt(null as unknown as number, 1)),
        symbol: outcome(() => s.getsockopt("toString" as unknown as number)),
      };
    },
  },
  {
    name: "options after bind warn",
    transports: ["tcp"],
    steps: async (zmq, t) => {
      const s = zmq.socket("dealer");
      await new Promise<void>((resolve) => s.bind(t.endpoint(), () => resolve()));
      t.do("backlog", () => s.setsockopt(zmq.ZMQ_BACKLOG, 5) === s);
      t.do("linger", () => s.setsockopt(zmq.ZMQ_LINGER, 5) === s);
      t.do("events", () => s.getsockopt(zmq.ZMQ_EVENTS));
    },
  },
]);
