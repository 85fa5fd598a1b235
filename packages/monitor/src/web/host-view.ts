import { STATUS_NAMES } from "../agent/plugin.js";
import type { PresenceEvent, Store } from "../store/store.js";
import { groupNotifications, type NotificationGroupView } from "./groups.js";

/**
 * One host: what runs there (each process's registration: pid, version, its checks), its state
 * and checks, and its history (up/down changes, notifications grouped, recent check results).
 * The page's host view (#host=AGENT), GET /api/host and `zmtp-monitor host`.
 */
export interface HostView {
  agent: string;
  host: string;
  firstSeen: number | null;
  lastSeen: number | null;
  state: "up" | "down" | "unknown";
  since: number | null;
  interval: number | null;
  registrations: Array<{
    process: string;
    pid?: number;
    version?: string;
    hostname?: string;
    checks: Array<{ name: string; interval: number; command: string }>;
    time: number;
    /** The process's own heartbeats, if it sends them. */
    state?: "up" | "down";
    lastSeen?: number;
  }>;
  checks: Array<{ check: string; status: (typeof STATUS_NAMES)[number]; text: string; time: number; duration: number }>;
  history: {
    /** Newest first. */
    presence: Array<PresenceEvent & { what: string }>;
    notifications: NotificationGroupView[];
    /** The newest check results, newest first. */
    results: Array<{
      check: string;
      status: (typeof STATUS_NAMES)[number];
      text: string;
      time: number;
      trigger: string;
    }>;
  };
  stats: string[];
}

/** The host view of an agent, or null when the store has never heard of it. */
export async function hostView(
  store: Store,
  agent: string,
  hostOf: (agent: string) => string,
  limit = 50,
): Promise<HostView | null> {
  const [agents, presence, registrations, checks, history, notifications, results, latest] = await Promise.all([
    store.agents(),
    store.presence(),
    store.registrations(agent),
    store.checkStates(agent),
    store.presenceHistory(agent),
    store.notifications({ agent, limit: limit * 10 }),
    store.checkResults({ agent, limit }),
    store.latestStats(agent),
  ]);
  const record = agents.find((a) => a.id === agent);
  const own = presence.find((p) => p.agent === agent && p.process === null);
  if (record === undefined && own === undefined && registrations.length === 0) return null;
  const processes = new Map(
    presence.filter((p) => p.agent === agent && p.process !== null).map((p) => [p.process!, p]),
  );
  const command = (c: string | string[]): string => (typeof c === "string" ? c : c.join(" "));
  return {
    agent,
    host: hostOf(agent),
    firstSeen: record?.firstSeen ?? null,
    lastSeen: own?.lastSeen ?? record?.lastSeen ?? null,
    state: own?.state ?? "unknown",
    since: own?.since ?? null,
    interval: own?.interval ?? null,
    registrations: registrations
      .map((r) => {
        // The agent's own heartbeats are the host's.
        const p = r.process === "agent" ? own : processes.get(r.process);
        return {
          process: r.process,
          ...(r.pid !== undefined && { pid: r.pid }),
          ...(r.version !== undefined && { version: r.version }),
          ...(r.hostname !== undefined && { hostname: r.hostname }),
          checks: r.checks.map((c) => ({ name: c.name, interval: c.interval, command: command(c.command) })),
          time: r.time,
          ...(p !== undefined && { state: p.state, lastSeen: p.lastSeen }),
        };
      })
      .sort((a, b) => a.process.localeCompare(b.process)),
    checks: checks
      .map((c) => ({
        check: c.check,
        status: STATUS_NAMES[c.status],
        text: c.text,
        time: c.time,
        duration: c.duration,
      }))
      .sort((a, b) => a.check.localeCompare(b.check)),
    history: {
      presence: history
        .slice(-limit)
        .reverse()
        .map((e) => ({ ...e, what: e.process === null ? "host" : e.process })),
      notifications: groupNotifications(notifications, hostOf).slice(0, limit),
      results: results.reverse().map((r) => ({
        check: r.check,
        status: STATUS_NAMES[r.status],
        text: r.text,
        time: r.time,
        trigger: r.trigger,
      })),
    },
    stats: [...new Set(latest.map((s) => s.name))].sort(),
  };
}
