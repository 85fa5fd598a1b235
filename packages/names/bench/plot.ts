/**
 * The benchmark's chart as a self-contained SVG: three panels of grouped bars (time to join,
 * CPU, memory), one group per scenario (members × backend).
 */

interface Usage {
  cpuPercent: number;
  peakRssMiB: number;
}

export interface PlotRow {
  members: number;
  backend: string;
  joinMs: { p50: number; p99: number };
  replica: Usage;
  agent: Usage;
  redis?: Usage;
}

const FONT = "font-family='Helvetica, Arial, sans-serif'";
const COLORS = ["#90caf9", "#1e88e5", "#e53935"];

function niceStep(value: number): number {
  if (!(value > 0)) return 1;
  const rough = value / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}

const label = (v: number): string => (v >= 10 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1));
const scenario = (r: PlotRow): string => `${r.members >= 1000 ? `${r.members / 1000}k` : r.members} ${r.backend}`;

interface Series {
  name: string;
  pick: (r: PlotRow) => number | undefined;
}

function panel(rows: PlotRow[], series: Series[], title: string, unit: string, left: number): string {
  const width = 300;
  const height = 280;
  const top = 80;
  const max0 = Math.max(1, ...rows.flatMap((r) => series.map((s) => s.pick(r) ?? 0)));
  const step = niceStep(max0);
  const lines = Math.ceil(max0 / step);
  const max = step * lines;
  const y = (v: number): number => top + height - (v / max) * height;
  const group = width / rows.length;
  const bar = (group * 0.8) / series.length;
  const out: string[] = [
    `<text x='${left + width / 2}' y='${top - 30}' text-anchor='middle' font-size='15' font-weight='bold' ${FONT}>${title}</text>`,
    `<text x='${left - 44}' y='${top + height / 2}' transform='rotate(-90 ${left - 44} ${top + height / 2})' text-anchor='middle' font-size='12' ${FONT}>${unit}</text>`,
  ];
  for (let i = 0; i <= lines; i++) {
    const v = step * i;
    out.push(`<line x1='${left}' x2='${left + width}' y1='${y(v)}' y2='${y(v)}' stroke='#e0e0e0'/>`);
    out.push(`<text x='${left - 6}' y='${y(v) + 4}' text-anchor='end' font-size='11' ${FONT}>${label(v)}</text>`);
  }
  rows.forEach((r, gi) => {
    out.push(
      `<text x='${left + gi * group + group / 2}' y='${top + height + 18}' text-anchor='middle' font-size='12' ${FONT}>${scenario(r)}</text>`,
    );
    series.forEach((s, si) => {
      const v = s.pick(r);
      if (v === undefined) return;
      const x = left + gi * group + group * 0.1 + si * bar;
      out.push(
        `<rect x='${x.toFixed(1)}' y='${y(v).toFixed(1)}' width='${(bar - 2).toFixed(1)}' height='${(top + height - y(v)).toFixed(1)}' fill='${COLORS[si]}'/>`,
        `<text x='${(x + bar / 2 - 1).toFixed(1)}' y='${(y(v) - 3).toFixed(1)}' text-anchor='middle' font-size='10' ${FONT}>${label(v)}</text>`,
      );
    });
  });
  out.push(`<line x1='${left}' x2='${left + width}' y1='${top + height}' y2='${top + height}' stroke='#424242'/>`);
  series.forEach((s, si) =>
    out.push(
      `<rect x='${left + si * 95}' y='${top + height + 34}' width='12' height='12' fill='${COLORS[si]}'/><text x='${left + 16 + si * 95}' y='${top + height + 45}' font-size='12' ${FONT}>${s.name}</text>`,
    ),
  );
  return out.join("\n");
}

export function plotSvg(rows: PlotRow[], subtitle: string): string {
  const usage = (pick: (u: Usage) => number): Series[] => [
    { name: "replica", pick: (r) => pick(r.replica) },
    { name: "agent", pick: (r) => pick(r.agent) },
    { name: "redis-server", pick: (r) => (r.redis === undefined ? undefined : pick(r.redis)) },
  ];
  return `<svg xmlns='http://www.w3.org/2000/svg' width='1150' height='430' viewBox='0 0 1150 430'>
<rect width='1150' height='430' fill='white'/>
<text x='575' y='20' text-anchor='middle' font-size='13' fill='#616161' ${FONT}>${subtitle}</text>
${panel(
  rows,
  [
    { name: "p50", pick: (r) => r.joinMs.p50 },
    { name: "p99", pick: (r) => r.joinMs.p99 },
  ],
  "Proxy start → all publishers connected",
  "ms",
  70,
)}
${panel(
  rows,
  usage((u) => u.cpuPercent),
  "CPU (% of one core)",
  "%",
  450,
)}
${panel(
  rows,
  usage((u) => u.peakRssMiB),
  "Peak RSS",
  "MiB",
  830,
)}
</svg>
`;
}
