import { randomBytes } from "../platform/random.js";
import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { sendProbe } from "./probe-router.js";
import { FairQueue, withRoutingId } from "./routing/fq.js";
import type { TypeOptionFamily } from "./socket-options.js";

/**
 * ROUTER (RFC 28): every received message is prefixed with its peer's routing id; the first
 * frame of a sent message picks the peer. Ids come from the peer's Identity, else are generated
 * (5 bytes: 0x00 + a counter, as libzmq).
 */
export class RouterSocket extends SocketBase {
  private readonly fq = new FairQueue();
  private readonly byId = new Map<string, Pipe>();
  private nextAutoId = randomBytes(4).readUInt32BE(0);

  constructor(context: ContextCore) {
    super("ROUTER", context);
  }

  protected override get optionFamily(): TypeOptionFamily {
    return "router";
  }

  override get attachesBeforeHandshake(): boolean {
    return false;
  }

  private autoId(): Buffer {
    const id = Buffer.allocUnsafe(5);
    id[0] = 0;
    this.nextAutoId = (this.nextAutoId + 1) >>> 0;
    id.writeUInt32BE(this.nextAutoId, 1);
    return id;
  }

  protected xattach(pipe: Pipe): boolean {
    // Ids starting with a zero byte are reserved for generated ids (RFC 23); remap them.
    if (pipe.routingId === null || pipe.routingId[0] === 0) pipe.routingId = this.autoId();
    const key = pipe.routingId.toString("latin1");
    const existing = this.byId.get(key);
    if (existing !== undefined) {
      if (!this.options.handover) return false;
      // Handover: the newcomer takes the id; the old connection keeps a fresh id until it goes.
      existing.routingId = this.autoId();
      this.byId.set(existing.routingId.toString("latin1"), existing);
    }
    this.byId.set(key, pipe);
    if (this.options.probeRouter) sendProbe(pipe);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    this.fq.detach(pipe);
    if (pipe.routingId === null) return;
    const key = pipe.routingId.toString("latin1");
    if (this.byId.get(key) === pipe) this.byId.delete(key);
  }

  protected xsend(msg: Message): boolean {
    // libzmq silently discards a routing id sent without a following frame.
    if (msg.length < 2) return true;
    const pipe = this.byId.get(msg[0]!.toString("latin1"));
    if (pipe === undefined) {
      if (this.options.mandatory) throw zmqError("EHOSTUNREACH");
      return true;
    }
    if (!pipe.writable) {
      if (this.options.mandatory) return false;
      this.counters.droppedAtHighWaterMark += 1;
      return true;
    }
    pipe.write(msg.slice(1));
    return true;
  }

  protected xrecv(): Message | undefined {
    const msg = this.fq.recv();
    if (msg === undefined) return undefined;
    return withRoutingId(this.fq.lastPipe, msg);
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  protected xhasIn(): boolean {
    return this.fq.readable;
  }

  /** Without `mandatory` a ROUTER always takes a message (it drops what it cannot route). */
  protected xhasOut(): boolean {
    if (!this.options.mandatory) return true;
    for (const pipe of this.byId.values()) if (pipe.writable) return true;
    return false;
  }
}
