import type { Message, Stream } from "../wire/protocol.js";
import { Sink, type SinkOptions } from "./sink.js";
import type { NotificationRecord, PresenceKey, PresenceState } from "../store/store.js";

export interface PresenceChange extends PresenceKey {
  state: PresenceState;
  time: number;
}

export interface HeartbeatSinkOptions extends SinkOptions {
  /** Heartbeat intervals a sender may miss before it is declared down. Default 3. */
  missedHeartbeats?: number;
  /** ms between sweeps for senders gone silent. Default 1000. */
  sweepInterval?: number;
}

/**
 * Presence: last seen per agent (and per process that sends heartbeats). A sender silent for
 * `missedHeartbeats` of its own announced intervals is declared down, once (the store's
 * compare-and-set makes sure of that even with several heartbeat sinks), and up again on its next
 * heartbeat. Events: "presence" (PresenceChange).
 */
export class HeartbeatSink extends Sink {
  private readonly missed: number;
  private readonly sweeper: NodeJS.Timeout;
  private sweeping = false;

  constructor(options: HeartbeatSinkOptions) {
    super("heartbeat", ["heartbeat"], options);
    this.missed = options.missedHeartbeats ?? 3;
    // setImmediate: after a stall, heartbeats already received are read before anyone is judged.
    this.sweeper = setInterval(() => setImmediate(() => void this.sweep()), options.sweepInterval ?? 1000);
  }

  protected async handle(agent: string, message: Message, received: number): Promise<boolean> {
    if (message.type !== "heartbeat") return false;
    const { body } = message;
    const key = { agent, process: body.process ?? null };
    // Presence is judged by our clock (when it arrived), not the agent's.
    const before = await this.store.heartbeat(key, received, body.interval);
    if (key.process === null) await this.store.touchAgent(agent, received, body.hostname);
    if (before !== "up") this.emit("presence", { ...key, state: "up", time: received } satisfies PresenceChange);
    return true;
  }

  /** One pass over presence: declares down whoever missed too many heartbeats. */
  async sweep(now = Date.now()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const p of await this.store.presence()) {
        if (p.state !== "up" || now - p.lastSeen <= p.interval * this.missed) continue;
        if (await this.store.markDown(p, p.lastSeen, now)) {
          this.emit("presence", {
            agent: p.agent,
            process: p.process,
            state: "down",
            time: now,
          } satisfies PresenceChange);
        }
      }
    } catch (err) {
      this.emit("failure", err);
    } finally {
      this.sweeping = false;
    }
  }

  override async close(): Promise<void> {
    clearInterval(this.sweeper);
    await super.close();
  }
}

/** Registrations: what each agent's processes declared (version, pid, checks). Events: "registration". */
export class RegistrationSink extends Sink {
  constructor(options: SinkOptions) {
    super("registration", ["registration"], options);
  }

  protected async handle(agent: string, message: Message): Promise<boolean> {
    if (message.type !== "registration") return false;
    const { body, header } = message;
    await this.store.putRegistration({ agent, ...body, time: header.time });
    await this.store.touchAgent(agent, Date.now(), body.hostname);
    this.emit("registration", { agent, ...body });
    return true;
  }
}

/**
 * Stats (statsd, local clients, plugin perfdata) and check results. Events: "stats" (agent,
 * StatRecordInput[]) and "result" (CheckResultRecord), once per message (not for resends).
 */
export class StatsSink extends Sink {
  constructor(options: SinkOptions) {
    super("stats", ["stats", "result"], options);
  }

  protected async handle(agent: string, message: Message): Promise<boolean> {
    const { header } = message;
    if (message.type === "stats") {
      const stats = message.body.stats.map((s) => ({ ...s, time: s.time ?? header.time }));
      const fresh = await this.store.addStats(agent, header.id, stats);
      if (fresh) this.emit("stats", agent, stats);
      return fresh;
    }
    if (message.type !== "result") return false;
    const record = { agent, id: header.id, time: header.time, ...message.body };
    const fresh = await this.store.addCheckResult(record);
    if (fresh) this.emit("result", record);
    return fresh;
  }
}

/**
 * Notifications, de-duplicated by (agent, id): a resend never raises a second alert.
 * Events: "alert" (NotificationRecord), once per notification.
 */
export class NotificationSink extends Sink {
  constructor(options: SinkOptions) {
    super("notification", ["notification"], options);
  }

  protected async handle(agent: string, message: Message, received: number): Promise<boolean> {
    if (message.type !== "notification") return false;
    const record: NotificationRecord = {
      agent,
      id: message.header.id,
      time: message.header.time,
      received,
      acknowledged: null,
      ...message.body,
    };
    const fresh = await this.store.addNotification(record);
    if (fresh) this.emit("alert", record);
    return fresh;
  }
}

export type AnySink = HeartbeatSink | RegistrationSink | StatsSink | NotificationSink;

/** Creates the sink for a stream. */
export function createSink(stream: Stream, options: HeartbeatSinkOptions): AnySink {
  switch (stream) {
    case "heartbeat":
      return new HeartbeatSink(options);
    case "registration":
      return new RegistrationSink(options);
    case "stats":
      return new StatsSink(options);
    case "notification":
      return new NotificationSink(options);
  }
}
