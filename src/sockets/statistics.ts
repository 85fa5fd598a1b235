import type { TrafficCounters } from "../zmtp/engine.js";

/** What a socket counts about itself; read a snapshot with `socket.statistics`. */
export interface SocketCounters extends TrafficCounters {
  /** Messages dropped because a peer's queue was at its high-water mark (PUB, ROUTER, REP). */
  droppedAtHighWaterMark: number;
  /** Connections closed because the peer broke the protocol (bad greeting, frame, handshake). */
  protocolErrors: number;
}

export interface SocketStatistics extends SocketCounters {
  /** Peers currently attached (completed connections, plus queues kept for reconnecting peers). */
  peers: number;
}

export function newCounters(): SocketCounters {
  return { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, droppedAtHighWaterMark: 0, protocolErrors: 0 };
}

/** One peer as `peers()` reports it. */
export interface PeerInfo {
  endpoint: string;
  /** The failover tier the peer's endpoint was bound or connected with. */
  priority: number;
  connected: boolean;
  /** The peer's routing id (its Identity, or the id a ROUTER gave it), when known. */
  routingId: Buffer | null;
  queuedOut: number;
  queuedIn: number;
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
}
