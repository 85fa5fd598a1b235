import { describe, expect, it } from "vitest";
import { Agent } from "../../src/agent/agent.js";
import { CheckTable, resultStats, stateChange } from "../../src/agent/checks.js";
import { tempDir } from "../helpers/fleet.js";

describe("agent checks", () => {
  it("turns a result into stats: the status and each perfdata value", () => {
    const stats = resultStats(
      "disk",
      "db",
      { status: 1, text: "WARN", perfdata: "used=91%;80;90 'free space'=2GB", duration: 3 },
      7,
    );
    expect(stats).toEqual([
      { name: "check.disk.status", value: 1, time: 7, kind: "gauge", process: "db" },
      { name: "check.disk.used", value: 91, time: 7, kind: "gauge", process: "db", unit: "%" },
      { name: "check.disk.free space", value: 2, time: 7, kind: "gauge", process: "db", unit: "GB" },
    ]);
  });

  it("notifies on a change of state only; a first OK is silent", () => {
    const result = (status: 0 | 1 | 2 | 3) => ({ status, text: "t", perfdata: "", duration: 1 });
    expect(stateChange("disk", "db", undefined, result(0))).toBeNull();
    expect(stateChange("disk", "db", undefined, result(2))).toEqual({
      severity: "critical",
      text: "disk OK -> CRITICAL: t",
      check: "disk",
      process: "db",
    });
    expect(stateChange("disk", "db", 2, result(2))).toBeNull();
    expect(stateChange("disk", "db", 2, result(0))).toMatchObject({ severity: "ok", text: "disk CRITICAL -> OK: t" });
    expect(stateChange("disk", "db", 0, result(3))).toMatchObject({ severity: "unknown" });
  });

  it("shares a run in progress and finds checks nobody ran for too long", async () => {
    const table = new CheckTable(0);
    table.declare("db", [{ name: "slow", command: "sleep 0.1; echo OK", interval: 1000 }]);
    const a = table.run("slow", table.get("slow")!);
    const b = table.run("slow", table.get("slow")!);
    expect(a.fresh).toBe(true);
    expect(b.fresh).toBe(false);
    expect(b.result).toBe(a.result);
    expect(table.overdue(Date.now() + 10_000, 3)).toEqual([]); // running
    expect((await a.result).text).toBe("OK");
    expect(table.overdue(Date.now() + 2000, 3)).toEqual([]);
    expect(table.overdue(Date.now() + 3500, 3)).toEqual(["slow"]);
    expect(table.overdue(Date.now() + 3500, 0)).toEqual([]);
    table.declare("db", []);
    expect(table.names).toEqual([]);
  });

  it("the agent API refuses what a sink would refuse, instead of resending it forever", async () => {
    const dir = tempDir();
    const agent = await Agent.start({ stateDir: dir.path, routers: [], statsdPort: null, localEndpoint: null });
    try {
      expect(() => agent.notify({ severity: "critical", text: "x".repeat(10_000) })).toThrow(TypeError);
      expect(() => agent.notify({ severity: "dire" as "critical", text: "x" })).toThrow(TypeError);
      expect(() => agent.stats([{ name: "", value: 1 }])).toThrow(TypeError);
      expect(() => agent.register({ process: "agent", checks: [] })).toThrow(TypeError);
      expect(agent.outboxSize).toBe(1); // only the agent's own registration
    } finally {
      await agent.close();
      dir.remove();
    }
  });
});
