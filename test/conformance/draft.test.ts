/**
 * The draft classes (zeromq/draft against zmtp/draft): their shape and options, the routing id
 * and group arguments of send() and what receive() resolves to, join/leave, the single-part rule,
 * traffic of each pair over the transports it takes, and udp:// endpoints as libzmq reads them.
 */
import { ALL_TRANSPORTS, loose, scenarios, type Trial, type Zmq } from "./harness.js";
import { calls, make, type AnySocket } from "./kit.js";

const DRAFT_CLASSES = ["Server", "Client", "Radio", "Dish", "Gather", "Scatter", "Datagram"] as const;

/** receive(), untyped. */
function receive(socket: AnySocket): Promise<unknown[]> {
  return loose(socket).receive!() as Promise<unknown[]>;
}

/** send() with a second argument, untyped. */
function sendWith(socket: AnySocket, message: unknown, options?: unknown): unknown {
  return options === undefined ? loose(socket).send!(message) : loose(socket).send!(message, options);
}

/** A body and its object, as a SERVER's or DISH's receive() gives them, with strings for bytes. */
function shown(received: unknown): unknown {
  if (!Array.isArray(received)) return received;
  return received.map((part: unknown) => {
    if (Buffer.isBuffer(part)) return part.toString();
    if (typeof part !== "object" || part === null) return part;
    const meta = part as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(meta).map(([k, v]) => [k, Buffer.isBuffer(v) ? `<Buffer ${v.toString()}>` : typeof v]),
    );
  });
}

/**
 * Sends `probe` to `group` until the DISH receives one: the RADIO drops what it sends before the
 * DISH's JOIN arrives (and a libzmq DISH that bound sends its JOINs only once it is next called).
 */
async function tuneIn(t: Trial, radio: AnySocket, dish: AnySocket, group: string): Promise<void> {
  dish.receiveTimeout = 20;
  let tuned = false;
  for (let i = 0; i < 100 && !tuned; i++) {
    await sendWith(radio, "probe", { group });
    tuned = await receive(dish).then(
      () => true,
      () => false,
    );
  }
  // Probes still on their way are read off.
  while (
    await receive(dish).then(
      () => true,
      () => false,
    )
  );
  dish.receiveTimeout = 2000;
  t.note(`tuned in to ${group}`, tuned);
}

async function serverAndClient(zmq: Zmq, t: Trial): Promise<{ server: AnySocket; client: AnySocket; id: unknown }> {
  const server = make(zmq, "Server", { receiveTimeout: 2000 });
  const client = make(zmq, "Client", { receiveTimeout: 2000 });
  const ep = t.endpoint();
  await t.wait("bind", () => server.bind(ep));
  client.connect(ep);
  await t.wait("client send", () => sendWith(client, "hello"));
  // The routing id is random: what is recorded is its type.
  let received: unknown[] = [];
  await t.wait("server receive", async () => shown((received = await receive(server))));
  return { server, client, id: (received[1] as { routingId?: unknown } | undefined)?.routingId };
}

scenarios(
  "draft: classes",
  [
    {
      name: "each class, its prototype and a new socket",
      steps: async (zmq, t) => {
        for (const name of DRAFT_CLASSES) {
          const cls = (zmq as unknown as Record<string, { prototype: object; name: string }>)[name]!;
          t.note(`${name} prototype`, Object.getOwnPropertyNames(cls.prototype));
          t.note(`${name} is a Socket`, cls.prototype instanceof zmq.Socket);
          const socket = make(zmq, name);
          t.note(`${name} socket`, {
            type: socket.type,
            threadSafe: socket.threadSafe,
            linger: socket.linger,
            readable: socket.readable,
            writable: socket.writable,
            join: typeof socket.join,
          });
        }
      },
    },
    {
      name: "options of the draft classes",
      steps: async (zmq, t) => {
        for (const name of DRAFT_CLASSES) {
          const socket = make(zmq, name);
          calls(
            t,
            {
              sendHighWaterMark: () => socket.sendHighWaterMark,
              receiveHighWaterMark: () => socket.receiveHighWaterMark,
              "set conflate": () => (socket.conflate = true),
              "set routingId": () => (socket.routingId = "x"),
              "read conflate": () => loose(socket).getBoolOption!(54),
              "XPUB_NODROP 1": () => loose(socket).setBoolOption!(69, true),
              "XPUB_NODROP as a string": () => loose(socket).setStringOption!(69, "x"),
              "XPUB_NODROP -1": () => loose(socket).setInt32Option!(69, -1),
              "read XPUB_NODROP": () => loose(socket).getBoolOption!(69),
            },
            `${name} `,
          );
        }
      },
    },
    {
      name: "constructor options",
      steps: async (zmq, t) => {
        calls(t, {
          "Server with sendHighWaterMark": () => make(zmq, "Server", { sendHighWaterMark: 5 }).sendHighWaterMark,
          "Dish with linger": () => make(zmq, "Dish", { linger: 10 }).linger,
          "Radio with receiveTimeout": () => make(zmq, "Radio", { receiveTimeout: 10 }),
          "Gather with conflate": () => make(zmq, "Gather", { conflate: true }).closed,
          "Datagram with conflate": () => make(zmq, "Datagram", { conflate: true }),
        });
      },
    },
    {
      name: "join and leave",
      steps: async (zmq, t) => {
        const dish = make(zmq, "Dish");
        const join = loose(dish).join!.bind(dish);
        const leave = loose(dish).leave!.bind(dish);
        calls(t, {
          "join nothing": () => join(),
          "join a": () => join("a"),
          "join a again": () => join("a"),
          "join b and b": () => join("b", "b"),
          "join an empty group": () => join(""),
          "join 255 bytes": () => join("g".repeat(255)),
          "join 256 bytes": () => join("g".repeat(256)),
          "join a Buffer with a NUL": () => join(Buffer.from("a\0z")),
          "join a Uint8Array": () => join(new Uint8Array([65, 66])),
          "join a number": () => join(5),
          "join null": () => join(null),
          "join an array": () => join(["c"]),
          "leave nothing": () => leave(),
          "leave a": () => leave("a"),
          "leave a again": () => leave("a"),
          "leave 256 bytes": () => leave("g".repeat(256)),
          "leave a number": () => leave(5),
        });
        for (const name of ["Radio", "Server", "Pull"]) {
          const other = make(zmq, name);
          calls(t, { join: () => loose(other).join!("a"), leave: () => loose(other).leave!("a") }, `${name} `);
        }
        dish.close();
        calls(t, { "join when closed": () => join("x"), "leave when closed": () => leave("x") });
      },
    },
    {
      name: "send and receive on the side a type does not have",
      steps: async (zmq, t) => {
        calls(t, {
          "Radio receive": () => loose(make(zmq, "Radio")).receive!(),
          "Dish send": () => loose(make(zmq, "Dish")).send!("x"),
          "Gather send": () => loose(make(zmq, "Gather", { sendTimeout: 0 })).send!("x"),
          "Scatter receive": () => loose(make(zmq, "Scatter", { receiveTimeout: 0 })).receive!(),
        });
      },
    },
    {
      name: "Radio send arguments",
      steps: async (zmq, t) => {
        const radio = make(zmq, "Radio");
        calls(t, {
          "no options": () => sendWith(radio, "x"),
          "a number": () => sendWith(radio, "x", 5),
          null: () => sendWith(radio, "x", null),
          "no group": () => sendWith(radio, "x", {}),
          "a number group": () => sendWith(radio, "x", { group: 5 }),
          "a null group": () => sendWith(radio, "x", { group: null }),
          "a string group": () => sendWith(radio, "x", { group: "g" }),
          "an empty group": () => sendWith(radio, "x", { group: "" }),
          "a Buffer group": () => sendWith(radio, "x", { group: Buffer.from("g") }),
          "a 300-byte group": () => sendWith(radio, "x", { group: "g".repeat(300) }),
          "a multipart message": () => sendWith(radio, ["a", "b"], { group: "g" }),
          "an empty message": () => sendWith(radio, [], { group: "g" }),
          "three arguments": () => loose(radio).send!("x", { group: "g" }, 1),
        });
        radio.close();
        t.do("when closed", () => sendWith(radio, "x", {}));
      },
    },
    {
      name: "Client, Scatter, Gather: no second argument",
      steps: async (zmq, t) => {
        calls(t, {
          "Client with options": () => sendWith(make(zmq, "Client"), "x", { routingId: 1 }),
          "Scatter with options": () => sendWith(make(zmq, "Scatter"), "x", { group: "g" }),
        });
      },
    },
  ],
  { entry: "draft" },
);

scenarios(
  "draft: SERVER and CLIENT",
  [
    {
      name: "a round trip by routing id",
      transports: ALL_TRANSPORTS,
      steps: async (zmq, t) => {
        const { server, client, id } = await serverAndClient(zmq, t);
        await t.wait("server reply", () => sendWith(server, "world", { routingId: id }));
        await t.wait("client receive", async () => shown(await receive(client)));
        t.do("server multipart", () => sendWith(server, ["a", "b"], { routingId: id }));
        t.do("client multipart", () => sendWith(client, ["a", "b"]));
        t.do("client empty", () => sendWith(client, []));
      },
    },
    {
      name: "Server send arguments",
      transports: ["tcp"],
      steps: async (zmq, t) => {
        const { server, id } = await serverAndClient(zmq, t);
        const other = typeof id === "number" ? (id === 0xffffffff ? 1 : id + 1) : 1;
        calls(t, {
          "no options": () => sendWith(server, "x"),
          "a number": () => sendWith(server, "x", 5),
          null: () => sendWith(server, "x", null),
          "no routingId": () => sendWith(server, "x", {}),
          "routingId as a string": () => sendWith(server, "x", { routingId: "5" }),
          "routingId null": () => sendWith(server, "x", { routingId: null }),
          "routingId 0": () => sendWith(server, "x", { routingId: 0 }),
          "routingId 0 for no parts": () => sendWith(server, [], { routingId: 0 }),
          "routingId 2^32": () => sendWith(server, "x", { routingId: 2 ** 32 }),
          "routingId NaN": () => sendWith(server, "x", { routingId: Number.NaN }),
          "an unknown routingId": () => sendWith(server, "x", { routingId: other }),
          "routingId -1": () => sendWith(server, "x", { routingId: -1 }),
          "the peer's id + 2^32": () => sendWith(server, "x", { routingId: (id as number) + 2 ** 32 }),
          "three arguments": () => loose(server).send!("x", { routingId: id }, 1),
        });
      },
    },
  ],
  { entry: "draft" },
);

scenarios(
  "draft: RADIO and DISH",
  [
    {
      name: "joined groups arrive with their group, others not",
      transports: ALL_TRANSPORTS,
      steps: async (zmq, t) => {
        const radio = make(zmq, "Radio");
        const dish = make(zmq, "Dish", { receiveTimeout: 2000 });
        loose(dish).join!("weather", "news");
        const ep = t.endpoint();
        await t.wait("bind", () => dish.bind(ep));
        radio.connect(ep);
        await tuneIn(t, radio, dish, "weather");
        await t.wait("send sports", () => sendWith(radio, "goal", { group: "sports" }));
        await t.wait("send weather", () => sendWith(radio, "rain", { group: "weather" }));
        await t.wait("send news", () => sendWith(radio, "vote", { group: "news" }));
        await t.wait("first", async () => shown(await receive(dish)));
        await t.wait("second", async () => shown(await receive(dish)));
        dish.receiveTimeout = 100;
        await t.wait("third", async () => shown(await receive(dish)));
      },
    },
    {
      name: "over udp",
      transports: ["udp"],
      steps: async (zmq, t) => {
        const dish = make(zmq, "Dish", { receiveTimeout: 2000 });
        const radio = make(zmq, "Radio");
        const ep = t.endpoint();
        t.events(dish, "dish events");
        t.events(radio, "radio events");
        loose(dish).join!("a");
        await t.wait("bind", () => dish.bind(ep));
        t.note("dish lastEndpoint", dish.lastEndpoint);
        t.do("connect", () => radio.connect(ep));
        t.note("radio lastEndpoint", radio.lastEndpoint);
        await tuneIn(t, radio, dish, "a");
        await t.wait("send b", () => sendWith(radio, "no", { group: "b" }));
        await t.wait("send a", () => sendWith(radio, "yes", { group: "a" }));
        await t.wait("received", async () => shown(await receive(dish)));
        t.do("unbind", () => dish.unbind(ep));
        t.do("disconnect", () => radio.disconnect(ep));
        t.do("disconnect again", () => radio.disconnect(ep));
      },
    },
  ],
  { entry: "draft" },
);

scenarios(
  "draft: SCATTER and GATHER",
  [
    {
      name: "messages in order; multipart refused",
      transports: ALL_TRANSPORTS,
      steps: async (zmq, t) => {
        const scatter = make(zmq, "Scatter");
        const gather = make(zmq, "Gather", { receiveTimeout: 2000 });
        const ep = t.endpoint();
        await t.wait("bind", () => gather.bind(ep));
        scatter.connect(ep);
        await t.wait("send 1", () => sendWith(scatter, "1"));
        await t.wait("send 2", () => sendWith(scatter, "2"));
        await t.wait("receive 1", async () => shown(await receive(gather)));
        await t.wait("receive 2", async () => shown(await receive(gather)));
        t.do("multipart", () => sendWith(scatter, ["a", "b"]));
      },
    },
  ],
  { entry: "draft" },
);

scenarios(
  "draft: DGRAM",
  [
    {
      name: "a datagram each way, and the part checks",
      transports: ["udp"],
      steps: async (zmq, t) => {
        const a = make(zmq, "Datagram", { receiveTimeout: 2000 });
        const b = make(zmq, "Datagram", { receiveTimeout: 2000 });
        const epA = t.endpoint();
        const epB = t.endpoint();
        await t.wait("bind a", () => a.bind(epA));
        await t.wait("bind b", () => b.bind(epB));
        const to = epB.replace("udp://", "");
        await t.wait("send", () => sendWith(a, [to, "hello"]));
        await t.wait("b received", async () => shown(await receive(b)));
        calls(t, {
          "one part": () => sendWith(a, "alone"),
          "three parts": () => sendWith(a, [to, "y", "z"]),
          "two parts, left open": () => sendWith(a, [to, "w"]),
          "one part, completing": () => sendWith(a, "v"),
          "to a host name": () => sendWith(a, ["localhost:1", "dropped"]),
          "two parts": () => sendWith(a, [to, "u"]),
        });
        await t.wait("then", async () => shown(await receive(b)));
        await t.wait("and", async () => shown(await receive(b)));
      },
    },
    {
      name: "before a bind",
      steps: async (zmq, t) => {
        const d = make(zmq, "Datagram", { sendTimeout: 0 });
        calls(t, { "send, sendTimeout 0": () => sendWith(d, ["127.0.0.1:1", "x"]) });
        t.do("send, waiting", () => sendWith(make(zmq, "Datagram"), ["127.0.0.1:1", "x"]));
      },
    },
  ],
  { entry: "draft" },
);

/** [socket class, operation, address]: each becomes one recorded call. */
const UDP_CASES: Array<[string, "bind" | "connect" | "unbind" | "disconnect", string]> = [
  ["Dish", "bind", "udp://127.0.0.1:PORT"],
  ["Dish", "bind", "udp://*:PORT"],
  ["Dish", "bind", "udp://localhost:PORT"],
  ["Dish", "bind", "udp://lo:PORT"],
  ["Dish", "bind", "udp://127.0.0.1:*"],
  ["Dish", "bind", "udp://239.1.2.3:PORT"],
  ["Dish", "bind", "udp://127.0.0.1;239.1.2.3:PORT"],
  ["Dish", "bind", "udp://127.0.0.1"],
  ["Dish", "bind", "udp://127.0.0.1:abc"],
  ["Dish", "bind", "udp://300.1.1.1:PORT"],
  ["Dish", "bind", "udp://[::1]:PORT"],
  ["Dish", "bind", "udp://:PORT"],
  ["Dish", "bind", "udp://127.0.0.1;127.0.0.1:PORT"],
  ["Dish", "bind", "udp://239.1.1.1;239.1.2.3:PORT"],
  ["Dish", "bind", "udp://127.0.0.1:5;239.1.2.3:PORT"],
  ["Dish", "bind", "udp://no.such.host.invalid:PORT"],
  ["Dish", "connect", "udp://127.0.0.1:PORT"],
  ["Dish", "unbind", "udp://127.0.0.1:PORT"],
  ["Datagram", "bind", "udp://127.0.0.1:PORT"],
  ["Datagram", "connect", "udp://127.0.0.1:PORT"],
  ["Radio", "connect", "udp://127.0.0.1:PORT"],
  ["Radio", "connect", "udp://127.0.0.1:0"],
  ["Radio", "connect", "udp://localhost:PORT"],
  ["Radio", "connect", "udp://239.1.2.3:PORT"],
  ["Radio", "connect", "udp://127.0.0.1;239.1.2.3:PORT"],
  ["Radio", "connect", "udp://*:PORT"],
  ["Radio", "connect", "udp://127.0.0.1:*"],
  ["Radio", "connect", "udp://127.0.0.1"],
  ["Radio", "connect", "udp://[::1]:PORT"],
  ["Radio", "connect", "udp://127.0.0.1;127.0.0.1:PORT"],
  ["Radio", "connect", "udp://no.such.host.invalid:PORT"],
  ["Radio", "bind", "udp://127.0.0.1:PORT"],
  ["Radio", "disconnect", "udp://127.0.0.1:PORT"],
  ["Server", "bind", "udp://127.0.0.1:PORT"],
  ["Server", "connect", "udp://127.0.0.1:PORT"],
  ["Gather", "unbind", "udp://127.0.0.1:PORT"],
  ["Push", "bind", "udp://127.0.0.1:PORT"],
  ["Pull", "disconnect", "udp://127.0.0.1:PORT"],
];

scenarios(
  "draft: udp endpoints",
  UDP_CASES.map(([cls, op, address]) => ({
    name: `${cls} ${op} ${address}`,
    transports: ["udp"] as const,
    ports: 1,
    steps: async (zmq: Zmq, t: Trial) => {
      const port = t.endpoint().split(":").pop()!;
      const socket = make(zmq, cls);
      const uri = address.replace("PORT", port);
      if (op === "bind" || op === "unbind") await t.wait(op, () => loose(socket)[op]!(uri));
      else t.do(op, () => loose(socket)[op]!(uri));
      t.note("lastEndpoint", socket.lastEndpoint);
    },
  })),
  { entry: "draft" },
);
