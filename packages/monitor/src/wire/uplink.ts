import { Dealer } from "zmtp";

export interface UplinkOptions {
  /** ms between ZMTP heartbeats to each router, so a router behind a dead link is dropped. Default 5000; 0 off. */
  heartbeatInterval?: number;
  /** Messages queued while no router has room; beyond it the oldest are dropped. Default 10000. */
  maxQueue?: number;
  maxMessageSize?: number;
  /** CURVE client keys (Z85). */
  curve?: { serverKey: string; publicKey: string; secretKey: string };
  /**
   * ms before dialling again a router that refused our credentials. libzmq (and zmtp) give up
   * on such an endpoint; an agent keeps trying, so that registering its key later lets it in.
   * Default 10000.
   */
  refusedRetryInterval?: number;
}

/**
 * The agent's one DEALER, connected to every router, with the agent's UUID as routing id.
 *
 * `immediate` is set, so a router counts only while connected: the round robin skips a dead
 * router at once instead of queueing a share of the traffic for it. Sends go through one queue,
 * which keeps them in order and lets a resend's copies leave back to back, so that the round
 * robin spreads them over distinct routers.
 */
export class Uplink {
  readonly dealer: Dealer;
  private readonly queue: Buffer[][] = [];
  private waiting = false;
  /** The newest send, until it completes (or fails). */
  private last: Promise<void> | null = null;
  private readonly maxQueue: number;
  /** Messages dropped: queue overflow, or sent only-if-connected while no router was. */
  dropped = 0;
  /** Handshakes a router refused (CURVE key not in its allow-list). */
  refused = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(agentId: string, routers: readonly string[], options: UplinkOptions = {}) {
    this.maxQueue = options.maxQueue ?? 10_000;
    this.dealer = new Dealer({
      routingId: agentId,
      immediate: true,
      linger: 0,
      heartbeatInterval: options.heartbeatInterval ?? 5000,
      ...(options.maxMessageSize !== undefined && { maxMessageSize: options.maxMessageSize }),
      ...(options.curve !== undefined && {
        curveServerKey: options.curve.serverKey,
        curvePublicKey: options.curve.publicKey,
        curveSecretKey: options.curve.secretKey,
      }),
    });
    for (const router of routers) this.dealer.connect(router);
    const retry = options.refusedRetryInterval ?? 10_000;
    this.dealer.events.on("handshake:error:auth", ({ address }) => {
      this.refused += 1;
      const endpoint = routers.find((r) => r === address) ?? address;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        if (this.dealer.closed) return;
        this.dealer.disconnect(endpoint);
        this.dealer.connect(endpoint);
      }, retry);
      this.retryTimers.add(timer);
    });
  }

  /** Routers connected now. */
  get routers(): number {
    let n = 0;
    for (const peer of this.dealer.peers()) if (peer.connected) n++;
    return n;
  }

  /**
   * Queues a message `copies` times in a row. With `onlyIfConnected` (heartbeats) it is dropped
   * rather than queued when no router can take it now: a router coming back must not receive a
   * burst of stale heartbeats.
   */
  send(frames: Buffer[], options: { copies?: number; onlyIfConnected?: boolean } = {}): void {
    if (this.dealer.closed) return;
    if (options.onlyIfConnected === true && (this.waiting || !this.dealer.writable)) {
      this.dropped += 1;
      return;
    }
    for (let i = 0; i < (options.copies ?? 1); i++) this.queue.push(frames);
    while (this.queue.length > this.maxQueue) {
      this.queue.shift();
      this.dropped += 1;
    }
    this.pump();
  }

  close(): void {
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.queue.length = 0;
    this.dealer.close();
  }

  private pump(): void {
    if (this.waiting || this.dealer.closed) return;
    // While a router has room a send completes at once; back-to-back sends rotate over routers.
    // zmtp (as zeromq.js) completes 512 sends in a row at once and then lets the event loop run,
    // so a send can still be under way while the socket is writable: then, and when no router
    // has room, the queue waits for that send.
    while (this.queue.length > 0) {
      let sent: Promise<void>;
      try {
        sent = this.dealer.send(this.queue[0]!);
      } catch (err) {
        if ((err as { code?: unknown }).code !== "EBUSY" || this.last === null) throw err;
        break;
      }
      this.queue.shift();
      const settled: Promise<void> = sent.then(
        () => undefined,
        () => void (this.dropped += 1),
      );
      this.last = settled;
      void settled.then(() => {
        if (this.last === settled) this.last = null;
      });
      if (!this.dealer.writable) break;
    }
    if (this.queue.length === 0 || this.last === null) return;
    this.waiting = true;
    void this.last.then(() => {
      this.waiting = false;
      this.pump();
    });
  }
}
