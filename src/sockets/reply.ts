import { zmqError } from "../errors.js";
import { Socket, allowMethods, type Readable, type SocketOptions, type Writable } from "./base.js";
import { defineOptions } from "./options.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";

/**
 * REP (RFC 28): takes requests fairly, keeps each one's envelope (every frame up to and including
 * the empty delimiter) and puts it back on the reply. Requests without a delimiter are dropped.
 */
export class Reply extends Socket {
  private readonly fq = new FairQueue();
  private envelope: Buffer[] | null = null;
  private replyPipe: Pipe | null = null;

  constructor(options?: SocketOptions<Reply>) {
    super("REP", options);
  }

  protected xattach(): boolean {
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
    if (this.replyPipe === pipe) this.replyPipe = null;
  }

  protected xsend(msg: Message): boolean {
    const envelope = this.envelope;
    if (envelope === null) throw zmqError("EFSM", "A REP socket must receive a request before it can send a reply");
    const pipe = this.replyPipe;
    this.envelope = null;
    this.replyPipe = null;
    // A reply to a peer that left, or whose queue is full, is dropped (libzmq's router semantics).
    if (pipe !== null && pipe.writable) pipe.write(envelope.concat(msg));
    else this.counters.droppedAtHighWaterMark += 1;
    return true;
  }

  protected xrecv(): Message | undefined {
    if (this.envelope !== null) throw zmqError("EFSM", "A REP socket must send the reply before it can receive the next request");
    for (;;) {
      const msg = this.fq.recv();
      if (msg === undefined) return undefined;
      const delimiter = msg.findIndex((frame) => frame.length === 0);
      if (delimiter === -1) continue;
      this.envelope = msg.slice(0, delimiter + 1);
      this.replyPipe = this.fq.lastPipe;
      return msg.slice(delimiter + 1);
    }
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }
}
export interface Reply extends Writable, Readable {
  routingId: string | null;
}
defineOptions(Reply.prototype, ["routingId"]);
allowMethods(Reply, ["send", "receive"]);
