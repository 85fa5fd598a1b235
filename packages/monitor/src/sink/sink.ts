import { EventEmitter } from "node:events";
import { Pull } from "zmtp";
import { BackChannel, type BackChannelOptions, type DeliveryOutcome } from "../wire/back-channel.js";
import {
  MAX_BODY_SIZE,
  createMessage,
  decode,
  isUuid,
  type Message,
  type MessageType,
  type Stream,
} from "../wire/protocol.js";
import type { Store } from "../store/store.js";
import { backlogAlert, backlogClearedAlert } from "./alerts.js";
import type { FlapOptions } from "./flapping.js";

export interface SinkOptions {
  store: Store;
  /** This sink's stream endpoint on every router (the routers' PUSH for this stream). */
  streams: readonly string[];
  /** Every router's back channel, for acks. */
  backChannels: readonly string[];
  backChannel?: BackChannelOptions;
  /**
   * Messages handled at once. A store that commits in groups (SqliteStore) needs several
   * operations in flight to fill a transaction; each message is still acked only after its own
   * write committed. Default 256.
   */
  maxInFlight?: number;
  /**
   * Alerts when this sink falls behind: every slot has been taken (messages waiting for the
   * store) for `after` ms (default 30000), and again once it caught up. `id` and `name` are the
   * sink's role (wire/roles.ts), under which the alert is raised; it looks every `checkInterval`
   * ms (default 1000).
   */
  backlog?: { id: string; name: string; after?: number; checkInterval?: number };
  /** Names agents in alert texts (a HostNames.resolve). Default: the id. */
  hostOf?: (agent: string) => string | Promise<string>;
  /** Stats sinks: flap detection thresholds (flapping.ts); false: off. Default 50% / 25%. */
  flapping?: FlapOptions | false;
}

export interface SinkCounters {
  received: number;
  /** Valid messages by type. */
  types: Partial<Record<MessageType, number>>;
  /** New records written. */
  stored: number;
  /** Acknowledged messages seen before (resends): acked again, not stored again. */
  duplicates: number;
  malformed: number;
  /** The store failed: not acked, so the agent resends. */
  failed: number;
  acked: number;
  /** Acks no router could deliver (the agent will resend, and be acked then). */
  ackFailed: number;
}

/**
 * What every typed sink shares: a PULL connected to its stream on every router, validation,
 * and the ack rule: a message sent with `ack` is acked through a router's back channel only after
 * the store has it, so a sink that dies before that loses nothing (the agent resends), and a
 * resend is recognised by (agent, id) in the store.
 *
 * Events: "malformed" (reason), "failure" (error).
 */
export abstract class Sink extends EventEmitter {
  readonly counters: SinkCounters = {
    received: 0,
    types: {},
    stored: 0,
    duplicates: 0,
    malformed: 0,
    failed: 0,
    acked: 0,
    ackFailed: 0,
  };
  protected readonly store: Store;
  private readonly pull = new Pull({ linger: 0, maxMessageSize: MAX_BODY_SIZE + 1024 });
  private readonly backChannel: BackChannel;
  private readonly done: Promise<void>;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private slotFreed: (() => void) | null = null;
  private readonly backlog: SinkOptions["backlog"];
  private readonly backlogTimer: NodeJS.Timeout | null = null;
  /** Since when every slot has been taken (0: not full), and whether that was alerted. */
  private fullSince = 0;
  private behind = false;
  private watching: Promise<void> | null = null;

  protected constructor(
    readonly stream: Stream,
    private readonly accepts: readonly MessageType[],
    options: SinkOptions,
  ) {
    super();
    this.store = options.store;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 256);
    this.backChannel = new BackChannel(options.backChannels, options.backChannel);
    for (const endpoint of options.streams) this.pull.connect(endpoint);
    this.backlog = options.backlog;
    if (this.backlog !== undefined) {
      this.backlogTimer = setInterval(() => {
        this.watching ??= this.watchBacklog().finally(() => (this.watching = null));
      }, this.backlog.checkInterval ?? 1000);
      this.backlogTimer.unref();
    }
    this.done = this.loop();
  }

  /** Messages being handled now (waiting for the store, mostly). */
  get pending(): number {
    return this.inFlight;
  }

  /** Raises the backlog alert after `after` ms full, and the all-clear once back under half. */
  async watchBacklog(now = Date.now()): Promise<void> {
    const b = this.backlog;
    if (b === undefined) return;
    if (this.inFlight >= this.maxInFlight) this.fullSince ||= now;
    else if (this.inFlight < this.maxInFlight / 2) this.fullSince = 0;
    try {
      if (!this.behind && this.fullSince !== 0 && now - this.fullSince >= (b.after ?? 30_000)) {
        this.behind = true;
        await this.store.addNotification(backlogAlert(b.id, b.name, this.stream, this.inFlight, this.fullSince, now));
      } else if (this.behind && this.fullSince === 0) {
        this.behind = false;
        await this.store.addNotification(backlogClearedAlert(b.id, b.name, this.stream, now));
      }
    } catch (err) {
      this.emit("failure", err);
    }
  }

  /** Handles one valid message; returns whether it was new (false: a duplicate). Throws if the store fails. */
  protected abstract handle(agent: string, message: Message, received: number): Promise<boolean>;

  /** Stops receiving; acks in flight are abandoned (their agents resend). */
  async close(): Promise<void> {
    if (this.backlogTimer !== null) clearInterval(this.backlogTimer);
    await this.watching;
    this.pull.close();
    this.backChannel.close();
    await this.done;
  }

  private async loop(): Promise<void> {
    try {
      for await (const frames of this.pull) {
        this.inFlight += 1;
        void this.process(frames).finally(() => {
          this.inFlight -= 1;
          this.slotFreed?.();
        });
        // Backpressure: at the limit, stop reading (the routers' PUSH queues, then drops) until one is done.
        while (this.inFlight >= this.maxInFlight) await new Promise<void>((resolve) => (this.slotFreed = resolve));
        this.slotFreed = null;
      }
    } catch (err) {
      if (!this.pull.closed) this.emit("failure", err);
    }
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.slotFreed = resolve));
  }

  private async process(frames: Buffer[]): Promise<void> {
    this.counters.received += 1;
    const agent = frames[0]!.toString("latin1");
    if (!isUuid(agent)) return this.malformed("agent id is not a UUID");
    const decoded = decode(frames.slice(1), this.accepts);
    if (!decoded.ok) return this.malformed(`agent ${agent}: ${decoded.reason}`);
    const message = decoded.value;
    this.counters.types[message.type] = (this.counters.types[message.type] ?? 0) + 1;
    let fresh: boolean;
    try {
      fresh = await this.handle(agent, message, Date.now());
    } catch (err) {
      this.counters.failed += 1;
      this.emit("failure", err);
      return;
    }
    if (fresh) this.counters.stored += 1;
    else this.counters.duplicates += 1;
    // Acked even when a duplicate: the first ack may be what got lost.
    if (message.header.ack) void this.ack(agent, message.header.id);
  }

  /** Sends a message to an agent through any router's back channel. */
  protected toAgent(agent: string, message: Message): Promise<DeliveryOutcome> {
    return this.backChannel.deliver(agent, message);
  }

  private async ack(agent: string, ref: string): Promise<void> {
    const outcome = await this.backChannel.deliver(agent, createMessage("ack", { ref }));
    if (outcome === "delivered") this.counters.acked += 1;
    else this.counters.ackFailed += 1;
  }

  private malformed(reason: string): void {
    this.counters.malformed += 1;
    this.emit("malformed", reason);
  }
}
