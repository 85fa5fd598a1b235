import { describe, expect, it } from "vitest";
import {
  checkEndpoint,
  checkTcpConnect,
  formatTcpEndpoint,
  formatWsEndpoint,
  parseIpc,
  parseTcpBind,
  parseTcpConnect,
  parseUri,
  parseWs,
} from "../../../src/transports/endpoint.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? "no code";
  }
  return undefined;
}

// The expected codes were read off libzmq 4.3.5 through the zeromq package (bind/connect of each
// address); the conformance suite checks the same against the binding on every run.
describe("endpoints as libzmq reads them", () => {
  it.each([
    ["", "EINVAL"],
    ["127.0.0.1:5555", "EINVAL"],
    ["tcp", "EINVAL"],
    ["tcp://", "EINVAL"],
    ["inproc://", "EINVAL"],
    ["TCP://127.0.0.1:5555", "EPROTONOSUPPORT"],
    ["foo://bar", "EPROTONOSUPPORT"],
    ["pgm://127.0.0.1;239.192.1.1:5555", "EPROTONOSUPPORT"],
    ["udp://127.0.0.1:5555", "ENOCOMPATPROTO"],
  ])("%j is refused before any transport: %s", (uri, code) => {
    expect(codeOf(() => checkEndpoint(uri, true))).toBe(code);
    expect(codeOf(() => checkEndpoint(uri, false))).toBe(code);
  });

  it("splits protocol and address at the first ://", () => {
    expect(parseUri("ipc:///tmp/x://y")).toEqual({ protocol: "ipc", address: "/tmp/x://y" });
  });

  it.each([
    ["127.0.0.1:5555", 5555],
    ["127.0.0.1:*", 0],
    ["*:0", 0],
    ["127.0.0.1:-1", 65535],
    ["127.0.0.1:12ab", 12],
    ["[::1]:7", 7],
  ])("bind tcp://%s: port as libzmq's atoi into a uint16 gives %d", (address, port) => {
    expect(parseTcpBind(`tcp://${address}`, address).port).toBe(port);
  });

  it.each(["127.0.0.1", "127.0.0.1:", "127.0.0.1:abc", "127.0.0.1:65536"])("bind tcp://%s is EINVAL", (address) => {
    expect(codeOf(() => parseTcpBind(`tcp://${address}`, address))).toBe("EINVAL");
  });

  it.each([
    ["127.0.0.1:65536", undefined],
    [":5555", undefined],
    ["256.0.0.1:5555", undefined],
    ["[::1", undefined],
    ["localhost:5555", undefined],
    ["127.0.0.1:0", undefined],
    ["127.0.0.1:0;127.0.0.1:5555", undefined],
    ["127.0.0.1", "EINVAL"],
    ["127.0.0.1:", "EINVAL"],
    ["127.0.0.1:abc", "EINVAL"],
    ["127.0.0.1:-1", "EINVAL"],
    ["*:*", "EINVAL"],
    ["lo:*", "EINVAL"],
    ["[::1]:*", "EINVAL"],
  ])("connect tcp://%s passes libzmq's syntax check: %s", (address, code) => {
    expect(codeOf(() => checkTcpConnect(`tcp://${address}`, address))).toBe(code);
  });

  it("a source address comes before the last ';' when dialling", () => {
    expect(parseTcpConnect("tcp://127.0.0.1:0;10.0.0.1:5555", "127.0.0.1:0;10.0.0.1:5555")).toEqual({
      host: "10.0.0.1",
      port: 5555,
      source: { host: "127.0.0.1", port: 0 },
    });
    expect(codeOf(() => parseTcpConnect("tcp://h:65536", "h:65536"))).toBe("EINVAL");
  });

  it("ipc paths longer than sun_path allows are ENAMETOOLONG", () => {
    expect(parseIpc("ipc://@name", "@name")).toBe("@name");
    expect(codeOf(() => parseIpc("ipc://x", `/tmp/${"x".repeat(120)}`))).toBe("ENAMETOOLONG");
  });

  it("formats tcp endpoints with IPv6 hosts in brackets", () => {
    expect(formatTcpEndpoint("127.0.0.1", 5555)).toBe("tcp://127.0.0.1:5555");
    expect(formatTcpEndpoint("::1", 5555)).toBe("tcp://[::1]:5555");
  });
});

// Read off libzmq 4.3.5 through the zeromq package, as above; where zmtp differs it says so.
describe("ws endpoints", () => {
  it("splits host, port and path at the first '/', the path '/' when none", () => {
    expect(parseWs("u", "127.0.0.1:5555", true)).toEqual({ host: "127.0.0.1", port: 5555, path: "/" });
    expect(parseWs("u", "*:*/zmq", true)).toEqual({ host: "*", port: 0, path: "/zmq" });
    expect(parseWs("u", "[::1]:80/a:b?x=1", false)).toEqual({ host: "[::1]", port: 80, path: "/a:b?x=1" });
    // libzmq splits at the last '/' (bind EINVAL, connect requests "/b"): zmtp keeps it whole.
    expect(parseWs("u", "h:1/a/b", false).path).toBe("/a/b");
  });

  it.each([
    ["127.0.0.1/x", true],
    ["127.0.0.1:abc/x", true],
    ["127.0.0.1:65536/x", true],
    [":5555/x", false],
    ["*:5555/x", false],
    ["127.0.0.1:*/x", false],
    ["127.0.0.1:1;127.0.0.1:2/x", false],
  ])("%s is EINVAL (bind: %s)", (address, forBind) => {
    expect(codeOf(() => parseWs("u", address, forBind))).toBe("EINVAL");
  });

  it("reads ports as tcp's (atoi), and takes port 0 in a connect (libzmq fails it when dialling)", () => {
    expect(parseWs("u", "127.0.0.1:-1/x", true).port).toBe(65535);
    expect(parseWs("u", "127.0.0.1:12ab/x", false).port).toBe(12);
    expect(parseWs("u", "127.0.0.1:0/x", false).port).toBe(0);
  });

  it("reports endpoints with the path, IPv6 hosts in brackets", () => {
    expect(formatWsEndpoint("ws", "127.0.0.1", 5555, "/")).toBe("ws://127.0.0.1:5555/");
    expect(formatWsEndpoint("wss", "::", 443, "/zmq")).toBe("wss://[::]:443/zmq");
    expect(formatWsEndpoint("ws", "[::1]", 1, "/x")).toBe("ws://[::1]:1/x");
  });

  it("checkEndpoint names ws and wss", () => {
    expect(checkEndpoint("ws://127.0.0.1:*/x", true)).toBe("ws");
    expect(checkEndpoint("wss://h:443/x", false)).toBe("wss");
    expect(codeOf(() => checkEndpoint("ws://*:1/x", false))).toBe("EINVAL");
  });
});
