import { afterEach } from "vitest";
import { Registrar, Replica, Watcher, type Change, type ReplicaOptions, type WatcherOptions } from "../../src/index.js";
import { sleep } from "../../../../test/helpers/time.js";

export { until } from "../../../../test/helpers/time.js";

const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

export function onCleanup(c: () => Promise<void> | void): void {
  cleanup.push(c);
}

/** Resolves once the async `condition()` holds (checked every 20 ms); throws after `ms`. */
export async function untilAsync(condition: () => Promise<boolean>, ms = 5000, what = "condition"): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await sleep(20);
  }
}

/** A replica on loopback with fast heartbeats and sweeps, closed after the test. */
export async function startReplica(options: Partial<ReplicaOptions> = {}): Promise<Replica> {
  const r = new Replica({
    bind: "tcp://127.0.0.1:*",
    publish: "tcp://127.0.0.1:*",
    hugzInterval: 100,
    sweepInterval: 20,
    ...options,
  });
  await r.start();
  onCleanup(() => r.close());
  return r;
}

export function startRegistrar(servers: string[], ttl = 3000, extra: object = {}): Registrar {
  const r = new Registrar({ servers, ttl, ...extra });
  onCleanup(() => r.close());
  return r;
}

export interface Watching {
  watcher: Watcher;
  changes: Change[];
  /** The watcher's view rebuilt from its change events alone. */
  replayed(name: string): string[];
}

export function startWatcher(options: WatcherOptions): Watching {
  const watcher = new Watcher({ timeout: 500, ...options });
  const changes: Change[] = [];
  watcher.on("change", (c: Change) => changes.push(c));
  onCleanup(() => watcher.close());
  return {
    watcher,
    changes,
    replayed(name) {
      const view = new Set<string>();
      for (const c of changes.filter((c) => c.name === name)) {
        // A change that repeats what the view already shows is a duplicate: fail loudly.
        if (c.op === "+" ? view.has(c.endpoint) : !view.has(c.endpoint))
          throw new Error(`duplicate or phantom change ${c.op}${c.endpoint}`);
        if (c.op === "+") view.add(c.endpoint);
        else view.delete(c.endpoint);
      }
      return [...view].sort();
    },
  };
}
