/**
 * Endpoints in the v5 API: bind and unbind with and without callbacks (the `bind`/`unbind`
 * events, errors to the callback or as `error` events), calls made while an asynchronous bind
 * runs, connect and disconnect, and bindSync/unbindSync: what they throw at once, what later calls
 * see, and where zmtp's bindSync differs (it cannot block: see README "v5 compatibility API").
 */
import { ALL_TRANSPORTS } from "../harness.js";
import { callback, compatScenarios, Emitted } from "./kit.js";
import type { Snap } from "../observe.js";

compatScenarios("endpoints", [
  {
    name: "bind with a callback: the bind event, then the callback",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      const order: string[] = [];
      s.on("bind", (address: string) => order.push(`event ${address}`));
      const ep = t.endpoint();
      t.do("bind", () => s.bind(ep, (err) => order.push(`callback ${String(err)}`)) === s);
      t.note("at once", order.slice());
      await t.until("callback", () => order.length === 2);
      t.note("order", order);
      t.note("last_endpoint", s.last_endpoint);
    },
  },
  {
    name: "bind fails: the error to the callback, no bind event",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const ep = t.endpoint();
      const first = zmq.socket("pull");
      const s = zmq.socket("pull");
      const emitted = new Emitted(s, ["bind", "error"]);
      const calls: Snap[] = [];
      await new Promise<void>((resolve) => first.bind(ep, () => resolve()));
      t.do("bind", () => s.bind(ep, callback(calls)));
      await t.until("callback", () => calls.length === 1);
      t.note("callback", calls);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "bind fails without a callback: an error event",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const ep = t.endpoint();
      const first = zmq.socket("pull");
      const s = zmq.socket("pull");
      const emitted = new Emitted(s, ["bind", "error"]);
      await new Promise<void>((resolve) => first.bind(ep, () => resolve()));
      t.do("bind", () => s.bind(ep) === s);
      await t.until("error", () => emitted.count("error") === 1);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "bind with a malformed address",
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      const calls: Snap[] = [];
      t.do("bind", () => s.bind("tcp://127.0.0.1", callback(calls)));
      t.do("bind a number", () => s.bind(5 as unknown as string, callback(calls)));
      await t.until("callback", () => calls.length === 1);
      t.note("callback", calls);
    },
  },
  {
    name: "calls while a bind runs: connect throws EBUSY, a send fails in its callback",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const s = zmq.socket("dealer");
      const calls: Snap[] = [];
      const done: Snap[] = [];
      t.do("bind", () => s.bind(t.endpoint(), callback(done)));
      t.do("connect", () => s.connect(t.endpoint()));
      t.do("bind again", () => s.bind(t.endpoint()));
      t.do("send", () => s.send("x", 0, callback(calls)) === s);
      await t.until("send callback", () => calls.length === 1);
      await t.until("bound", () => done.length === 1);
      t.note("send callback", calls);
    },
  },
  {
    name: "unbind with a callback: the unbind event, then the callback",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      const ep = t.endpoint();
      const emitted = new Emitted(s, ["bind", "unbind", "error"]);
      const calls: Snap[] = [];
      await new Promise<void>((resolve) => s.bind(ep, () => resolve()));
      t.do("unbind", () => s.unbind(ep, callback(calls)) === s);
      await t.until("callback", () => calls.length === 1);
      t.note("callback", calls);
      t.do("unbind again", () => s.unbind(ep, callback(calls)));
      await t.until("second callback", () => calls.length === 2);
      t.note("callbacks", calls);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "unbind an address never bound, without a callback: an error event",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      const emitted = new Emitted(s, ["unbind", "error"]);
      t.do("unbind", () => s.unbind(t.endpoint()) === s);
      await t.until("error", () => emitted.count("error") === 1);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "connect and disconnect",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = zmq.socket("dealer");
      const ep = t.endpoint();
      t.do("connect", () => s.connect(ep) === s);
      t.do("disconnect", () => s.disconnect(ep) === s);
      t.do("disconnect again", () => s.disconnect(ep));
      t.do("connect malformed", () => s.connect("tcp://nowhere"));
      t.do("connect unknown transport", () => s.connect("udp://127.0.0.1:5555"));
      t.do("connect a number", () => s.connect(5 as unknown as string));
    },
  },
]);

compatScenarios("bindSync", [
  {
    name: "messages flow after bindSync",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const pull = zmq.socket("pull");
      const push = zmq.socket("push");
      const emitted = new Emitted(pull, ["message", "bind", "error"]);
      const ep = t.endpoint();
      t.do("bindSync", () => pull.bindSync(ep));
      push.connect(ep);
      for (const text of ["a", "b", "c"]) push.send(text);
      await t.until("messages", () => emitted.count("message") === 3);
      t.note("emitted", emitted.list);
    },
  },
  {
    // Not over inproc: the binding's PULL, reading since before it connected, may not see an
    // inproc message until something else wakes it (libzmq's edge-triggered ZMQ_FD).
    name: "calls on the socket after bindSync run after the bind, in order",
    transports: ["tcp", "ipc"],
    steps: async (zmq, t) => {
      const push = zmq.socket("push");
      const pull = zmq.socket("pull");
      const emitted = new Emitted(pull, ["message"]);
      const calls: Snap[] = [];
      const ep = t.endpoint();
      t.do("bindSync", () => push.bindSync(ep));
      t.do("send", () => push.send("one", 0, callback(calls)) === push);
      t.do("setsockopt", () => push.setsockopt(zmq.ZMQ_SNDHWM, 5) === push);
      t.do("bind elsewhere", () => push.bind(t.endpoint(), callback(calls)) === push);
      t.note("hwm", push.getsockopt(zmq.ZMQ_SNDHWM));
      pull.connect(ep);
      await t.until("message", () => emitted.count("message") === 1);
      await t.until("callbacks", () => calls.length === 2);
      t.note("callbacks", calls);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "connect after bindSync",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const push = zmq.socket("push");
      const pull = zmq.socket("pull");
      const emitted = new Emitted(pull, ["message"]);
      const other = t.endpoint();
      await new Promise<void>((resolve) => pull.bind(other, () => resolve()));
      t.do("bindSync", () => push.bindSync(t.endpoint()));
      t.do("connect", () => push.connect(other) === push);
      t.do("send", () => push.send("to the connected peer") === push);
      await t.until("message", () => emitted.count("message") === 1);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "bindSync then close",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      const emitted = new Emitted(s, ["error"]);
      const ep = t.endpoint();
      t.do("bindSync", () => s.bindSync(ep));
      t.do("close", () => s.close() === s);
      t.note("closed", s.closed);
      t.do("bind after close", () => s.bind(ep));
      t.do("bindSync after close", () => s.bindSync(ep));
      t.do("connect after close", () => s.connect(ep));
      await t.sleep(20);
      t.do("bind later", () => s.bind(ep));
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "bindSync argument checks",
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      t.do("a number", () => s.bindSync(5 as unknown as string));
      t.do("nothing", () => (s.bindSync as unknown as () => void)());
      t.do("two arguments", () => (s.bindSync as unknown as (a: string, b: string) => void)("inproc://a", "b"));
    },
  },
  // Differences, listed in differences.ts: JavaScript cannot wait for the bind.
  {
    name: "last_endpoint right after bindSync",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      t.do("bindSync", () => s.bindSync(t.transport === "tcp" ? "tcp://127.0.0.1:*" : t.endpoint()));
      t.note("at once", s.last_endpoint !== null);
      await t.until("bound", () => s.last_endpoint !== null);
    },
  },
  {
    name: "bindSync to an address in use",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const ep = t.endpoint();
      zmq.socket("pull").bindSync(ep);
      await t.sleep(20);
      const s = zmq.socket("pull");
      const emitted = new Emitted(s, ["error"]);
      t.do("bindSync", () => s.bindSync(ep));
      await t.until("error", () => emitted.count("error") === 1);
      t.note("emitted", emitted.list);
    },
  },
  {
    name: "unbindSync",
    transports: ["tcp", "inproc"],
    steps: async (zmq, t) => {
      const s = zmq.socket("pull");
      const emitted = new Emitted(s, ["unbind", "error"]);
      const ep = t.endpoint();
      const other = t.endpoint();
      await new Promise<void>((resolve) => s.bind(ep, () => resolve()));
      t.do("unbindSync bound", () => s.unbindSync(ep));
      t.do("unbindSync never bound", () => s.unbindSync(other));
      await t.sleep(50);
      t.note("emitted", emitted.list);
    },
  },
]);
