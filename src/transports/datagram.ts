/**
 * The seam for datagram transports (udp:// today). A datagram socket is no byte stream: each
 * send is one whole message to an address, each receive one whole message from one, and nothing
 * is connected. So the draft sockets that use it (RADIO, DISH, DGRAM) get a link, not a stream:
 * one local socket that sends datagrams and hands over those it receives.
 */

/** Where a datagram goes, or came from: an IP address (no brackets) and a port. */
export interface DatagramPeer {
  address: string;
  port: number;
}

/** Options of a datagram socket (ZeroMQ socket options). */
export interface DatagramOptions {
  /** Resolve and bind IPv6 as well (ZMQ_IPV6). */
  ipv6: boolean;
  /** Our own multicast datagrams come back to us (ZMQ_MULTICAST_LOOP). */
  multicastLoop: boolean;
  /** TTL of multicast datagrams sent (ZMQ_MULTICAST_HOPS); 0 = the OS default. */
  multicastHops: number;
}

/** What the link's owner is told. Both run on the event loop, never inside a call to the link. */
export interface DatagramHandler {
  /** A datagram arrived (only on a link opened to receive). */
  message(datagram: Buffer, from: DatagramPeer): void;
  /** A send completed or failed: `pending` went down by one. */
  sent(): void;
}

/** One local datagram socket. */
export interface DatagramLink {
  /**
   * Sends one datagram to `to`, or to the address the link was opened for when `to` is omitted
   * (a connecting link). Failures are not reported: a datagram may be lost anyway.
   */
  send(datagram: Uint8Array, to?: DatagramPeer): void;
  /** Sends handed to the OS and not completed yet (the owner keeps this bounded). */
  readonly pending: number;
  /** Closes the socket; sends still pending are dropped. */
  close(): void;
}

/**
 * What opening a link does, in libzmq's udp_engine terms: `bind` receives on the address (DISH;
 * DGRAM also sends from it), `connect` sends to it (RADIO). Multicast addresses join the group
 * for a bind and set the multicast options for a connect.
 */
export type DatagramRole = "bind" | "connect" | "bind-and-send";

export interface DatagramTransport {
  /**
   * Checks an address as libzmq's connect() does before returning: throws the error it would
   * (EINVAL, ENODEV). Host names are looked up later, by `open`.
   */
  checkConnect(uri: string, options: DatagramOptions): void;
  /**
   * Resolves the address and opens the socket. Rejects with the errors libzmq's bind() and
   * connect() give for an address they cannot use (EINVAL, ENODEV). A socket the OS then refuses
   * (an address that is not local, a port in use without SO_REUSEADDR) still resolves: the link
   * sends and receives nothing, as libzmq's engine gives up without telling the application.
   */
  open(uri: string, role: DatagramRole, options: DatagramOptions, handler: DatagramHandler): Promise<DatagramLink>;
}
