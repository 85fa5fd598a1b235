/**
 * tcpAcceptFilter (ZMQ_TCP_ACCEPT_FILTER): filters parsed as libzmq's tcp_address_mask_t parses
 * them (the cases below were checked against the binding), and a tcp listener that closes peers
 * in none of the networks, as libzmq's tcp_listener does.
 */
import { createConnection } from "node:net";
import { describe, expect, it } from "vitest";
import { Pull, Push } from "../../../src/index.js";
import { matchesMask, parseAddressMask } from "../../../src/transports/tcp-address-mask.js";
import { collectEvents, expectNothing, text, useHarness } from "../../helpers/sockets.js";
import { until } from "../../helpers/time.js";

const h = useHarness();

describe("parseAddressMask", () => {
  it.each([
    ["127.0.0.1", false, [127, 0, 0, 1], 32],
    ["127.1", false, [127, 0, 0, 1], 32],
    ["0x7f.0.0.1", false, [127, 0, 0, 1], 32],
    ["0177.0.0.1/8", false, [127, 0, 0, 1], 8],
    ["127.0.0.1/0", false, [127, 0, 0, 1], 0],
    ["127.0.0.1/01", false, [127, 0, 0, 1], 1],
    ["127.0.0.1/8x", false, [127, 0, 0, 1], 8],
    ["127.0.0.1%lo", false, [127, 0, 0, 1], 32],
  ])("reads %s (ipv6 %s) as libzmq does", (text, ipv6, bytes, prefix) => {
    expect(parseAddressMask(text, ipv6)).toEqual({ bytes: Uint8Array.from(bytes), prefix });
  });

  it("maps an IPv4 network into IPv6 when the socket has ipv6, prefix counted in IPv6 bits", () => {
    const mask = parseAddressMask("10.0.0.0/64", true)!;
    expect([...mask.bytes]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 0]);
    expect(mask.prefix).toBe(64);
    expect(parseAddressMask("[::1]", true)!.prefix).toBe(128);
    expect(parseAddressMask("fe80::1%lo/10", true)!.bytes[0]).toBe(0xfe);
  });

  it.each([
    ["::1", false],
    ["localhost", false],
    [" 127.0.0.1", false],
    ["127.0.0.1/", false],
    ["127.0.0.1/33", false],
    ["127.0.0.1/-1", false],
    ["127.0.0.1/00", false],
    ["256.0.0.1", false],
    ["08.0.0.1", false],
    ["127.0.0.1%", false],
    ["::1/129", true],
    ["127.0.0.1/129", true],
    ["1::2::3", true],
  ])("refuses %s (ipv6 %s): EINVAL in libzmq", (text, ipv6) => {
    expect(parseAddressMask(text, ipv6)).toBeNull();
  });
});

describe("matchesMask", () => {
  it("compares the prefix's bits, whole bytes and the partial one", () => {
    const net = parseAddressMask("192.168.4.0/22", false)!;
    expect(matchesMask(net, "192.168.7.255", "IPv4")).toBe(true);
    expect(matchesMask(net, "192.168.8.1", "IPv4")).toBe(false);
    expect(matchesMask(parseAddressMask("1.2.3.4/0", false)!, "9.9.9.9", "IPv4")).toBe(true);
  });

  it("never matches a peer of the other family (an IPv4 filter set before ipv6 on a dual-stack listener)", () => {
    expect(matchesMask(parseAddressMask("127.0.0.1", false)!, "::ffff:127.0.0.1", "IPv6")).toBe(false);
    expect(matchesMask(parseAddressMask("127.0.0.1", true)!, "::ffff:127.0.0.1", "IPv6")).toBe(true);
  });

  it("keeps libzmq's quirk: a short prefix of a mapped network matches every IPv4 peer", () => {
    expect(matchesMask(parseAddressMask("10.0.0.0/8", true)!, "::ffff:127.0.0.1", "IPv6")).toBe(true);
  });
});

describe("tcpAcceptFilter on a tcp listener", () => {
  it("closes a peer outside every network and reports accept:error, nothing accepted", async () => {
    const pull = h.open(Pull, { tcpAcceptFilter: "10.0.0.1" });
    const errors = collectEvents(pull, "accept:error");
    const accepts = collectEvents(pull, "accept");
    const endpoint = await h.bound(pull, "tcp");
    const push = h.open(Push, { reconnectInterval: 20 });
    push.connect(endpoint);
    void push.send("blocked").catch(() => undefined);
    await until(() => errors.length >= 2);
    expect(errors[0]).toMatchObject({ address: endpoint, error: { code: "EAGAIN" } });
    expect(accepts).toEqual([]);
    await expectNothing(pull);
  });

  it("accepts a peer in one of the networks", async () => {
    const pull = h.open(Pull);
    pull.tcpAcceptFilter = "10.0.0.0/8";
    pull.tcpAcceptFilter = "127.0.0.0/8";
    const endpoint = await h.bound(pull, "tcp");
    const push = h.open(Push);
    push.connect(endpoint);
    await push.send("allowed");
    expect(text(await pull.receive())).toEqual(["allowed"]);
  });

  it("lets everyone in once cleared with null", async () => {
    const pull = h.open(Pull, { tcpAcceptFilter: "10.0.0.1" });
    pull.tcpAcceptFilter = null;
    const endpoint = await h.bound(pull, "tcp");
    const push = h.open(Push);
    push.connect(endpoint);
    await push.send("open");
    expect(text(await pull.receive())).toEqual(["open"]);
  });

  it("keeps the filters a bind had: a filter set afterwards applies to later binds only", async () => {
    const pull = h.open(Pull);
    const before = await h.bound(pull, "tcp");
    pull.tcpAcceptFilter = "10.0.0.1";
    const after = await h.bound(pull, "tcp");
    const errors = collectEvents(pull, "accept:error");
    const raw = createConnection({ host: "127.0.0.1", port: Number(after.slice(after.lastIndexOf(":") + 1)) });
    raw.on("error", () => undefined);
    await until(() => errors.length === 1);
    raw.destroy();
    const push = h.open(Push);
    push.connect(before);
    await push.send("earlier bind");
    expect(text(await pull.receive())).toEqual(["earlier bind"]);
  });

  it("does not filter ws:// (libzmq's ws listener has no accept filter)", async () => {
    const pull = h.open(Pull, { tcpAcceptFilter: "10.0.0.1" });
    const endpoint = await h.bound(pull, "ws");
    const push = h.open(Push);
    push.connect(endpoint);
    await push.send("over ws");
    expect(text(await pull.receive())).toEqual(["over ws"]);
  });
});
