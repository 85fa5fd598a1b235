/**
 * The JSON bodies of monitoring messages, with their validators. A validator builds a fresh,
 * clean object from what it checked (unknown fields are ignored, for forward compatibility), so
 * nothing a peer sent besides the declared fields ever reaches a role.
 */

export type Severity = "ok" | "info" | "warning" | "critical" | "unknown";
export const SEVERITIES: readonly Severity[] = ["ok", "info", "warning", "critical", "unknown"];

export type StatKind = "counter" | "gauge" | "timer";

export interface Stat {
  name: string;
  value: number;
  /** ms since the epoch; the message header's time when absent. */
  time?: number;
  kind?: StatKind;
  unit?: string;
  process?: string;
}

/** A Nagios-compatible plugin a process declares. */
export interface CheckDeclaration {
  name: string;
  /** argv (run directly) or a string (run with /bin/sh -c). */
  command: string | string[];
  /** ms between scheduled runs. */
  interval: number;
  /** ms before the plugin is killed and the result is UNKNOWN; default 10000. */
  timeout?: number;
}

/** Nagios plugin exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export type CheckStatus = 0 | 1 | 2 | 3;
export type Trigger = "schedule" | "demand" | "local";
export type DeliveryStatus = "delivered" | "unknown-agent" | "busy";

export interface HeartbeatBody {
  /** ms until the next heartbeat: presence is judged against it. */
  interval: number;
  /** A local process's heartbeat relayed by the agent; absent for the agent's own. */
  process?: string;
  pid?: number;
  hostname?: string;
  /**
   * A random UUID per agent process start: two live agents with one agent id (a cloned machine
   * image) show as two instances taking turns, which the heartbeat sinks detect.
   */
  instance?: string;
}

export interface StatsBody {
  stats: Stat[];
}

export interface RegistrationBody {
  process: string;
  pid?: number;
  version?: string;
  hostname?: string;
  checks: CheckDeclaration[];
}

export interface NotificationBody {
  severity: Severity;
  text: string;
  process?: string;
  check?: string;
}

export interface ResultBody {
  check: string;
  status: CheckStatus;
  /** The first line of the plugin's output, before any `|`. */
  text: string;
  /** The raw performance data (also sent as stats). */
  perfdata: string;
  /** ms the plugin ran. */
  duration: number;
  trigger: Trigger;
  /** Id of the "run" request this answers, if any. */
  ref?: string;
}

/** A sink's (or the agent's local endpoint's) acknowledgement of message `ref`. */
export interface AckBody {
  ref: string;
  error?: string;
}

/** Scheduler to agent: run this check now. */
export interface RunBody {
  check: string;
  trigger: "schedule" | "demand";
}

/**
 * A heartbeat sink to an agent: another live agent has the same id, and this instance (the one
 * that appeared second) must stop. An agent that is not `instance` ignores it.
 */
export interface DuplicateBody {
  instance: string;
  /** The other instance's host name and pid, as its heartbeats gave them. */
  other: string;
}

/** Router to a back-channel sender: what became of message `ref` for `agent`. */
export interface DeliveryBody {
  ref: string;
  agent: string;
  status: DeliveryStatus;
}

export interface Bodies {
  heartbeat: HeartbeatBody;
  stats: StatsBody;
  registration: RegistrationBody;
  notification: NotificationBody;
  result: ResultBody;
  ack: AckBody;
  run: RunBody;
  delivery: DeliveryBody;
  duplicate: DuplicateBody;
}

// ---- validation ----

class SchemaError extends Error {}

const NAME_MAX = 200;
const TEXT_MAX = 8192;
const LIST_MAX = 1000;

function fail(path: string, what: string): never {
  throw new SchemaError(`${path}: ${what}`);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "expected an object");
  return v as Record<string, unknown>;
}

function string(v: unknown, path: string, max = NAME_MAX): string {
  if (typeof v !== "string" || v.length === 0 || v.length > max)
    fail(path, `expected a string of 1..${max} characters`);
  return v;
}

function text(v: unknown, path: string): string {
  if (typeof v !== "string" || v.length > TEXT_MAX) fail(path, `expected a string of at most ${TEXT_MAX} characters`);
  return v;
}

function number(v: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
    fail(path, `expected a number in ${min}..${max}`);
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== "string" || !values.includes(v as T)) fail(path, `expected one of ${values.join(", ")}`);
  return v as T;
}

function list<T>(v: unknown, path: string, item: (v: unknown, path: string) => T): T[] {
  if (!Array.isArray(v) || v.length > LIST_MAX) fail(path, `expected an array of at most ${LIST_MAX} items`);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

/** Sets `key` on `out` only when present in `o`, so absent optional fields stay absent. */
function optional<T>(
  o: Record<string, unknown>,
  out: Record<string, unknown>,
  key: string,
  path: string,
  check: (v: unknown, path: string) => T,
): void {
  if (o[key] !== undefined) out[key] = check(o[key], `${path}.${key}`);
}

const pid = (v: unknown, p: string): number => number(v, p, 0, 2 ** 32);
const ms = (v: unknown, p: string): number => number(v, p, 1, 2 ** 31);
const uuid = (v: unknown, p: string): string => {
  if (typeof v !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v))
    fail(p, "expected a UUID");
  return v;
};

export function checkDeclaration(v: unknown, path = "check"): CheckDeclaration {
  const o = object(v, path);
  const command =
    typeof o.command === "string"
      ? string(o.command, `${path}.command`, TEXT_MAX)
      : list(o.command, `${path}.command`, (x, p) => text(x, p));
  if (Array.isArray(command) && command.length === 0) fail(`${path}.command`, "expected a non-empty argv");
  const out: Record<string, unknown> = {
    name: string(o.name, `${path}.name`),
    command,
    interval: ms(o.interval, `${path}.interval`),
  };
  optional(o, out, "timeout", path, ms);
  return out as unknown as CheckDeclaration;
}

export function stat(v: unknown, path = "stat"): Stat {
  const o = object(v, path);
  const out: Record<string, unknown> = {
    name: string(o.name, `${path}.name`),
    value: number(o.value, `${path}.value`),
  };
  optional(o, out, "time", path, (x, p) => number(x, p, 0));
  optional(o, out, "kind", path, (x, p) => oneOf(x, p, ["counter", "gauge", "timer"] as const));
  optional(o, out, "unit", path, (x, p) => string(x, p, 16));
  optional(o, out, "process", path, string);
  return out as unknown as Stat;
}

const VALIDATORS: { [T in keyof Bodies]: (o: Record<string, unknown>) => Bodies[T] } = {
  heartbeat(o) {
    const out: Record<string, unknown> = { interval: ms(o.interval, "interval") };
    optional(o, out, "process", "", string);
    optional(o, out, "pid", "", pid);
    optional(o, out, "hostname", "", string);
    optional(o, out, "instance", "", uuid);
    return out as unknown as HeartbeatBody;
  },
  stats: (o) => ({ stats: list(o.stats, "stats", stat) }),
  registration(o) {
    const out: Record<string, unknown> = {
      process: string(o.process, "process"),
      checks: o.checks === undefined ? [] : list(o.checks, "checks", checkDeclaration),
    };
    optional(o, out, "pid", "", pid);
    optional(o, out, "version", "", string);
    optional(o, out, "hostname", "", string);
    return out as unknown as RegistrationBody;
  },
  notification(o) {
    const out: Record<string, unknown> = {
      severity: oneOf(o.severity, "severity", SEVERITIES),
      text: text(o.text, "text"),
    };
    optional(o, out, "process", "", string);
    optional(o, out, "check", "", string);
    return out as unknown as NotificationBody;
  },
  result(o) {
    const out: Record<string, unknown> = {
      check: string(o.check, "check"),
      status: number(o.status, "status", 0, 3),
      text: text(o.text, "text"),
      perfdata: text(o.perfdata, "perfdata"),
      duration: number(o.duration, "duration", 0),
      trigger: oneOf(o.trigger, "trigger", ["schedule", "demand", "local"] as const),
    };
    if (!Number.isInteger(out.status)) fail("status", "expected 0, 1, 2 or 3");
    optional(o, out, "ref", "", uuid);
    return out as unknown as ResultBody;
  },
  ack(o) {
    const out: Record<string, unknown> = { ref: uuid(o.ref, "ref") };
    optional(o, out, "error", "", text);
    return out as unknown as AckBody;
  },
  run: (o) => ({
    check: string(o.check, "check"),
    trigger: oneOf(o.trigger, "trigger", ["schedule", "demand"] as const),
  }),
  duplicate: (o) => ({ instance: uuid(o.instance, "instance"), other: text(o.other, "other") }),
  delivery: (o) => ({
    ref: uuid(o.ref, "ref"),
    agent: uuid(o.agent, "agent"),
    status: oneOf(o.status, "status", ["delivered", "unknown-agent", "busy"] as const),
  }),
};

/** Validates a parsed JSON body for `type`. Never throws. */
export function validateBody<T extends keyof Bodies>(
  type: T,
  json: unknown,
): { ok: true; value: Bodies[T] } | { ok: false; reason: string } {
  try {
    return { ok: true, value: VALIDATORS[type](object(json, "body")) };
  } catch (err) {
    if (err instanceof SchemaError) return { ok: false, reason: `invalid ${type} body: ${err.message}` };
    return { ok: false, reason: `invalid ${type} body` };
  }
}

/** Validates a value and throws a TypeError that says what is wrong (for config files and API input). */
export function assertValid<T>(check: (v: unknown, path: string) => T, value: unknown, path: string): T {
  try {
    return check(value, path);
  } catch (err) {
    throw new TypeError(err instanceof Error ? err.message : String(err));
  }
}
