import type { ByteStream } from "./stream.js";

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

/** libzmq's defaults, for users of a transport that are not sockets (the CLI). */
export const DEFAULT_TRANSPORT_OPTIONS: Readonly<TransportOptions> = {
  tcpKeepalive: -1,
  tcpKeepaliveIdle: -1,
  backlog: 100,
  connectTimeout: 0,
  ipv6: false,
};

/** A bound endpoint that accepts connections. */
export interface Listener {
  /** The real address, with the ephemeral port or generated path filled in. */
  readonly endpoint: string;
  close(): void;
  /** Lets the process exit while the listener waits (a socket's listeners do not hold it). */
  unref?(): void;
}

export type StreamHandler = (stream: ByteStream) => void;

/**
 * A transport that carries ZMTP as bytes (tcp, ipc; ws next), looked up by the endpoint's scheme
 * (registry.ts). Addresses are the endpoint strings the user gave; errors are ZmqErrors that
 * carry them.
 */
export interface Transport {
  /** Binds the address; every accepted connection is handed to `onStream`. */
  listen(address: string, options: TransportOptions, onStream: StreamHandler): Promise<Listener>;
  /**
   * Starts connecting: the stream emits `connect` once established, or `error`. With
   * `connectDelayed` it first emits `connecting` when the attempt is under way (libzmq's
   * connect:delay); an error before that means the address could not be resolved.
   */
  dial(address: string, options: TransportOptions): ByteStream;
  /**
   * Throws what connect() must throw for an endpoint this runtime can never dial (a page: a ws://
   * connect whose mechanism a browser cannot name), before any attempt is made.
   */
  checkDial?(address: string, options: TransportOptions): void;
  /** tcp: connecting takes time (an event says so); ipc: a connect succeeds or fails at once. */
  readonly connectDelayed: boolean;
}
