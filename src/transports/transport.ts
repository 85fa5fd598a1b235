import type { SocketTypeName } from "../zmtp/socket-types.js";
import type { ByteStream } from "./stream.js";
import type { AddressMask } from "./tcp-address-mask.js";

/** wss: the TLS options, libzmq's ZMQ_WSS_* (empty strings when unset). */
export interface WssOptions {
  /** PEM certificate chain a wss bind presents (ZMQ_WSS_CERT_PEM). */
  certPem: string;
  /** PEM private key of that certificate (ZMQ_WSS_KEY_PEM). */
  keyPem: string;
  /** PEM certificates a wss connect trusts (ZMQ_WSS_TRUST_PEM). */
  trustPem: string;
  /** The server name a wss connect sends (SNI) and checks the certificate against (ZMQ_WSS_HOSTNAME). */
  hostname: string;
  /** Also trust the system's certificate authorities (ZMQ_WSS_TRUST_SYSTEM). */
  trustSystem: boolean;
}

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
  /** ws: the socket's type and mechanism, which pick the ZWS 2.0 subprotocol (RFC 45). */
  socketType: SocketTypeName;
  mechanism: "NULL" | "PLAIN" | "CURVE";
  /** ws: largest inbound frame in bytes (-1 = unlimited): caps a WebSocket message before it is buffered. */
  maxMessageSize: number;
  /** ws: ms a bound endpoint's peer has to complete its upgrade request (ZMQ_HANDSHAKE_IVL); 0 = none. */
  handshakeInterval: number;
  wss: WssOptions;
  /** tcp connect: through this SOCKS5 proxy (ZMQ_SOCKS_PROXY, ZMQ_SOCKS_USERNAME/PASSWORD); null = direct. */
  socks: SocksOptions | null;
  /** tcp bind: accept only peers in these networks (ZMQ_TCP_ACCEPT_FILTER); empty = everyone. */
  acceptFilters: readonly AddressMask[];
}

/** ZMQ_SOCKS_PROXY and its credentials, as set. */
export interface SocksOptions {
  /** `host:port` of the proxy (a tcp connect address without the scheme). */
  proxy: string;
  /** Non-empty: offer username/password authentication (RFC 1929) instead of none. */
  username: Uint8Array;
  password: Uint8Array;
}

/** libzmq's defaults, for users of a transport that are not sockets (the CLI). */
export const DEFAULT_TRANSPORT_OPTIONS: Readonly<TransportOptions> = {
  tcpKeepalive: -1,
  tcpKeepaliveIdle: -1,
  backlog: 100,
  connectTimeout: 0,
  ipv6: false,
  socketType: "DEALER",
  mechanism: "NULL",
  maxMessageSize: -1,
  handshakeInterval: 30_000,
  wss: { certPem: "", keyPem: "", trustPem: "", hostname: "", trustSystem: false },
  socks: null,
  acceptFilters: [],
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
 * A transport that carries ZMTP as bytes (tcp, ipc, ws, wss), looked up by the endpoint's scheme
 * (registry.ts). Addresses are the endpoint strings the user gave; errors are ZmqErrors that
 * carry them.
 */
export interface Transport {
  /**
   * Binds the address; every accepted connection is handed to `onStream`, and `onRefused` hears
   * of a connection the transport closed as soon as it was accepted (tcp's accept filter).
   */
  listen(
    address: string,
    options: TransportOptions,
    onStream: StreamHandler,
    onRefused?: (error: Error) => void,
  ): Promise<Listener>;
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
  /** The address a connect's monitor events carry, when not the endpoint's own (tcp through a SOCKS proxy). */
  eventAddress?(address: string, options: TransportOptions): string;
  /** tcp: connecting takes time (an event says so); ipc: a connect succeeds or fails at once. */
  readonly connectDelayed: boolean;
}
