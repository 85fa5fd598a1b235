/**
 * The benchmark's chart as a self-contained SVG: two panels of grouped bars, round trips per
 * second and p99 latency, one group per broker count and one bar per worker count.
 */

export interface PlotRow {
  brokers: number;
  workers: number;
  rps: number;
  p50: number;
  p99: number;
}

const FONT = "font-family='Helvetica, Arial, sans-serif'";
const COLORS = ["#90caf9", "#1e88e5", "#0d47a1", "#5e35b1", "#00897b"];

/** A round grid step (1, 2, 2.5 or 5 × 10^k) giving about four lines up to `value`. */
function niceStep(value: number): number {
  if (!(value > 0)) return 1;
  const rough = value / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}

const label = (value: number): string =>
  value >= 10_000
    ? `${(value / 1000).toFixed(0)}k`
    : value >= 1000
      ? `${(value / 1000).toFixed(1).replace(/\.0$/, "")}k`
      : value >= 10 || Number.isInteger(value)
        ? value.toFixed(0)
        : value.toFixed(1);

function panel(rows: PlotRow[], pick: (r: PlotRow) => number, title: string, unit: string, left: number): string {
  const width = 440;
  const height = 300;
  const top = 90;
  const brokers = [...new Set(rows.map((r) => r.brokers))].sort((a, b) => a - b);
  const workers = [...new Set(rows.map((r) => r.workers))].sort((a, b) => a - b);
  const step = niceStep(Math.max(...rows.map(pick)));
  const lines = Math.ceil(Math.max(...rows.map(pick)) / step);
  const max = step * lines;
  const y = (v: number): number => top + height - (v / max) * height;
  const group = width / brokers.length;
  const bar = (group * 0.8) / workers.length;
  const out: string[] = [];
  out.push(
    `<text x='${left + width / 2}' y='${top - 40}' text-anchor='middle' font-size='16' font-weight='bold' ${FONT}>${title}</text>`,
  );
  for (let i = 0; i <= lines; i++) {
    const v = step * i;
    out.push(`<line x1='${left}' x2='${left + width}' y1='${y(v)}' y2='${y(v)}' stroke='#e0e0e0'/>`);
    out.push(`<text x='${left - 8}' y='${y(v) + 4}' text-anchor='end' font-size='12' ${FONT}>${label(v)}</text>`);
  }
  out.push(
    `<text x='${left - 52}' y='${top + height / 2}' transform='rotate(-90 ${left - 52} ${top + height / 2})' text-anchor='middle' font-size='13' ${FONT}>${unit}</text>`,
  );
  brokers.forEach((b, gi) => {
    const x0 = left + gi * group + group * 0.1;
    out.push(
      `<text x='${left + gi * group + group / 2}' y='${top + height + 20}' text-anchor='middle' font-size='13' ${FONT}>${b} broker${b === 1 ? "" : "s"}</text>`,
    );
    workers.forEach((w, wi) => {
      const row = rows.find((r) => r.brokers === b && r.workers === w);
      if (row === undefined) return;
      const v = pick(row);
      const x = x0 + wi * bar;
      out.push(
        `<rect x='${x.toFixed(1)}' y='${y(v).toFixed(1)}' width='${(bar - 2).toFixed(1)}' height='${(top + height - y(v)).toFixed(1)}' fill='${COLORS[wi % COLORS.length]}'/>`,
      );
      out.push(
        `<text x='${(x + bar / 2 - 1).toFixed(1)}' y='${(y(v) - 4).toFixed(1)}' text-anchor='middle' font-size='10' ${FONT}>${label(v)}</text>`,
      );
    });
  });
  out.push(`<line x1='${left}' x2='${left + width}' y1='${top + height}' y2='${top + height}' stroke='#424242'/>`);
  return out.join("\n");
}

export function plotSvg(rows: PlotRow[], subtitle: string): string {
  const workers = [...new Set(rows.map((r) => r.workers))].sort((a, b) => a - b);
  const legend = workers
    .map(
      (w, i) =>
        `<rect x='${380 + i * 120}' y='455' width='14' height='14' fill='${COLORS[i % COLORS.length]}'/><text x='${400 + i * 120}' y='467' font-size='13' ${FONT}>${w} worker${w === 1 ? "" : "s"}</text>`,
    )
    .join("\n");
  return `<svg xmlns='http://www.w3.org/2000/svg' width='1100' height='500' viewBox='0 0 1100 500'>
<rect width='1100' height='500' fill='white'/>
<text x='550' y='22' text-anchor='middle' font-size='13' fill='#616161' ${FONT}>${subtitle}</text>
${panel(rows, (r) => r.rps, "Round trips per second (4 KiB, C-B-W-B-C)", "round trips/s", 90)}
${panel(rows, (r) => r.p99, "p99 latency under load", "ms", 620)}
${legend}
</svg>
`;
}
