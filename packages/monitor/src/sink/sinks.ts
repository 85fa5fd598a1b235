import type { Message, Stream } from "../wire/protocol.js";
import { roleOfProcess } from "../wire/roles.js";
import { createMessage } from "../wire/protocol.js";
import { downAlert, duplicateAlert, upAlert } from "./alerts.js";
import { Sink, type SinkOptions } from "./sink.js";
import { sweepStaleChecks } from "./stale-checks.js";
import { watchFlapping, type FlapOptions } from "./flapping.js";
import type { NotificationRecord, PresenceKey, PresenceState } from "../store/store.js";

export interface PresenceChange extends PresenceKey {
  state: PresenceState;
  time: number;
}

interface Instance {
  instance: string;
  /** Host name and pid, for the alert. */
  who: string;
  first: number;
  last: number;
}

export interface HeartbeatSinkOptions extends SinkOptions {
  /** Heartbeat intervals a sender may miss before it is declared down. Default 3. */
  missedHeartbeats?: number;
  /** ms between sweeps for senders gone silent. Default 1000. */
  sweepInterval?: number;
  /** A check with no result for this many of its intervals becomes UNKNOWN. Default 4; 0 never. */
  staleAfter?: number;
  /** ms between sweeps for stale checks. Default 5000. */
  staleSweepInterval?: number;
}

/**
 * Presence, and the watch over the fleet: last seen per agent (and per process that sends
 * heartbeats, and per router, sink and scheduler: wire/roles.ts). A sender silent for
 * `missedHeartbeats` of its own announced intervals is declared down, once (the store's
 * compare-and-set makes sure of that even with several heartbeat sinks), with a "down" alert in
 * the same step; its next heartbeat brings it up again with a "back up" alert. Every
 * `staleSweepInterval` it also marks checks gone silent UNKNOWN (stale-checks.ts).
 *
 * Two live agents with one id (a cloned machine image) are detected from the instance ids in
 * their heartbeats: a critical alert, and the later instance is told to stop.
 *
 * Events: "presence" (PresenceChange), "duplicate" ({ agent, first, second }).
 */
export class HeartbeatSink extends Sink {
  private readonly missed: number;
  private readonly staleAfter: number;
  private readonly hostOf: (agent: string) => string | Promise<string>;
  private readonly sweeper: NodeJS.Timeout;
  private readonly staleSweeper: NodeJS.Timeout | null;
  /** The sweeps under way, awaited by close(): they must not outlive the store. */
  private sweeping: Promise<void> | null = null;
  private staleSweeping: Promise<number> | null = null;
  private closing = false;
  /** Per agent: the instance heard last and the one before (duplicate detection), and when each began. */
  private readonly instances = new Map<string, { current: Instance; previous: Instance | null }>();

  constructor(options: HeartbeatSinkOptions) {
    super("heartbeat", ["heartbeat"], options);
    this.missed = options.missedHeartbeats ?? 3;
    this.staleAfter = options.staleAfter ?? 4;
    this.hostOf = options.hostOf ?? ((agent) => agent);
    // setImmediate: after a stall, heartbeats already received are read before anyone is judged.
    this.sweeper = setInterval(() => setImmediate(() => void this.sweep()), options.sweepInterval ?? 1000);
    this.staleSweeper =
      this.staleAfter > 0 ? setInterval(() => void this.sweepStale(), options.staleSweepInterval ?? 5000) : null;
  }

  protected async handle(agent: string, message: Message, received: number): Promise<boolean> {
    if (message.type !== "heartbeat") return false;
    const { body } = message;
    const key = { agent, process: body.process ?? null };
    // Presence is judged by our clock (when it arrived), not the agent's.
    const name = key.process === null || roleOfProcess(key.process) !== null ? body.hostname : undefined;
    const before = await this.store.heartbeat(
      key,
      received,
      body.interval,
      upAlert(key, name ?? (await this.hostOf(agent)), received),
    );
    // An agent names its host; a router (a role) names itself.
    if (key.process === null || roleOfProcess(key.process) !== null)
      await this.store.touchAgent(agent, received, body.hostname);
    if (before !== "up") this.emit("presence", { ...key, state: "up", time: received } satisfies PresenceChange);
    if (key.process === null && body.instance !== undefined) {
      const who = `${body.hostname ?? "?"} (pid ${body.pid ?? "?"})`;
      await this.watchInstance(agent, { instance: body.instance, who, first: received, last: received }, body.interval);
    }
    return true;
  }

  /**
   * Two live agents with one id take turns: A, B, A within a few intervals (a restart is A, then
   * B for good). Then the later of the two is told to stop, and a critical alert is raised once.
   */
  private async watchInstance(agent: string, seen: Instance, interval: number): Promise<void> {
    const rec = this.instances.get(agent);
    if (rec === undefined) {
      if (this.instances.size > 100_000) this.instances.clear();
      this.instances.set(agent, { current: seen, previous: null });
      return;
    }
    if (rec.current.instance === seen.instance) {
      rec.current.last = seen.last;
      return;
    }
    const previous = rec.previous;
    rec.previous = rec.current;
    if (previous?.instance !== seen.instance || seen.last - previous.last > interval * this.missed) {
      rec.current = seen;
      return;
    }
    previous.last = seen.last;
    rec.current = previous;
    const [first, second] = previous.first <= rec.previous.first ? [previous, rec.previous] : [rec.previous, previous];
    this.emit("duplicate", { agent, first: first.who, second: second.who });
    const alert = duplicateAlert(agent, await this.hostOf(agent), first, second, seen.last);
    await this.store.addNotification(alert);
    // To whichever instance holds the id at the router it reaches; the other ignores it.
    const refusal = createMessage("duplicate", { instance: second.instance, other: first.who });
    void this.toAgent(agent, refusal);
  }

  /** One pass over presence: declares down whoever missed too many heartbeats, with its alert. */
  sweep(now = Date.now()): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.sweeping ??= this.sweepPresence(now).finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepPresence(now: number): Promise<void> {
    try {
      for (const p of await this.store.presence()) {
        if (this.closing) return;
        if (p.state !== "up" || now - p.lastSeen <= p.interval * this.missed) continue;
        const alert = downAlert(p, await this.hostOf(p.agent), p.lastSeen, now);
        if (await this.store.markDown(p, p.lastSeen, now, alert)) {
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
    }
  }

  /** One pass over the declared checks: those gone silent become UNKNOWN. Resolves with how many. */
  sweepStale(now = Date.now()): Promise<number> {
    if (this.closing || this.staleAfter <= 0) return Promise.resolve(0);
    this.staleSweeping ??= sweepStaleChecks(this.store, this.hostOf, now, this.staleAfter)
      .catch((err: unknown) => {
        this.emit("failure", err);
        return 0;
      })
      .finally(() => (this.staleSweeping = null));
    return this.staleSweeping;
  }

  override async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    if (this.staleSweeper !== null) clearInterval(this.staleSweeper);
    await Promise.all([this.sweeping, this.staleSweeping]);
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
 * Stats (statsd, local clients, plugin perfdata) and check results, with flap detection
 * (flapping.ts). Events: "stats" (agent, StatRecordInput[]) and "result" (CheckResultRecord),
 * once per message (not for resends); "flapping" ({ agent, check, change: started|stopped }).
 */
export class StatsSink extends Sink {
  private readonly flapping: FlapOptions | false;
  private readonly hostOf: (agent: string) => string | Promise<string>;
  /** Flap checks under way: close() waits for them, they must not outlive the store. */
  private readonly flapRuns = new Set<Promise<unknown>>();

  constructor(options: SinkOptions) {
    super("stats", ["stats", "result"], options);
    this.flapping = options.flapping ?? {};
    this.hostOf = options.hostOf ?? ((agent) => agent);
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
    if (fresh && this.flapping !== false) {
      // After the ack: flap detection reads the check's recent results and may hold its alerts.
      const flapping = this.flapping;
      const run = (async () => watchFlapping(this.store, record, await this.hostOf(agent), flapping))()
        .then(
          (change) => change !== null && this.emit("flapping", { agent, check: record.check, change }),
          (err: unknown) => this.emit("failure", err),
        )
        .finally(() => this.flapRuns.delete(run));
      this.flapRuns.add(run);
    }
    return fresh;
  }

  override async close(): Promise<void> {
    await super.close();
    await Promise.all(this.flapRuns);
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
