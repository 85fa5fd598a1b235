import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { WORKLOAD } from "../../src/cli/bench/workloads.js";
import { zmtpCommand } from "../helpers/run-node.js";

/** `zmtp bench curve` as installed: a tiny run of each implementation, never a timing. */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Row {
  series: string;
  workload: string;
  messages: number;
  messagesPerSecond: number;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "esm", "cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does) before this test");
  }
});

describe("zmtp bench curve", { timeout: 60_000 }, () => {
  it("is push-pull with CURVE keys on both sockets", () => {
    expect(WORKLOAD.curve).toMatchObject({ sender: "Push", receiver: "Pull", curve: true, latency: false });
  });

  it("moves every message between zmtp processes and between zeromq.js processes", async () => {
    const result = await zmtpCommand(
      ["bench", "curve", "--count", "2000", "--sizes", "16,20000", "--against", "zeromq", "--json"],
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const rows = (JSON.parse(result.stdout) as { results: Row[] }).results;
    expect(rows.map((r) => [r.series, r.workload, r.messages])).toEqual([
      ["zmtp", "curve", 2000],
      ["zeromq.js", "curve", 2000],
      ["zmtp", "curve", 2000],
      ["zeromq.js", "curve", 2000],
    ]);
    expect(rows.every((r) => r.messagesPerSecond > 0)).toBe(true);
  });
});
