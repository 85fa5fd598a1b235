import type { Entry, Update } from "../wire/protocol.js";

/** A change to what a watcher sees: endpoint joined (+) or left (-) the group `name`. */
export interface Change {
  name: string;
  op: "+" | "-";
  endpoint: string;
}

/**
 * What `update` did with a message: applied it; dropped it as already seen (stale) or as another
 * name's; buffered it behind a re-sync in progress; found a gap (the caller asks for a snapshot
 * of that name: `beginName` has been called); or saw another epoch (the caller re-syncs fully).
 */
export type UpdateResult = "applied" | "stale" | "ignored" | "buffered" | "gap" | "epoch";

interface Group {
  seq: number;
  members: Set<string>;
}

interface Pending {
  entry: Entry | null;
  buffer: Extract<Update, { type: "UPDATE" }>[];
}

/**
 * The Clone pattern's client side without sockets: a view of name → endpoints built from a
 * snapshot and the updates that follow it. Updates that arrive while a snapshot is being read are
 * buffered and replayed after it (those the snapshot already covers are stale); an update whose
 * sequence number skips one starts a re-sync of that name only. Whatever the order of snapshots
 * and updates, `onChange` reports differences of the view: never an endpoint added twice or
 * removed when absent, so a watcher that fails over to another replica sees no duplicate.
 */
export class WatchState {
  epoch: string | null = null;
  private readonly groups = new Map<string, Group>();
  private full: { epoch: string; entries: Map<string, Entry>; buffer: Pending["buffer"] } | null = null;
  private readonly pending = new Map<string, Pending>();
  /** Names whose sequence number is not known (a re-sync failed): their next update is a gap. */
  private readonly unknown = new Set<string>();

  /** `scope`: the one name watched, or null for every name. */
  constructor(
    readonly scope: string | null,
    private readonly onChange: (change: Change) => void,
  ) {}

  get syncing(): boolean {
    return this.full !== null;
  }

  members(name: string): string[] {
    return [...(this.groups.get(name)?.members ?? [])];
  }

  names(): string[] {
    return [...this.groups.keys()].filter((n) => this.groups.get(n)!.members.size > 0);
  }

  seq(name: string): number {
    return this.groups.get(name)?.seq ?? 0;
  }

  /** Starts a full re-sync (first connection, failover, new epoch): updates wait until `endFull`. */
  beginFull(epoch: string): void {
    this.full = { epoch, entries: new Map(), buffer: [] };
    this.pending.clear();
    this.unknown.clear();
  }

  /** Starts a re-sync of one name (after a gap): its updates wait until `endName`. */
  beginName(name: string): void {
    this.unknown.delete(name);
    if (!this.pending.has(name)) this.pending.set(name, { entry: null, buffer: [] });
  }

  entry(entry: Entry): void {
    if (this.full !== null) this.full.entries.set(entry.name, entry);
    else {
      const pending = this.pending.get(entry.name);
      if (pending !== undefined) pending.entry = entry;
    }
  }

  /** Ends a full re-sync: the view becomes the snapshot, then buffered updates. Returns names that need a re-sync. */
  endFull(): string[] {
    if (this.full === null) return [];
    const { epoch, entries, buffer } = this.full;
    this.full = null;
    this.epoch = epoch;
    for (const name of [...this.groups.keys()]) if (!entries.has(name)) this.replace({ name, seq: 0, members: [] });
    for (const entry of entries.values()) if (this.scope === null || entry.name === this.scope) this.replace(entry);
    return this.replay(buffer);
  }

  /** Ends a re-sync of one name: its members become the snapshot's, then its buffered updates. */
  endName(name: string): string[] {
    const pending = this.pending.get(name);
    if (pending === undefined) return [];
    this.pending.delete(name);
    this.replace(pending.entry ?? { name, seq: this.seq(name), members: [] });
    return this.replay(pending.buffer);
  }

  /** Gives up a name's re-sync (its snapshot request failed): the next update of it re-syncs again. */
  abandonName(name: string): void {
    this.pending.delete(name);
    this.unknown.add(name);
  }

  update(update: Update): UpdateResult {
    if (update.type === "HUGZ") return this.full !== null || update.epoch === this.epoch ? "applied" : "epoch";
    if (this.scope !== null && update.name !== this.scope) return "ignored";
    if (this.full !== null) {
      if (update.epoch !== this.full.epoch) return "ignored";
      this.full.buffer.push(update);
      return "buffered";
    }
    if (update.epoch !== this.epoch) return "epoch";
    const pending = this.pending.get(update.name);
    if (pending !== undefined) {
      pending.buffer.push(update);
      return "buffered";
    }
    const seq = this.seq(update.name);
    if (update.seq <= seq && !this.unknown.has(update.name)) return "stale";
    if (update.seq !== seq + 1 || this.unknown.has(update.name)) {
      this.beginName(update.name);
      this.pending.get(update.name)!.buffer.push(update);
      return "gap";
    }
    const group = this.group(update.name);
    group.seq = update.seq;
    if (update.op === "+" ? !group.members.has(update.endpoint) : group.members.has(update.endpoint)) {
      if (update.op === "+") group.members.add(update.endpoint);
      else group.members.delete(update.endpoint);
      this.onChange({ name: update.name, op: update.op, endpoint: update.endpoint });
    }
    return "applied";
  }

  private replay(buffer: Pending["buffer"]): string[] {
    const gaps = new Set<string>();
    for (const update of buffer) if (this.update(update) === "gap") gaps.add(update.name);
    return [...gaps];
  }

  private group(name: string): Group {
    let group = this.groups.get(name);
    if (group === undefined) this.groups.set(name, (group = { seq: 0, members: new Set() }));
    return group;
  }

  private replace(entry: Entry): void {
    const group = this.group(entry.name);
    const next = new Set(entry.members.map((m) => m.endpoint));
    for (const endpoint of [...group.members])
      if (!next.has(endpoint)) {
        group.members.delete(endpoint);
        this.onChange({ name: entry.name, op: "-", endpoint });
      }
    for (const endpoint of next)
      if (!group.members.has(endpoint)) {
        group.members.add(endpoint);
        this.onChange({ name: entry.name, op: "+", endpoint });
      }
    group.seq = entry.seq;
    if (entry.seq === 0 && group.members.size === 0) this.groups.delete(entry.name);
  }
}
