/**
 * monitor() in the v5 API: libzmq's events under their v5 names (`listen`, `accept`,
 * `connect_delay`, `connect_retry`, `bind_error`, ...) with `(value, address, error)`, the warning
 * for its ignored arguments, and unmonitor().
 */
import { ALL_TRANSPORTS } from "../harness.js";
import type { Snap } from "../observe.js";
import { callback, compatScenarios, Emitted } from "./kit.js";

const V5_EVENTS = [
  "connect",
  "connect_delay",
  "connect_retry",
  "listen",
  "bind_error",
  "accept",
  "accept_error",
  "close",
  "close_error",
  "disconnect",
  "error",
];

compatScenarios(
  "monitor",
  [
    {
      name: "listen, accept and disconnect on the bound side",
      transports: ["tcp", "ipc"],
      steps: async (zmq, t) => {
        const rep = zmq.socket("rep");
        const req = zmq.socket("req");
        const events = new Emitted(rep, V5_EVENTS);
        const ep = t.endpoint();
        rep.on("message", () => rep.send("world"));
        t.do("monitor", () => rep.monitor() === rep);
        await new Promise<void>((resolve) => rep.bind(ep, () => resolve()));
        req.connect(ep);
        const reply = new Emitted(req, ["message"]);
        req.send("hello");
        await t.until("reply", () => reply.count("message") === 1);
        req.close();
        await t.until("disconnect", () => events.count("disconnect") === 1);
        t.note("events", events.list);
      },
    },
    {
      name: "connect on the connecting side",
      transports: ALL_TRANSPORTS,
      steps: async (zmq, t) => {
        const pull = zmq.socket("pull");
        const push = zmq.socket("push");
        const events = new Emitted(push, V5_EVENTS);
        const ep = t.endpoint();
        await new Promise<void>((resolve) => pull.bind(ep, () => resolve()));
        push.monitor();
        push.connect(ep);
        await t.until("connect", () => events.count("connect") === 1, t.transport === "inproc" ? 100 : undefined);
        t.note("events", events.list);
      },
    },
    {
      name: "connect_delay and connect_retry while nothing listens",
      transports: ["tcp"],
      steps: async (zmq, t) => {
        const push = zmq.socket("push");
        push.setsockopt(zmq.ZMQ_RECONNECT_IVL, 50);
        const events = new Emitted(push, V5_EVENTS);
        push.monitor();
        push.connect(t.endpoint());
        await t.until("retry", () => events.count("connect_retry") >= 1);
        const [name, args] = events.list.find(([n]) => n === "connect_retry")!;
        const [interval, address, error] = args as Snap[];
        t.note("retry", { name, interval: typeof interval === "number" && interval >= 50, address, error });
        t.note("first", events.names()[0]);
      },
    },
    {
      name: "bind_error: the errno, the address and the error",
      transports: ["tcp", "ipc"],
      steps: async (zmq, t) => {
        const ep = t.endpoint();
        const first = zmq.socket("rep");
        await new Promise<void>((resolve) => first.bind(ep, () => resolve()));
        const s = zmq.socket("rep");
        const events = new Emitted(s, V5_EVENTS);
        s.monitor();
        const calls: Snap[] = [];
        s.bind(ep, callback(calls));
        await t.until("callback", () => calls.length === 1);
        await t.until("bind_error", () => events.count("bind_error") === 1);
        t.note("callback", calls);
        t.note("events", events.list);
      },
    },
    {
      name: "monitor's arguments are ignored, with a warning",
      steps: async (zmq, t) => {
        t.do("monitor(10, 0)", () => zmq.socket("dealer").monitor(10, 0).type);
        t.do("monitor()", () => zmq.socket("dealer").monitor().type);
      },
    },
    {
      // (A bind after unmonitor() never completes with the binding, and a second monitor() with an
      // error listener loops forever: see process.test.ts.)
      name: "unmonitor: the reader ends with an ENOTSOCK error event",
      steps: async (zmq, t) => {
        const s = zmq.socket("dealer");
        const events = new Emitted(s, V5_EVENTS);
        s.monitor();
        t.do("unmonitor", () => s.unmonitor() === s);
        await t.until("error", () => events.count("error") === 1);
        t.note("events", events.list);
        t.do("unmonitor again", () => s.unmonitor() === s);
      },
    },
  ],
  // The binding's monitor events lag (or never come) while other scenarios run beside these.
  { sequential: true },
);
