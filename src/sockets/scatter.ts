import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { LoadBalancer } from "./routing/lb.js";

/** SCATTER: a PUSH for single-part messages; a multipart send is EINVAL (scatter.cpp). */
export class ScatterSocket extends SocketBase {
  private readonly lb = new LoadBalancer();

  constructor(context: ContextCore) {
    super("SCATTER", context);
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
  }

  protected xsend(msg: Message): boolean {
    if (msg.length > 1) throw zmqError("EINVAL");
    return this.lb.send(msg) !== null;
  }

  protected xrecv(): Message | undefined {
    throw zmqError("ENOTSUP");
  }

  protected xreadActivated(pipe: Pipe): void {
    // A GATHER sends nothing; whatever a peer sends anyway is dropped, as PUSH does.
    while (pipe.read() !== undefined);
  }

  protected xhasIn(): boolean {
    return false;
  }

  protected xhasOut(): boolean {
    return this.lb.hasOut;
  }
}
