import { STATUS_NAMES } from "../agent/plugin.js";
import { roleOfProcess, type RoleKind } from "../wire/roles.js";
import type { Severity } from "../wire/schema.js";
import type { Store } from "../store/store.js";
import { groupNotifications, type NotificationGroupView } from "./groups.js";
import { problems, type Problem } from "./problems.js";

/** What the status page shows, computed from the store (GET /api/state, and each live update). */
export interface FleetState {
  now: number;
  hosts: HostState[];
  /** The monitor's own routers, sinks and schedulers (wire/roles.ts). */
  roles: RoleState[];
  checks: CheckState[];
  notifications: NotificationState[];
  /** What is wrong now, worst first (problems.ts); the page filters it. */
  problems: Problem[];
  /** The recent notifications, repeats grouped (groups.ts), newest first. */
  groups: NotificationGroupView[];
  summary: {
    hostsUp: number;
    hostsDown: number;
    checks: Record<(typeof STATUS_NAMES)[number], number>;
    unacknowledged: number;
  };
  /** Stats to chart first, in order; the rest of each host's stats follow. */
  chartStats: readonly string[];
}

export interface HostState {
  agent: string;
  host: string;
  state: "up" | "down";
  lastSeen: number;
  since: number;
  interval: number;
  /** Processes with heartbeats of their own. */
  processes: Array<{ name: string; state: "up" | "down"; lastSeen: number }>;
  /** Names of the stats this host reported. */
  stats: string[];
}

export interface RoleState {
  id: string;
  kind: RoleKind;
  name: string;
  state: "up" | "down";
  lastSeen: number;
  interval: number;
  /** The role's counters and gauges, by name without the `monitor.` prefix. */
  stats: Record<string, number>;
}

export interface CheckState {
  agent: string;
  host: string;
  check: string;
  status: (typeof STATUS_NAMES)[number];
  text: string;
  time: number;
  duration: number;
}

export interface NotificationState {
  agent: string;
  host: string;
  id: string;
  severity: Severity;
  text: string;
  check?: string;
  process?: string;
  time: number;
  acknowledged: { by: string; time: number } | null;
  /** The silence that kept it from being delivered. */
  silenced?: string;
}

export async function fleetState(
  store: Store,
  hostOf: (agent: string) => string,
  chartStats: readonly string[],
  recent = 30,
): Promise<FleetState> {
  const [presence, checkStates, notifications, latest, unacked, problemList, grouped] = await Promise.all([
    store.presence(),
    store.checkStates(),
    store.notifications({ limit: recent }),
    store.latestStats(),
    store.notifications({ unacknowledged: true }),
    problems(store, hostOf),
    store.notifications({ limit: recent * 20 }),
  ]);
  const statNames = new Map<string, Set<string>>();
  for (const s of latest) {
    let set = statNames.get(s.agent);
    if (set === undefined) statNames.set(s.agent, (set = new Set()));
    set.add(s.name);
  }
  const hosts = new Map<string, HostState>();
  for (const p of presence) {
    if (p.process !== null) continue;
    hosts.set(p.agent, {
      agent: p.agent,
      host: hostOf(p.agent),
      state: p.state,
      lastSeen: p.lastSeen,
      since: p.since,
      interval: p.interval,
      processes: [],
      stats: [...(statNames.get(p.agent) ?? [])].sort(),
    });
  }
  const roles: RoleState[] = [];
  for (const p of presence) {
    const kind = roleOfProcess(p.process);
    if (kind !== null) {
      const stats: Record<string, number> = {};
      for (const s of latest)
        if (s.agent === p.agent && s.name.startsWith("monitor.")) stats[s.name.slice(8)] = s.value;
      roles.push({
        id: p.agent,
        kind,
        name: hostOf(p.agent),
        state: p.state,
        lastSeen: p.lastSeen,
        interval: p.interval,
        stats,
      });
    } else if (p.process !== null) {
      hosts.get(p.agent)?.processes.push({ name: p.process, state: p.state, lastSeen: p.lastSeen });
    }
  }
  roles.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  const checks: CheckState[] = checkStates.map((r) => ({
    agent: r.agent,
    host: hostOf(r.agent),
    check: r.check,
    status: STATUS_NAMES[r.status],
    text: r.text,
    time: r.time,
    duration: r.duration,
  }));
  checks.sort((a, b) => a.host.localeCompare(b.host) || a.check.localeCompare(b.check));
  const summary = {
    hostsUp: 0,
    hostsDown: 0,
    checks: { OK: 0, WARNING: 0, CRITICAL: 0, UNKNOWN: 0 },
    unacknowledged: unacked.length,
  };
  for (const h of hosts.values()) summary[h.state === "up" ? "hostsUp" : "hostsDown"] += 1;
  for (const c of checks) summary.checks[c.status] += 1;
  return {
    now: Date.now(),
    hosts: [...hosts.values()].sort((a, b) => a.host.localeCompare(b.host)),
    roles,
    checks,
    notifications: notifications.reverse().map((n) => ({
      agent: n.agent,
      host: hostOf(n.agent),
      id: n.id,
      severity: n.severity,
      text: n.text,
      time: n.time,
      acknowledged: n.acknowledged,
      ...(n.check !== undefined && { check: n.check }),
      ...(n.process !== undefined && { process: n.process }),
      ...(n.silenced !== undefined && { silenced: n.silenced }),
    })),
    problems: problemList,
    groups: groupNotifications(grouped, hostOf).slice(0, recent),
    summary,
    chartStats,
  };
}
