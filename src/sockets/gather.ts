import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";
import { dropMultipart } from "./single-part.js";

/** GATHER: a PULL for single-part messages; multipart ones from peers are dropped (gather.cpp). */
export class GatherSocket extends SocketBase {
  private readonly fq = new FairQueue();

  constructor(context: ContextCore) {
    super("GATHER", context);
  }

  protected override get threadSafe(): boolean {
    return true;
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
    return dropMultipart(this.fq);
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
