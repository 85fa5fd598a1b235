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

  protected override xsendMany(msgs: ReadonlyArray<OutgoingMessage>, from: number, to: number): number {
    // REQ (a subclass) sends one request at a time: its own xsend decides, message by message.
    if (this.zmtpType !== "DEALER") return super.xsendMany(msgs, from, to);
    return this.lb.sendMany(msgs, from, to);
  }

  protected xrecv(): Message | undefined {
    return this.fq.recv();
  }

  protected override xrecvMany(into: Message[], max: number): number {
    // REQ (a subclass) takes only the reply to its request: its own xrecv decides.
    if (this.zmtpType !== "DEALER") return super.xrecvMany(into, max);
    return this.fq.recvMany(into, max);
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
