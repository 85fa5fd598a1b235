import { describe, expect, it } from "vitest";
import { parsePerfdata, parsePluginOutput } from "../../src/agent/perfdata.js";
import { runPlugin } from "../../src/agent/plugin.js";
import { tempDir, writePlugin } from "../helpers/fleet.js";

describe("Nagios plugin output", () => {
  it("splits the status text from the performance data on the first line", () => {
    expect(parsePluginOutput("DISK OK - free space: / 3326 MB (56%);| /=2643MB;5948;5958;0;5968\n")).toEqual({
      text: "DISK OK - free space: / 3326 MB (56%);",
      perfdata: "/=2643MB;5948;5958;0;5968",
      longOutput: [],
    });
    expect(parsePluginOutput("PING OK")).toEqual({ text: "PING OK", perfdata: "", longOutput: [] });
  });

  it("collects perfdata from long output: after a | the rest of the output is perfdata", () => {
    const out =
      "DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968\n/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%); | /boot=68MB;88;93;0;98\n/home=69357MB;253404;253409;0;253414\n/var/log=818MB;970;975;0;980\n";
    const parsed = parsePluginOutput(out);
    expect(parsed.text).toBe("DISK OK - free space: / 3326 MB (56%);");
    expect(parsed.longOutput).toEqual([
      "/ 15272 MB (77%);",
      "/boot 68 MB (69%);",
      "/home 69357 MB (27%);",
      "/var/log 819 MB (84%); ",
    ]);
    expect(parsePerfdata(parsed.perfdata).map((p) => p.label)).toEqual(["/", "/boot", "/home", "/var/log"]);
  });

  it("parses label=value[UOM];warn;crit;min;max, with quoted labels and optional fields", () => {
    expect(parsePerfdata("time=0.06s;1.0;2.0;0; 'used space'=45.2%;80;90 size=1024B 'it''s'=3 inodes=12c")).toEqual([
      { label: "time", value: 0.06, unit: "s", warn: "1.0", crit: "2.0", min: 0 },
      { label: "used space", value: 45.2, unit: "%", warn: "80", crit: "90" },
      { label: "size", value: 1024, unit: "B" },
      { label: "it's", value: 3, unit: "" },
      { label: "inodes", value: 12, unit: "c" },
    ]);
  });

  it("keeps warn/crit ranges as text and accepts negative and exponent values", () => {
    expect(parsePerfdata("temp=-3.5e1C;@10:20;~:30;-100;100")).toEqual([
      { label: "temp", value: -35, unit: "C", warn: "@10:20", crit: "~:30", min: -100, max: 100 },
    ]);
  });

  it("skips what it cannot read: U values, missing '=', empty labels, garbage", () => {
    expect(parsePerfdata("a=U;1;2 b c= =5 d=abc e=7 'unterminated=1")).toEqual([{ label: "e", value: 7, unit: "" }]);
    expect(parsePerfdata("")).toEqual([]);
  });

  it("runs plugins: exit code is the status, timeouts and odd exits are UNKNOWN", async () => {
    const dir = tempDir();
    try {
      const warn = writePlugin(dir.path, "warn", `echo "WARNING - 3 users|users=3;2;5"; exit 1`);
      expect(await runPlugin({ name: "w", command: [warn], interval: 1000 })).toMatchObject({
        status: 1,
        text: "WARNING - 3 users",
        perfdata: "users=3;2;5",
      });
      expect(await runPlugin({ name: "s", command: "echo 'CRIT' ; exit 2", interval: 1000 })).toMatchObject({
        status: 2,
        text: "CRIT",
      });
      expect(await runPlugin({ name: "odd", command: "echo weird; exit 7", interval: 1000 })).toMatchObject({
        status: 3,
        text: "UNKNOWN: plugin exit code 7: weird",
      });
      const slow = await runPlugin({ name: "slow", command: "sleep 5", interval: 1000, timeout: 100 });
      expect(slow).toMatchObject({ status: 3, text: "UNKNOWN: plugin timed out after 100 ms" });
      expect(slow.duration).toBeLessThan(2000);
      const missing = await runPlugin({ name: "m", command: [`${dir.path}/nope`], interval: 1000 });
      expect(missing.status).toBe(3);
      expect(missing.text).toMatch(/^UNKNOWN: cannot run/);
    } finally {
      dir.remove();
    }
  });
});
