import { createHash, randomUUID } from "node:crypto";
import { roleOfProcess } from "../wire/roles.js";
import type { Severity } from "../wire/schema.js";
import type { AlertKind, NotificationRecord, PresenceKey } from "../store/store.js";

/**
 * The alerts the monitor raises itself. Each is an ordinary notification (stored, shown,
 * acknowledged and delivered like an agent's), handed to the store in the same step as the
 * change that raised it.
 */

function alert(
  agent: string,
  kind: AlertKind,
  severity: Severity,
  text: string,
  time: number,
  extra: { process?: string; check?: string; id?: string } = {},
): NotificationRecord {
  const { id, ...rest } = extra;
  return { agent, id: id ?? randomUUID(), severity, text, time, received: time, acknowledged: null, kind, ...rest };
}

/** A UUID from a text: the same event seen by two sweepers gets one id, so it is stored once. */
export function eventId(...parts: Array<string | number>): string {
  const hex = createHash("sha256").update(parts.join("\0")).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

/** A host, a process or one of the monitor's roles stopped sending heartbeats. */
export function downAlert(key: PresenceKey, name: string, lastSeen: number, now: number): NotificationRecord {
  const silent = `no heartbeat for ${seconds(now - lastSeen)}`;
  if (key.process === null) return alert(key.agent, "host-down", "critical", `host ${name} is down: ${silent}`, now);
  const role = roleOfProcess(key.process);
  if (role !== null)
    return alert(key.agent, "role-down", "critical", `${role} ${name} is down: ${silent}`, now, {
      process: key.process,
    });
  return alert(key.agent, "process-down", "warning", `process ${key.process} on ${name} is down: ${silent}`, now, {
    process: key.process,
  });
}

/** Heartbeats came back after a down. */
export function upAlert(key: PresenceKey, name: string, now: number): NotificationRecord {
  if (key.process === null) return alert(key.agent, "host-up", "ok", `host ${name} is back up`, now);
  const role = roleOfProcess(key.process);
  if (role !== null)
    return alert(key.agent, "role-up", "ok", `${role} ${name} is back up`, now, { process: key.process });
  return alert(key.agent, "process-up", "ok", `process ${key.process} on ${name} is back up`, now, {
    process: key.process,
  });
}

/** A check gave no result for too long: recorded UNKNOWN. */
export function staleAlert(
  agent: string,
  name: string,
  check: string,
  process: string,
  silentFor: number,
  now: number,
): NotificationRecord {
  return alert(
    agent,
    "stale-check",
    "unknown",
    `${check} on ${name} -> UNKNOWN: no result for ${seconds(silentFor)}`,
    now,
    { check, process },
  );
}

/** A sink cannot keep up: messages wait for the store. */
export function backlogAlert(
  sink: string,
  name: string,
  stream: string,
  waiting: number,
  since: number,
  now: number,
): NotificationRecord {
  return alert(
    sink,
    "backlog",
    "warning",
    `${stream} sink ${name} is behind: ${waiting} messages waiting for the store for ${seconds(now - since)}`,
    now,
    { process: "zmtp-sink" },
  );
}

export function backlogClearedAlert(sink: string, name: string, stream: string, now: number): NotificationRecord {
  return alert(sink, "backlog-cleared", "ok", `${stream} sink ${name} has caught up`, now, { process: "zmtp-sink" });
}

/** Two live agents send under one id (a cloned machine image): the second is told to stop. */
export function duplicateAlert(
  agent: string,
  name: string,
  first: { instance: string; who: string },
  second: { instance: string; who: string },
  now: number,
): NotificationRecord {
  return alert(
    agent,
    "duplicate-agent",
    "critical",
    `two live agents share the id of ${name}: ${first.who} and ${second.who} (a cloned machine?); the second is refused: give it a state directory of its own`,
    now,
    { id: eventId("duplicate", agent, first.instance, second.instance) },
  );
}
