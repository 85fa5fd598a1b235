import type { BrokerAddress } from "./protocol.js";

export interface MembershipOptions {
  /** ms between the messages each live broker is expected to send (gossip or pongs). */
  interval: number;
  /** A broker silent for `liveness` intervals is no longer live. */
  liveness: number;
}

interface Entry {
  address: BrokerAddress;
  /** When a message from this broker itself last arrived (-Infinity: never). */
  heard: number;
  /** When a live broker last listed it. */
  mentioned: number;
  /** Configured: kept (and dialled) even when silent and unlisted. */
  seed: boolean;
}

/**
 * Which brokers exist and which are live, as one node sees it: the gossip state of the broker
 * network (document 003, A.6). Pure: every method takes the time, so the bounds are testable.
 *
 * A broker is *live* when a message from it arrived within `liveness × interval` (the window, W):
 * only direct contact counts, never hearsay, so a dead broker cannot be kept alive by others'
 * lists. A broker that live brokers *mention* is *known*, and the node connects to it; it becomes
 * live when it answers. A known broker nobody live has mentioned for W, and that was not heard
 * for W, is forgotten (a seed never is).
 *
 * Bounds, for brokers that send every `interval` (I) and a window W = liveness × I:
 * - a broker that dies leaves every list W after the last message it sent, so within W of its
 *   death, and every node forgets it within 2W;
 * - a broker that starts is live at its seed as soon as its first message arrives; nodes that
 *   learn of it then dial it and are heard back within a round trip, so it is in every live
 *   broker's list within one round of contacts (see NetworkBroker).
 */
export class Membership {
  private readonly entries = new Map<string, Entry>();
  readonly window: number;

  constructor(
    /** This node, when it is a broker: always first in its own list, always live. */
    readonly self: BrokerAddress | null,
    readonly options: MembershipOptions,
  ) {
    this.window = options.liveness * options.interval;
  }

  addSeed(address: BrokerAddress): void {
    if (address.endpoint === this.self?.endpoint) return;
    this.entry(address).seed = true;
  }

  /** A message from `address` itself arrived. Returns true if it was not live before. */
  heard(address: BrokerAddress, now: number): boolean {
    if (address.endpoint === this.self?.endpoint) return false;
    const entry = this.entry(address);
    const wasLive = this.isLive(entry, now);
    entry.heard = now;
    if (address.publicKey !== undefined) entry.address = address;
    return !wasLive;
  }

  /** A live broker listed these; returns the ones this node did not know. */
  mentioned(addresses: readonly BrokerAddress[], now: number): BrokerAddress[] {
    const fresh: BrokerAddress[] = [];
    for (const address of addresses) {
      if (address.endpoint === this.self?.endpoint) continue;
      const known = this.entries.has(address.endpoint);
      const entry = this.entry(address);
      entry.mentioned = now;
      if (!known) fresh.push(entry.address);
    }
    return fresh;
  }

  /** Live brokers, this one first: the list a node gossips and hands to clients and workers. */
  live(now: number): BrokerAddress[] {
    const list = this.self === null ? [] : [this.self];
    for (const entry of this.entries.values()) if (this.isLive(entry, now)) list.push(entry.address);
    return list;
  }

  isLive(entryOrEndpoint: Entry | string, now: number): boolean {
    const entry = typeof entryOrEndpoint === "string" ? this.entries.get(entryOrEndpoint) : entryOrEndpoint;
    return entry !== undefined && now - entry.heard <= this.window;
  }

  /** Every broker this node should stay connected to (live, recently mentioned, or a seed). */
  known(): BrokerAddress[] {
    return [...this.entries.values()].map((e) => e.address);
  }

  address(endpoint: string): BrokerAddress | undefined {
    return this.entries.get(endpoint)?.address;
  }

  /** Forgets brokers neither heard nor mentioned for the window (seeds stay); returns them. */
  prune(now: number): BrokerAddress[] {
    const gone: BrokerAddress[] = [];
    for (const [endpoint, entry] of this.entries) {
      if (entry.seed || now - entry.heard <= this.window || now - entry.mentioned <= this.window) continue;
      this.entries.delete(endpoint);
      gone.push(entry.address);
    }
    return gone;
  }

  private entry(address: BrokerAddress): Entry {
    let entry = this.entries.get(address.endpoint);
    if (entry === undefined) {
      entry = { address, heard: -Infinity, mentioned: -Infinity, seed: false };
      this.entries.set(address.endpoint, entry);
    } else if (address.publicKey !== undefined && entry.address.publicKey === undefined) {
      entry.address = address;
    }
    return entry;
  }
}
