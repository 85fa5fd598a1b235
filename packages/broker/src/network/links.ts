import { EventEmitter } from "node:events";
import { Dealer, type Context } from "zmtp";
import type { Frames } from "../common/frames.js";
import { receiveLoop, trySend } from "../common/sockets.js";
import { Membership } from "./membership.js";
import { PONG, commandOf, decodeAddresses, type BrokerAddress } from "./protocol.js";

/** A node's own CURVE key pair (Z85); brokers' public keys come with their addresses. */
export interface CurveKeyPair {
  publicKey: string;
  secretKey: string;
}

export interface BrokerLinksOptions {
  /** The brokers this node starts from (one is enough: the others come in their lists). */
  seeds: readonly BrokerAddress[];
  /** This node's routing id at every broker ("C:..." or "W:..."). */
  routingId: string;
  /** ms between pings to each broker; a broker is down after `liveness` silent intervals. */
  heartbeatInterval: number;
  liveness: number;
  curve?: CurveKeyPair;
  context?: Context;
  /** The ping (sent on each fresh socket and every interval). */
  ping(link: BrokerLink): Frames;
  /** Every message but PONG (whose broker list the links use themselves). */
  message(link: BrokerLink, frames: Frames): void;
}

/** One broker as a client or worker sees it: a DEALER to it and whether it is up. */
export class BrokerLink {
  socket: Dealer | null = null;
  /** When a message from this broker last arrived (performance.now()). */
  heard = -Infinity;
  up = false;
  /** When the current socket was made. */
  opened = 0;
  lastPing = -Infinity;

  constructor(readonly address: BrokerAddress) {}

  get endpoint(): string {
    return this.address.endpoint;
  }

  send(frames: Array<Buffer | string>): Promise<boolean> {
    return this.socket === null ? Promise.resolve(false) : trySend(this.socket, frames);
  }
}

/**
 * A client's or a worker's connections to the brokers (document 003, B.1 and C): one DEALER per
 * broker, starting from the seeds and growing with the lists the brokers send back in PONG.
 * Every interval each broker is pinged (the pings double as the request for its list, so they go
 * out even when requests are flowing); any message from a broker counts as a sign of life. A
 * broker whose connection closes is down at once; one silent for `liveness` intervals is down
 * too, and its socket is thrown away (linger 0, so nothing queued for it is delivered when it
 * comes back) for a fresh one, once per window while it stays silent (which also retries a
 * handshake the broker refused). Brokers that no live broker lists any more, and that stay
 * silent, are forgotten; seeds are kept.
 *
 * Events: "up" (link), "down" (link), "learned" (address), "forgot" (address).
 */
export class BrokerLinks extends EventEmitter {
  readonly membership: Membership;
  private readonly links = new Map<string, BrokerLink>();
  private timer: NodeJS.Timeout | null = null;
  private next = 0;
  private closed = false;

  constructor(private readonly options: BrokerLinksOptions) {
    super();
    this.membership = new Membership(null, { interval: options.heartbeatInterval, liveness: options.liveness });
  }

  start(): void {
    for (const seed of this.options.seeds) {
      this.membership.addSeed(seed);
      this.open(seed);
    }
    this.timer = setInterval(() => this.tick(), this.options.heartbeatInterval / 2);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    for (const link of this.links.values()) link.socket?.close();
    this.links.clear();
  }

  all(): BrokerLink[] {
    return [...this.links.values()];
  }

  upLinks(): BrokerLink[] {
    return this.all().filter((l) => l.up);
  }

  /** The next up broker in turn, preferring those not in `avoid`; null when none is up. */
  pick(avoid: ReadonlySet<string> = new Set()): BrokerLink | null {
    const up = this.upLinks();
    if (up.length === 0) return null;
    for (let i = 0; i < up.length; i++) {
      const link = up[(this.next + i) % up.length]!;
      if (!avoid.has(link.endpoint)) {
        this.next = (this.next + i + 1) % up.length;
        return link;
      }
    }
    const link = up[this.next % up.length]!;
    this.next = (this.next + 1) % up.length;
    return link;
  }

  get(endpoint: string): BrokerLink | undefined {
    return this.links.get(endpoint);
  }

  private open(address: BrokerAddress): void {
    if (this.closed || this.links.has(address.endpoint)) return;
    if (this.options.curve !== undefined && address.publicKey === undefined) return; // cannot be reached securely
    const link = new BrokerLink(address);
    this.links.set(address.endpoint, link);
    this.renew(link);
  }

  /** A fresh socket for `link`: whatever was queued on the old one is dropped with it. */
  private renew(link: BrokerLink): void {
    link.socket?.close();
    const curve = this.options.curve;
    const socket = new Dealer({
      ...(this.options.context !== undefined && { context: this.options.context }),
      routingId: this.options.routingId,
      linger: 0,
      sendTimeout: 0,
      ...(curve !== undefined && {
        curvePublicKey: curve.publicKey,
        curveSecretKey: curve.secretKey,
        curveServerKey: link.address.publicKey!,
      }),
    });
    // A broker that dies (its TCP connection closes) is down at once; one that hangs (SIGSTOP,
    // a partition) only after the silent window.
    socket.events.on("disconnect", () => {
      if (link.socket === socket) this.lost(link);
    });
    socket.connect(link.endpoint);
    link.socket = socket;
    link.opened = performance.now();
    this.ping(link, link.opened);
    receiveLoop(socket, (frames) => {
      if (link.socket === socket) this.onMessage(link, frames);
    }).catch(() => undefined);
  }

  private lost(link: BrokerLink): void {
    if (!link.up) return;
    link.up = false;
    this.emit("down", link);
  }

  private ping(link: BrokerLink, now: number): void {
    link.lastPing = now;
    void link.send(this.options.ping(link));
  }

  private onMessage(link: BrokerLink, frames: Frames): void {
    const now = performance.now();
    link.heard = now;
    this.membership.heard(link.address, now);
    if (!link.up) {
      link.up = true;
      this.emit("up", link);
    }
    if (commandOf(frames) === PONG) {
      const list = decodeAddresses(frames[2]);
      if (list === null) return;
      for (const address of this.membership.mentioned(list, now)) {
        this.emit("learned", address);
        this.open(address);
      }
      return;
    }
    this.options.message(link, frames);
  }

  private tick(): void {
    const now = performance.now();
    const window = this.membership.window;
    for (const link of this.links.values()) {
      if (link.up && now - link.heard > window) {
        this.lost(link);
        this.renew(link);
      } else if (!link.up && now - Math.max(link.heard, link.opened) > window) {
        this.renew(link);
      } else if (now - link.lastPing >= this.options.heartbeatInterval) {
        this.ping(link, now);
      }
    }
    for (const address of this.membership.prune(now)) {
      const link = this.links.get(address.endpoint);
      if (link === undefined || link.up) continue;
      link.socket?.close();
      this.links.delete(address.endpoint);
      this.emit("forgot", address);
    }
  }
}
