import type { Store } from "./store.js";

/**
 * Agent id → host name, from the store's agents table, for outputs that name hosts (Graphite
 * paths, Prometheus labels, the status page). An unknown id refreshes the table at most once per
 * `refreshInterval` ms; until its host name is known an agent is named by its id.
 */
export class HostNames {
  private readonly names = new Map<string, string>();
  private refreshedAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly refreshInterval = 5000,
  ) {}

  /** The name if known now, else undefined (and no refresh). */
  known(agent: string): string | undefined {
    return this.names.get(agent);
  }

  /** The name now (never waits); an unknown id triggers a refresh for next time. */
  get(agent: string): string {
    const name = this.names.get(agent);
    if (name === undefined) void this.refresh();
    return name ?? agent;
  }

  /**
   * The name, looked up in the store now if unknown (at most once a second), for texts that are
   * written once: an alert must not name a host by its id because the name came a moment ago.
   */
  async resolve(agent: string): Promise<string> {
    const name = this.names.get(agent);
    if (name !== undefined) return name;
    if (Date.now() - this.refreshedAt >= 1000) await this.refresh(true);
    else await this.refreshing;
    return this.names.get(agent) ?? agent;
  }

  /** Reloads the table unless it was reloaded within the interval. */
  refresh(force = false): Promise<void> {
    if (this.refreshing !== null) return this.refreshing;
    if (!force && Date.now() - this.refreshedAt < this.refreshInterval) return Promise.resolve();
    this.refreshing = this.store
      .agents()
      .then((agents) => {
        for (const a of agents) if (a.hostname !== undefined) this.names.set(a.id, a.hostname);
      })
      .catch(() => undefined)
      .finally(() => {
        this.refreshedAt = Date.now();
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
