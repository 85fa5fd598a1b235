/**
 * Proxy: run/pause/resume/terminate in every state (zeromq.js's control socket fails with EBADF
 * before run() and after termination), forwarding, the sockets while it runs. Stream: zeromq.js
 * has it (raw TCP peers), zmtp does not yet: construction and a basic exchange with a net client.
 */
import { createConnection } from "node:net";
import { ALL_TRANSPORTS, loose, scenarios } from "./harness.js";
import { calls } from "./kit.js";

scenarios("Proxy", [
  {
    name: "before run",
    steps: async (zmq, t) => {
      const proxy = new zmq.Proxy(new zmq.Router(), new zmq.Dealer());
      calls(t, {
        terminate: () => proxy.terminate(),
        pause: () => proxy.pause(),
        resume: () => proxy.resume(),
        "terminate with an argument": () => loose(proxy).terminate!(1),
      });
    },
  },
  {
    name: "run with unbound sockets",
    steps: async (zmq, t) => {
      const front = new zmq.Router();
      const back = new zmq.Dealer();
      t.do("run, neither bound", () => new zmq.Proxy(front, back).run());
      await t.wait("bind front", () => front.bind("tcp://127.0.0.1:*"));
      t.do("run, back not bound", () => new zmq.Proxy(front, back).run());
      t.do("run with an argument", () => loose(new zmq.Proxy(front, back)).run!(1));
    },
  },
  {
    name: "run, forward, terminate",
    transports: ALL_TRANSPORTS,
    steps: async (zmq, t) => {
      const front = new zmq.Router();
      const back = new zmq.Dealer();
      const frontEp = t.endpoint();
      const backEp = t.endpoint();
      await t.wait("bind front", () => front.bind(frontEp));
      await t.wait("bind back", () => back.bind(backEp));
      const proxy = new zmq.Proxy(front, back);
      // Not observed: run() again while running. zeromq.js then closes both sockets under the
      // running proxy's thread and libzmq may abort the process.
      const run = t.do("run", () => proxy.run());
      const client = new zmq.Request();
      const worker = new zmq.Reply();
      client.connect(frontEp);
      worker.connect(backEp);
      await t.wait("client send", () => client.send("question"));
      await t.wait("worker receive", () => worker.receive());
      await t.wait("worker send", () => worker.send("answer"));
      await t.wait("client receive", () => client.receive());
      calls(t, {
        "front bind while running": () => front.bind(t.endpoint()),
        "front receive while running": () => front.receive(),
        "front closed while running": () => front.closed,
        pause: () => proxy.pause(),
        resume: () => proxy.resume(),
        terminate: () => proxy.terminate(),
      });
      if (run !== undefined) await t.wait("run settles", () => run);
      t.note("sockets closed after run", { front: front.closed, back: back.closed });
      calls(t, { "terminate after termination": () => proxy.terminate(), "pause after termination": () => proxy.pause(), "run after termination": () => proxy.run() });
    },
  },
  {
    name: "pause holds messages",
    steps: async (zmq, t) => {
      const front = new zmq.Pull();
      const back = new zmq.Push();
      await t.wait("bind front", () => front.bind("inproc://proxy-pause-front"));
      await t.wait("bind back", () => back.bind("inproc://proxy-pause-back"));
      const proxy = new zmq.Proxy(front, back);
      t.do("run", () => proxy.run());
      const producer = new zmq.Push();
      const consumer = new zmq.Pull();
      producer.connect("inproc://proxy-pause-front");
      consumer.connect("inproc://proxy-pause-back");
      t.do("pause", () => proxy.pause());
      await t.sleep(20);
      await t.wait("send", () => producer.send("held"));
      t.do("receive while paused", () => consumer.receive());
      await t.sleep(50);
      t.do("resume", () => proxy.resume());
      await t.sleep(50);
      t.do("terminate", () => proxy.terminate());
    },
  },
  {
    name: "closing a socket of a running proxy",
    steps: async (zmq, t) => {
      const front = new zmq.Router();
      const back = new zmq.Dealer();
      await t.wait("bind front", () => front.bind("inproc://proxy-close-front"));
      await t.wait("bind back", () => back.bind("inproc://proxy-close-back"));
      const proxy = new zmq.Proxy(front, back);
      t.do("run", () => proxy.run());
      t.do("close front", () => front.close());
      t.note("front closed", front.closed);
      await t.sleep(30);
      t.do("terminate", () => proxy.terminate());
    },
  },
]);

scenarios("Stream", [
  {
    name: "construction",
    steps: async (zmq, t) => {
      const Stream = (zmq as unknown as Record<string, new (o?: object) => Record<string, unknown>>).Stream;
      t.note("exported", typeof Stream);
      const s = t.do("new Stream()", () => new Stream!());
      t.do("new Stream({ notify: false })", () => new Stream!({ notify: false }));
      if (s !== undefined) t.note("state", { type: s.type, notify: s.notify, routingId: s.routingId });
    },
  },
  {
    name: "a raw TCP client",
    steps: async (zmq, t) => {
      const Stream = (zmq as unknown as Record<string, new () => InstanceType<typeof zmq.Router>>).Stream!;
      const server = new Stream();
      await t.wait("bind", () => server.bind("tcp://127.0.0.1:*"));
      const port = Number(server.lastEndpoint!.split(":").pop());
      const client = createConnection(port, "127.0.0.1");
      let got = "";
      client.on("data", (chunk) => (got += chunk.toString()));
      client.on("error", () => undefined);
      // Routing ids are random: each is recorded by its length and first byte.
      const shape = (msg: Buffer[] | undefined) => msg?.map((frame, i) => (i === 0 ? `id: ${frame.length} bytes from ${frame[0]}` : frame.toString()));
      const connected = await t.wait("connect notification", () => server.receive().then(shape));
      void connected;
      client.write("hello");
      let last: Buffer[] | undefined;
      await t.wait("receive", () => server.receive().then((msg) => shape((last = msg))));
      if (last !== undefined) await t.wait("send", () => server.send([last![0]!, "world"]));
      await t.until("client received", () => got.length > 0);
      t.note("client got", got);
      client.destroy();
      await t.wait("disconnect notification", () => server.receive().then(shape));
    },
  },
]);
