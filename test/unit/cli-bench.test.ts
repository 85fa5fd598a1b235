import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBenchArgs, parseSize } from "../../src/cli/bench/command.js";
import { renderPlot } from "../../src/cli/bench/plot.js";
import type { RunResult } from "../../src/cli/bench/runner.js";
import { formatTable } from "../../src/cli/bench/table.js";
import { zmtpCommand, type RunResult as CommandResult } from "../helpers/run-node.js";

function zmtp(...args: string[]): Promise<CommandResult> {
  return zmtpCommand(args, 60_000);
}

/**
 * `zmtp bench` as installed (bin/zmtp.js over dist/): tiny runs that check what it prints and
 * writes, never how fast anything was.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TINY = ["--count", "2000", "--sizes", "16"];

interface BenchJson {
  machine: { date: string; cpus: number; cpuModel: string; node: string };
  options: { workload: string; transport: string; processes: number };
  results: RunResult[];
}

let dir: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "esm", "cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does) before this test");
  }
  dir = mkdtempSync(join(tmpdir(), "zmtp-bench-test-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("zmtp bench (runs)", { timeout: 60_000 }, () => {
  it("push-pull in one process prints a table row for zmtp at 16 B", async () => {
    const result = await zmtp("bench", "push-pull", ...TINY, "--one-process");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("push-pull over tcp");
    expect(result.stdout).toMatch(/^size\s+implementation\s+msg\/s\s+MB\/s\s+peak RSS MB$/m);
    expect(result.stdout).toMatch(/^16 B\s+zmtp\s+[\d,]+\s+[\d.]+\s+\d+$/m);
    expect(result.stdout).toContain("one process");
  });

  it("push-pull in two processes (the default) reports every message sent", async () => {
    const result = await zmtp("bench", "push-pull", ...TINY, "--json");
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as BenchJson;
    expect(json.options).toMatchObject({ workload: "push-pull", transport: "tcp", processes: 2 });
    expect(json.machine.cpus).toBeGreaterThan(0);
    expect(json.machine.node).toBe(process.version);
    expect(json.results).toHaveLength(1);
    const [row] = json.results;
    expect(row).toMatchObject({ series: "zmtp", workload: "push-pull", size: 16, messages: 2000, p50Us: null });
    expect(row!.messagesPerSecond).toBeGreaterThan(0);
    expect(row!.megabytesPerSecond).toBeCloseTo((row!.messagesPerSecond * 16) / 1e6, 6);
    expect(row!.cpuNsPerMessage.sender).toBeGreaterThan(0);
    expect(row!.cpuNsPerMessage.receiver).toBeGreaterThan(0);
  });

  it("--against zeromq --ceiling gives each series a row and zmtp its ratios", async () => {
    const result = await zmtp("bench", "push-pull", ...TINY, "--against", "zeromq", "--ceiling", "--json");
    expect(result.code, result.stderr).toBe(0);
    const { results } = JSON.parse(result.stdout) as BenchJson;
    expect(results.map((r) => r.series)).toEqual(["zmtp", "zeromq.js", "ceiling"]);
    for (const r of results) expect(r.messages).toBe(2000);
    const ours = results[0]!;
    expect(ours.vsZeromq).toBeCloseTo(ours.messagesPerSecond / results[1]!.messagesPerSecond, 9);
    expect(ours.ofCeiling).toBeCloseTo(ours.messagesPerSecond / results[2]!.messagesPerSecond, 9);
  });

  it("--against libzmq runs native libzmq beside zmtp, or says once why it cannot", async () => {
    const result = await zmtp("bench", "push-pull", ...TINY, "--against", "libzmq", "--json");
    expect(result.code, result.stderr).toBe(0);
    const { results } = JSON.parse(result.stdout) as BenchJson;
    if (result.stderr.includes("skipping native libzmq")) {
      // No C compiler or no libzmq on this machine: zmtp alone, and one line saying so.
      expect(results.map((r) => r.series)).toEqual(["zmtp"]);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      return;
    }
    expect(results.map((r) => r.series)).toEqual(["zmtp", "libzmq (C)"]);
    const [ours, native] = results;
    expect(native!.messages).toBe(2000);
    expect(native!.cpuNsPerMessage.receiver).toBeGreaterThan(0);
    expect(ours!.vsLibzmq).toBeCloseTo(ours!.messagesPerSecond / native!.messagesPerSecond, 9);
  });

  it("--against libzmq skips workloads the C peer does not run, with one message", async () => {
    const result = await zmtp("bench", "pub-sub", ...TINY, "--against", "libzmq", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("--against libzmq runs push-pull, dealer-router, req-rep, dealer-router-latency");
    expect((JSON.parse(result.stdout) as BenchJson).results.map((r) => r.series)).toEqual(["zmtp"]);
  });

  it("--plot writes an SVG with a line for zmtp and one for zeromq.js", async () => {
    const file = join(dir, "plot.svg");
    const result = await zmtp(
      "bench",
      "push-pull",
      "--count",
      "2000",
      "--sizes",
      "16,256",
      "--against",
      "zeromq",
      "--plot",
      file,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`plot written to ${file}`);
    const svg = readFileSync(file, "utf8");
    expect(svg).toMatch(/^<svg xmlns='http:\/\/www.w3.org\/2000\/svg'/);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(">zmtp</text>");
    expect(svg).toContain(">zeromq.js</text>");
    // One polyline per series per panel, each through both sizes.
    const lines = [...svg.matchAll(/<path d='M[\d.]+,[\d.]+ L[\d.]+,[\d.]+' fill='none' stroke='(#[0-9a-f]+)'/g)].map(
      (m) => m[1],
    );
    expect(new Set(lines).size).toBe(2);
    expect(lines).toHaveLength(4);
  });

  it("req-rep measures round trips with p50 and p99 latency", async () => {
    const result = await zmtp("bench", "req-rep", ...TINY, "--json");
    expect(result.code, result.stderr).toBe(0);
    const [row] = (JSON.parse(result.stdout) as BenchJson).results;
    expect(row!.messages).toBe(2000);
    expect(row!.p50Us).toBeGreaterThan(0);
    expect(row!.p99Us).toBeGreaterThanOrEqual(row!.p50Us!);
    expect(row!.cpuNsPerMessage.receiver).toBeGreaterThan(0);
  });

  it("dealer-router-latency times DEALER round trips through a ROUTER echo, beside native libzmq's", async () => {
    const result = await zmtp("bench", "dealer-router-latency", ...TINY, "--against", "libzmq", "--json");
    expect(result.code, result.stderr).toBe(0);
    const { results } = JSON.parse(result.stdout) as BenchJson;
    const native = !result.stderr.includes("skipping native libzmq");
    expect(results.map((r) => r.series)).toEqual(native ? ["zmtp", "libzmq (C)"] : ["zmtp"]);
    for (const row of results) {
      expect(row, row.series).toMatchObject({ workload: "dealer-router-latency", messages: 2000 });
      expect(row.p50Us, row.series).toBeGreaterThan(0);
      expect(row.p99Us, row.series).toBeGreaterThanOrEqual(row.p50Us!);
      // Timed on the DEALER; the ROUTER's echo reports its own CPU time too.
      expect(row.cpuNsPerMessage.sender, row.series).toBeGreaterThan(0);
      expect(row.cpuNsPerMessage.receiver, row.series).toBeGreaterThan(0);
    }
    if (native) expect(results[0]!.vsLibzmq).toBeCloseTo(results[0]!.p50Us! / results[1]!.p50Us!, 9);
  });

  it("dealer-router-latency runs in one process over inproc, where the ROUTER echo routes by identity", async () => {
    const result = await zmtp("bench", "dealer-router-latency", ...TINY, "--transport", "inproc", "--json");
    expect(result.code, result.stderr).toBe(0);
    const [row] = (JSON.parse(result.stdout) as BenchJson).results;
    expect(row!.messages).toBe(2000);
    expect(row!.p50Us).toBeGreaterThan(0);
  });

  it("pub-sub and dealer-router run over ipc and inproc", async () => {
    for (const [workload, transport] of [
      ["pub-sub", "ipc"],
      ["dealer-router", "inproc"],
    ] as const) {
      const result = await zmtp("bench", workload, ...TINY, "--transport", transport, "--json");
      expect(result.code, `${workload} over ${transport}: ${result.stderr}`).toBe(0);
      const json = JSON.parse(result.stdout) as BenchJson;
      expect(json.options.transport).toBe(transport);
      expect(json.options.processes).toBe(transport === "inproc" ? 1 : 2);
      // PUB may drop at its high-water mark; the others deliver every message.
      const row = json.results[0]!;
      if (workload === "pub-sub") expect(row.messages).toBeGreaterThan(0);
      else expect(row.messages).toBe(2000);
    }
  });

  it("usage errors exit 2 with a message and the bench usage", async () => {
    for (const args of [
      ["bench"],
      ["bench", "push-pulll"],
      ["bench", "req-rep", "--ceiling"],
      ["bench", "dealer-router-latency", "--ceiling"],
      ["bench", "dealer-router-latency", "--batch", "8"],
      ["bench", "push-pull", "--transport", "inproc", "--cross"],
      ["bench", "push-pull", "--count", "0"],
    ]) {
      const result = await zmtp(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^zmtp bench: .+\n\nUsage: zmtp bench <workload>/);
    }
  });
});

describe("zmtp bench (parts)", () => {
  it("parses sizes in bytes, KiB and MiB", () => {
    expect(["16", "4K", "64KiB", "8MiB", "1m"].map(parseSize)).toEqual([16, 4096, 65536, 8 * 2 ** 20, 2 ** 20]);
    expect(() => parseSize("0")).toThrow(/at least 1 byte/);
    expect(() => parseSize("12GB")).toThrow(/bad size/);
  });

  it("defaults to tcp, the four sizes, 2 s per run and two processes", () => {
    const parsed = parseBenchArgs(["push-pull"]);
    expect(parsed).not.toBe("help");
    if (parsed === "help") return;
    expect(parsed.options).toMatchObject({
      transport: "tcp",
      sizes: [16, 256, 4096, 65536],
      count: null,
      durationMs: 2000,
      oneProcess: false,
      repeat: 1,
    });
    expect(parseBenchArgs(["push-pull", "--transport", "inproc"])).toMatchObject({ options: { oneProcess: true } });
  });

  const row = (series: string, size: number, rate: number, extra: Partial<RunResult> = {}): RunResult => ({
    series,
    workload: "push-pull",
    transport: "tcp",
    size,
    messages: 1000,
    seconds: 1000 / rate,
    runs: 1,
    messagesPerSecond: rate,
    megabytesPerSecond: (rate * size) / 1e6,
    p50Us: null,
    p99Us: null,
    cpuNsPerMessage: { sender: null, receiver: null },
    peakRssMB: 70,
    peakRssMBBySide: { sender: 70, receiver: 70 },
    vsZeromq: null,
    vsLibzmq: null,
    ofCeiling: null,
    ...extra,
  });
  const results = [
    row("zmtp", 16, 3_000_000, { vsZeromq: 12, ofCeiling: 0.5 }),
    row("zeromq.js", 16, 250_000),
    row("ceiling", 16, 6_000_000),
    row("zmtp", 65536, 15_000, { vsZeromq: 0.75, ofCeiling: 1 }),
    row("zeromq.js", 65536, 20_000),
    row("ceiling", 65536, 15_000),
  ];

  it("the table aligns one row per series and size, with ratios on zmtp's rows", () => {
    const lines = formatTable(results).split("\n");
    expect(lines[2]).toMatch(/^\s*size\s+implementation\s+msg\/s\s+MB\/s\s+peak RSS MB\s+vs zeromq.js\s+of ceiling$/);
    expect(lines).toContain("  16 B  zmtp            3,000,000    48.0           70        12.00x         50%");
    expect(lines.find((l) => l.includes("64 KiB  zeromq.js"))).toMatch(/20,000\s+1310\.7\s+70$/);
    const widths = new Set(
      lines
        .slice(2, 11)
        .filter((l) => l.trim() !== "")
        .map((l) => l.length),
    );
    expect(widths.size).toBeLessThanOrEqual(3);
  });

  it("a latency workload's table and plot show p50 / p99 and ratios of p50, whatever its name", () => {
    const latencyRows = [
      row("zmtp", 16, 20_000, { workload: "dealer-router-latency", p50Us: 40, p99Us: 90, vsLibzmq: 0.8 }),
      row("libzmq (C)", 16, 16_000, { workload: "dealer-router-latency", p50Us: 50, p99Us: 70 }),
    ];
    const table = formatTable(latencyRows);
    expect(table.split("\n")[0]).toBe("dealer-router-latency over tcp");
    expect(table).toMatch(/^16 B\s+zmtp\s+20,000\s+0\.3\s+40\.0\s+90\.0\s+70\s+0\.80x$/m);
    expect(table).toContain("msg/s: round trips per second, one request in flight");
    const svg = renderPlot(latencyRows, { date: "2026-12-01T00:00:00Z", cpus: 2, cpuModel: "Test CPU", node: "v20" });
    expect(svg).toContain("Round-trip latency, p50 (lower is better)");
    expect(svg).toContain("Round trips per second");
    expect(svg).not.toContain("Megabytes per second");
  });

  it("the plot labels every size on a log axis and each zmtp point with its ratio", () => {
    const svg = renderPlot(results, { date: "2026-12-01T00:00:00Z", cpus: 2, cpuModel: "Test CPU", node: "v20" });
    expect(svg).toContain(">16 B</text>");
    expect(svg).toContain(">64 KiB</text>");
    expect(svg).toContain("message size (log scale)");
    expect(svg).toContain("3M (12.0x)");
    expect(svg).toContain("15k (0.8x)");
    expect(svg).toContain(">ceiling</text>");
  });
});
