import { defineOptions, refuseConflate } from "./options.js";
import { Socket, allowMethods, type Readable, type SocketOptions, type Writable } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { FairQueue } from "./routing/fq.js";
import { LoadBalancer } from "./routing/lb.js";
import { sendProbe } from "./probe-router.js";

/** DEALER (RFC 28): round robin out, fair queue in, no envelope handling. */
export class Dealer extends Socket {
  private readonly lb = new LoadBalancer();
  private readonly fq = new FairQueue();

  constructor(options?: SocketOptions<Dealer>) {
    super("DEALER", options);
  }

  protected xattach(pipe: Pipe): boolean {
    this.lb.attach(pipe);
    if (this.options.probeRouter) sendProbe(pipe);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.lb.detach(pipe);
    this.fq.detach(pipe);
  }

  protected xsend(msg: Message): boolean {
    return this.lb.send(msg) !== null;
  }

  protected xrecv(): Message | undefined {
    return this.fq.recv();
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }
}
export interface Dealer extends Writable, Readable {
  routingId: string | null;
  probeRouter: boolean;
  conflate: boolean;
}
defineOptions(Dealer.prototype, ["routingId", "probeRouter"]);
defineOptions(Dealer.prototype, ["conflate"], refuseConflate);
allowMethods(Dealer, ["send", "receive"]);
