import { zmqError } from "../errors.js";
import { Socket, allowMethods, type Readable, type SocketOptions, type Writable } from "./base.js";
import { toFrame } from "./message.js";
import { defineOptions } from "./options.js";
import type { Message, Pipe } from "./pipe.js";
import { Fifo } from "./fifo.js";
import { Distributor, hasRoom } from "./routing/dist.js";
import { PipeDrainer } from "./routing/drain.js";
import { SubscriptionTrie } from "./routing/trie.js";

/**
 * What PUB and XPUB share (libzmq's pub_t derives from xpub_t): subscriptions from each
 * subscriber pipe go into a trie; a sent message goes to the pipes whose subscriptions match its
 * first frame, and a pipe at its HWM misses it (noDrop: the send waits instead).
 *
 * Subscriptions arrive as one-frame messages 0x01+topic / 0x00+topic whichever form the peer
 * used (the engine turns SUBSCRIBE / CANCEL commands into these). They are applied as soon as
 * they arrive, whether or not the application reads.
 */
export abstract class PublisherCore extends Socket {
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
    options: object | undefined,
    /** XPUB hands notifications to the application; PUB only applies them. */
    private readonly notifies: boolean,
  ) {
    super(type, options);
  }

  protected xattach(pipe: Pipe): boolean {
    this.dist.attach(pipe);
    const welcome = this.options.welcomeMessage;
    // Straight into the new pipe, past any filtering (ZMQ_XPUB_WELCOME_MSG).
    if (this.notifies && welcome !== null && welcome.length > 0 && hasRoom(pipe)) pipe.write([Buffer.from(welcome)]);
    return true;
  }

  protected xdetach(pipe: Pipe): void {
    if (this.notifies && this.options.manual) {
      // The application applied this peer's subscriptions; report all it had asked for.
      this.requested.removeValue(pipe, (topic) => this.notify(0, topic, null));
      this.subscriptions.removeValue(pipe);
    } else if (this.notifies) {
      const every = this.options.verbosity === "allSubsUnsubs";
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

  /** PUB never waits (a full pipe just misses messages), unless noDrop. */
  override get writable(): boolean {
    if (this.closed) return false;
    return !this.options.noDrop || super.writable;
  }

  override get readable(): boolean {
    return !this.closed && this.pending.length > 0;
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
    const verbosity = this.options.verbosity;
    let report: boolean;
    if (subscribe) report = this.subscriptions.add(topic, pipe) || verbosity !== null;
    else report = this.subscriptions.remove(topic, pipe) !== "valuesRemain" || verbosity === "allSubsUnsubs";
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
    this.retryReceive();
  }
}

/**
 * XPUB: a Publisher whose application also receives the subscriptions (0x01+topic) and
 * cancels (0x00+topic), and any other message its subscribers send.
 */
export class XPublisher extends PublisherCore {
  constructor(options?: SocketOptions<XPublisher>) {
    super("XPUB", options, true);
  }

  /**
   * With `manual`: applies a subscription to the subscriber whose notification was received
   * last (libzmq's setsockopt(ZMQ_SUBSCRIBE) on an XPUB). Not in zeromq.js, which offers no way
   * to apply manual subscriptions. Without arguments: everything ("").
   */
  subscribe(...prefixes: Array<Buffer | string>): void {
    this.checkOpen();
    this.applyManual(true, prefixes);
  }

  /** With `manual`: removes a subscription of the last notification's subscriber. */
  unsubscribe(...prefixes: Array<Buffer | string>): void {
    this.checkOpen();
    this.applyManual(false, prefixes);
  }

  private applyManual(subscribe: boolean, prefixes: Array<Buffer | string>): void {
    if (!this.options.manual) throw zmqError("EINVAL", "subscribe()/unsubscribe() on an XPublisher need manual = true");
    // libzmq ignores them when no notification has been read (or its subscriber has gone).
    const pipe = this.lastPipe;
    if (pipe === null || !this.pipes.has(pipe)) return;
    const topics = prefixes.length === 0 ? [""] : prefixes;
    for (const prefix of topics) {
      if (subscribe) this.subscriptions.add(toFrame(prefix), pipe);
      else this.subscriptions.remove(toFrame(prefix), pipe);
    }
  }
}
export interface XPublisher extends Writable, Readable {
  noDrop: boolean;
  manual: boolean;
  welcomeMessage: string | null;
  invertMatching: boolean;
  /**
   * Which duplicates the application sees: null (default) only the first subscription and
   * the last cancel of each topic, "allSubs" every subscription, "allSubsUnsubs" every
   * subscription and cancel (ZMQ_XPUB_VERBOSE / ZMQ_XPUB_VERBOSER).
   */
  verbosity: null | "allSubs" | "allSubsUnsubs";
}
defineOptions(XPublisher.prototype, ["noDrop", "manual", "welcomeMessage", "invertMatching", "verbosity"]);
allowMethods(XPublisher, ["send", "receive"]);
