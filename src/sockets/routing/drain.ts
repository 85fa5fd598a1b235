import type { Message, Pipe } from "../pipe.js";

/**
 * Reads pipes to the end as they become readable, for policies that consume everything on
 * arrival (PUB/XPUB apply subscriptions at once, a conflating SUB keeps only the newest). Reading
 * can make a pipe readable again synchronously (an inproc peer or an engine refilling it at the
 * low-water mark); such activations are queued instead of nested, so each pipe's messages reach
 * `take` in order. `take` is a function made once, not per message.
 */
export class PipeDrainer {
  private readonly queue: Pipe[] = [];
  private draining = false;

  constructor(private readonly take: (pipe: Pipe, msg: Message) => void) {}

  activate(pipe: Pipe): void {
    this.queue.push(pipe);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const next = this.queue[i]!;
        let msg: Message | undefined;
        while ((msg = next.read()) !== undefined) this.take(next, msg);
      }
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }
}
