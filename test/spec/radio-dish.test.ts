/**
 * RADIO and DISH as RFC 48 (RADIO-DISH) and libzmq 4.3.5 state them, through the public API with
 * ours on both sides: over every ZMTP transport, and over udp:// (unicast and multicast on the
 * loopback interface); the wire forms against raw peers.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Dish, Radio } from "../../src/entries/draft.js";
import { FLAG_MORE, RawPeer, command, frame, handshake } from "../helpers/raw-peer.js";
import { TRANSPORTS, expectNothing, failure, joined, type Transport, useHarness } from "../helpers/sockets.js";
import { until } from "../helpers/time.js";
import { freeUdpPort } from "../helpers/udp.js";

const h = useHarness();

/** send() with arguments its type refuses (a multipart message where single parts are declared). */
function untyped(socket: object, ...args: unknown[]): Promise<void> {
  return (socket as { send(...a: unknown[]): Promise<void> }).send(...args);
}

/** Waits until `radio` has taken `count` JOIN/LEAVE commands off the wire (inproc applies them at once). */
function heard(radio: Radio, transport: Transport, count: number): Promise<void> {
  if (transport === "inproc") return Promise.resolve();
  return until(() => radio.statistics.messagesIn >= count, undefined, `${count} JOIN/LEAVE at the RADIO`);
}

async function receiveText(dish: Dish): Promise<[string, string]> {
  const [body, { group }] = await dish.receive();
  return [group.toString(), body.toString()];
}

describe.each(TRANSPORTS)("RADIO / DISH over %s", (transport) => {
  // RFC 48 §2.1: a DISH "SHALL deliver" messages of the groups it joined, with their group.
  it("DISH receives the messages of the groups it joined, each with its group, and no others", async () => {
    const radio = h.open(Radio);
    const dish = h.open(Dish);
    dish.join("weather", "news");
    dish.connect(await h.bound(radio, transport));
    await heard(radio, transport, 2);
    await radio.send("rain", { group: "weather" });
    await radio.send("goal", { group: "sports" });
    await radio.send("election", { group: "news" });
    expect(await receiveText(dish)).toEqual(["weather", "rain"]);
    expect(await receiveText(dish)).toEqual(["news", "election"]);
    await expectNothing(dish, 50);
  });

  // RFC 48 §2.2: the RADIO filters: groups no DISH joined are not sent to it.
  it("RADIO sends a DISH only what it joined (the filtering is at the RADIO)", async () => {
    const radio = h.open(Radio);
    const dish = h.open(Dish);
    const ep = await h.bound(dish, transport);
    dish.join("a");
    radio.connect(ep);
    await joined(radio);
    await heard(radio, transport, 1);
    for (let i = 0; i < 5; i++) await radio.send(`b${i}`, { group: "b" });
    await radio.send("a0", { group: "a" });
    expect(await receiveText(dish)).toEqual(["a", "a0"]);
    if (transport !== "inproc") expect(dish.statistics.messagesIn).toBe(1);
  });

  it("a leave stops delivery of that group; a join later starts it", async () => {
    const radio = h.open(Radio);
    const dish = h.open(Dish);
    dish.connect(await h.bound(radio, transport));
    await joined(dish);
    dish.join("g");
    await heard(radio, transport, 1);
    await radio.send("1", { group: "g" });
    expect(await receiveText(dish)).toEqual(["g", "1"]);
    dish.leave("g");
    await heard(radio, transport, 2);
    await radio.send("2", { group: "g" });
    await expectNothing(dish, 50);
    dish.join("g");
    await heard(radio, transport, 3);
    await radio.send("3", { group: "g" });
    expect(await receiveText(dish)).toEqual(["g", "3"]);
  });

  it("two DISHes get the groups each joined; one joined by both reaches both", async () => {
    const radio = h.open(Radio);
    const d1 = h.open(Dish);
    const d2 = h.open(Dish);
    const ep = await h.bound(radio, transport);
    d1.join("one", "both");
    d2.join("two", "both");
    d1.connect(ep);
    d2.connect(ep);
    await heard(radio, transport, 4);
    for (const group of ["one", "two", "both"]) await radio.send(group, { group });
    expect(await receiveText(d1)).toEqual(["one", "one"]);
    expect(await receiveText(d1)).toEqual(["both", "both"]);
    expect(await receiveText(d2)).toEqual(["two", "two"]);
    expect(await receiveText(d2)).toEqual(["both", "both"]);
  });

  // libzmq: ZMQ_GROUP_MAX_LENGTH is 255; zmq_msg_set_group cuts a longer group (strnlen), zmq_join refuses it.
  it("groups are exact byte strings of up to 255 bytes: a RADIO cuts longer ones, a DISH refuses to join one", async () => {
    const radio = h.open(Radio);
    const dish = h.open(Dish);
    const long = "g".repeat(255);
    expect(await failure(() => dish.join(`${long}x`))).toMatchObject({ code: "EINVAL" });
    dish.join(long, "");
    dish.connect(await h.bound(radio, transport));
    await heard(radio, transport, 2);
    await radio.send("cut", { group: `${long}xyz` });
    await radio.send("prefix", { group: "g" });
    await radio.send("empty", { group: "" });
    expect(await receiveText(dish)).toEqual([long, "cut"]);
    expect(await receiveText(dish)).toEqual(["", "empty"]);
  });

  it("a RADIO refuses a multipart message with EINVAL", async () => {
    const radio = h.open(Radio);
    const dish = h.open(Dish);
    dish.join("g");
    dish.connect(await h.bound(radio, transport));
    await heard(radio, transport, 1);
    expect(await failure(() => untyped(radio, ["a", "b"], { group: "g" }))).toMatchObject({ code: "EINVAL" });
    await radio.send("whole", { group: "g" });
    expect(await receiveText(dish)).toEqual(["g", "whole"]);
  });
});

describe("RADIO / DISH rules", () => {
  it("joining a group twice, or leaving one not joined, is EINVAL; a group is a C string (cut at NUL)", () => {
    const dish = h.open(Dish);
    dish.join("a");
    expect(() => dish.join("a")).toThrow(expect.objectContaining({ code: "EINVAL" }) as Error);
    expect(() => dish.join(Buffer.from("a\0b"))).toThrow(expect.objectContaining({ code: "EINVAL" }) as Error);
    expect(() => dish.leave("b")).toThrow(expect.objectContaining({ code: "EINVAL" }) as Error);
    dish.leave("a");
    expect(() => dish.leave("a")).toThrow(expect.objectContaining({ code: "EINVAL" }) as Error);
  });

  it("ZMQ_XPUB_NODROP on a RADIO: a send that finds a joined peer full fails with EAGAIN instead of dropping", async () => {
    const radio = h.open(Radio, { sendHighWaterMark: 2 });
    const dish = h.open(Dish, { receiveHighWaterMark: 2 });
    dish.join("g");
    dish.connect(await h.bound(radio, "inproc"));
    radio.setBoolOption(69, true);
    let sent = 0;
    for (; sent < 10; sent++) {
      const err = await failure(() => radio.send(`${sent}`, { group: "g" })).catch(() => null);
      if (err !== null) {
        expect(err).toMatchObject({ code: "EAGAIN" });
        break;
      }
    }
    expect(sent).toBe(4);
  });

  it("without it, a full DISH misses messages and the RADIO never waits", async () => {
    const radio = h.open(Radio, { sendHighWaterMark: 2 });
    const dish = h.open(Dish, { receiveHighWaterMark: 2 });
    dish.join("g");
    dish.connect(await h.bound(radio, "inproc"));
    for (let i = 0; i < 10; i++) await radio.send(`${i}`, { group: "g" });
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push((await receiveText(dish))[1]);
    expect(got).toEqual(["0", "1", "2", "3"]);
    await expectNothing(dish, 50);
  });

  it("a DISH's groups are joined again when its connection to the RADIO is made again", async () => {
    const radio = h.open(Radio);
    const ep = await h.bound(radio, "tcp");
    const dish = h.open(Dish);
    dish.join("g");
    dish.connect(ep);
    await heard(radio, "tcp", 1);
    radio.close();
    const again = h.open(Radio);
    await again.bind(ep);
    await heard(again, "tcp", 1);
    await again.send("after", { group: "g" });
    expect(await receiveText(dish)).toEqual(["g", "after"]);
  });
});

describe("RADIO / DISH on the wire (ZMTP)", () => {
  it("a DISH sends JOIN and LEAVE commands (name and group, nothing else), groups joined before first", async () => {
    const dish = h.open(Dish);
    dish.join("early");
    const port = Number((await h.bound(dish, "tcp")).split(":").pop());
    const raw = await RawPeer.connect(port);
    raw.send(handshake("RADIO"));
    await raw.waitFrame((f) => f.name === "JOIN");
    dish.join("late");
    dish.leave("early");
    await raw.waitFrame((f) => f.name === "LEAVE");
    const commands = raw.output.frames
      .filter((f) => f.command && f.name !== "READY")
      .map((f) => f.body.toString("hex"));
    expect(commands).toEqual([
      Buffer.from("\x04JOINearly").toString("hex"),
      Buffer.from("\x04JOINlate").toString("hex"),
      Buffer.from("\x05LEAVEearly").toString("hex"),
    ]);
    raw.destroy();
  });

  it("a RADIO sends each message as a group frame (MORE) and a body frame, to peers that sent JOIN", async () => {
    const radio = h.open(Radio);
    const port = Number((await h.bound(radio, "tcp")).split(":").pop());
    const raw = await RawPeer.connect(port);
    raw.send(handshake("DISH"), command("JOIN", Buffer.from("g")));
    await heard(radio, "tcp", 1);
    await radio.send("other", { group: "x" });
    await radio.send("body", { group: "g" });
    await raw.until(() => raw.output.frames.filter((f) => !f.command).length >= 2);
    const data = raw.output.frames.filter((f) => !f.command);
    expect(data.map((f) => [f.body.toString(), f.more])).toEqual([
      ["g", true],
      ["body", false],
    ]);
    raw.destroy();
  });

  // dish_session.cpp: anything but a group frame (MORE, at most 255 bytes) and a body is EFAULT,
  // which ends the connection as a protocol error.
  it.each([
    ["a single frame", [frame(Buffer.from("g"))]],
    ["three frames", [frame(Buffer.from("g"), FLAG_MORE), frame(Buffer.from("a"), FLAG_MORE), frame(Buffer.from("b"))]],
    ["a 256-byte group", [frame(Buffer.alloc(256, 0x67), FLAG_MORE), frame(Buffer.from("b"))]],
  ])("a DISH closes a RADIO connection that sends %s", async (_name, frames) => {
    const dish = h.open(Dish);
    dish.join("g");
    const port = Number((await h.bound(dish, "tcp")).split(":").pop());
    const raw = await RawPeer.connect(port);
    raw.send(handshake("RADIO"), ...frames);
    await raw.waitClose();
    await expectNothing(dish, 50);
  });
});

/** A multicast group of 239.0.0.0/8 unlikely to be used by a test running beside this one. */
function multicastGroup(): string {
  return `239.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
}

/** A raw UDP socket bound on 127.0.0.1, collecting what it receives. */
async function rawUdp(): Promise<{ socket: UdpSocket; port: number; got: Buffer[] }> {
  const socket = createSocket("udp4");
  const got: Buffer[] = [];
  socket.on("message", (datagram) => got.push(datagram));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { socket, port: socket.address().port, got };
}

describe("RADIO / DISH over udp://", () => {
  it("unicast: the DISH filters groups (the RADIO sends everything), each message one datagram", async () => {
    const port = await freeUdpPort();
    const dish = h.open(Dish);
    dish.join("a");
    await dish.bind(`udp://127.0.0.1:${port}`);
    expect(dish.lastEndpoint).toBe(`127.0.0.1:${port}`);
    const radio = h.open(Radio);
    radio.connect(`udp://127.0.0.1:${port}`);
    expect(radio.lastEndpoint).toBe(`127.0.0.1:${port}`);
    await radio.send("no", { group: "b" });
    await radio.send("yes", { group: "a" });
    expect(await receiveText(dish)).toEqual(["a", "yes"]);
    await until(() => dish.statistics.messagesIn === 2, undefined, "both datagrams at the DISH");
    await expectNothing(dish, 50);
  });

  it.each([
    ["an interface address", "127.0.0.1"],
    ["an interface name", "lo"],
  ])("multicast with the loopback interface given as %s (source;group:port)", async (_name, source) => {
    const group = multicastGroup();
    const port = await freeUdpPort();
    const ep = `udp://${source};${group}:${port}`;
    const d1 = h.open(Dish);
    const d2 = h.open(Dish);
    d1.join("m");
    d2.join("m");
    await d1.bind(ep);
    await d2.bind(ep);
    const radio = h.open(Radio);
    radio.connect(`udp://127.0.0.1;${group}:${port}`);
    await radio.send("to all", { group: "m" });
    expect(await receiveText(d1)).toEqual(["m", "to all"]);
    expect(await receiveText(d2)).toEqual(["m", "to all"]);
  });

  it("the datagram is group length, group, body (libzmq's udp_engine)", async () => {
    const raw = await rawUdp();
    const radio = h.open(Radio);
    radio.connect(`udp://127.0.0.1:${raw.port}`);
    await radio.send("body", { group: "grp" });
    await until(() => raw.got.length === 1, undefined, "the datagram");
    expect(raw.got[0]).toEqual(Buffer.from("\x03grpbody", "latin1"));
    raw.socket.close();
  });

  it("a DISH ignores a datagram whose group does not fit and takes groups of up to 255 bytes", async () => {
    const port = await freeUdpPort();
    const dish = h.open(Dish);
    const long = "L".repeat(200);
    dish.join("g", long);
    await dish.bind(`udp://127.0.0.1:${port}`);
    const raw = await rawUdp();
    raw.socket.send(Buffer.from([9, 0x67]), port, "127.0.0.1");
    raw.socket.send(Buffer.concat([Buffer.from([200]), Buffer.from(long), Buffer.from("long")]), port, "127.0.0.1");
    raw.socket.send(Buffer.from("\x01gok", "latin1"), port, "127.0.0.1");
    expect(await receiveText(dish)).toEqual([long, "long"]);
    expect(await receiveText(dish)).toEqual(["g", "ok"]);
    raw.socket.close();
  });

  it("udp:// is for RADIO connect and DISH bind only (ENOCOMPATPROTO), and a bound one cannot be unbound (ENOENT)", async () => {
    const port = await freeUdpPort();
    const ep = `udp://127.0.0.1:${port}`;
    expect(await failure(() => h.open(Radio).bind(ep))).toMatchObject({ code: "ENOCOMPATPROTO" });
    expect(() => h.open(Dish).connect(ep)).toThrow(expect.objectContaining({ code: "ENOCOMPATPROTO" }) as Error);
    const dish = h.open(Dish);
    await dish.bind(ep);
    expect(await failure(() => dish.unbind(ep))).toMatchObject({ code: "ENOENT" });
    const radio = h.open(Radio);
    radio.connect(ep);
    radio.disconnect(ep);
    expect(() => radio.disconnect(ep)).toThrow(expect.objectContaining({ code: "ENOENT" }) as Error);
  });
});
