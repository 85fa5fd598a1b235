import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { formatTcpEndpoint, parseEndpoint } from "../../../src/transports/endpoint.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? "no code";
  }
  return undefined;
}

describe("parseEndpoint tcp", () => {
  it("parses an IPv4 address and port", () => {
    expect(parseEndpoint("tcp://127.0.0.1:5555", false)).toMatchObject({ transport: "tcp", host: "127.0.0.1", port: 5555 });
  });

  it("parses a bracketed IPv6 address as family 6 without the brackets", () => {
    expect(parseEndpoint("tcp://[::1]:5555", false)).toEqual({ transport: "tcp", host: "::1", port: 5555, family: 6 });
  });

  it("parses hostnames", () => {
    expect(parseEndpoint("tcp://localhost:80", false)).toMatchObject({ host: "localhost", port: 80 });
    expect(parseEndpoint("tcp://example.com:65535", false)).toMatchObject({ host: "example.com", port: 65535 });
  });

  it("`*` as host means every interface, for bind only", () => {
    expect(parseEndpoint("tcp://*:5555", true)).toMatchObject({ transport: "tcp", host: "", port: 5555 });
    expect(codeOf(() => parseEndpoint("tcp://*:5555", false))).toBe("EINVAL");
  });

  it("`:*` and `:0` ask for an ephemeral port, for bind only", () => {
    expect(parseEndpoint("tcp://127.0.0.1:*", true)).toMatchObject({ port: 0 });
    expect(parseEndpoint("tcp://127.0.0.1:0", true)).toMatchObject({ port: 0 });
    expect(parseEndpoint("tcp://*:*", true)).toMatchObject({ host: "", port: 0 });
    expect(codeOf(() => parseEndpoint("tcp://127.0.0.1:*", false))).toBe("EINVAL");
    expect(codeOf(() => parseEndpoint("tcp://127.0.0.1:0", false))).toBe("EINVAL");
  });

  it.each(["tcp://127.0.0.1", "tcp://127.0.0.1:", "tcp://[::1]", "tcp://:5555"])("%s (missing host or port) -> EINVAL", (address) => {
    expect(codeOf(() => parseEndpoint(address, true))).toBe("EINVAL");
  });

  it.each(["tcp://127.0.0.1:65536", "tcp://127.0.0.1:abc", "tcp://127.0.0.1:-1", "tcp://127.0.0.1:12x"])("%s (bad port) -> EINVAL", (address) => {
    expect(codeOf(() => parseEndpoint(address, false))).toBe("EINVAL");
  });

  it("the `source;destination` form -> EINVAL", () => {
    expect(codeOf(() => parseEndpoint("tcp://127.0.0.1:5556;127.0.0.1:5555", false))).toBe("EINVAL");
  });
});

describe("parseEndpoint transports", () => {
  it("an unknown transport -> EPROTONOSUPPORT", () => {
    expect(codeOf(() => parseEndpoint("bogus://127.0.0.1:5555", false))).toBe("EPROTONOSUPPORT");
    expect(codeOf(() => parseEndpoint("pgm://eth0;239.192.1.1:5555", false))).toBe("EPROTONOSUPPORT");
  });

  it("an address without `://` -> EINVAL", () => {
    expect(codeOf(() => parseEndpoint("127.0.0.1:5555", false))).toBe("EINVAL");
    expect(codeOf(() => parseEndpoint("", true))).toBe("EINVAL");
  });

  it("the error carries the address", () => {
    let thrown: unknown;
    try {
      parseEndpoint("bogus://x", false);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: "EPROTONOSUPPORT", address: "bogus://x" });
  });
});

describe("parseEndpoint ipc", () => {
  it("takes the path as given", () => {
    expect(parseEndpoint("ipc:///tmp/zmtp.sock", false)).toEqual({ transport: "ipc", path: "/tmp/zmtp.sock" });
    expect(parseEndpoint("ipc://relative.sock", true)).toEqual({ transport: "ipc", path: "relative.sock" });
  });

  it("keeps `@name` (Linux abstract namespace) as the path", () => {
    expect(parseEndpoint("ipc://@abstract-name", false)).toEqual({ transport: "ipc", path: "@abstract-name" });
  });

  it("`ipc://*` for bind picks a fresh path in the temp directory, different each time", () => {
    const a = parseEndpoint("ipc://*", true);
    const b = parseEndpoint("ipc://*", true);
    expect(a.transport).toBe("ipc");
    if (a.transport !== "ipc" || b.transport !== "ipc") return;
    expect(a.path.startsWith(tmpdir())).toBe(true);
    expect(a.path).not.toBe(b.path);
  });

  it("an empty path -> EINVAL", () => {
    expect(codeOf(() => parseEndpoint("ipc://", true))).toBe("EINVAL");
  });
});

describe("parseEndpoint inproc", () => {
  it("takes the name as given", () => {
    expect(parseEndpoint("inproc://some-name", false)).toEqual({ transport: "inproc", name: "some-name" });
    expect(parseEndpoint("inproc://a:b/c", true)).toEqual({ transport: "inproc", name: "a:b/c" });
  });

  it("an empty name -> EINVAL", () => {
    expect(codeOf(() => parseEndpoint("inproc://", false))).toBe("EINVAL");
  });
});

describe("formatTcpEndpoint", () => {
  it("brackets IPv6 hosts and leaves IPv4 as is", () => {
    expect(formatTcpEndpoint("127.0.0.1", 5555)).toBe("tcp://127.0.0.1:5555");
    expect(formatTcpEndpoint("::1", 5555)).toBe("tcp://[::1]:5555");
    expect(formatTcpEndpoint("0.0.0.0", 1)).toBe("tcp://0.0.0.0:1");
  });
});
