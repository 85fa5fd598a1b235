import { defineOptions, refuseConflate } from "./options.js";
import { Socket, allowMethods, type SocketOptions, type Writable } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { LoadBalancer } from "./routing/lb.js";

/** PUSH (RFC 30): round robin to peers with room; waits when all are full, never drops. */
export class Push extends Socket {
  private readonly lb = new LoadBalancer();

  constructor(options?: SocketOptions<Push>) {
    super("PUSH", options);
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

  protected xrecv(): Message | undefined {
    return undefined;
  }

  protected xreadActivated(pipe: Pipe): void {
    // RFC 30: a PUSH ignores anything its peers send.
    while (pipe.read() !== undefined);
  }
}
export interface Push extends Writable {
  conflate: boolean;
}
defineOptions(Push.prototype, ["conflate"], refuseConflate);
allowMethods(Push, ["send"]);
