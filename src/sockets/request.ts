import { randomBytes } from "../platform/random.js";
import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { DealerSocket } from "./dealer.js";
import type { Message, Pipe } from "./pipe.js";
import type { TypeOptionFamily } from "./socket-options.js";

const EMPTY = Buffer.alloc(0);

/**
 * REQ (RFC 28): strict send/receive alternation. Each request goes to one peer (round robin) with
 * an empty delimiter frame; only that peer's reply is accepted. `correlate` prefixes a 4-byte
 * request id (host byte order, as libzmq) and `relaxed` allows a new request before the reply.
 * Out of turn, REQ is neither readable nor writable (libzmq's xhas_in / xhas_out), so the API
 * waits; a non-blocking call gets EFSM.
 */
export class RequestSocket extends DealerSocket {
  private expectingReply = false;
  private replyPipe: Pipe | null = null;
  private requestId = randomBytes(4).readUInt32LE(0);
  /** A valid reply found while answering hasIn, handed out by the next receive. */
  private prefetched: Message | null = null;

  constructor(context: ContextCore) {
    super(context, "REQ");
  }

  protected override get optionFamily(): TypeOptionFamily {
    return "req";
  }

  protected override xdetach(pipe: Pipe): void {
    super.xdetach(pipe);
    if (this.replyPipe === pipe) this.replyPipe = null;
  }

  protected override xsend(msg: Message): boolean {
    if (this.expectingReply && !this.options.relaxed) throw zmqError("EFSM");
    const pipe = this.lb.pick();
    if (pipe === null) return false;
    // libzmq eats every reply already queued when a request starts, so an old reply from
    // another peer can never answer this one.
    this.prefetched = null;
    while (this.fq.recv() !== undefined);
    const envelope: Buffer[] = [];
    if (this.options.correlate) {
      this.requestId = (this.requestId + 1) >>> 0;
      const id = Buffer.allocUnsafe(4);
      id.writeUInt32LE(this.requestId, 0);
      envelope.push(id);
    }
    envelope.push(EMPTY);
    pipe.write(envelope.concat(msg));
    this.replyPipe = pipe;
    this.expectingReply = true;
    return true;
  }

  protected override xrecv(): Message | undefined {
    if (!this.expectingReply) throw zmqError("EFSM");
    const reply = this.prefetched ?? this.nextReply();
    if (reply === null) return undefined;
    this.prefetched = null;
    this.expectingReply = false;
    this.replyPipe = null;
    return reply;
  }

  protected override xhasIn(): boolean {
    if (!this.expectingReply) return false;
    if (this.prefetched === null) this.prefetched = this.nextReply();
    return this.prefetched !== null;
  }

  protected override xhasOut(): boolean {
    if (this.expectingReply && !this.options.relaxed) return false;
    return super.xhasOut();
  }

  /** The next queued reply from the peer we asked with the envelope we sent; others are dropped. */
  private nextReply(): Message | null {
    for (;;) {
      const msg = this.fq.recv();
      if (msg === undefined) return null;
      if (this.fq.lastPipe !== this.replyPipe) continue;
      const body = this.unwrap(msg);
      if (body !== null) return body;
    }
  }

  /** Strips [request id,] delimiter; null when the envelope is not the one we sent. */
  private unwrap(msg: Message): Message | null {
    let at = 0;
    if (this.options.correlate) {
      const id = msg[0];
      if (id === undefined || id.length !== 4 || id.readUInt32LE(0) !== this.requestId) return null;
      at = 1;
    }
    if (msg.length <= at + 1 || msg[at]!.length !== 0) return null;
    return msg.slice(at + 1);
  }
}
