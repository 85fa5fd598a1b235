import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";

/** PULL (RFC 30): fair-queues messages from all its PUSH peers. */
export class PullSocket extends SocketBase {
  private readonly fq = new FairQueue();

  constructor(context: ContextCore) {
    super("PULL", context);
  }

  protected xattach(): boolean {
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
  }

  protected xsend(): boolean {
    throw zmqError("ENOTSUP");
  }

  protected xrecv(): Message | undefined {
    return this.fq.recv();
  }

  receiveMany(into: Message[], max: number): number {
    return this.fq.recvMany(into, max);
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  protected xhasIn(): boolean {
    return this.fq.readable;
  }

  protected xhasOut(): boolean {
    return false;
  }
}
