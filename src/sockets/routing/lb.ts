import type { Message, Pipe } from "../pipe.js";

/**
 * Load balancer (libzmq lb_t): each message goes to the next pipe, in turn, that has room.
 * Used by PUSH, DEALER and REQ.
 */
export class LoadBalancer {
  readonly pipes: Pipe[] = [];
  private next = 0;

  attach(pipe: Pipe): void {
    this.pipes.push(pipe);
  }

  detach(pipe: Pipe): void {
    const at = this.pipes.indexOf(pipe);
    if (at === -1) return;
    this.pipes.splice(at, 1);
    if (this.next > at) this.next -= 1;
    if (this.next >= this.pipes.length) this.next = 0;
  }

  /** The pipe the next message would go to, or null when every pipe is full (or there is none). */
  pick(): Pipe | null {
    const n = this.pipes.length;
    for (let i = 0; i < n; i++) {
      const index = (this.next + i) % n;
      const pipe = this.pipes[index]!;
      if (pipe.writable) {
        this.next = (index + 1) % n;
        return pipe;
      }
    }
    return null;
  }

  /** Sends to the next pipe with room; returns that pipe, or null when all are full (EAGAIN). */
  send(msg: Message): Pipe | null {
    const pipe = this.pick();
    if (pipe !== null) pipe.write(msg);
    return pipe;
  }

  get writable(): boolean {
    for (const pipe of this.pipes) if (pipe.writable) return true;
    return false;
  }
}
