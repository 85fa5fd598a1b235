/**
 * Process life: a script that never closes its sockets exits once nothing is pending (idle
 * listeners, connections, reconnect and heartbeat timers do not hold the event loop), while
 * pending receives and sends, and linger, do; the "Waiting for queued ZeroMQ messages" warning;
 * `context.blocky`. Worker threads: sockets inside a Worker, and inproc between the main thread
 * and a Worker through the shared default context.
 */
import { ALL_TRANSPORTS } from "./harness.js";
import { processScenarios } from "./process-harness.js";

processScenarios("process life", [
  {
    name: "a bound socket never closed",
    transports: ALL_TRANSPORTS,
    main: `const s = new zmq.Pull(); await s.bind(ENDPOINT); say("bound");`,
  },
  {
    name: "a socket connected to nothing never closed",
    transports: ALL_TRANSPORTS,
    main: `const s = new zmq.Push({ reconnectInterval: 50 }); s.connect(ENDPOINT); say("connected");`,
  },
  {
    name: "a connected pair with heartbeats never closed",
    transports: ALL_TRANSPORTS,
    main: `
      const a = new zmq.Pair({ heartbeatInterval: 50 }); const b = new zmq.Pair({ heartbeatInterval: 50 });
      await a.bind(ENDPOINT); b.connect(ENDPOINT);
      await b.send("ping"); say("received", String(await a.receive()));`,
  },
  {
    name: "an idle socket with events being read",
    transports: ALL_TRANSPORTS,
    main: `
      const s = new zmq.Pull();
      (async () => { for await (const e of s.events) say("event", e.type); })();
      await s.bind(ENDPOINT);`,
  },
  {
    name: "a pending receive keeps the process alive",
    transports: ALL_TRANSPORTS,
    main: `const s = new zmq.Pull(); await s.bind(ENDPOINT); s.receive().then(() => say("received"));`,
  },
  {
    name: "an awaited pending receive at top level",
    transports: ALL_TRANSPORTS,
    main: `const s = new zmq.Pull(); await s.bind(ENDPOINT); await s.receive(); say("received");`,
  },
  {
    name: "a pending receive with receiveTimeout ends",
    transports: ["inproc"],
    main: `const s = new zmq.Pull({ receiveTimeout: 200 }); await s.bind(ENDPOINT); s.receive().catch((e) => say("rejected", e.code));`,
  },
  {
    name: "a pending send keeps the process alive",
    transports: ["tcp"],
    main: `const s = new zmq.Push({ immediate: true }); s.connect(ENDPOINT); s.send("x").then(() => say("sent"));`,
  },
  {
    name: "a pending send with sendTimeout ends",
    transports: ["tcp"],
    main: `const s = new zmq.Push({ immediate: true, sendTimeout: 200 }); s.connect(ENDPOINT); s.send("x").catch((e) => say("rejected", e.code));`,
  },
  {
    name: "a queued message, socket closed, linger -1",
    transports: ["tcp", "ipc"],
    main: `const s = new zmq.Push(); s.connect(ENDPOINT); await s.send("x"); say("queued"); s.close();`,
  },
  {
    name: "a queued message, socket never closed, linger -1",
    transports: ["tcp", "ipc"],
    main: `const s = new zmq.Push(); s.connect(ENDPOINT); await s.send("x"); say("queued");`,
  },
  {
    name: "a queued message, socket closed, linger 1000",
    transports: ["tcp"],
    main: `
      const started = Date.now(); process.on("exit", () => console.log("after linger", Date.now() - started >= 900));
      const s = new zmq.Push({ linger: 1000 }); s.connect(ENDPOINT); await s.send("x"); s.close();`,
  },
  {
    name: "a queued message, socket closed, linger 0",
    transports: ["tcp"],
    main: `const s = new zmq.Push({ linger: 0 }); s.connect(ENDPOINT); await s.send("x"); s.close();`,
  },
  {
    name: "a queued message with context.blocky = false",
    transports: ["tcp"],
    main: `zmq.context.blocky = false; const s = new zmq.Push(); say("linger", s.linger); s.connect(ENDPOINT); await s.send("x"); s.close();`,
  },
  {
    name: "context.blocky = false after the socket was made",
    transports: ["tcp"],
    main: `const s = new zmq.Push(); zmq.context.blocky = false; s.connect(ENDPOINT); await s.send("x"); say("linger", s.linger); s.close();`,
  },
  {
    name: "a message delivered before close, linger -1",
    transports: ALL_TRANSPORTS,
    main: `
      const pull = new zmq.Pull(); await pull.bind(ENDPOINT);
      const push = new zmq.Push(); push.connect(ENDPOINT); await push.send("x"); push.close();
      say("received", String(await pull.receive()));`,
  },
  {
    name: "a running proxy",
    transports: ["inproc"],
    main: `
      const front = new zmq.Router(); const back = new zmq.Dealer();
      await front.bind(ENDPOINT); await back.bind(ENDPOINT2);
      new zmq.Proxy(front, back).run().then(() => say("proxy ended"));`,
  },
  {
    name: "an uncaught error from a socket call",
    main: `const s = new zmq.Dealer(); s.close(); s.connect("tcp://127.0.0.1:1");`,
  },
]);

processScenarios("worker threads", [
  {
    name: "sockets in a worker that closes them",
    transports: ["tcp", "ipc"],
    main: `
      const pull = new zmq.Pull(); await pull.bind(ENDPOINT);
      const worker = new Worker(WORKER_URL);
      worker.on("exit", (code) => say("worker exit", code));
      worker.on("error", (e) => say("worker error", e.message));
      say("received", String(await pull.receive()));
      pull.close();`,
    worker: `const push = new zmq.Push(); push.connect(ENDPOINT); await push.send("from worker"); push.close(); parentPort.postMessage("done");`,
  },
  {
    name: "sockets in a worker that leaves them open",
    transports: ["tcp", "ipc"],
    main: `
      const pull = new zmq.Pull(); await pull.bind(ENDPOINT);
      const worker = new Worker(WORKER_URL);
      worker.on("exit", (code) => say("worker exit", code));
      say("received", String(await pull.receive()));`,
    worker: `const push = new zmq.Push(); push.connect(ENDPOINT); await push.send("from worker"); const idle = new zmq.Pull(); await idle.bind(ENDPOINT2);`,
  },
  {
    name: "inproc from a worker to the main thread (default context)",
    main: `
      const pull = new zmq.Pull(); await pull.bind("inproc://shared-context");
      const worker = new Worker(WORKER_URL);
      worker.on("exit", (code) => say("worker exit", code));
      worker.on("error", (e) => say("worker error", e.message));
      say("received", String(await pull.receive()));
      pull.close();`,
    worker: `const push = new zmq.Push(); push.connect("inproc://shared-context"); await push.send("over inproc"); push.close();`,
  },
  {
    name: "inproc from the main thread to a worker that binds (default context)",
    main: `
      const worker = new Worker(WORKER_URL);
      worker.on("exit", (code) => say("worker exit", code));
      await new Promise((r) => worker.once("message", r));
      const push = new zmq.Push(); push.connect("inproc://shared-context-2"); await push.send("to worker"); push.close();`,
    worker: `
      const pull = new zmq.Pull({ receiveTimeout: 3000 }); await pull.bind("inproc://shared-context-2");
      parentPort.postMessage("bound");
      try { say("worker received", String(await pull.receive())); } catch (e) { say("worker receive failed", e.code); }
      pull.close();`,
  },
  {
    name: "a worker terminated with sockets open",
    transports: ["tcp"],
    main: `
      const worker = new Worker(WORKER_URL);
      await new Promise((r) => worker.once("message", r));
      say("terminated", await worker.terminate());`,
    worker: `const s = new zmq.Pull(); await s.bind(ENDPOINT); s.receive(); parentPort.postMessage("ready");`,
  },
]);
