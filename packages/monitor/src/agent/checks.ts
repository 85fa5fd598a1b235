import { parsePerfdata } from "./perfdata.js";
import { STATUS_NAMES, runPlugin, type PluginResult } from "./plugin.js";
import type { CheckDeclaration, CheckStatus, NotificationBody, Severity, Stat } from "../wire/schema.js";

const SEVERITY_OF: readonly Severity[] = ["ok", "warning", "critical", "unknown"];

/** The stats a run gives: `check.<name>.status`, and `check.<name>.<label>` per perfdata value. */
export function resultStats(name: string, process: string, result: PluginResult, time: number): Stat[] {
  const stats: Stat[] = [{ name: `check.${name}.status`, value: result.status, time, kind: "gauge", process }];
  for (const p of parsePerfdata(result.perfdata)) {
    const stat: Stat = { name: `check.${name}.${p.label}`.slice(0, 200), value: p.value, time, kind: "gauge", process };
    if (p.unit !== "" && p.unit.length <= 16) stat.unit = p.unit;
    stats.push(stat);
  }
  return stats;
}

/**
 * The notification a run raises, or null: one per change of state. A check never run before
 * counts as having been OK, so a first OK is silent and a first problem is not.
 */
export function stateChange(
  name: string,
  process: string,
  before: CheckStatus | undefined,
  result: PluginResult,
): NotificationBody | null {
  const was = before ?? 0;
  if (result.status === was) return null;
  const text = `${name} ${STATUS_NAMES[was]} -> ${STATUS_NAMES[result.status]}: ${result.text}`.slice(0, 8192);
  return { severity: SEVERITY_OF[result.status]!, text, check: name, process };
}

export interface DeclaredCheck {
  declaration: CheckDeclaration;
  /** The process that declared it ("agent" for the agent's own configured checks). */
  process: string;
}

/**
 * The checks an agent can run, by name, with what they need for scheduling: a run in progress is
 * shared (a second request for the same check waits for it rather than running it twice), and the
 * last run time is kept for the agent's local fallback schedule.
 */
export class CheckTable {
  private readonly byName = new Map<string, DeclaredCheck>();
  private readonly running = new Map<string, Promise<PluginResult>>();
  private readonly lastRun = new Map<string, number>();

  constructor(private readonly startedAt = Date.now()) {}

  /** Replaces the checks `process` declared. A name declared by another process is taken over. */
  declare(process: string, checks: readonly CheckDeclaration[]): void {
    for (const [name, check] of this.byName) if (check.process === process) this.byName.delete(name);
    for (const declaration of checks) this.byName.set(declaration.name, { declaration, process });
  }

  get(name: string): DeclaredCheck | undefined {
    return this.byName.get(name);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** Runs a check, or joins the run in progress. */
  run(name: string, check: DeclaredCheck): { result: Promise<PluginResult>; fresh: boolean } {
    const inProgress = this.running.get(name);
    if (inProgress !== undefined) return { result: inProgress, fresh: false };
    this.lastRun.set(name, Date.now());
    const result = runPlugin(check.declaration).finally(() => this.running.delete(name));
    this.running.set(name, result);
    return { result, fresh: true };
  }

  /**
   * Checks that nobody ran for `factor` of their intervals (so no scheduler is reaching this
   * agent): the agent runs those itself. factor 0 never.
   */
  overdue(now: number, factor: number): string[] {
    if (factor <= 0) return [];
    const list: string[] = [];
    for (const [name, { declaration }] of this.byName) {
      const last = this.lastRun.get(name) ?? this.startedAt;
      if (!this.running.has(name) && now - last > declaration.interval * factor) list.push(name);
    }
    return list;
  }

  /** ms between fallback checks: a fraction of the shortest interval, within 50..1000. */
  get tick(): number {
    let min = Infinity;
    for (const { declaration } of this.byName.values()) min = Math.min(min, declaration.interval);
    return Math.max(50, Math.min(1000, Math.floor(min / 4)));
  }
}
