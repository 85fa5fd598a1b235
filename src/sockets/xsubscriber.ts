import { subscriptionMessage } from "../zmtp/subscription.js";
import type { ContextCore } from "../context.js";
import { SocketBase } from "./base.js";
import type { Message, Pipe } from "./pipe.js";
import { Distributor, hasRoom } from "./routing/dist.js";
import { FairQueue } from "./routing/fq.js";
import { SubscriptionTrie } from "./routing/trie.js";

/** The one value of a subscriber's local trie: only the counts matter there. */
const LOCAL = 0;

/**
 * What SUB and XSUB share (libzmq's sub_t derives from xsub_t): a counted set of subscriptions,
 * sent to every publisher and replayed in full on each new connection (also after a reconnect,
 * and for subscriptions made before connect()); fair-queued receiving. Default linger 0.
 */
export abstract class SubscriberCore extends SocketBase {
  /** Counted: "A" twice needs two cancels before the cancel goes upstream. */
  protected readonly subscriptions = new SubscriptionTrie<typeof LOCAL>("count");
  private readonly dist = new Distributor();
  protected readonly fq = new FairQueue();

  protected constructor(type: "SUB" | "XSUB", context: ContextCore) {
    super(type, context);
    // libzmq defaults SUB/XSUB to linger 0: nothing they queue is worth waiting for at close.
    this.options.linger = 0;
  }

  protected xattach(pipe: Pipe): boolean {
    // Our own subscriptions travel as SUBSCRIBE / CANCEL commands to ZMTP 3.1 peers.
    pipe.carriesSubscriptions = true;
    this.dist.attach(pipe);
    this.replaySubscriptions(pipe);
    return true;
  }

  /** A connect()ed pipe reconnected: the new peer has none of our subscriptions yet. */
  pipeHiccuped(pipe: Pipe): void {
    this.replaySubscriptions(pipe);
  }

  protected xdetach(pipe: Pipe): void {
    this.dist.detach(pipe);
    this.fq.detach(pipe);
  }

  protected xrecv(): Message | undefined {
    return this.fq.recv();
  }

  protected xreadActivated(pipe: Pipe): void {
    this.fq.activate(pipe);
  }

  /** Counts a subscription and sends it upstream (every time: the publisher absorbs duplicates). */
  protected addSubscription(topic: Buffer, msg: Message): void {
    this.subscriptions.add(topic, LOCAL);
    this.dist.sendToAll(msg);
  }

  /** Uncounts a subscription; the cancel goes upstream only when nothing is left of it. */
  protected removeSubscription(topic: Buffer, msg: Message): void {
    if (this.subscriptions.remove(topic, LOCAL) === "lastValueRemoved") this.dist.sendToAll(msg);
  }

  /** Sends any other message to every publisher (XSUB). */
  protected sendToAll(msg: Message): void {
    this.dist.sendToAll(msg);
  }

  private replaySubscriptions(pipe: Pipe): void {
    // Like every subscription message, dropped if the pipe is full (libzmq does the same).
    for (const topic of this.subscriptions.prefixes()) {
      if (hasRoom(pipe)) pipe.write(subscriptionMessage(true, topic));
    }
  }
}

/**
 * XSUB: a Subscriber whose application subscribes by sending 0x01+topic (0x00+topic to
 * cancel) and receives everything its publishers send, unfiltered. Those messages go to
 * publishers as data frames even on ZMTP 3.1, as libzmq's XSUB sends them; other messages are
 * passed upstream as they are.
 */
export class XSubscriberSocket extends SubscriberCore {
  constructor(context: ContextCore) {
    super("XSUB", context);
  }

  protected xsend(msg: Message): boolean {
    const first = msg[0]!;
    if (first.length > 0 && first[0] === 1) this.addSubscription(first.subarray(1), msg);
    else if (first.length > 0 && first[0] === 0) this.removeSubscription(first.subarray(1), msg);
    else this.sendToAll(msg);
    return true;
  }

  protected xhasIn(): boolean {
    return this.fq.readable;
  }

  /** Sending never waits: a publisher whose pipe is full misses the message. */
  protected xhasOut(): boolean {
    return true;
  }
}
