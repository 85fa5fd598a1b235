import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";
import type { TypeOptionFamily } from "./socket-options.js";

/**
 * REP (RFC 28): takes requests fairly, keeps each one's envelope (every frame up to and including
 * the empty delimiter) and puts it back on the reply. Requests without a delimiter are dropped.
 * A ROUTER underneath, as in libzmq: it takes ROUTER's options, and out of turn it is neither
 * readable nor writable.
 */
export class ReplySocket extends SocketBase {
  private readonly fq = new FairQueue();
  private envelope: Buffer[] | null = null;
  private replyPipe: Pipe | null = null;
  /** A well-formed request found while answering hasIn, handed out by the next receive. */
  private prefetched: Request | null = null;

  constructor(context: ContextCore) {
    super("REP", context);
  }

  protected override get optionFamily(): TypeOptionFamily {
    return "router";
  }

  protected xattach(): boolean {
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
    if (this.replyPipe === pipe) this.replyPipe = null;
    if (this.prefetched?.pipe === pipe) this.prefetched.pipe = null;
  }

  protected xsend(msg: Message): boolean {
    const envelope = this.envelope;
    if (envelope === null) throw zmqError("EFSM");
    const pipe = this.replyPipe;
    if (this.options.mandatory) {
      if (pipe === null) throw zmqError("EHOSTUNREACH");
      if (!pipe.writable) return false;
    }
    this.envelope = null;
    this.replyPipe = null;
    // A reply to a peer that left, or whose queue is full, is dropped (libzmq's router semantics).
    if (pipe !== null && pipe.writable) pipe.write(envelope.concat(msg));
    else this.counters.droppedAtHighWaterMark += 1;
    return true;
  }

  protected xrecv(): Message | undefined {
    if (this.envelope !== null) throw zmqError("EFSM");
    const request = this.prefetched ?? this.nextRequest();
    this.prefetched = null;
    if (request === null) return undefined;
    this.envelope = request.envelope;
    this.replyPipe = request.pipe;
    return request.body;
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  protected xhasIn(): boolean {
    if (this.envelope !== null) return false;
    if (this.prefetched === null) this.prefetched = this.nextRequest();
    return this.prefetched !== null;
  }

  protected xhasOut(): boolean {
    if (this.envelope === null) return false;
    if (!this.options.mandatory) return true;
    return this.replyPipe?.writable ?? false;
  }

  /** The next request with an envelope, split into envelope and body. */
  private nextRequest(): Request | null {
    for (;;) {
      const msg = this.fq.recv();
      if (msg === undefined) return null;
      const delimiter = msg.findIndex((frame) => frame.length === 0);
      if (delimiter === -1) continue;
      return { envelope: msg.slice(0, delimiter + 1), body: msg.slice(delimiter + 1), pipe: this.fq.lastPipe };
    }
  }
}

interface Request {
  envelope: Buffer[];
  body: Message;
  pipe: Pipe | null;
}
