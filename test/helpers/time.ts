/**
 * Time in tests. A test waits for a condition (`until`), an event or a promise, never for a guessed
 * delay: on a loaded machine a delay that was long enough yesterday is not today. `sleep` is left
 * for the few waits that are the point of the test (nothing may arrive within N ms, a peer paced on
 * purpose); each call says why beside it. Timers (backoff, heartbeats, linger) run on a FakeClock.
 */
import { setTimeout as sleep } from "node:timers/promises";

export { sleep };

/** How long `until` and `within` wait by default before failing the test. */
export const WAIT_MS = 2000;

/** Resolves once `condition()` holds (checked every 5 ms); throws after `ms`. */
export async function until(condition: () => boolean, ms = WAIT_MS, what = "condition"): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await sleep(5);
  }
}

class Timeout extends Error {
  override name = "Timeout";
}

/** Whether `err` is the rejection of `within`. */
export function isTimeout(err: unknown): boolean {
  return err instanceof Timeout;
}

/**
 * Settles like `promise`, or rejects after `ms`, so a hung peer fails one test quickly. The
 * abandoned promise's later rejection (e.g. when clean-up closes its socket) is swallowed.
 */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`${what}: not done within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `attempt` again (every 20 ms) while it fails with an error `retry` accepts, for up to `ms`. */
export async function eventually<T>(
  attempt: () => Promise<T>,
  retry: (err: unknown) => boolean,
  ms = 3000,
): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!retry(err) || performance.now() > deadline) throw err;
      await sleep(20);
    }
  }
}
