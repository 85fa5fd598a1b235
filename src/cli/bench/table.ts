import type { RunResult } from "./runner.js";
import { formatSize } from "./size.js";
import { WORKLOAD } from "./workloads.js";

/** The bench results as an aligned text table, one row per size x series; empty columns are left out. */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function fixed(value: number | null, digits: number): string {
  return value === null ? "-" : value.toFixed(digits);
}

interface Column {
  header: string;
  numeric: boolean;
  cell(r: RunResult): string;
  /** Shown only when some row has a value. */
  optional?: (r: RunResult) => boolean;
}

const COLUMNS: Column[] = [
  { header: "size", numeric: true, cell: (r) => formatSize(r.size) },
  { header: "implementation", numeric: false, cell: (r) => r.series },
  { header: "msg/s", numeric: true, cell: (r) => integer.format(r.messagesPerSecond) },
  { header: "MB/s", numeric: true, cell: (r) => fixed(r.megabytesPerSecond, 1) },
  { header: "p50 µs", numeric: true, cell: (r) => fixed(r.p50Us, 1), optional: (r) => r.p50Us !== null },
  { header: "p99 µs", numeric: true, cell: (r) => fixed(r.p99Us, 1), optional: (r) => r.p99Us !== null },
  { header: "peak RSS MB", numeric: true, cell: (r) => r.peakRssMB.toFixed(0) },
  {
    header: "vs zeromq.js",
    numeric: true,
    cell: (r) => (r.vsZeromq === null ? "" : `${r.vsZeromq.toFixed(2)}x`),
    optional: (r) => r.vsZeromq !== null,
  },
  {
    header: "vs libzmq",
    numeric: true,
    cell: (r) => (r.vsLibzmq === null ? "" : `${r.vsLibzmq.toFixed(2)}x`),
    optional: (r) => r.vsLibzmq !== null,
  },
  {
    header: "of ceiling",
    numeric: true,
    cell: (r) => (r.ofCeiling === null ? "" : `${(r.ofCeiling * 100).toFixed(0)}%`),
    optional: (r) => r.ofCeiling !== null,
  },
];

export function formatTable(results: readonly RunResult[]): string {
  if (results.length === 0) return "no results\n";
  const first = results[0]!;
  const latency = WORKLOAD[first.workload].latency;
  const columns = COLUMNS.filter((c) => c.optional === undefined || results.some(c.optional));
  const header = columns.map((c) => c.header);
  const rows: string[][] = [];
  let lastSize = first.size;
  for (const r of results) {
    // A blank line between sizes groups each size's series.
    if (r.size !== lastSize) rows.push(columns.map(() => ""));
    lastSize = r.size;
    rows.push(columns.map((c) => c.cell(r)));
  }
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, col) => (columns[col]!.numeric ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd();
  const out = [
    `${first.workload} over ${first.transport}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ];
  const notes: string[] = [];
  if (columns.some((c) => c.header === "vs zeromq.js")) {
    notes.push(
      latency
        ? "vs zeromq.js: zmtp p50 round trip ÷ zeromq.js's (lower is better)"
        : "vs zeromq.js: zmtp messages/s ÷ zeromq.js's (higher is better)",
    );
  }
  if (columns.some((c) => c.header === "vs libzmq"))
    notes.push("vs libzmq: the same ratio against native libzmq, C programs at both ends");
  if (columns.some((c) => c.header === "of ceiling"))
    notes.push("of ceiling: zmtp messages/s as a share of raw node:net carrying the same frames");
  if (latency) notes.push("msg/s: round trips per second, one request in flight");
  if (first.runs > 1) notes.push(`each row: the median of ${first.runs} runs, the series interleaved`);
  if (notes.length > 0) out.push("", ...notes);
  return out.join("\n") + "\n";
}
