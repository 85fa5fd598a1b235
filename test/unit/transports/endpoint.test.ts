import { describe, expect, it } from "vitest";
import {
  checkEndpoint,
  checkTcpConnect,
  formatTcpEndpoint,
  parseIpc,
  parseTcpBind,
  parseTcpConnect,
  parseUri,
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
