import { randomBytes } from "node:crypto";
import { zmqError } from "../errors.js";
import { Socket, allowMethods, type Readable, type SocketOptions, type Writable } from "./base.js";
import { defineOptions } from "./options.js";
import type { Message, Pipe } from "./pipe.js";
import { sendProbe } from "./probe-router.js";
import { FairQueue } from "./routing/fq.js";
import { LoadBalancer } from "./routing/lb.js";

const EMPTY = Buffer.alloc(0);

/**
 * REQ (RFC 28): strict send/receive alternation. Each request goes to one peer (round robin) with
 * an empty delimiter frame; only that peer's reply is accepted. `correlate` prefixes a 4-byte
 * request id (host byte order, as libzmq) and `relaxed` allows a new request before the reply.
 */
export class Request extends Socket {
  private readonly lb = new LoadBalancer();
  private readonly fq = new FairQueue();
  private expectingReply = false;
  private replyPipe: Pipe | null = null;
  private requestId = randomBytes(4).readUInt32LE(0);

  constructor(options?: SocketOptions<Request>) {
    super("REQ", options);
  }

  protected xattach(pipe: Pipe): boolean {
    this.lb.attach(pipe);
    if (this.options.probeRouter) sendProbe(pipe);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.lb.detach(pipe);
    this.fq.detach(pipe);
    if (this.replyPipe === pipe) this.replyPipe = null;
  }

  protected xsend(msg: Message): boolean {
    if (this.expectingReply && !this.options.relaxed) {
      throw zmqError("EFSM", "A REQ socket must receive the reply before sending the next request (or set relaxed)");
    }
    const pipe = this.lb.pick();
    if (pipe === null) return false;
    if (this.expectingReply) this.discardReplies();
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

  /** relaxed: replies to an abandoned request must not be taken as the answer to the new one. */
  private discardReplies(): void {
    while (this.fq.recv() !== undefined);
  }

  protected xrecv(): Message | undefined {
    if (!this.expectingReply) {
      throw zmqError("EFSM", "A REQ socket must send a request before it can receive a reply");
    }
    for (;;) {
      const msg = this.fq.recv();
      if (msg === undefined) return undefined;
      if (this.fq.lastPipe !== this.replyPipe) continue;
      const body = this.unwrap(msg);
      if (body === null) continue;
      this.expectingReply = false;
      this.replyPipe = null;
      return body;
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

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }
}
export interface Request extends Writable, Readable {
  routingId: string | null;
  probeRouter: boolean;
  correlate: boolean;
  relaxed: boolean;
}
defineOptions(Request.prototype, ["routingId", "probeRouter", "correlate", "relaxed"]);
allowMethods(Request, ["send", "receive"]);
