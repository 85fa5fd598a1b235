/**
 * v5 programs as processes: an old `zmq` program that closes its sockets exits; one that keeps a
 * socket reading does not; and how the errors a v5 program does not handle end it (an uncaught
 * `error` event, a throwing listener, a send on a socket that cannot send, a failed bindSync).
 */
import { compatProcessScenarios } from "./kit.js";

compatProcessScenarios("process", [
  {
    name: "a program that closes its sockets exits",
    transports: ["tcp", "ipc", "inproc"],
    main: `
      const pull = zmq.socket("pull");
      const push = zmq.socket("push");
      let n = 0;
      pull.on("message", (...frames) => {
        say("message", frames.map(String));
        if (++n === 2) { pull.close(); push.close(); }
      });
      pull.bindSync(ENDPOINT);
      push.connect(ENDPOINT);
      push.send(["job", "1"]);
      push.send("job 2", 0, (err) => say("sent", String(err)));`,
    nothingQueuedAtExit: true,
  },
  {
    name: "a socket left reading keeps the process alive",
    transports: ["tcp"],
    main: `const pull = zmq.socket("pull"); pull.bindSync(ENDPOINT); pull.on("message", () => say("message"));`,
  },
  {
    name: "a PUB left open lets the process exit",
    transports: ["tcp"],
    main: `const pub = zmq.socket("pub"); pub.bindSync(ENDPOINT); pub.send("nobody listens");`,
  },
  {
    name: "an error event without a listener ends the process",
    main: `
      const router = zmq.socket("router");
      router.setsockopt(zmq.ZMQ_ROUTER_MANDATORY, 1);
      router.setsockopt(zmq.ZMQ_SNDTIMEO, 10);
      router.send(["nobody", "hello"]);`,
  },
  {
    name: "a bind failure without a callback or listener ends the process",
    transports: ["tcp"],
    main: `
      zmq.socket("pull").bind(ENDPOINT, () => {
        zmq.socket("pull").bind(ENDPOINT);
      });`,
  },
  {
    name: "a message listener that throws ends the process",
    transports: ["inproc"],
    main: `
      const pull = zmq.socket("pull");
      const push = zmq.socket("push");
      pull.on("message", () => { throw new Error("from the listener"); });
      pull.bind(ENDPOINT, () => { push.connect(ENDPOINT); push.send("x"); });`,
  },
  {
    name: "a send on a PULL ends the process",
    main: `zmq.socket("pull").send("x");`,
  },
  {
    name: "bindSync to an address in use, not caught, ends the process",
    transports: ["tcp", "inproc"],
    main: `
      const first = zmq.socket("push");
      first.bindSync(ENDPOINT);
      setTimeout(() => {
        const second = zmq.socket("push");
        second.bindSync(ENDPOINT);
        say("after bindSync");
      }, 50);`,
  },
  {
    name: "monitor() twice without an error listener ends the process",
    main: `const s = zmq.socket("dealer"); s.monitor(); s.monitor(); say("monitored");`,
  },
  // Not compared: "a bind after unmonitor()": the binding's bind never completes in most runs (the
  // process hangs) and completes in some (1 in 30 under load), so no outcome is stable. zmtp binds.
  // Not compared: "a second bind while messages arrive" freezes the binding's process in some runs
  // and not in others (its read loop during a bind), so no outcome of zeromq.js's is stable. zmtp
  // receives every message and completes the bind (README, v5 compatibility API).
]);
