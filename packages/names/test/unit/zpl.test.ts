import { describe, expect, it } from "vitest";
import { parseZpl, staticNames } from "../../src/agent/zpl.js";

describe("ZPL (RFC 4) lookup files", () => {
  it("reads names, quoted and unquoted values, children and comments", () => {
    const text = [
      "# static names",
      "proxies",
      "    endpoint = tcp://10.0.0.1:5555   # rack 1",
      '    endpoint = "tcp://10.0.0.2:5555"',
      "",
      "logger = 'ipc:///run/log'",
      "db",
      "    endpoint = tcp://db:5432",
      "    option",
      "        weight = 2",
    ].join("\n");
    expect(parseZpl(text)).toEqual([
      {
        name: "proxies",
        value: "",
        children: [
          { name: "endpoint", value: "tcp://10.0.0.1:5555", children: [] },
          { name: "endpoint", value: "tcp://10.0.0.2:5555", children: [] },
        ],
      },
      { name: "logger", value: "ipc:///run/log", children: [] },
      {
        name: "db",
        value: "",
        children: [
          { name: "endpoint", value: "tcp://db:5432", children: [] },
          { name: "option", value: "", children: [{ name: "weight", value: "2", children: [] }] },
        ],
      },
    ]);
    expect(staticNames(parseZpl(text))).toEqual(
      new Map([
        ["proxies", new Set(["tcp://10.0.0.1:5555", "tcp://10.0.0.2:5555"])],
        ["logger", new Set(["ipc:///run/log"])],
        ["db", new Set(["tcp://db:5432"])],
      ]),
    );
  });

  it("names the line of an indentation that is not a multiple of four, a jump of two levels, or junk", () => {
    expect(() => parseZpl("a\n  b = 1", "f.zpl")).toThrow("f.zpl:2: indentation must be a multiple of 4 spaces");
    expect(() => parseZpl("a\n        b = 1", "f.zpl")).toThrow("f.zpl:2: indented more than one level");
    expect(() => parseZpl("a = 1 2", "f.zpl")).toThrow('f.zpl:1: unexpected "2"');
    expect(() => parseZpl('a = "open', "f.zpl")).toThrow("f.zpl:1: unterminated quoted value");
    expect(() => parseZpl("= 1", "f.zpl")).toThrow("f.zpl:1: expected a property name");
  });

  it("accepts CR, LF and CRLF line endings", () => {
    expect(parseZpl("a = 1\rb = 2\r\nc = 3\n").map((n) => n.value)).toEqual(["1", "2", "3"]);
  });
});
