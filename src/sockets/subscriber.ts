import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { subscriptionMessage } from "../zmtp/subscription.js";
import type { OptionArgument } from "./core.js";
import type { Message } from "./pipe.js";
import { Opt } from "./socket-options.js";
import { SubscriberCore } from "./xsubscriber.js";

/**
 * SUB (RFC 29): receives what its publishers send for its subscriptions. Publishers filter;
 * the SUB filters again on the first frame (a publisher may still send what was cancelled).
 * Subscriptions are options (ZMQ_SUBSCRIBE / ZMQ_UNSUBSCRIBE), as in libzmq. With conflate,
 * each pipe keeps only its newest message.
 */
export class SubscriberSocket extends SubscriberCore {
  /** A matching message taken early to answer hasIn. */
  private prefetched: Message | undefined = undefined;

  constructor(context: ContextCore) {
    super("SUB", context);
  }

  protected override xsetsockopt(id: number, value: OptionArgument): boolean {
    if (id !== Opt.Subscribe && id !== Opt.Unsubscribe) return false;
    // NULL or empty: everything. A numeric value passes its raw bytes, as a C caller's would.
    const topic = value.kind === "bytes" ? (value.value ?? Buffer.alloc(0)) : rawBytes(value);
    const copy = Buffer.from(topic);
    if (id === Opt.Subscribe) this.addSubscription(copy, subscriptionMessage(true, copy));
    else this.removeSubscription(copy, subscriptionMessage(false, copy));
    return true;
  }

  protected xsend(): boolean {
    throw zmqError("ENOTSUP");
  }

  protected override xrecv(): Message | undefined {
    const early = this.prefetched;
    if (early !== undefined) {
      this.prefetched = undefined;
      return early;
    }
    let msg: Message | undefined;
    while ((msg = this.fq.recv()) !== undefined) if (this.accepts(msg)) return msg;
    return undefined;
  }

  /** True only when a matching message is ready (non-matching ones are discarded to find out). */
  protected xhasIn(): boolean {
    if (this.prefetched === undefined) this.prefetched = this.xrecv();
    return this.prefetched !== undefined;
  }

  protected xhasOut(): boolean {
    return false;
  }

  private accepts(msg: Message): boolean {
    return this.subscriptions.matches(msg[0]!) !== this.options.invertMatching;
  }
}

function rawBytes(value: OptionArgument): Buffer {
  const raw = Buffer.alloc(value.kind === "int" ? 4 : 8);
  if (value.kind === "int") raw.writeInt32LE(value.value);
  else if (value.kind === "int64") raw.writeBigInt64LE(value.value);
  return raw;
}
