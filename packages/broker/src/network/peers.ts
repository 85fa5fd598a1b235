import { Dealer, type Context } from "zmtp";
import type { Frames } from "../common/frames.js";
import { trySend } from "../common/sockets.js";
import type { CurveKeyPair } from "./links.js";
import type { BrokerAddress } from "./protocol.js";

interface Peer {
  address: BrokerAddress;
  socket: Dealer;
  opened: number;
}

/**
 * A broker's DEALERs to the other brokers, for gossip only: a peer answers on its own DEALER to
 * this broker's ROUTER, so nothing is read here. A peer that stays silent gets a fresh socket once
 * per window (whatever was queued for it is dropped, and a refused handshake is tried again).
 */
export class PeerLinks {
  private readonly peers = new Map<string, Peer>();

  constructor(
    private readonly routingId: string,
    private readonly context: Context | undefined,
    private readonly curve: CurveKeyPair | undefined,
  ) {}

  has(endpoint: string): boolean {
    return this.peers.has(endpoint);
  }

  /** Opens a DEALER to `address` unless there is one; returns true if it opened one. */
  ensure(address: BrokerAddress, now: number): boolean {
    if (this.peers.has(address.endpoint)) return false;
    if (this.curve !== undefined && address.publicKey === undefined) return false;
    this.peers.set(address.endpoint, { address, socket: this.dial(address), opened: now });
    return true;
  }

  send(endpoint: string, frames: Frames): void {
    const peer = this.peers.get(endpoint);
    if (peer !== undefined) void trySend(peer.socket, frames);
  }

  sendAll(frames: Frames): void {
    for (const peer of this.peers.values()) void trySend(peer.socket, frames);
  }

  /** Gives a fresh socket to each peer that is not live and whose socket is older than `window`. */
  renewSilent(isLive: (endpoint: string) => boolean, window: number, now: number): void {
    for (const peer of this.peers.values()) {
      if (isLive(peer.address.endpoint) || now - peer.opened <= window) continue;
      peer.socket.close();
      peer.socket = this.dial(peer.address);
      peer.opened = now;
    }
  }

  drop(endpoint: string): void {
    this.peers.get(endpoint)?.socket.close();
    this.peers.delete(endpoint);
  }

  close(): void {
    for (const peer of this.peers.values()) peer.socket.close();
    this.peers.clear();
  }

  private dial(address: BrokerAddress): Dealer {
    const socket = new Dealer({
      ...(this.context !== undefined && { context: this.context }),
      routingId: this.routingId,
      linger: 0,
      sendTimeout: 0,
      // Gossip is refreshed every interval: a few queued for a silent peer are enough.
      sendHighWaterMark: 16,
      ...(this.curve !== undefined && {
        curvePublicKey: this.curve.publicKey,
        curveSecretKey: this.curve.secretKey,
        curveServerKey: address.publicKey!,
      }),
    });
    socket.connect(address.endpoint);
    return socket;
  }
}
