/**
 * Nagios plugin output (Nagios Plugin Development Guidelines, "Plugin Output" and "Performance
 * data"): the first line is `TEXT|PERFDATA`; later lines are long output, and a `|` on one of them
 * starts more performance data that runs to the end of the output.
 *
 * Performance data is space-separated `'label'=value[UOM];[warn];[crit];[min];[max]`. Labels with
 * spaces are single-quoted, and a quote inside is doubled. A value `U` means "could not be
 * determined" and yields no number.
 */

export interface PerfValue {
  label: string;
  value: number;
  /** "", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c", or any other plugin-chosen unit. */
  unit: string;
  warn?: string;
  crit?: string;
  min?: number;
  max?: number;
}

export interface PluginOutput {
  /** The status text: the first line, before any `|`. */
  text: string;
  /** All performance data, raw (first line and long output joined by a space). */
  perfdata: string;
  /** The long output lines, without their performance data. */
  longOutput: string[];
}

export function parsePluginOutput(output: string): PluginOutput {
  const lines = output.replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
  const first = lines[0] ?? "";
  const bar = first.indexOf("|");
  const text = (bar === -1 ? first : first.slice(0, bar)).trim();
  const perf: string[] = [];
  if (bar !== -1) perf.push(first.slice(bar + 1).trim());
  const longOutput: string[] = [];
  let inPerf = false;
  for (const line of lines.slice(1)) {
    if (inPerf) {
      perf.push(line.trim());
      continue;
    }
    const at = line.indexOf("|");
    if (at === -1) {
      longOutput.push(line);
      continue;
    }
    longOutput.push(line.slice(0, at));
    perf.push(line.slice(at + 1).trim());
    inPerf = true;
  }
  return { text, perfdata: perf.filter((p) => p.length > 0).join(" "), longOutput };
}

/** Splits performance data into `label=...` items, honouring single-quoted labels. */
function tokens(perfdata: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = perfdata.length;
  while (i < n) {
    while (i < n && perfdata[i] === " ") i++;
    if (i >= n) break;
    let token = "";
    if (perfdata[i] === "'") {
      // A quoted label: '' is a literal quote; the label ends at a lone quote.
      token += "'";
      i++;
      while (i < n) {
        if (perfdata[i] === "'" && perfdata[i + 1] === "'") {
          token += "''";
          i += 2;
        } else if (perfdata[i] === "'") {
          token += "'";
          i++;
          break;
        } else {
          token += perfdata[i++];
        }
      }
    }
    while (i < n && perfdata[i] !== " ") token += perfdata[i++];
    out.push(token);
  }
  return out;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/;

function optionalNumber(s: string | undefined): number | undefined {
  if (s === undefined || s === "") return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Parses performance data; malformed items are skipped, never thrown. */
export function parsePerfdata(perfdata: string): PerfValue[] {
  const values: PerfValue[] = [];
  for (const token of tokens(perfdata)) {
    const eq = token.lastIndexOf("=");
    if (eq <= 0) continue;
    let label = token.slice(0, eq);
    if (label.startsWith("'")) {
      if (!label.endsWith("'") || label.length < 2) continue;
      label = label.slice(1, -1).replace(/''/g, "'");
    }
    if (label.length === 0) continue;
    const [valueUnit = "", warn, crit, min, max] = token.slice(eq + 1).split(";");
    const match = NUMBER.exec(valueUnit);
    if (match === null) continue; // includes "U": no value could be determined
    const value = Number(match[0]);
    if (!Number.isFinite(value)) continue;
    const entry: PerfValue = { label, value, unit: valueUnit.slice(match[0].length) };
    if (warn !== undefined && warn !== "") entry.warn = warn;
    if (crit !== undefined && crit !== "") entry.crit = crit;
    const minN = optionalNumber(min);
    const maxN = optionalNumber(max);
    if (minN !== undefined) entry.min = minN;
    if (maxN !== undefined) entry.max = maxN;
    values.push(entry);
  }
  return values;
}
