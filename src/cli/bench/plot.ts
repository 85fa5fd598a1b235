import type { RunResult } from "./runner.js";
import { formatSize } from "./size.js";
import { WORKLOAD } from "./workloads.js";

/**
 * `--plot FILE.svg`: throughput against message size, one line per series, in two panels
 * (messages/s and MB/s; for the latency workloads, round trips/s and p50 latency). Both axes are logarithmic:
 * sizes double, rates span decades. Each zmtp point is labelled with its ratio to zeromq.js.
 */

const WIDTH = 1100;
const HEIGHT = 540;
const PANEL_TOP = 118;
const PANEL_HEIGHT = 340;
const PANEL_WIDTH = 430;
const PANEL_LEFT = [90, 620];
const FONT = "font-family='Helvetica, Arial, sans-serif'";

interface Style {
  color: string;
  width: number;
  dash: string;
}

const STYLES: Record<string, Style> = {
  zmtp: { color: "#1565c0", width: 3.5, dash: "" },
  "zeromq.js": { color: "#ef6c00", width: 3, dash: "" },
  ceiling: { color: "#757575", width: 2, dash: "7 5" },
  "libzmq (C)": { color: "#c62828", width: 2.5, dash: "" },
  "zmtp->zeromq.js": { color: "#2e7d32", width: 2, dash: "3 4" },
  "zeromq.js->zmtp": { color: "#8e24aa", width: 2, dash: "3 4" },
};

/** The stroke attributes of a series (no empty dasharray: some renderers reject it). */
function stroke(style: Style): string {
  return `stroke='${style.color}' stroke-width='${style.width}'${style.dash === "" ? "" : ` stroke-dasharray='${style.dash}'`}`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** 1234567 -> "1.2M", 45000 -> "45k", 3.2 -> "3.2". */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  const trim = (v: number, unit: string): string =>
    `${v >= 10 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}${unit}`;
  if (abs >= 1e9) return trim(value / 1e9, "G");
  if (abs >= 1e6) return trim(value / 1e6, "M");
  if (abs >= 1e3) return trim(value / 1e3, "k");
  return trim(value, "");
}

interface Axis {
  min: number;
  max: number;
  toPixel(value: number): number;
}

function logAxis(values: number[], from: number, to: number, pad: number): Axis {
  const positive = values.filter((v) => v > 0);
  let min = Math.min(...positive);
  let max = Math.max(...positive);
  if (!(min > 0) || !Number.isFinite(min)) [min, max] = [1, 10];
  min /= pad;
  max *= pad;
  const lmin = Math.log10(min);
  const span = Math.log10(max) - lmin || 1;
  return { min, max, toPixel: (v) => from + ((Math.log10(Math.max(v, min)) - lmin) / span) * (to - from) };
}

/** Grid values 1, 2, 5 x 10^k within the axis; only the powers of ten (and 2, 5 when few) get labels. */
function logTicks(axis: Axis): Array<{ value: number; label: boolean }> {
  const ticks: Array<{ value: number; label: boolean }> = [];
  const decades = Math.log10(axis.max / axis.min);
  for (let k = Math.floor(Math.log10(axis.min)); 10 ** k <= axis.max; k++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** k;
      if (value >= axis.min && value <= axis.max) ticks.push({ value, label: m === 1 || decades < 2.5 });
    }
  }
  return ticks;
}

interface Panel {
  title: string;
  unit: string;
  value(r: RunResult): number | null;
}

export function renderPlot(
  results: readonly RunResult[],
  about: { date: string; cpus: number; cpuModel: string; node: string },
): string {
  const first = results[0];
  if (first === undefined) return `<svg xmlns='http://www.w3.org/2000/svg' width='${WIDTH}' height='100'/>`;
  const latency = WORKLOAD[first.workload].latency;
  const panels: Panel[] = [
    {
      title: latency ? "Round trips per second" : "Messages per second",
      unit: latency ? "round trips/s" : "msg/s",
      value: (r) => r.messagesPerSecond,
    },
    latency
      ? { title: "Round-trip latency, p50 (lower is better)", unit: "µs", value: (r) => r.p50Us }
      : { title: "Megabytes per second", unit: "MB/s", value: (r) => r.megabytesPerSecond },
  ];
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  const seriesNames = [...new Set(results.map((r) => r.series))];
  const out: string[] = [];
  out.push(
    `<svg xmlns='http://www.w3.org/2000/svg' width='${WIDTH}' height='${HEIGHT}' viewBox='0 0 ${WIDTH} ${HEIGHT}' ${FONT}>`,
  );
  out.push(`<rect width='100%' height='100%' fill='white'/>`);
  const heading = `zmtp vs zeromq.js: ${first.workload} over ${first.transport}`;
  out.push(
    `<text x='${WIDTH / 2}' y='34' text-anchor='middle' font-size='22' font-weight='bold' fill='#212121'>${escape(heading)}</text>`,
  );
  const sub = `${about.date.slice(0, 10)} · ${about.cpus} x ${about.cpuModel} · node ${about.node} · higher is better unless noted`;
  out.push(`<text x='${WIDTH / 2}' y='56' text-anchor='middle' font-size='13' fill='#616161'>${escape(sub)}</text>`);
  // Legend, centred under the heading.
  const itemWidth = 150;
  let lx = WIDTH / 2 - (seriesNames.length * itemWidth) / 2;
  for (const name of seriesNames) {
    const style = STYLES[name] ?? STYLES.ceiling!;
    out.push(`<line x1='${lx}' y1='82' x2='${lx + 30}' y2='82' ${stroke(style)}/>`);
    out.push(`<circle cx='${lx + 15}' cy='82' r='4' fill='${style.color}'/>`);
    out.push(`<text x='${lx + 38}' y='87' font-size='14' fill='#212121'>${escape(name)}</text>`);
    lx += itemWidth;
  }
  // The ratio goes on the panel it measures: messages/s, or p50 latency for a latency workload.
  for (let p = 0; p < panels.length; p++)
    out.push(renderPanel(panels[p]!, PANEL_LEFT[p]!, results, sizes, seriesNames, p === (latency ? 1 : 0)));
  const notes: string[] = [];
  if (results.some((r) => r.vsZeromq !== null))
    notes.push(latency ? "(n.nx) = zmtp's p50 / zeromq.js's" : "(n.nx) = zmtp / zeromq.js at that size");
  if (seriesNames.includes("ceiling"))
    notes.push("ceiling = raw node:net carrying the same frames, the pure-JS upper bound");
  out.push(
    `<text x='${WIDTH / 2}' y='${HEIGHT - 16}' text-anchor='middle' font-size='13' fill='#616161'>${escape(notes.join(" · "))}</text>`,
  );
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

function renderPanel(
  panel: Panel,
  left: number,
  results: readonly RunResult[],
  sizes: number[],
  seriesNames: string[],
  ratios: boolean,
): string {
  const out: string[] = [];
  const top = PANEL_TOP;
  const bottom = top + PANEL_HEIGHT;
  const right = left + PANEL_WIDTH;
  const values = results.map(panel.value).filter((v): v is number => v !== null);
  const y = logAxis(values, bottom, top, 1.6);
  // Inset, so the labels of the first and last sizes stay inside the panel.
  const x = logAxis(sizes, left + 42, right - 42, 1);
  const xOf = (size: number): number => (sizes.length === 1 ? (left + right) / 2 : x.toPixel(size));
  out.push(
    `<text x='${left}' y='${top - 12}' font-size='15' font-weight='bold' fill='#212121'>${escape(panel.title)}</text>`,
  );
  out.push(
    `<rect x='${left}' y='${top}' width='${PANEL_WIDTH}' height='${PANEL_HEIGHT}' fill='#fafafa' stroke='#bdbdbd'/>`,
  );
  for (const tick of logTicks(y)) {
    const py = y.toPixel(tick.value).toFixed(1);
    out.push(`<line x1='${left}' y1='${py}' x2='${right}' y2='${py}' stroke='${tick.label ? "#e0e0e0" : "#eeeeee"}'/>`);
    if (tick.label)
      out.push(
        `<text x='${left - 8}' y='${Number(py) + 4}' text-anchor='end' font-size='12' fill='#616161'>${shortNumber(tick.value)}</text>`,
      );
  }
  out.push(
    `<text transform='translate(${left - 58},${(top + bottom) / 2}) rotate(-90)' text-anchor='middle' font-size='13' fill='#424242'>${escape(panel.unit)} (log scale)</text>`,
  );
  for (const size of sizes) {
    const px = xOf(size).toFixed(1);
    out.push(`<line x1='${px}' y1='${top}' x2='${px}' y2='${bottom}' stroke='#eeeeee'/>`);
    out.push(
      `<text x='${px}' y='${bottom + 18}' text-anchor='middle' font-size='12' fill='#616161'>${formatSize(size)}</text>`,
    );
  }
  out.push(
    `<text x='${(left + right) / 2}' y='${bottom + 40}' text-anchor='middle' font-size='13' fill='#424242'>message size (log scale)</text>`,
  );
  // Draw the reference series first so zmtp's line is on top.
  const order = [...seriesNames].sort((a, b) => (a === "zmtp" ? 1 : 0) - (b === "zmtp" ? 1 : 0));
  for (const name of order) {
    const style = STYLES[name] ?? STYLES.ceiling!;
    const points = sizes
      .map((size) => results.find((r) => r.series === name && r.size === size))
      .filter((r): r is RunResult => r !== undefined && panel.value(r) !== null)
      .map((r) => ({ r, px: xOf(r.size), py: y.toPixel(panel.value(r)!) }));
    if (points.length === 0) continue;
    const path = points.map((pt, i) => `${i === 0 ? "M" : "L"}${pt.px.toFixed(1)},${pt.py.toFixed(1)}`).join(" ");
    out.push(`<path d='${path}' fill='none' ${stroke(style)} stroke-linejoin='round'/>`);
    for (const pt of points) {
      out.push(
        `<circle cx='${pt.px.toFixed(1)}' cy='${pt.py.toFixed(1)}' r='${name === "zmtp" ? 5 : 4}' fill='${style.color}' stroke='white' stroke-width='1.5'/>`,
      );
      if (name !== "zmtp" && name !== "zeromq.js") continue;
      // zmtp's values above its points, zeromq.js's below, so they do not collide.
      const above = name === "zmtp";
      const ty = pt.py + (above ? -12 : 20);
      let text = shortNumber(panel.value(pt.r)!);
      if (ratios && above && pt.r.vsZeromq !== null) text += ` (${pt.r.vsZeromq.toFixed(1)}x)`;
      // A white outline underneath keeps the label readable where it crosses a line (drawn as its
      // own element: not every renderer knows paint-order).
      const label = `x='${pt.px.toFixed(1)}' y='${ty.toFixed(1)}' text-anchor='middle' font-size='12' font-weight='${above ? "bold" : "normal"}'`;
      out.push(
        `<text ${label} fill='white' stroke='white' stroke-width='4' stroke-linejoin='round'>${escape(text)}</text>`,
      );
      out.push(`<text ${label} fill='${style.color}'>${escape(text)}</text>`);
    }
  }
  return out.join("\n");
}
