import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, OutgoingMessage, Pipe } from "./pipe.js";
import { LoadBalancer } from "./routing/lb.js";

/** PUSH (RFC 30): round robin to peers with room; waits when all are full, never drops. */
export class PushSocket extends SocketBase {
  private readonly lb = new LoadBalancer();

  constructor(context: ContextCore) {
    super("PUSH", context);
  }

  protected xattach(pipe: Pipe): boolean {
    this.lb.attach(pipe);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.lb.detach(pipe);
  }

  protected xsend(msg: Message): boolean {
    return this.lb.send(msg) !== null;
  }

  sendMany(msgs: ReadonlyArray<OutgoingMessage>, from: number, to: number): number {
    return this.lb.sendMany(msgs, from, to);
  }

  protected xrecv(): Message | undefined {
    throw zmqError("ENOTSUP");
  }

  protected xreadActivated(pipe: Pipe): void {
    // RFC 30: a PUSH ignores anything its peers send.
    while (pipe.read() !== undefined);
  }

  protected xhasIn(): boolean {
    return false;
  }

  protected xhasOut(): boolean {
    return this.lb.hasOut;
  }
}
