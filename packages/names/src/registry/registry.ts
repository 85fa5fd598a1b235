import type { Member } from "../wire/protocol.js";

/** A member that left a group (unregistered or expired). */
export interface Removal {
  name: string;
  endpoint: string;
}

export interface GroupSnapshot {
  name: string;
  /** Live members, with their remaining time to live in ms. */
  members: Member[];
}

/**
 * Where a replica keeps its registrations: name → endpoints, each with an expiry time. Times are
 * wall-clock ms (Date.now()) given by the caller, so a store that outlives the replica (Redis)
 * stays meaningful after a restart. The replica calls one method at a time (it serialises them),
 * so an implementation need not guard against its own calls interleaving.
 */
export interface Registry {
  /** Adds `endpoint` to `name` or renews it, expiring at `expires`. True when it was not a member. */
  register(name: string, endpoint: string, expires: number): Promise<boolean>;
  /** True when `endpoint` was a member of `name`. */
  unregister(name: string, endpoint: string): Promise<boolean>;
  /** Removes and returns the members whose expiry is at or before `now`. */
  expire(now: number): Promise<Removal[]>;
  /** The live members of `name`. */
  lookup(name: string, now: number): Promise<string[]>;
  /** Every group with live members (or only `name`'s), with remaining TTLs. */
  snapshot(name: string | null, now: number): Promise<GroupSnapshot[]>;
  close(): Promise<void>;
}
