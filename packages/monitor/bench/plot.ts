/**
 * Draws the scale benchmark's results (`--json FILE` of monitor-scale.ts) as an SVG: stored
 * messages/s against offered, and agent-to-sink p99 latency, per case (agents x rate), SQLite
 * and PostgreSQL side by side.
 *
 *   npx esbuild bench/plot.ts --bundle --platform=node --format=esm --outfile=tmp/bench/plot.mjs \
 *     && node tmp/bench/plot.mjs tmp/bench-monitor.json bench/results/monitor-scale.svg
 */
import { readFileSync, writeFileSync } from "node:fs";

interface Row {
  store: string;
  rate: number;
  agents: number;
  offered: number;
  received: number;
  latencyP99: number;
}

const [input, output] = process.argv.slice(2) as [string, string];
const rows = JSON.parse(readFileSync(input, "utf8")) as Row[];
const cases = [...new Set(rows.map((r) => `${r.agents}|${r.rate}`))];
const stores = [...new Set(rows.map((r) => r.store))];
const COLORS: Record<string, string> = { sqlite: "#3b82f6", postgres: "#16a34a", offered: "#d1d5db" };
const W = 900;
const H = 300;
const left = 70;
const top = 40;
const chartW = W - left - 20;
const group = chartW / cases.length;
const bar = group / (stores.length + 2);

function panel(y0: number, title: string, value: (r: Row) => number, unit: string, withOffered: boolean): string {
  const max = Math.max(...rows.map((r) => Math.max(value(r), withOffered ? r.offered : 0))) * 1.1;
  const scale = (v: number): number => (H - 60) * (v / max);
  const parts: string[] = [`<text x="${left}" y="${y0 - 12}" font-size="15" font-weight="600">${title}</text>`];
  for (let t = 0; t <= 4; t++) {
    const v = (max / 4) * t;
    const y = y0 + H - 60 - scale(v);
    parts.push(`<line x1="${left}" x2="${W - 20}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${Math.round(v).toLocaleString("en")}${unit}</text>`,
    );
  }
  cases.forEach((c, i) => {
    const [agents, rate] = c.split("|");
    const x0 = left + i * group + bar / 2;
    const bars: Array<[string, number]> = [];
    if (withOffered) bars.push(["offered", rows.find((r) => `${r.agents}|${r.rate}` === c)!.offered]);
    for (const s of stores) {
      const r = rows.find((x) => x.store === s && `${x.agents}|${x.rate}` === c);
      if (r !== undefined) bars.push([s, value(r)]);
    }
    bars.forEach(([name, v], j) => {
      const h = scale(v);
      parts.push(
        `<rect x="${x0 + j * bar}" y="${y0 + H - 60 - h}" width="${bar - 2}" height="${h}" fill="${COLORS[name] ?? "#999"}"><title>${name}: ${Math.round(v)}${unit}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${x0 + (bars.length * bar) / 2}" y="${y0 + H - 42}" font-size="12" text-anchor="middle">${Number(agents).toLocaleString("en")} agents x${rate}</text>`,
    );
  });
  return parts.join("\n");
}

const legend = [...(["offered"] as string[]), ...stores]
  .map(
    (s, i) =>
      `<rect x="${left + i * 150}" y="8" width="12" height="12" fill="${COLORS[s]}"/><text x="${left + i * 150 + 18}" y="18" font-size="12">${s === "offered" ? "offered msg/s" : s}</text>`,
  )
  .join("\n");
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H + top + 20}" font-family="sans-serif" fill="#111">
<rect width="100%" height="100%" fill="#fff"/>
${legend}
${panel(top + 20, "Messages stored per second (higher is better)", (r) => r.received, "", true)}
${panel(top + H + 20, "Agent-to-sink latency, p99 (lower is better)", (r) => r.latencyP99, " ms", false)}
</svg>
`;
writeFileSync(output, svg);
