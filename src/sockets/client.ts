import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";
import { LoadBalancer } from "./routing/lb.js";
import { dropMultipart } from "./single-part.js";

/**
 * CLIENT (RFC 41): single-part messages, round robin out and fair queue in, as a DEALER that
 * refuses multipart sends (EINVAL) and drops multipart messages from peers (client.cpp).
 */
export class ClientSocket extends SocketBase {
  private readonly lb = new LoadBalancer();
  private readonly fq = new FairQueue();

  constructor(context: ContextCore) {
    super("CLIENT", context);
  }

  protected override get threadSafe(): boolean {
    return true;
  }

  protected xattach(pipe: Pipe): boolean {
    this.lb.attach(pipe);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.lb.detach(pipe);
    this.fq.detach(pipe);
  }

  protected xsend(msg: Message): boolean {
    if (msg.length > 1) throw zmqError("EINVAL");
    return this.lb.send(msg) !== null;
  }

  protected xrecv(): Message | undefined {
    return dropMultipart(this.fq);
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  protected xhasIn(): boolean {
    return this.fq.readable;
  }

  protected xhasOut(): boolean {
    return this.lb.hasOut;
  }
}
