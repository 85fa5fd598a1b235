import type { CheckStatus, Severity, StatKind } from "../wire/schema.js";
import type {
  AlertKind,
  CheckResultRecord,
  DeliveryRecord,
  DeliveryState,
  NotificationRecord,
  ResultTrigger,
  StatRecord,
} from "./store.js";

/**
 * Rows of the SQL stores (SQLite, PostgreSQL) to records: the column names are the same in
 * both; numbers may come as strings (PostgreSQL's bigint), NULL becomes an absent field.
 */

type Row = Record<string, unknown>;

export const str = (v: unknown): string => v as string;
export const num = (v: unknown): number => Number(v);
/** Optional columns: NULL becomes an absent field. */
export function put<T extends object>(
  out: T,
  key: keyof T & string,
  value: unknown,
  map: (v: unknown) => unknown = (v) => v,
): void {
  if (value !== null) (out as Record<string, unknown>)[key] = map(value);
}

export function resultFrom(r: Row): CheckResultRecord {
  const out: CheckResultRecord = {
    agent: str(r.agent),
    id: str(r.id),
    check: str(r.check_name),
    status: num(r.status) as CheckStatus,
    text: str(r.text),
    perfdata: str(r.perfdata),
    duration: num(r.duration),
    trigger: str(r.trigger) as ResultTrigger,
    time: num(r.time),
  };
  put(out, "ref", r.ref);
  return out;
}

export function statFrom(r: Row): StatRecord {
  const out: StatRecord = { agent: str(r.agent), name: str(r.name), value: num(r.value), time: num(r.time) };
  put(out, "kind", r.kind, (v) => v as StatKind);
  put(out, "unit", r.unit);
  put(out, "process", r.process);
  return out;
}

export function notificationFrom(r: Row): NotificationRecord {
  const out: NotificationRecord = {
    agent: str(r.agent),
    id: str(r.id),
    severity: str(r.severity) as Severity,
    text: str(r.text),
    time: num(r.time),
    received: num(r.received),
    acknowledged: r.acknowledged_by === null ? null : { by: str(r.acknowledged_by), time: num(r.acknowledged_at) },
  };
  put(out, "process", r.process);
  put(out, "check", r.check_name);
  put(out, "kind", r.kind, (v) => v as AlertKind);
  put(out, "silenced", r.silenced);
  put(out, "group", r.group_key);
  put(out, "duplicateOf", r.duplicate_of);
  return out;
}

export function deliveryFrom(r: Row): DeliveryRecord {
  const out: DeliveryRecord = {
    id: str(r.id),
    agent: str(r.agent),
    notification: str(r.notification),
    action: str(r.action),
    state: str(r.state) as DeliveryState,
    attempts: num(r.attempts),
    dueAt: num(r.due_at),
    created: num(r.created),
  };
  put(out, "lastError", r.last_error);
  if (r.done_by !== null) out.done = { by: str(r.done_by), time: num(r.done_at) };
  return out;
}
