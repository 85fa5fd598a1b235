/**
 * Runs async functions one at a time, in call order: a replica's changes, expiries and snapshots
 * must not interleave, or a snapshot could show a state its sequence numbers do not describe.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
