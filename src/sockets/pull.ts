import { defineOptions, refuseConflate } from "./options.js";
import { Socket, allowMethods, type Readable, type SocketOptions } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";

/** PULL (RFC 30): fair-queues messages from all its PUSH peers. */
export class Pull extends Socket {
  private readonly fq = new FairQueue();

  constructor(options?: SocketOptions<Pull>) {
    super("PULL", options);
  }

  protected xattach(): boolean {
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
  }

  protected xsend(): boolean {
    return false;
  }

  protected xrecv(): Message | undefined {
    return this.fq.recv();
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }
}
export interface Pull extends Readable {
  conflate: boolean;
}
defineOptions(Pull.prototype, ["conflate"], refuseConflate);
allowMethods(Pull, ["receive"]);
