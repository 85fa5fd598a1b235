import { describe, expect, it } from "vitest";
import { attachValues } from "../../src/cli/args.js";
import { parseProbeArgs } from "../../src/cli/probe/args.js";

describe("CLI option values that start with a dash", () => {
  it("attachValues joins only the named options with their value", () => {
    expect(attachValues(["--server-key", "-abc", "--json", "--type", "REQ"], ["server-key"])).toEqual([
      "--server-key=-abc",
      "--json",
      "--type",
      "REQ",
    ]);
  });

  it("zmtp probe takes a Z85 server key that begins with '-' (1 key in 85 does)", () => {
    const key = `-${"a".repeat(39)}`;
    const options = parseProbeArgs(["tcp://127.0.0.1:5555", "--server-key", key]);
    expect(options).not.toBe("help");
    expect(JSON.stringify(options)).toContain(key);
  });
});
