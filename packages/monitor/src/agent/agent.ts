import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname as osHostname } from "node:os";
import { CheckTable, resultStats, stateChange } from "./checks.js";
import { LocalEndpoint } from "./local.js";
import { Outbox } from "./outbox.js";
import type { PluginResult } from "./plugin.js";
import { MAX_BODY_SIZE, createMessage, decode, encode, type Message } from "../wire/protocol.js";
import {
  validateBody,
  type Bodies,
  type CheckDeclaration,
  type HeartbeatBody,
  type NotificationBody,
  type RegistrationBody,
  type ResultBody,
  type Stat,
  type Trigger,
} from "../wire/schema.js";
import { StateDir, type Registry } from "./state-dir.js";
import { StatsdAggregator, StatsdListener } from "./statsd.js";
import { Uplink } from "../wire/uplink.js";
import { MONITOR_VERSION } from "../version.js";

export interface AgentOptions {
  /** Directory for the agent id, the outbox and the registry; created if missing. */
  stateDir: string;
  /** Every router's agent endpoint. */
  routers: readonly string[];
  /** Where local processes reach the agent (MonitorClient, `zmtp-monitor send`). Default ipc://<stateDir>/agent.ipc; null: none. */
  localEndpoint?: string | null;
  /** statsd UDP port on statsdHost; 0 picks a free port; null: no statsd listener. Default 8125. */
  statsdPort?: number | null;
  /** Default 127.0.0.1: statsd is for local programs. */
  statsdHost?: string;
  /** ms between the agent's heartbeats. Default 5000. */
  heartbeatInterval?: number;
  /** ms over which statsd metrics and local stats are gathered into one stats message. Default 1000. */
  statsFlushInterval?: number;
  /** ms to wait for a sink's ack before resending; doubles per resend. Default 2000. */
  ackTimeout?: number;
  /** ms cap of the resend interval. Default 60000. */
  maxResendInterval?: number;
  /** The agent's own checks (registered as process "agent"). */
  checks?: readonly CheckDeclaration[];
  /**
   * A check no scheduler ran for this many of its intervals is run by the agent itself (trigger
   * "local"), so checks go on when no scheduler reaches the agent. Default 3; 0 never.
   */
  fallbackAfter?: number;
  /** ms between unacknowledged re-sends of all registrations (they also go, acked, on start and change). Default 60000. */
  registrationRefresh?: number;
  hostname?: string;
  /** ms between ZMTP heartbeats to routers (detects dead links). Default 5000; 0 off. */
  routerHeartbeatInterval?: number;
  /**
   * CURVE to the routers: `serverKey` is the routers' public key (Z85). The agent's own key pair
   * is `keyPair`, or else kept in the state directory (created on first start): its public key
   * (`agent.publicKey`) goes in the routers' allow-list.
   */
  curve?: { serverKey: string; keyPair?: { publicKey: string; secretKey: string } };
  /** ms before trying again a router that refused the agent's CURVE key. Default 10000. */
  refusedRetryInterval?: number;
}

export interface AgentCounters {
  sent: number;
  resent: number;
  acked: number;
  malformed: number;
  checksRun: number;
  localMessages: number;
  statsdMalformed: number;
  uplinkDropped: number;
  outboxDropped: number;
  /** Handshakes a router refused (CURVE key not allowed). */
  refused: number;
}

const OWN_PROCESS = "agent";

/**
 * Checks what the API is handed as the sinks will: an invalid acknowledged message would
 * otherwise be resent forever and refused every time. Throws a TypeError that says what is wrong.
 */
function valid<T extends keyof Bodies>(type: T, body: unknown): Bodies[T] {
  const result = validateBody(type, body);
  if (!result.ok) throw new TypeError(result.reason);
  return result.value;
}

/**
 * The agent: one per monitored machine. It has a UUID kept in its state directory (its DEALER
 * routing id), one DEALER to every router, and takes in what local processes report (the local
 * endpoint, statsd over UDP, or this object's methods). It sends its heartbeat, runs checks when
 * a scheduler asks (or, as a fallback, when none has for a while), and keeps acknowledged
 * messages in a persisted outbox until a sink acks them.
 *
 * Resend policy: the first send goes to one router (round robin); the n-th resend goes out n+1
 * times back to back (at most once per connected router), which the DEALER's round robin spreads
 * over distinct routers, so a resend always reaches a router other than one that lost it. Sinks
 * de-duplicate by (agent, id). Resends back off exponentially (ackTimeout · 2^n, ±20%, capped),
 * wait while no router is connected, and are expedited when a router connects.
 *
 * Events: "acked" (id), "check" (name, ResultBody), "malformed" (reason), "failure" (error),
 * "refused" (router endpoint: it refused our CURVE key; we try again after refusedRetryInterval),
 * "duplicate" (the other agent's host and pid: another live agent has this id, and this one,
 * which came second, has stopped).
 */
export class Agent extends EventEmitter {
  readonly id: string;
  /** This process's instance (heartbeats carry it): tells two live agents with one id apart. */
  readonly instance = randomUUID();
  /** Set when a sink found another live agent with this id and told this one to stop. */
  duplicateOf: string | null = null;
  readonly counters: AgentCounters = {
    sent: 0,
    resent: 0,
    acked: 0,
    malformed: 0,
    checksRun: 0,
    localMessages: 0,
    statsdMalformed: 0,
    uplinkDropped: 0,
    outboxDropped: 0,
    refused: 0,
  };
  private readonly state: StateDir;
  private readonly registry: Registry;
  private readonly outbox: Outbox;
  private readonly uplink: Uplink;
  private readonly checks = new CheckTable();
  private readonly aggregator = new StatsdAggregator();
  private pendingStats: Stat[] = [];
  private readonly pendingRegistration = new Map<string, string>();
  private readonly recentRuns = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private fallbackTimer: NodeJS.Timeout | null = null;
  private statsd: StatsdListener | null = null;
  private local: LocalEndpoint | null = null;
  private readonly hostname: string;
  /** The agent's CURVE public key (Z85) when CURVE is on: what the routers' allow-list must hold. */
  readonly publicKey: string | null;
  private readonly heartbeatInterval: number;
  private readonly fallbackAfter: number;
  private readonly ackTimeout: number;
  private closed = false;

  private constructor(private readonly options: AgentOptions) {
    super();
    this.state = new StateDir(options.stateDir);
    this.id = this.state.agentId();
    this.hostname = options.hostname ?? osHostname();
    this.heartbeatInterval = options.heartbeatInterval ?? 5000;
    this.fallbackAfter = options.fallbackAfter ?? 3;
    this.ackTimeout = options.ackTimeout ?? 2000;
    this.registry = this.state.loadRegistry();
    this.outbox = new Outbox(this.state.outboxFile, {
      ackTimeout: this.ackTimeout,
      maxResendInterval: options.maxResendInterval,
    });
    for (const entry of this.outbox.due(Infinity)) {
      const m = entry.message;
      if (m.type === "registration") this.pendingRegistration.set(m.body.process, m.header.id);
    }
    this.checks.declare(OWN_PROCESS, options.checks ?? []);
    for (const [process, reg] of Object.entries(this.registry.registrations)) this.checks.declare(process, reg.checks);
    const keyPair = options.curve === undefined ? null : (options.curve.keyPair ?? this.state.curveKeyPair());
    this.publicKey = keyPair?.publicKey ?? null;
    this.uplink = new Uplink(this.id, options.routers, {
      heartbeatInterval: options.routerHeartbeatInterval,
      maxMessageSize: MAX_BODY_SIZE + 1024,
      ...(keyPair !== null && { curve: { serverKey: options.curve!.serverKey, ...keyPair } }),
      ...(options.refusedRetryInterval !== undefined && { refusedRetryInterval: options.refusedRetryInterval }),
    });
  }

  /** Starts an agent: opens its state, connects to the routers, starts its listeners. */
  static async start(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(options);
    try {
      await agent.open();
    } catch (err) {
      await agent.close();
      throw err;
    }
    return agent;
  }

  private async open(): Promise<void> {
    const o = this.options;
    if (o.statsdPort !== null) {
      this.statsd = await StatsdListener.listen(o.statsdHost ?? "127.0.0.1", o.statsdPort ?? 8125, (metrics) => {
        for (const m of metrics) this.aggregator.add(m);
      });
    }
    const localEndpoint = o.localEndpoint === undefined ? this.state.localEndpoint : o.localEndpoint;
    if (localEndpoint !== null) this.local = await LocalEndpoint.bind(localEndpoint, this);
    this.uplink.dealer.events.on("handshake", () => this.outbox.expedite(Date.now(), this.ackTimeout));
    this.uplink.dealer.events.on("handshake:error:auth", ({ address }) => {
      this.counters.refused = this.uplink.refused;
      this.emit("refused", address);
    });
    void this.receiveLoop();

    // Registrations go acknowledged on start: the registration sink may have lost them.
    this.sendRegistration(this.ownRegistration(), true);
    for (const reg of Object.values(this.registry.registrations)) this.sendRegistration(reg, true);
    this.sendHeartbeat();
    const every = (ms: number, fn: () => void): void => void this.timers.push(setInterval(fn, ms));
    every(this.heartbeatInterval, () => this.sendHeartbeat());
    every(o.statsFlushInterval ?? 1000, () => this.flushStats());
    every(Math.max(20, Math.min(1000, Math.floor(this.ackTimeout / 4))), () => this.resendDue());
    every(o.registrationRefresh ?? 60_000, () => {
      this.sendRegistration(this.ownRegistration(), false);
      for (const reg of Object.values(this.registry.registrations)) this.sendRegistration(reg, false);
    });
    this.scheduleFallback();
  }

  /** Where local processes reach this agent, or null. */
  get localEndpoint(): string | null {
    return this.local?.endpoint ?? null;
  }

  /** The statsd UDP port, or null. */
  get statsdPort(): number | null {
    return this.statsd?.port ?? null;
  }

  /** Acknowledged messages not acked yet. */
  get outboxSize(): number {
    return this.outbox.size;
  }

  /** Routers connected now. */
  get connectedRouters(): number {
    return this.uplink.routers;
  }

  // ---- what local processes report (also the local endpoint's handlers) ----

  /** A local process registers (or re-registers): its checks become runnable here. */
  register(input: RegistrationBody): void {
    if (this.closed) throw new Error("The agent is closed");
    const registration = valid("registration", input);
    if (registration.process === OWN_PROCESS) throw new TypeError(`"${OWN_PROCESS}" is the agent's own process name`);
    this.registry.registrations[registration.process] = registration;
    this.checks.declare(registration.process, registration.checks);
    this.state.saveRegistry(this.registry);
    this.sendRegistration(registration, true);
  }

  /** Stats are gathered and sent with the next flush. */
  stats(input: readonly Stat[]): void {
    const time = Date.now();
    for (let i = 0; i < input.length; i += 1000) {
      for (const s of valid("stats", { stats: input.slice(i, i + 1000) }).stats)
        this.pendingStats.push(s.time === undefined ? { ...s, time } : s);
    }
    if (this.pendingStats.length >= 1000) this.flushStats();
  }

  /** Relays a local process's heartbeat. */
  heartbeat(body: HeartbeatBody): void {
    this.uplink.send(encode(createMessage("heartbeat", valid("heartbeat", body))), { onlyIfConnected: true });
    this.counters.sent += 1;
  }

  /** Raises a notification; with `ack` (the default) it is kept and resent until a sink acks it. Returns its id. */
  notify(body: NotificationBody, options: { ack?: boolean; id?: string } = {}): string {
    const message = createMessage("notification", valid("notification", body), {
      ack: options.ack ?? true,
      ...(options.id !== undefined && { id: options.id }),
    });
    this.sendMessage(message);
    return message.header.id;
  }

  /** Runs a check now (as if a scheduler asked) and returns its result. */
  async runCheck(name: string, trigger: Trigger = "demand", ref?: string): Promise<ResultBody> {
    const check = this.checks.get(name);
    let result: PluginResult;
    if (check === undefined) {
      result = { status: 3, text: `UNKNOWN: no check named "${name}" on this agent`, perfdata: "", duration: 0 };
    } else {
      const run = this.checks.run(name, check);
      result = await run.result;
      if (run.fresh) this.afterRun(name, check.process, result);
    }
    const body: ResultBody = { check: name, ...result, trigger, ...(ref !== undefined && { ref }) };
    this.sendMessage(createMessage("result", body));
    this.emit("check", name, body);
    return body;
  }

  /** Sends any message (acked ones through the outbox). */
  sendMessage(message: Message): void {
    if (this.closed) return;
    if (message.header.ack) {
      if (this.outbox.has(message.header.id)) return; // a local client retrying: already queued
      this.outbox.add(message);
      this.counters.outboxDropped = this.outbox.dropped;
      this.resendDue();
      return;
    }
    this.uplink.send(encode(message));
    this.counters.sent += 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.fallbackTimer !== null) clearTimeout(this.fallbackTimer);
    this.statsd?.close();
    this.local?.close();
    this.uplink.close();
    this.outbox.close();
  }

  // ---- internals ----

  private ownRegistration(): RegistrationBody {
    return {
      process: OWN_PROCESS,
      pid: process.pid,
      version: MONITOR_VERSION,
      hostname: this.hostname,
      checks: [...(this.options.checks ?? [])],
    };
  }

  private sendRegistration(registration: RegistrationBody, ack: boolean): void {
    if (this.closed) return;
    const message = createMessage("registration", registration, { ack });
    if (ack) {
      // A newer registration supersedes one still waiting for its ack.
      const previous = this.pendingRegistration.get(registration.process);
      if (previous !== undefined) this.outbox.ack(previous);
      this.pendingRegistration.set(registration.process, message.header.id);
    }
    this.sendMessage(message);
  }

  private sendHeartbeat(): void {
    this.heartbeat({
      interval: this.heartbeatInterval,
      hostname: this.hostname,
      pid: process.pid,
      instance: this.instance,
    });
  }

  private flushStats(): void {
    // A statsd counter summed past the float range would make the whole batch invalid.
    const stats = this.pendingStats.concat(this.aggregator.flush().filter((s) => Number.isFinite(s.value)));
    this.pendingStats = [];
    if (this.statsd !== null) this.counters.statsdMalformed = this.statsd.malformed;
    // A stats message holds at most 1000 stats (schema.ts).
    for (let i = 0; i < stats.length; i += 1000)
      this.sendMessage(createMessage("stats", { stats: stats.slice(i, i + 1000) }));
  }

  private resendDue(): void {
    const routers = this.uplink.routers;
    if (routers === 0) return; // wait: nothing to gain from queueing behind a missing router
    const now = Date.now();
    for (const entry of this.outbox.due(now)) {
      const copies = Math.min(entry.attempts + 1, routers);
      this.uplink.send(encode(entry.message), { copies });
      if (entry.attempts === 0) this.counters.sent += 1;
      else this.counters.resent += 1;
      this.outbox.sent(entry, now);
    }
    this.counters.uplinkDropped = this.uplink.dropped;
  }

  private afterRun(name: string, process: string, result: PluginResult): void {
    this.counters.checksRun += 1;
    this.stats(resultStats(name, process, result, Date.now()));
    const change = stateChange(name, process, this.registry.checkStatus[name], result);
    if (change !== null) {
      this.registry.checkStatus[name] = result.status;
      this.state.saveRegistry(this.registry);
      this.notify(change);
    }
  }

  private scheduleFallback(): void {
    if (this.closed || this.fallbackAfter <= 0) return;
    this.fallbackTimer = setTimeout(() => {
      for (const name of this.checks.overdue(Date.now(), this.fallbackAfter)) void this.runCheck(name, "local");
      this.scheduleFallback();
    }, this.checks.tick);
  }

  private async receiveLoop(): Promise<void> {
    try {
      for await (const frames of this.uplink.dealer) this.handleDownstream(frames);
    } catch (err) {
      if (!this.closed) this.emit("failure", err);
    }
  }

  private handleDownstream(frames: Buffer[]): void {
    const decoded = decode(frames, ["ack", "run", "duplicate"]);
    if (!decoded.ok) {
      this.counters.malformed += 1;
      this.emit("malformed", decoded.reason);
      return;
    }
    const message = decoded.value;
    if (message.type === "ack") {
      const ref = message.body.ref;
      if (this.outbox.ack(ref)) {
        this.counters.acked += 1;
        for (const [process, id] of this.pendingRegistration) if (id === ref) this.pendingRegistration.delete(process);
        this.emit("acked", ref);
      }
    } else if (message.type === "duplicate") {
      if (message.body.instance !== this.instance || this.duplicateOf !== null) return;
      // Another live agent had this id first: stop sending under it, and say so.
      this.duplicateOf = message.body.other;
      this.emit("duplicate", message.body.other);
      void this.close();
    } else if (message.type === "run") {
      // A scheduler that timed out on one router may have asked through another as well.
      const id = message.header.id;
      if (this.recentRuns.has(id)) return;
      this.recentRuns.add(id);
      if (this.recentRuns.size > 1000) this.recentRuns.delete(this.recentRuns.values().next().value as string);
      void this.runCheck(message.body.check, message.body.trigger, id);
    }
  }
}
