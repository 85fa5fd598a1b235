/**
 * The v5 option table (src/v5-compat/options.ts) over a plain object standing in for a v6
 * socket: which v6 property each libzmq id reads and writes, the conversions, and the ids that
 * throw. Against real sockets and the binding: test/conformance/v5-compat/api.test.ts.
 */
import { describe, expect, it } from "vitest";
import * as zmq from "../../../src/entries/v5-compat.js";
import { getOption, optionId, setOption, type OptionTarget } from "../../../src/v5-compat/options.js";

describe("v5 options over v6 properties", () => {
  it.each([
    [zmq.ZMQ_IDENTITY, "routingId", "id"],
    [zmq.ZMQ_LINGER, "linger", 5],
    [zmq.ZMQ_SNDHWM, "sendHighWaterMark", 7],
    [zmq.ZMQ_RCVHWM, "receiveHighWaterMark", 7],
    [zmq.ZMQ_RECOVERY_IVL_MSEC, "recoveryInterval", 9],
    [zmq.ZMQ_RECONNECT_IVL_MAX, "reconnectMaxInterval", 300],
    [zmq.ZMQ_MAXMSGSIZE, "maxMessageSize", 1024],
    [zmq.ZMQ_CURVE_SERVERKEY, "curveServerKey", "key"],
    [zmq.ZMQ_HEARTBEAT_TTL, "heartbeatTimeToLive", 1000],
    [zmq.ZMQ_CONNECT_TIMEOUT, "connectTimeout", 100],
  ])("option %i is the v6 property %s, as it is", (id, property, value) => {
    const socket: OptionTarget = {};
    setOption(socket, id, value);
    expect(socket).toEqual({ [property]: value });
    expect(getOption(socket, id)).toBe(value);
  });

  it("boolean options take any truthy value and read back as 0 or 1", () => {
    const socket: OptionTarget = {};
    setOption(socket, zmq.ZMQ_ROUTER_MANDATORY, "yes");
    setOption(socket, zmq.ZMQ_DELAY_ATTACH_ON_CONNECT, 0);
    expect(socket).toEqual({ mandatory: true, immediate: false });
    expect(getOption(socket, zmq.ZMQ_ROUTER_MANDATORY)).toBe(1);
    expect(getOption(socket, zmq.ZMQ_DELAY_ATTACH_ON_CONNECT)).toBe(0);
  });

  it("ZMQ_IPV4ONLY is the inverse of ipv6 and reads back as a boolean", () => {
    const socket: OptionTarget = {};
    setOption(socket, zmq.ZMQ_IPV4ONLY, 0);
    expect(socket).toEqual({ ipv6: true });
    expect(getOption(socket, zmq.ZMQ_IPV4ONLY)).toBe(false);
    expect(getOption(socket, zmq.ZMQ_IPV6)).toBe(1);
  });

  it("ZMQ_XPUB_VERBOSE sets the verbosity and cannot be read", () => {
    const socket: OptionTarget = {};
    setOption(socket, zmq.ZMQ_XPUB_VERBOSE, 1);
    expect(socket).toEqual({ verbosity: "allSubs" });
    setOption(socket, zmq.ZMQ_XPUB_VERBOSE, 0);
    expect(socket).toEqual({ verbosity: null });
    expect(() => getOption(socket, zmq.ZMQ_XPUB_VERBOSE)).toThrow("Reading ZMQ_XPUB_VERBOSE is not supported");
  });

  it("ZMQ_MECHANISM reads the security mechanism as libzmq's number", () => {
    expect([null, "plain", "curve", "gssapi"].map((m) => getOption({ securityMechanism: m }, "mechanism"))).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it("ZMQ_EVENTS reads readable and writable as poll flags", () => {
    expect(getOption({ readable: true, writable: true }, zmq.ZMQ_EVENTS)).toBe(zmq.ZMQ_POLLIN | zmq.ZMQ_POLLOUT);
    expect(getOption({ readable: false, writable: true }, "_ioevents")).toBe(zmq.ZMQ_POLLOUT);
  });

  it("ZMQ_SUBSCRIBE calls the socket's subscribe, and fails as the binding's call does without one", () => {
    const topics: unknown[] = [];
    setOption({ subscribe: (topic: unknown) => topics.push(topic) }, zmq.ZMQ_SUBSCRIBE, "a");
    expect(topics).toEqual(["a"]);
    expect(() => setOption({}, zmq.ZMQ_UNSUBSCRIBE, "a")).toThrow(
      new TypeError("this._socket.unsubscribe is not a function"),
    );
  });

  it.each([
    ["set", zmq.ZMQ_TYPE],
    ["set", zmq.ZMQ_LAST_ENDPOINT],
    ["set", zmq.ZMQ_MECHANISM],
    ["set", zmq.ZMQ_IO_THREADS],
    ["get", zmq.ZMQ_SUBSCRIBE],
    ["get", zmq.ZMQ_TCP_ACCEPT_FILTER],
    ["get", zmq.ZMQ_ROUTER_HANDOVER],
    ["get", 999],
    ["get", "nonsense"],
    ["get", "toString"],
    ["set", null],
  ])("%s of option %s is an unknown option", (direction, option) => {
    const run = direction === "set" ? () => setOption({}, option, 1) : () => getOption({}, option);
    expect(run).toThrow(new Error("Unknown option"));
  });

  it("the options the v6 API cannot serve throw their own message", () => {
    expect(() => getOption({}, zmq.ZMQ_RCVMORE)).toThrow("ZMQ_RCVMORE is not supported in compatibility mode");
    expect(() => getOption({}, zmq.ZMQ_FD)).toThrow("ZMQ_FD is not supported in compatibility mode");
    expect(() => setOption({}, zmq.ZMQ_ROUTER_RAW, 1)).toThrow("ZMQ_ROUTER_RAW is not supported in compatibility mode");
  });

  it("alias names resolve to their ids; numbers are ids as they are", () => {
    expect(optionId("identity")).toBe(zmq.ZMQ_IDENTITY);
    expect(optionId("_subscribe")).toBe(zmq.ZMQ_SUBSCRIBE);
    expect(optionId(17)).toBe(17);
    expect(Object.keys(zmq.options)).toHaveLength(28);
  });
});

describe("v5 option aliases on sockets", () => {
  it("are accessors on the prototype; a string is set as its UTF-8 bytes", () => {
    const names = Object.getOwnPropertyNames(zmq.Socket.prototype);
    for (const name of Object.keys(zmq.options)) expect(names).toContain(name);
    const dealer = zmq.socket("dealer");
    try {
      dealer.identity = "ü";
      expect(dealer.getsockopt(zmq.ZMQ_IDENTITY)).toBe("ü");
      dealer.linger = 0;
      expect(dealer.linger).toBe(0);
    } finally {
      dealer.close();
    }
  });
});
