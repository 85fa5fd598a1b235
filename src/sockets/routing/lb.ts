import type { Message, OutgoingMessage, Pipe } from "../pipe.js";

interface Tier {
  priority: number;
  pipes: Pipe[];
  next: number;
}

/**
 * Load balancer (libzmq lb_t): each message goes to the next pipe, in turn, that has room.
 * Used by PUSH, DEALER and REQ.
 *
 * Beyond libzmq, pipes carry a priority (lower is better): messages go round robin among the
 * best tier that has a connected pipe with room, and fall over to the next tier only when every
 * pipe of the better ones is gone or at its high-water mark. Fail-back is automatic because each
 * pick starts at the best tier. With one tier (the default) this is exactly libzmq's lb.
 */
export class LoadBalancer {
  private readonly tiers: Tier[] = [];

  get pipes(): Pipe[] {
    const all: Pipe[] = [];
    for (const tier of this.tiers) all.push(...tier.pipes);
    return all;
  }

  attach(pipe: Pipe): void {
    let at = 0;
    while (at < this.tiers.length && this.tiers[at]!.priority < pipe.priority) at += 1;
    let tier = this.tiers[at];
    if (tier === undefined || tier.priority !== pipe.priority) {
      tier = { priority: pipe.priority, pipes: [], next: 0 };
      this.tiers.splice(at, 0, tier);
    }
    tier.pipes.push(pipe);
  }

  detach(pipe: Pipe): void {
    const index = this.tiers.findIndex((t) => t.priority === pipe.priority);
    const tier = this.tiers[index];
    if (tier === undefined) return;
    const at = tier.pipes.indexOf(pipe);
    if (at === -1) return;
    tier.pipes.splice(at, 1);
    if (tier.next > at) tier.next -= 1;
    if (tier.next >= tier.pipes.length) tier.next = 0;
    if (tier.pipes.length === 0) this.tiers.splice(index, 1);
  }

  /** The pipe the next message would go to, or null when every pipe is full (or there is none). */
  pick(): Pipe | null {
    const tiered = this.tiers.length > 1;
    for (const tier of this.tiers) {
      const pipes = tier.pipes;
      const n = pipes.length;
      for (let i = 0, index = tier.next; i < n; i++, index = index + 1 === n ? 0 : index + 1) {
        const pipe = pipes[index]!;
        // With tiers, a peer that is away counts as gone: its queue waits for it, new traffic fails over.
        if (pipe.writable && (!tiered || pipe.connected)) {
          tier.next = index + 1 === n ? 0 : index + 1;
          return pipe;
        }
      }
    }
    return null;
  }

  /** Whether pick() would find a pipe now (libzmq's lb has_out), without moving the rotation. */
  get hasOut(): boolean {
    const tiered = this.tiers.length > 1;
    for (const tier of this.tiers) {
      for (const pipe of tier.pipes) if (pipe.writable && (!tiered || pipe.connected)) return true;
    }
    return false;
  }

  /** Sends to the next pipe with room; returns that pipe, or null when all are full (EAGAIN). */
  send(msg: Message): Pipe | null {
    const pipe = this.pick();
    if (pipe !== null) pipe.write(msg);
    return pipe;
  }

  /**
   * send() for messages `from` up to `to` while they fit, when every message goes to one pipe:
   * the run is written in one go. Returns how many were sent; with several pipes none (each
   * takes its turn in the rotation, message by message, through send()).
   */
  sendMany(msgs: ReadonlyArray<OutgoingMessage>, from: number, to: number): number {
    const tiers = this.tiers;
    if (tiers.length !== 1 || tiers[0]!.pipes.length !== 1) return 0;
    const pipe = tiers[0]!.pipes[0]!;
    return pipe.writable ? pipe.writeMany(msgs, from, to) : 0;
  }
}
