import { STATUS_NAMES } from "../agent/plugin.js";
import { notificationGroup, type NotificationRecord, type Store } from "../store/store.js";
import { roleOfProcess } from "../wire/roles.js";
import { SEVERITIES, type Severity } from "../wire/schema.js";

/**
 * What is wrong now, worst first: hosts, processes and the monitor's roles that are down, checks
 * that are not OK, and agents' own alerts nobody has acknowledged yet. The page shows them above
 * everything else; GET /api/problems and `zmtp-monitor problems` give the same list, filtered.
 */
export interface Problem {
  kind: "host" | "process" | "role" | "check" | "notification";
  agent: string;
  host: string;
  severity: Severity;
  check?: string;
  process?: string;
  text: string;
  /** When it began (the alert that raised it, else the state's start). */
  since: number;
  /** Null while any notification about it is unacknowledged, or none was raised. */
  acknowledged: { by: string; time: number } | null;
  /** The groups of its unacknowledged notifications: POST /api/ack {"groups"} acknowledges it. */
  groups: string[];
  /** Its notifications, repeats included. */
  notifications: number;
}

export interface ProblemFilter {
  /** A host name or agent id. */
  host?: string;
  check?: string;
  severities?: readonly Severity[];
  acknowledged?: boolean;
}

const RANK: Record<Severity, number> = { critical: 0, unknown: 1, warning: 2, info: 3, ok: 4 };
const CHECK_SEVERITY: Record<(typeof STATUS_NAMES)[number], Severity> = {
  OK: "ok",
  WARNING: "warning",
  CRITICAL: "critical",
  UNKNOWN: "unknown",
};
/** An alert about something wrong (not a recovery, not information). */
const isAlarm = (n: NotificationRecord): boolean => n.severity !== "ok" && n.severity !== "info";

/** The notifications about a subject, to judge whether the problem is acknowledged. */
function acknowledgement(about: NotificationRecord[]): Pick<Problem, "acknowledged" | "groups" | "notifications"> {
  const open = about.filter((n) => n.acknowledged === null);
  const groups = [...new Set(open.map((n) => n.group ?? notificationGroup(n)))];
  let acknowledged: Problem["acknowledged"] = null;
  if (open.length === 0)
    for (const n of about)
      if (acknowledged === null || n.acknowledged!.time > acknowledged.time) acknowledged = n.acknowledged;
  return { acknowledged, groups, notifications: about.length };
}

export async function problems(
  store: Store,
  hostOf: (agent: string) => string,
  filter: ProblemFilter = {},
  recent = 2000,
): Promise<Problem[]> {
  const [presence, checks, unacknowledged, latest] = await Promise.all([
    store.presence(),
    store.checkStates(),
    store.notifications({ unacknowledged: true }),
    store.notifications({ limit: recent }),
  ]);
  const seen = new Set<string>();
  const alarms: NotificationRecord[] = [];
  for (const n of [...unacknowledged, ...latest])
    if (isAlarm(n) && !seen.has(`${n.agent}/${n.id}`)) {
      seen.add(`${n.agent}/${n.id}`);
      alarms.push(n);
    }
  const about = (test: (n: NotificationRecord) => boolean): NotificationRecord[] => alarms.filter(test);
  const since = (list: NotificationRecord[], fallback: number): number =>
    list.length === 0 ? fallback : Math.max(...list.map((n) => n.time));
  const out: Problem[] = [];
  const covered = new Set<NotificationRecord>();
  const add = (p: Omit<Problem, "acknowledged" | "groups" | "notifications">, list: NotificationRecord[]): void => {
    for (const n of list) covered.add(n);
    out.push({ ...p, ...acknowledgement(list) });
  };
  for (const p of presence) {
    if (p.state !== "down") continue;
    const role = roleOfProcess(p.process);
    const host = hostOf(p.agent);
    const text = `down: no heartbeat since ${new Date(p.lastSeen).toISOString()}`;
    // This outage's alert, not an earlier one's (raised when the sweep saw it down).
    const now = (n: NotificationRecord): boolean => n.agent === p.agent && n.received >= p.since - 60_000;
    if (p.process === null) {
      const list = about((n) => now(n) && n.kind === "host-down");
      add({ kind: "host", agent: p.agent, host, severity: "critical", text, since: since(list, p.since) }, list);
    } else if (role !== null) {
      const list = about((n) => now(n) && n.kind === "role-down");
      add(
        { kind: "role", agent: p.agent, host, severity: "critical", process: role, text, since: since(list, p.since) },
        list,
      );
    } else {
      const list = about((n) => now(n) && n.kind === "process-down" && n.process === p.process);
      add(
        {
          kind: "process",
          agent: p.agent,
          host,
          severity: "warning",
          process: p.process,
          text,
          since: since(list, p.since),
        },
        list,
      );
    }
  }
  for (const c of checks) {
    if (c.status === 0) continue;
    const list = about((n) => n.agent === c.agent && n.check === c.check);
    const severity = CHECK_SEVERITY[STATUS_NAMES[c.status]];
    add(
      {
        kind: "check",
        agent: c.agent,
        host: hostOf(c.agent),
        severity,
        check: c.check,
        text: c.text,
        since: since(list, c.time),
      },
      list,
    );
  }
  // Alerts about nothing tracked above (an agent's own, a duplicate agent), not yet acknowledged.
  const loose = new Map<string, NotificationRecord[]>();
  for (const n of unacknowledged) {
    if (!isAlarm(n) || covered.has(n) || n.check !== undefined) continue;
    if (n.kind !== undefined && n.kind !== "duplicate-agent") continue;
    const key = n.group ?? notificationGroup(n);
    loose.set(key, [...(loose.get(key) ?? []), n]);
  }
  for (const list of loose.values()) {
    const n = list.reduce((a, b) => (b.time > a.time ? b : a));
    add(
      {
        kind: "notification",
        agent: n.agent,
        host: hostOf(n.agent),
        severity: n.severity,
        text: n.text,
        since: n.time,
        ...(n.process !== undefined && { process: n.process }),
      },
      list,
    );
  }
  return out
    .filter((p) => matchesFilter(p, filter))
    .sort(
      (a, b) =>
        Number(a.acknowledged !== null) - Number(b.acknowledged !== null) ||
        RANK[a.severity] - RANK[b.severity] ||
        b.since - a.since ||
        a.host.localeCompare(b.host),
    );
}

export function matchesFilter(p: Problem, f: ProblemFilter): boolean {
  return (
    (f.host === undefined || f.host === p.host || f.host === p.agent) &&
    (f.check === undefined || f.check === p.check) &&
    (f.severities === undefined || f.severities.includes(p.severity)) &&
    (f.acknowledged === undefined || f.acknowledged === (p.acknowledged !== null))
  );
}

/** ?host=&check=&severity=a,b&acknowledged=yes|no, or what is wrong with it. */
export function problemFilter(params: URLSearchParams): ProblemFilter | string {
  const filter: ProblemFilter = {};
  const host = params.get("host");
  if (host !== null && host !== "") filter.host = host;
  const check = params.get("check");
  if (check !== null && check !== "") filter.check = check;
  const severity = params.get("severity");
  if (severity !== null && severity !== "") {
    const list = severity.split(",");
    if (!list.every((s) => SEVERITIES.includes(s as Severity))) return `severity: some of ${SEVERITIES.join(", ")}`;
    filter.severities = list as Severity[];
  }
  const acknowledged = params.get("acknowledged");
  if (acknowledged !== null && acknowledged !== "") {
    if (acknowledged !== "yes" && acknowledged !== "no") return "acknowledged: yes or no";
    filter.acknowledged = acknowledged === "yes";
  }
  return filter;
}
