/**
 * Exponential backoff for reconnecting (the Paranoid Pirate worker's, RFC 6 §"Worker"): the first
 * wait is `initial`, each next one doubles, up to `max`; a sign of life from the peer resets it.
 */
export interface BackoffOptions {
  /** First wait in ms. Default 1000. */
  initial?: number;
  /** Longest wait in ms. Default 32000. */
  max?: number;
}

export class Backoff {
  readonly initial: number;
  readonly max: number;
  private current: number;

  constructor(options: BackoffOptions = {}) {
    this.initial = options.initial ?? 1000;
    this.max = options.max ?? 32_000;
    if (!(this.initial > 0) || !(this.max >= this.initial))
      throw new RangeError(`backoff: need 0 < initial <= max (got ${this.initial}, ${this.max})`);
    this.current = this.initial;
  }

  /** The wait before the next attempt; the one after is twice as long (capped). */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.max, this.current * 2);
    return delay;
  }

  reset(): void {
    this.current = this.initial;
  }
}
