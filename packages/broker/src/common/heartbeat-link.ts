import { EventEmitter } from "node:events";
import { Dealer, type SocketOptions } from "zmtp";
import { Backoff, type BackoffOptions } from "./backoff.js";
import type { Frames } from "./frames.js";
import { receiveLoop, trySend } from "./sockets.js";

export interface HeartbeatLinkOptions {
  endpoint: string;
  /**
   * ms between heartbeats when nothing else was sent; the peer is presumed dead after
   * `liveness` intervals without a message from it. 0: no heartbeats and no reconnecting.
   */
  heartbeatInterval: number;
  liveness: number;
  reconnect?: BackoffOptions;
  socket?: SocketOptions<Dealer>;
}

export interface HeartbeatLinkHooks {
  /** Sent first on every fresh connection (READY). */
  hello(): Frames;
  /** Sent when nothing else was sent for an interval. */
  heartbeat(): Frames;
  /** Every message from the peer (each is also a sign of life). */
  message(frames: Frames): void;
}

/**
 * A DEALER to one peer, kept alive the way ZeroMQ Guide chapter 4's workers do it (document 002's
 * "ping when idle, any traffic counts"): a heartbeat goes out only when nothing else was sent for
 * an interval, and any message in counts as a sign of life. After `liveness` silent intervals
 * the socket is closed, so nothing queued for a dead peer is delivered later, and a fresh one
 * connects after an exponential backoff that resets when the peer is heard.
 *
 * Events: "connect" (a fresh socket said hello), "reconnect" ({ delay }: gave up on this one).
 */
export class HeartbeatLink extends EventEmitter {
  private readonly backoff: Backoff;
  private socket: Dealer | null = null;
  private lastHeard = 0;
  private lastSent = 0;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly options: HeartbeatLinkOptions,
    private readonly hooks: HeartbeatLinkHooks,
  ) {
    super();
    this.backoff = new Backoff(options.reconnect);
  }

  start(): void {
    this.connect();
    const interval = this.options.heartbeatInterval;
    if (interval > 0) this.timer = setInterval(() => this.tick(), interval / 2);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.socket = null;
  }

  /** Whether a socket is open (false while waiting to reconnect). */
  get connected(): boolean {
    return this.socket !== null;
  }

  send(frames: Frames): void {
    if (this.socket === null) return;
    this.lastSent = performance.now();
    void trySend(this.socket, frames);
  }

  /** Drops this socket and connects a fresh one after `delay` ms (the backoff's next wait by default). */
  restart(delay = this.backoff.next()): void {
    if (this.closed) return;
    this.socket?.close();
    this.socket = null;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.emit("reconnect", { delay });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private connect(): void {
    this.reconnectTimer = null;
    if (this.closed) return;
    const socket = new Dealer({ ...this.options.socket, linger: 0, sendTimeout: 0 });
    socket.connect(this.options.endpoint);
    this.socket = socket;
    this.lastHeard = performance.now();
    this.send(this.hooks.hello());
    this.emit("connect");
    receiveLoop(socket, (frames) => {
      if (socket !== this.socket) return; // in flight when we gave up on it
      this.lastHeard = performance.now();
      this.backoff.reset();
      this.hooks.message(frames);
    }).catch(() => undefined);
  }

  private tick(): void {
    if (this.socket === null) return;
    const now = performance.now();
    const interval = this.options.heartbeatInterval;
    if (now - this.lastHeard > this.options.liveness * interval) this.restart();
    else if (now - this.lastSent >= interval) this.send(this.hooks.heartbeat());
  }
}
