import type { ContextCore } from "../context.js";
import { SocketBase } from "./base.js";
import type { Message, OutgoingMessage, Pipe } from "./pipe.js";
import { sendProbe } from "./probe-router.js";
import { FairQueue } from "./routing/fq.js";
import { LoadBalancer } from "./routing/lb.js";
import type { TypeOptionFamily } from "./socket-options.js";

/** DEALER (RFC 28): round robin out, fair queue in, no envelope handling. */
export class DealerSocket extends SocketBase {
  protected readonly lb = new LoadBalancer();
  protected readonly fq = new FairQueue();

  constructor(context: ContextCore, type: "DEALER" | "REQ" = "DEALER") {
    super(type, context);
  }

  protected override get optionFamily(): TypeOptionFamily {
    return "dealer";
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

  sendMany(msgs: ReadonlyArray<OutgoingMessage>, from: number, to: number): number {
    // REQ (a subclass) sends one request at a time, each through its own xsend: none here.
    return this.zmtpType === "DEALER" ? this.lb.sendMany(msgs, from, to) : 0;
  }

  protected xrecv(): Message | undefined {
    return this.fq.recv();
  }

  receiveMany(into: Message[], max: number): number {
    // REQ (a subclass) takes only the reply to its request, through its own xrecv: none here.
    return this.zmtpType === "DEALER" ? this.fq.recvMany(into, max) : 0;
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
