import { createHash } from "node:crypto";

/**
 * The monitor's own roles are watched like agents: each has a UUID and sends heartbeats, so that
 * a dead router, sink or scheduler is declared down by the same presence sweep, and pages through
 * the same path, as a dead host. A router's heartbeats go through its own heartbeat stream; sinks
 * and schedulers, which hold a store, write theirs directly.
 *
 * Their presence is keyed (role id, ROLE_PROCESS[kind]); there is no agent row with process null
 * for a role id, so roles never count as hosts.
 */
export type RoleKind = "router" | "sink" | "scheduler";

export const ROLE_PROCESS: Record<RoleKind, string> = {
  router: "zmtp-router",
  sink: "zmtp-sink",
  scheduler: "zmtp-scheduler",
};

export function roleOfProcess(process: string | null): RoleKind | null {
  for (const kind of Object.keys(ROLE_PROCESS) as RoleKind[]) if (ROLE_PROCESS[kind] === process) return kind;
  return null;
}

/**
 * A stable UUID for a role from its kind and name (RFC 4122 §4.3, version 5 layout over SHA-1):
 * the same router restarted keeps its id, so it comes back up rather than appearing as a new one.
 */
export function roleId(kind: RoleKind, name: string): string {
  const hash = createHash("sha1").update(`zmtp-monitor\0${kind}\0${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString("hex", 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
