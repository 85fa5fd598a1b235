import { eventId } from "./alerts.js";
import type { CheckResultRecord, NotificationRecord, Store } from "../store/store.js";

/**
 * Flap detection, as Nagios does it: over a check's last 21 results, the share of state changes,
 * the newer ones weighing more (0.8 for the oldest change up to 1.2 for the newest). A check
 * whose share reaches `high` percent is flapping: its own notifications are silenced (a silence
 * for that host and check, named after it) and one "flapping" alert is raised; once the share
 * falls under `low` percent, the silence ends and a "stopped flapping" alert says so.
 */

export const FLAP_WINDOW = 21;

/** Nagios's percent state change of a series of states, oldest first. */
export function percentStateChange(states: readonly number[]): number {
  const n = states.length;
  if (n < 2) return 0;
  let weighted = 0;
  for (let i = 1; i < n; i++) {
    if (states[i] === states[i - 1]) continue;
    // Weights rise linearly from 0.8 (the oldest change) to 1.2 (the newest).
    weighted += n === 2 ? 1 : 0.8 + (0.4 * (i - 1)) / (n - 2);
  }
  return (weighted * 100) / (n - 1);
}

export interface FlapOptions {
  high?: number;
  low?: number;
}

/**
 * Looks at a check after a new result: starts or ends its flapping. Returns "started",
 * "stopped" or null. Safe with several stats sinks at once: the silence and the alerts have ids
 * derived from the check, so each is stored once.
 */
export async function watchFlapping(
  store: Store,
  result: CheckResultRecord,
  hostName: string,
  options: FlapOptions = {},
): Promise<"started" | "stopped" | null> {
  const high = options.high ?? 50;
  const low = options.low ?? 25;
  const recent = await store.checkResults({ agent: result.agent, check: result.check, limit: FLAP_WINDOW });
  const states = recent.filter((r) => r.trigger !== "stale").map((r) => r.status);
  const change = percentStateChange(states);
  const silenceId = eventId("flapping", result.agent, result.check);
  const now = result.time;
  const active = (await store.silences({ activeAt: now })).some((s) => s.id === silenceId);
  const alert = (text: string, severity: NotificationRecord["severity"]): NotificationRecord => ({
    agent: result.agent,
    id: eventId("flap-alert", result.agent, result.check, text, active ? "stop" : "start", Math.floor(now / 60_000)),
    severity,
    text,
    time: now,
    received: now,
    acknowledged: null,
    kind: active ? "flapping-stopped" : "flapping",
  });
  if (!active && change >= high && states.length >= FLAP_WINDOW / 2) {
    await store.putSilence({
      id: silenceId,
      agent: result.agent,
      check: result.check,
      starts: now,
      // Ended when the flapping stops; the day bounds a silence nobody ends.
      ends: now + 24 * 3600 * 1000,
      by: "flap detection",
      reason: `${result.check} is flapping (${Math.round(change)}% state change)`,
      created: now,
    });
    await store.addNotification(
      alert(
        `${result.check} on ${hostName} is flapping: ${Math.round(change)}% state change; its alerts are held`,
        "warning",
      ),
    );
    return "started";
  }
  if (active && change < low) {
    await store.endSilence(silenceId, "flap detection", now);
    await store.addNotification(
      alert(`${result.check} on ${hostName} stopped flapping (${Math.round(change)}% state change)`, "ok"),
    );
    return "stopped";
  }
  return null;
}
