import type { ContextCore } from "../context.js";
import { SocketBase } from "./base.js";
import type { OptionArgument } from "./core.js";
import type { Message, Pipe } from "./pipe.js";
import { Fifo } from "./fifo.js";
import { Distributor, hasRoom } from "./routing/dist.js";
import { PipeDrainer } from "./routing/drain.js";
import { SubscriptionTrie } from "./routing/trie.js";
import { Opt, type TypeOptionFamily } from "./socket-options.js";

/**
 * What PUB and XPUB share (libzmq's pub_t derives from xpub_t): subscriptions from each
 * subscriber pipe go into a trie; a sent message goes to the pipes whose subscriptions match its
 * first frame, and a pipe at its HWM misses it (noDrop: the send waits instead).
 *
 * Subscriptions arrive as one-frame messages 0x01+topic / 0x00+topic whichever form the peer
 * used (the engine turns SUBSCRIBE / CANCEL commands into these). They are applied as soon as
 * they arrive, whether or not the application reads.
 */
export abstract class PublisherCore extends SocketBase {
  /** Per pipe a set, as libzmq's mtrie: the subscriber counts duplicates, not us (trie.ts). */
  protected readonly subscriptions = new SubscriptionTrie<Pipe>("set");
  protected readonly dist = new Distributor();
  /** XPUB only: what the application reads (notifications and subscribers' own messages). */
  private readonly pending = new Fifo<Message>();
  /** The pipe each pending notification came from (null: none to apply a manual subscription to). */
  private readonly pendingPipes = new Fifo<Pipe | null>();
  /** XPUB manual mode: what each peer asked for, to report its topics when it leaves. */
  private readonly requested = new SubscriptionTrie<Pipe>("set");
  /** XPUB manual mode: the pipe of the notification read last (subscribe() applies to it). */
  protected lastPipe: Pipe | null = null;
  private readonly drainer = new PipeDrainer((pipe, msg) => this.take(pipe, msg));

  protected constructor(
    type: "PUB" | "XPUB",
    context: ContextCore,
    /** XPUB hands notifications to the application; PUB only applies them. */
    private readonly notifies: boolean,
  ) {
    super(type, context);
  }

  /** PUB derives from XPUB in libzmq: both take XPUB's options. */
  protected override get optionFamily(): TypeOptionFamily {
    return "xpub";
  }

  protected xattach(pipe: Pipe): boolean {
    this.dist.attach(pipe);
    const welcome = this.options.welcomeMessage;
    // Straight into the new pipe, past any filtering (ZMQ_XPUB_WELCOME_MSG).
    if (this.notifies && welcome !== null && hasRoom(pipe)) pipe.write([welcome]);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    if (this.notifies && this.options.manual) {
      // The application applied this peer's subscriptions; report all it had asked for.
      this.requested.removeValue(pipe, (topic) => this.notify(0, topic, null));
      this.subscriptions.removeValue(pipe);
    } else if (this.notifies) {
      const every = this.options.verboseUnsubscriptions;
      this.subscriptions.removeValue(pipe, (topic, last) => {
        if (last || every) this.notify(0, topic, null);
      });
    } else {
      this.subscriptions.removeValue(pipe);
    }
    if (this.lastPipe === pipe) this.lastPipe = null;
    this.dist.detach(pipe);
  }

  protected xsend(msg: Message): boolean {
    this.subscriptions.match(msg[0]!, this.dist.match);
    if (this.options.invertMatching) this.dist.reverseMatch();
    if (this.options.noDrop && !this.dist.matchingWritable) {
      this.dist.unmatch();
      return false;
    }
    this.dist.sendToMatching(msg);
    return true;
  }

  protected xrecv(): Message | undefined {
    const msg = this.pending.shift();
    if (msg !== undefined) this.lastPipe = this.pendingPipes.shift() ?? null;
    return msg;
  }

  protected xreadActivated(pipe: Pipe): void {
    this.drainer.activate(pipe);
  }

  private take(pipe: Pipe, msg: Message): void {
    const first = msg[0]!;
    if (first.length > 0 && first[0]! <= 1) this.applySubscription(pipe, first);
    // A subscriber's own message: PUB drops it, XPUB hands it to the application.
    else if (this.notifies) this.queue(msg, null);
  }

  /**
   * Always writable, as libzmq's dist has_out: a full subscriber misses the message, or with
   * noDrop the send fails with EAGAIN (it does not wait).
   */
  protected xhasOut(): boolean {
    return true;
  }

  protected xhasIn(): boolean {
    return this.pending.length > 0;
  }

  private applySubscription(pipe: Pipe, body: Buffer): void {
    const subscribe = body[0] === 1;
    const topic = body.subarray(1);
    if (this.notifies && this.options.manual) {
      // ZMQ_XPUB_MANUAL: nothing is applied; the application decides with subscribe().
      if (subscribe) this.requested.add(topic, pipe);
      else this.requested.remove(topic, pipe);
      this.queue([body], pipe);
      return;
    }
    // xpub.cpp: report the first subscription and the last cancel of a topic (and a cancel
    // of an unknown topic); verbose modes also report the duplicates.
    let report: boolean;
    if (subscribe) report = this.subscriptions.add(topic, pipe) || this.options.verboseSubscriptions;
    else report = this.subscriptions.remove(topic, pipe) !== "valuesRemain" || this.options.verboseUnsubscriptions;
    if (report && this.notifies) this.queue([body], pipe);
  }

  private notify(kind: 0 | 1, topic: Buffer, pipe: Pipe | null): void {
    const body = Buffer.allocUnsafe(topic.length + 1);
    body[0] = kind;
    topic.copy(body, 1);
    this.queue([body], pipe);
  }

  private queue(msg: Message, pipe: Pipe | null): void {
    this.pending.push(msg);
    this.pendingPipes.push(pipe);
    this.readinessChanged();
  }
}

/**
 * XPUB: a Publisher whose application also receives the subscriptions (0x01+topic) and
 * cancels (0x00+topic), and any other message its subscribers send.
 */
export class XPublisherSocket extends PublisherCore {
  constructor(context: ContextCore) {
    super("XPUB", context, true);
  }

  /**
   * With `manual`, ZMQ_SUBSCRIBE / ZMQ_UNSUBSCRIBE apply a subscription to the subscriber whose
   * notification was received last (ignored when there is none); without it they are EINVAL.
   */
  protected override xsetsockopt(id: number, value: OptionArgument): boolean {
    if ((id !== Opt.Subscribe && id !== Opt.Unsubscribe) || !this.options.manual) return false;
    const pipe = this.lastPipe;
    if (pipe === null || !this.pipes.has(pipe)) return true;
    const topic = value.kind === "bytes" ? (value.value ?? Buffer.alloc(0)) : Buffer.alloc(0);
    if (id === Opt.Subscribe) this.subscriptions.add(topic, pipe);
    else this.subscriptions.remove(topic, pipe);
    return true;
  }
}
