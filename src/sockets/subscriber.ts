import { subscriptionMessage } from "../zmtp/subscription.js";
import { allowMethods, type Readable, type SocketOptions } from "./base.js";
import { toFrame } from "./message.js";
import { defineOptions } from "./options.js";
import type { Message, Pipe } from "./pipe.js";
import { PipeDrainer } from "./routing/drain.js";
import { SubscriberCore } from "./xsubscriber.js";

/**
 * SUB (RFC 29): receives what its publishers send for its subscriptions. Publishers filter;
 * the SUB filters again on the first frame (a publisher may still send what was cancelled).
 * With conflate, only the newest matching message is kept.
 */
export class Subscriber extends SubscriberCore {
  /** A matching message taken early by `readable`. */
  private prefetched: Message | undefined = undefined;
  /** conflate: the newest matching message. */
  private newest: Message | undefined = undefined;
  private readonly conflater = new PipeDrainer((_pipe, msg) => {
    if (this.accepts(msg)) this.newest = msg;
  });

  constructor(options?: SocketOptions<Subscriber>) {
    super("SUB", options);
  }

  /** Receive messages whose first frame starts with one of `prefixes`; none = everything. */
  subscribe(...prefixes: Array<Buffer | string>): void {
    this.checkOpen();
    if (prefixes.length === 0) prefixes = [""];
    for (const prefix of prefixes) {
      const topic = toFrame(prefix);
      this.addSubscription(topic, subscriptionMessage(true, topic));
    }
  }

  /** Cancels one earlier subscribe() of each prefix; none = the "everything" subscription. */
  unsubscribe(...prefixes: Array<Buffer | string>): void {
    this.checkOpen();
    if (prefixes.length === 0) prefixes = [""];
    for (const prefix of prefixes) {
      const topic = toFrame(prefix);
      this.removeSubscription(topic, subscriptionMessage(false, topic));
    }
  }

  protected xsend(): boolean {
    return false;
  }

  protected override xrecv(): Message | undefined {
    let msg = this.prefetched ?? this.newest;
    if (msg !== undefined) {
      if (msg === this.prefetched) this.prefetched = undefined;
      else this.newest = undefined;
      return msg;
    }
    while ((msg = this.fq.recv()) !== undefined) if (this.accepts(msg)) return msg;
    return undefined;
  }

  protected override xreadActivated(pipe: Pipe): void {
    if (!this.options.conflate) {
      this.fq.activate(pipe);
      return;
    }
    // ZMQ_CONFLATE: take everything as it arrives and keep only the newest match.
    this.conflater.activate(pipe);
  }

  /** True only when a matching message is ready (non-matching ones are discarded to find out). */
  override get readable(): boolean {
    if (this.closed) return false;
    if (this.prefetched === undefined && this.newest === undefined) this.prefetched = this.xrecv();
    return this.prefetched !== undefined || this.newest !== undefined;
  }

  private accepts(msg: Message): boolean {
    return this.subscriptions.matches(msg[0]!) !== this.options.invertMatching;
  }
}
export interface Subscriber extends Readable {
  /** Keep only the newest matching message (single-part messages, as libzmq). */
  conflate: boolean;
  /** Receive what matches none of the subscriptions (the publisher must invert too). */
  invertMatching: boolean;
}
defineOptions(Subscriber.prototype, ["conflate", "invertMatching"]);
allowMethods(Subscriber, ["receive"]);
