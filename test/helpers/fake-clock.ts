import type { Clock, ClockTimer } from "../../src/clock.js";

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A Clock that stands still until the test moves it: `advance(ms)` runs every timer that falls
 * due, in order of due time (then of creation), each seeing `now()` at its own due time.
 */
export class FakeClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly pending = new Set<Pending>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: Pending = { at: this.time + Math.max(0, ms), seq: this.seq++, callback };
    this.pending.add(timer);
    return timer as ClockTimer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.pending.delete(timer as Pending);
  }

  /** Timers not yet run. */
  get timers(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, running what falls due (timers set meanwhile included). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: Pending | null = null;
      for (const timer of this.pending) {
        if (timer.at <= end && (next === null || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)))
          next = timer;
      }
      if (next === null) break;
      this.pending.delete(next);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
  }
}
