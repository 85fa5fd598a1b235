/**
 * The order bindSync/unbindSync give a v5 socket. The binding's synchronous bind is done when the
 * call returns; here it completes on a later turn of the event loop, so the calls made on the
 * socket meanwhile queue behind it and run in the order they were made. A queued call that fails
 * can no longer throw to its caller: its error goes to `report` (the socket's `error` event).
 */
import { zmqError } from "../entries/errors.js";

function noop(): void {}

export class SyncOrder {
  #tail: Promise<void> | null = null;
  /** close() came while binds were pending: closed for the program, not yet for the v6 socket. */
  #closing = false;

  constructor(private readonly report: (err: unknown) => void) {}

  /** Settles once the pending binds and the calls queued behind them are done; null when there are none. */
  get pending(): Promise<void> | null {
    return this.#tail;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** Runs `operation` now when nothing is pending (the caller gets what it throws), else after the rest. */
  run(address: unknown, operation: () => unknown): void {
    if (this.#tail === null) {
      operation();
      return;
    }
    this.#checkQueued(address);
    this.#append(operation);
  }

  /** Starts a bind or unbind that later calls wait for: now when nothing is pending, else after the rest. */
  start(address: unknown, operation: () => Promise<void>): void {
    if (this.#tail === null) {
      // The v6 call's own checks throw here, as the binding's synchronous call does.
      const started = operation();
      this.#append(() => started);
      return;
    }
    this.#checkQueued(address);
    this.#append(operation);
  }

  /** Closes now, or after the pending calls (the socket reads as closed from now on). */
  close(operation: () => void): void {
    if (this.#closing) return;
    if (this.#tail === null) {
      operation();
      return;
    }
    this.#closing = true;
    this.#append(operation);
  }

  /** What the v6 call would have thrown at once, thrown at once. */
  #checkQueued(address: unknown): void {
    if (typeof address !== "string") throw new TypeError("Address must be a string");
    if (this.#closing) throw zmqError("EBADF");
  }

  #append(step: () => unknown): void {
    const done = (this.#tail ?? Promise.resolve()).then(step).then(noop, this.report);
    this.#tail = done;
    void done.then(() => {
      if (this.#tail === done) this.#tail = null;
    });
  }
}
