import type { Message, Pipe } from "../pipe.js";

/**
 * Fair queue (libzmq fq_t): whole messages are taken from the pipes that have some, one pipe
 * after the other, so a chatty peer cannot starve a quiet one. Only pipes with queued messages
 * are visited: cost does not grow with idle connections.
 */
export class FairQueue {
  private readonly active: Pipe[] = [];
  private next = 0;
  /** The pipe the last message came from (REP replies and REQ replies are tied to it). */
  lastPipe: Pipe | null = null;

  /** A pipe got its first message (PipeOwner.pipeReadable). */
  activate(pipe: Pipe): void {
    // A flag on the pipe, not a search: a ROUTER may hold thousands of pipes.
    if (pipe.fairQueued) return;
    pipe.fairQueued = true;
    this.active.push(pipe);
  }

  /**
   * A pipe left the socket. Messages it already delivered stay readable (libzmq delivers what
   * arrived before a disconnect); the pipe leaves the queue once they are read.
   */
  detach(pipe: Pipe): void {
    if (pipe.fairQueued && !pipe.readable) this.remove(this.active.indexOf(pipe));
    if (this.lastPipe === pipe) this.lastPipe = null;
  }

  recv(): Message | undefined {
    while (this.active.length > 0) {
      if (this.next >= this.active.length) this.next = 0;
      const pipe = this.active[this.next]!;
      const msg = pipe.read();
      if (msg === undefined) {
        this.remove(this.next);
        continue;
      }
      this.lastPipe = pipe;
      // Always move on (libzmq fq_t): a pipe is dropped only when a read finds it empty, so one
      // that refills as soon as it is read cannot be served twice while another waits.
      this.next += 1;
      return msg;
    }
    return undefined;
  }

  /**
   * recv() up to `max` times, appending to `into`, when one pipe is active: its queue is read in
   * one go. Returns how many it took; with several pipes none (each takes its turn, message by
   * message, through recv()).
   */
  recvMany(into: Message[], max: number): number {
    if (this.active.length !== 1) return 0;
    const pipe = this.active[0]!;
    const n = pipe.readMany(into, max);
    if (n > 0) {
      this.lastPipe = pipe;
      // Where recv() would leave the rotation after reading from the one pipe.
      this.next = 1;
    }
    return n;
  }

  get readable(): boolean {
    for (const pipe of this.active) if (pipe.readable) return true;
    return false;
  }

  private remove(at: number): void {
    this.active[at]!.fairQueued = false;
    this.active.splice(at, 1);
    if (this.next > at) this.next -= 1;
  }
}

const NO_ROUTING_ID = Buffer.alloc(0);

/**
 * A received message with the routing id of the pipe it came from put first (ROUTER, STREAM).
 * A new array: inproc senders' arrays may be shared, so a received message is never mutated.
 */
export function withRoutingId(pipe: Pipe | null, msg: Message): Message {
  const out = new Array<Buffer>(msg.length + 1);
  out[0] = pipe?.routingId ?? NO_ROUTING_ID;
  for (let i = 0; i < msg.length; i++) out[i + 1] = msg[i]!;
  return out;
}
