import { notificationGroup, type AlertKind, type NotificationRecord } from "../store/store.js";
import type { Severity } from "../wire/schema.js";

/**
 * Repeated notifications shown as one: the store gives every notification its group (the same
 * host, source and severity: store.ts notificationGroup) and pages a repeat only once per dedup
 * window; the page, the API and the CLI show a group per line with its count.
 */
export interface NotificationGroupView {
  group: string;
  agent: string;
  host: string;
  severity: Severity;
  /** The newest notification's text and id. */
  text: string;
  latest: string;
  check?: string;
  process?: string;
  kind?: AlertKind;
  count: number;
  first: number;
  last: number;
  /** How many are not acknowledged yet; POST /api/ack {"group"} acknowledges them all. */
  unacknowledged: number;
  /** Those that paged (the others were grouped under them, or silenced). */
  paged: number;
  /** The newest acknowledgement, once every one is acknowledged. */
  acknowledged: { by: string; time: number } | null;
  /** The newest was held by a silence. */
  silenced: boolean;
}

/** Groups notifications (any order), newest group first. */
export function groupNotifications(
  notifications: readonly NotificationRecord[],
  hostOf: (agent: string) => string,
): NotificationGroupView[] {
  const groups = new Map<string, NotificationGroupView>();
  const sorted = [...notifications].sort((a, b) => a.received - b.received);
  for (const n of sorted) {
    const key = n.group ?? notificationGroup(n);
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        group: key,
        agent: n.agent,
        host: hostOf(n.agent),
        severity: n.severity,
        text: n.text,
        latest: n.id,
        count: 0,
        first: n.time,
        last: n.time,
        unacknowledged: 0,
        paged: 0,
        acknowledged: null,
        silenced: false,
      };
      groups.set(key, g);
    }
    g.count += 1;
    g.text = n.text;
    g.latest = n.id;
    g.last = Math.max(g.last, n.time);
    g.first = Math.min(g.first, n.time);
    g.silenced = n.silenced !== undefined;
    if (n.silenced === undefined && n.duplicateOf === undefined) g.paged += 1;
    if (n.acknowledged === null) g.unacknowledged += 1;
    else if (g.acknowledged === null || n.acknowledged.time > g.acknowledged.time) g.acknowledged = n.acknowledged;
    if (n.check !== undefined) g.check = n.check;
    if (n.process !== undefined) g.process = n.process;
    if (n.kind !== undefined) g.kind = n.kind;
  }
  const list = [...groups.values()];
  for (const g of list) if (g.unacknowledged > 0) g.acknowledged = null;
  return list.sort((a, b) => b.last - a.last);
}
