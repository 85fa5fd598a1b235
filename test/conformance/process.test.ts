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
    name: "a queued message, delivered to a peer that binds after the exit began",
    transports: ["tcp", "ipc"],
    main: `
      const { spawn } = await import("node:child_process");
      const push = new zmq.Push(); push.connect(ENDPOINT); await push.send("late"); push.close();
      const peer = \`import { Pull } from "zeromq"; await new Promise((r) => setTimeout(r, 1000));
        const s = new Pull(); await s.bind(\${JSON.stringify(ENDPOINT)}); console.log("peer received", String(await s.receive())); s.close();\`;
      spawn(process.execPath, ["--input-type=module", "-e", peer], { stdio: ["ignore", "inherit", "ignore"] }).unref();
      let beforeExit = 0; process.on("beforeExit", () => beforeExit++);
      process.on("exit", () => console.log("exit after", beforeExit, "beforeExit"));`,
  },
  {
    name: "process.exit() with a queued message",
    transports: ["tcp"],
    main: `const s = new zmq.Push(); s.connect(ENDPOINT); await s.send("x"); setTimeout(() => process.exit(3), 10);`,
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
    name: "inproc between two workers (default context)",
    main: `
      const run = (role) => new Promise((resolve) => new Worker(WORKER_URL, { workerData: role }).on("exit", resolve).on("message", (m) => say(role, m)));
      const binder = run("binder");
      await new Promise((r) => setTimeout(r, 300));
      say("exits", await run("connecter"), await binder);`,
    worker: `
      if (workerData === "binder") {
        const s = new zmq.Pull(); await s.bind("inproc://between-workers");
        parentPort.postMessage(String(await s.receive())); s.close();
      } else {
        const s = new zmq.Push(); s.connect("inproc://between-workers"); await s.send("from the other worker"); s.close();
      }`,
  },
  {
    name: "inproc connected and sent to before a worker binds it (default context)",
    main: `
      const push = new zmq.Push(); push.connect("inproc://bound-later"); await push.send("queued before bind"); say("queued");
      const worker = new Worker(WORKER_URL);
      worker.on("message", (m) => say("worker", m));
      worker.on("exit", (code) => { say("worker exit", code); push.close(); });`,
    worker: `
      const s = new zmq.Pull(); await s.bind("inproc://bound-later");
      parentPort.postMessage(String(await s.receive())); s.close();`,
  },
  {
    name: "inproc name bound in the main thread, bound again in a worker (default context)",
    main: `
      const s = new zmq.Pull(); await s.bind("inproc://taken");
      const worker = new Worker(WORKER_URL);
      worker.on("message", (m) => say("worker", m));
      worker.on("exit", (code) => { say("worker exit", code); s.close(); });`,
    worker: `
      const s = new zmq.Push();
      try { await s.bind("inproc://taken"); parentPort.postMessage("bound"); }
      catch (e) { parentPort.postMessage([e.code, e.errno, e.message, e.address].join(" ")); }
      s.close();`,
  },
  {
    name: "inproc name unbound in a worker, then bound in the main thread (default context)",
    main: `
      const worker = new Worker(WORKER_URL);
      await new Promise((r) => worker.once("exit", r));
      const s = new zmq.Pull(); await s.bind("inproc://released"); say("bound"); s.close();`,
    worker: `const s = new zmq.Pull(); await s.bind("inproc://released"); await s.unbind("inproc://released"); s.close();`,
  },
  {
    name: "inproc request and reply across threads (default context)",
    main: `
      const rep = new zmq.Reply(); await rep.bind("inproc://service");
      const worker = new Worker(WORKER_URL);
      worker.on("message", (m) => say("worker got", m));
      for (let i = 0; i < 3; i++) { const [req] = await rep.receive(); await rep.send(String(req).toUpperCase()); }
      await new Promise((r) => worker.once("exit", r)); rep.close();`,
    worker: `
      const req = new zmq.Request(); req.connect("inproc://service");
      for (const word of ["a", "b", "c"]) { await req.send(word); parentPort.postMessage(String(await req.receive())); }
      req.close();`,
  },
  {
    name: "inproc high-water marks across threads (default context)",
    main: `
      const push = new zmq.Push({ sendHighWaterMark: 2, sendTimeout: 200 }); await push.bind("inproc://hwm");
      const worker = new Worker(WORKER_URL);
      await new Promise((r) => worker.once("message", r));
      worker.on("message", (m) => say("worker read", m));
      let sent = 0;
      try { for (;;) { await push.send(String(sent)); sent++; } } catch (e) { say("sent before", e.code, sent); }
      worker.postMessage("read");
      await new Promise((r) => worker.once("exit", r)); push.close();`,
    worker: `
      const pull = new zmq.Pull({ receiveHighWaterMark: 3 }); pull.connect("inproc://hwm");
      parentPort.postMessage("connected");
      await new Promise((r) => parentPort.once("message", r));
      const got = []; for (let i = 0; i < 3; i++) got.push(String(await pull.receive()));
      parentPort.postMessage(got.join(",")); pull.close();`,
  },
  {
    name: "no monitor events for inproc across threads (default context)",
    main: `
      const pull = new zmq.Pull(); const events = [];
      (async () => { for await (const e of pull.events) events.push(e.type); })();
      await pull.bind("inproc://quiet");
      const worker = new Worker(WORKER_URL);
      say("received", String(await pull.receive()));
      await new Promise((r) => worker.once("exit", r));
      pull.close(); await new Promise((r) => setTimeout(r, 50)); say("events", events);`,
    worker: `const push = new zmq.Push(); push.connect("inproc://quiet"); await push.send("x"); push.close();`,
  },
  {
    name: "the default context's options are the same in every thread",
    main: `
      zmq.context.ioThreads = 3; zmq.context.maxSockets = 99; zmq.context.blocky = false;
      const worker = new Worker(WORKER_URL);
      worker.on("message", (m) => say("worker reads", m));
      await new Promise((r) => worker.once("exit", r));
      say("main reads", zmq.context.ipv6, zmq.context.maxMessageSize);`,
    worker: `
      const c = zmq.context;
      parentPort.postMessage([c.ioThreads, c.maxSockets, c.blocky, new zmq.Push().linger].join(" "));
      c.ipv6 = true; c.maxMessageSize = 1234;`,
  },
  {
    name: "a custom context belongs to its thread",
    main: `
      const ctx = new zmq.Context({ ioThreads: 2 });
      const pull = new zmq.Pull({ context: ctx }); await pull.bind("inproc://private");
      const worker = new Worker(WORKER_URL);
      worker.on("message", (m) => say("worker", m));
      await new Promise((r) => worker.once("exit", r)); pull.close();`,
    worker: `
      const s = new zmq.Pull(); await s.bind("inproc://private"); parentPort.postMessage("bound in the default context"); s.close();`,
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

// (A pending receive of a draft socket is no scenario: zeromq.js's poller for its thread-safe
// sockets may wake it early, and it then fails with EAGAIN, depending on timing.)
processScenarios("draft entry", [
  {
    name: "loading it warns; draft sockets idle at the end let the process exit",
    transports: ["tcp"],
    main: `
      const loaded = await import(DRAFT); const draft = loaded.Server ? loaded : loaded.default;
      const server = new draft.Server(); await server.bind(ENDPOINT);
      const client = new draft.Client(); client.connect(ENDPOINT);
      await client.send("hi"); const [body, { routingId }] = await server.receive();
      say("received", String(body), typeof routingId);`,
  },
  {
    name: "an idle udp DISH and RADIO let the process exit",
    transports: ["tcp"],
    main: `
      const loaded = await import(DRAFT); const draft = loaded.Dish ? loaded : loaded.default;
      const udp = ENDPOINT.replace("tcp://", "udp://");
      const dish = new draft.Dish({ receiveTimeout: 50 }); dish.join("g"); await dish.bind(udp);
      const radio = new draft.Radio(); radio.connect(udp);
      for (let i = 0; i < 40; i++) {
        await radio.send("x", { group: "g" });
        if (await dish.receive().then(() => true, () => false)) { say("received"); break; }
      }`,
  },
]);
