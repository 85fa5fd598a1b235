import type { Socket as NetSocket } from "node:net";

/** Options the byte-stream transports honour (ZeroMQ socket options, ms where timed). */
export interface TransportOptions {
  /** -1 = OS default, 0 = off, 1 = on (ZMQ_TCP_KEEPALIVE). */
  tcpKeepalive: number;
  /** Seconds before the first keepalive probe; -1 = OS default. */
  tcpKeepaliveIdle: number;
  /** Listen backlog. */
  backlog: number;
  /** Abort a connection attempt after this many ms; 0 = OS default. */
  connectTimeout: number;
  ipv6: boolean;
}

/** A bound endpoint that accepts connections. */
export interface Listener {
  /** The real address, with the ephemeral port or generated path filled in. */
  readonly endpoint: string;
  close(): void;
}

export type AcceptHandler = (stream: NetSocket) => void;

/** Applies the keepalive options to a fresh TCP stream (no-op for Unix sockets). */
export function applyKeepalive(stream: NetSocket, options: TransportOptions): void {
  if (options.tcpKeepalive === 1) {
    stream.setKeepAlive(true, options.tcpKeepaliveIdle > 0 ? options.tcpKeepaliveIdle * 1000 : 0);
  } else if (options.tcpKeepalive === 0) {
    stream.setKeepAlive(false);
  }
}
