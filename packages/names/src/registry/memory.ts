import type { GroupSnapshot, Registry, Removal } from "./registry.js";

/**
 * The built-in registry: a map per name of endpoint → expiry. Expiry scans every member, which is
 * linear in the number of registrations (about 1 ms per 50,000 on this project's machines: see
 * the README's scale figures) and keeps renewals O(1).
 */
export class MemoryRegistry implements Registry {
  private readonly groups = new Map<string, Map<string, number>>();

  register(name: string, endpoint: string, expires: number): Promise<boolean> {
    let group = this.groups.get(name);
    if (group === undefined) this.groups.set(name, (group = new Map()));
    const added = !group.has(endpoint);
    group.set(endpoint, expires);
    return Promise.resolve(added);
  }

  unregister(name: string, endpoint: string): Promise<boolean> {
    const group = this.groups.get(name);
    const removed = group?.delete(endpoint) ?? false;
    if (group?.size === 0) this.groups.delete(name);
    return Promise.resolve(removed);
  }

  expire(now: number): Promise<Removal[]> {
    const removed: Removal[] = [];
    for (const [name, group] of this.groups) {
      for (const [endpoint, expires] of group)
        if (expires <= now) {
          group.delete(endpoint);
          removed.push({ name, endpoint });
        }
      if (group.size === 0) this.groups.delete(name);
    }
    return Promise.resolve(removed);
  }

  lookup(name: string, now: number): Promise<string[]> {
    const group = this.groups.get(name);
    return Promise.resolve(group === undefined ? [] : [...group].filter(([, e]) => e > now).map(([ep]) => ep));
  }

  snapshot(name: string | null, now: number): Promise<GroupSnapshot[]> {
    const names = name === null ? [...this.groups.keys()] : this.groups.has(name) ? [name] : [];
    return Promise.resolve(
      names.map((n) => ({
        name: n,
        members: [...this.groups.get(n)!]
          .filter(([, e]) => e > now)
          .map(([endpoint, expires]) => ({ endpoint, ttl: expires - now })),
      })),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
