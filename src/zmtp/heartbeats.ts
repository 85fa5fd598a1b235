import type { Clock, ClockTimer } from "../clock.js";

/** Heartbeat settings of one connection, in milliseconds. */
export interface HeartbeatOptions {
  /** Send a PING this often; 0 = never. */
  interval: number;
  /** Close when nothing arrives this long after a PING we sent; -1 = `interval`, 0 = never. */
  timeout: number;
  /** TTL announced in our PINGs (the peer closes after this long without traffic); 0 = none. */
  timeToLive: number;
}

/** What the heartbeat timers do to their connection. */
export interface HeartbeatHost {
  sendPing(ttlDeciseconds: number): void;
  /** No traffic within a deadline: the connection is to be closed. */
  heartbeatExpired(message: string): void;
}

/**
 * RFC 37 §2.5.3 heartbeats with libzmq's timers (stream_engine_base.cpp, zmtp_engine.cpp):
 * - a PING every `interval` from the handshake on, whatever else flows;
 * - when we send a PING and no timeout timer runs, one starts; anything received cancels it,
 *   so the connection closes only after `timeout` without a byte from the peer;
 * - a peer's PING with a TTL starts the TTL timer afresh, anything received after the PING
 *   cancels it: a peer that pings and then goes silent is dropped after its TTL.
 * libzmq cancels on every decoded frame; we count received chunks instead (no work per frame):
 * a frame still arriving counts as traffic, and frames in the same chunk as the PING do not.
 */
export class Heartbeats {
  /** Chunks received: a timer compares it with its value when it was armed ("anything since?"). */
  private received = 0;
  private pingTimer: ClockTimer | null = null;
  private timeoutTimer: ClockTimer | null = null;
  private timeoutMark = 0;
  private ttlTimer: ClockTimer | null = null;
  private ttlMark = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: HeartbeatOptions,
    private readonly host: HeartbeatHost,
  ) {}

  /** The handshake completed: PINGs start. */
  start(): void {
    if (this.options.interval > 0 && this.pingTimer === null) {
      this.pingTimer = this.clock.setTimeout(this.onPingDue, this.options.interval);
    }
  }

  /** Bytes arrived from the peer. */
  onReceived(): void {
    this.received += 1;
  }

  /** The peer's PING, received in the latest chunk. */
  onPing(ttlDeciseconds: number): void {
    if (this.ttlTimer !== null) this.clock.clearTimeout(this.ttlTimer);
    this.ttlTimer = null;
    // TTL 0: nothing is enforced (libzmq).
    if (ttlDeciseconds === 0) return;
    this.ttlMark = this.received;
    this.ttlTimer = this.clock.setTimeout(this.onTtlDue, ttlDeciseconds * 100);
  }

  stop(): void {
    for (const timer of [this.pingTimer, this.timeoutTimer, this.ttlTimer]) {
      if (timer !== null) this.clock.clearTimeout(timer);
    }
    this.pingTimer = this.timeoutTimer = this.ttlTimer = null;
  }

  private readonly onPingDue = (): void => {
    this.pingTimer = this.clock.setTimeout(this.onPingDue, this.options.interval);
    this.host.sendPing(Math.floor(this.options.timeToLive / 100));
    const timeout = this.options.timeout >= 0 ? this.options.timeout : this.options.interval;
    if (timeout === 0) return;
    // A running timer that traffic has cancelled (libzmq cancels it on receipt) starts again.
    if (this.timeoutTimer !== null) {
      if (this.received === this.timeoutMark) return;
      this.clock.clearTimeout(this.timeoutTimer);
    }
    this.timeoutMark = this.received;
    this.timeoutTimer = this.clock.setTimeout(this.onTimeoutDue, timeout);
  };

  private readonly onTimeoutDue = (): void => {
    this.timeoutTimer = null;
    if (this.received === this.timeoutMark)
      this.host.heartbeatExpired("no traffic from the peer within heartbeatTimeout");
  };

  private readonly onTtlDue = (): void => {
    this.ttlTimer = null;
    if (this.received === this.ttlMark) this.host.heartbeatExpired("peer's heartbeat TTL expired");
  };
}
