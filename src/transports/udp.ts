import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { lookup } from "node:dns";
import { isIPv4, isIPv6 } from "node:net";
import { networkInterfaces } from "node:os";
import { zmqError, type ErrorCode } from "../errors.js";
import type {
  DatagramHandler,
  DatagramLink,
  DatagramOptions,
  DatagramPeer,
  DatagramRole,
  DatagramTransport,
} from "./datagram.js";
import { parseUri } from "./endpoint.js";
import { parseUdp } from "./udp-address.js";

/** Where a udp endpoint sends and what it binds, resolved as libzmq's udp_address_t does. */
interface Plan {
  /** The destination (connect) or the address bound / the group joined (bind). */
  target: DatagramPeer;
  /** The local address to bind (any, with the target's port, for a multicast group). */
  local: DatagramPeer;
  family: 4 | 6;
  multicast: boolean;
  /** The interface multicast uses (the source part), or null for the default. */
  interface: string | null;
}

const ANY = { 4: "0.0.0.0", 6: "::" } as const;

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8. */
function isMulticast(ip: string): boolean {
  if (isIPv4(ip)) {
    const first = Number(ip.slice(0, ip.indexOf(".")));
    return first >= 224 && first <= 239;
  }
  return isIPv6(ip) && ip.toLowerCase().startsWith("ff");
}

/** An interface's address by name ("lo", "eth0"), or null when there is no such interface. */
function interfaceAddress(name: string, ipv6: boolean): string | null {
  const addresses = networkInterfaces()[name];
  if (addresses === undefined) return null;
  const v4 = addresses.find((a) => a.family === "IPv4");
  const v6 = addresses.find((a) => a.family === "IPv6");
  return (ipv6 ? (v6 ?? v4) : v4)?.address ?? null;
}

/** An IP literal this socket may use (IPv6 only with the ipv6 option), or null. */
function literal(host: string, ipv6: boolean): string | null {
  if (isIPv4(host)) return host;
  return ipv6 && isIPv6(host) ? host : null;
}

/**
 * The source part: `*`, an interface name or an IP literal, looked up without DNS (libzmq's
 * source resolver); ENODEV when it is none of these, EINVAL when it is multicast.
 */
function resolveSource(source: string, ipv6: boolean, uri: string): string | null {
  if (source === "*") return null;
  const address = interfaceAddress(source, ipv6) ?? literal(source, ipv6);
  if (address === null) throw zmqError("ENODEV", undefined, uri);
  if (isMulticast(address)) throw zmqError("EINVAL", undefined, uri);
  return address;
}

/** The host without a lookup: an address, null for a name to look up; throws what libzmq would. */
function hostWithoutLookup(host: string, bind: boolean, ipv6: boolean, uri: string): string | null {
  const fail = (code: ErrorCode): never => {
    throw zmqError(code, undefined, uri);
  };
  if (host === "*") return bind ? ANY[ipv6 ? 6 : 4] : fail("EINVAL");
  if (bind) {
    const nic = interfaceAddress(host, ipv6);
    if (nic !== null) return nic;
  }
  if (isIPv4(host) || isIPv6(host)) return literal(host, ipv6) ?? fail(bind ? "ENODEV" : "EINVAL");
  // getaddrinfo refuses an empty name.
  if (host === "") fail(bind ? "ENODEV" : "EINVAL");
  return null;
}

function lookupHost(host: string, ipv6: boolean, bind: boolean, uri: string): Promise<string> {
  return new Promise((resolve, reject) => {
    lookup(host, { family: ipv6 ? 0 : 4 }, (err, address) => {
      if (err !== null) reject(zmqError(bind ? "ENODEV" : "EINVAL", undefined, uri));
      else resolve(address);
    });
  });
}

/** The checks libzmq makes once the addresses are known (udp_address_t::resolve). */
function plan(uri: string, bind: boolean, target: string, port: number, source: string | null | undefined): Plan {
  const family = isIPv4(target) ? 4 : 6;
  const multicast = isMulticast(target);
  const fail = (code: ErrorCode): never => {
    throw zmqError(code, undefined, uri);
  };
  if (source !== undefined) {
    // A source names the interface of a multicast group: a unicast target is an error.
    if (!multicast) fail("EINVAL");
    if (source !== null && (isIPv4(source) ? 4 : 6) !== family) fail("EINVAL");
  }
  const local = multicast || !bind ? { address: ANY[family], port } : { address: target, port };
  return { target: { address: target, port }, local, family, multicast, interface: source ?? null };
}

/** Resolves a udp address; `source` undefined means none was written, null means `*`. */
async function resolve(uri: string, bind: boolean, ipv6: boolean): Promise<Plan> {
  const parsed = parseUdp(uri, parseUri(uri).address, bind);
  const source = parsed.source === null ? undefined : resolveSource(parsed.source, ipv6, uri);
  const host = hostWithoutLookup(parsed.host, bind, ipv6, uri) ?? (await lookupHost(parsed.host, ipv6, bind, uri));
  return plan(uri, bind, host, parsed.port, source);
}

function checkConnect(uri: string, options: DatagramOptions): void {
  const parsed = parseUdp(uri, parseUri(uri).address, false);
  const source = parsed.source === null ? undefined : resolveSource(parsed.source, options.ipv6, uri);
  const host = hostWithoutLookup(parsed.host, false, options.ipv6, uri);
  if (host !== null) plan(uri, false, host, parsed.port, source);
}

/** A link over a Node dgram socket; a socket the OS refused is `dead` and does nothing. */
class UdpLink implements DatagramLink {
  pending = 0;
  private closed = false;

  constructor(
    private readonly socket: UdpSocket | null,
    private readonly destination: DatagramPeer | null,
    private readonly handler: DatagramHandler,
  ) {}

  send(datagram: Uint8Array, to: DatagramPeer | null = this.destination): void {
    const socket = this.socket;
    if (socket === null || to === null || this.closed) return;
    this.pending += 1;
    try {
      socket.send(datagram, to.port, to.address, this.onSent);
    } catch {
      // A destination of the other family, or a closed socket: the datagram is lost.
      this.onSent();
    }
  }

  private readonly onSent = (): void => {
    this.pending -= 1;
    if (!this.closed) this.handler.sent();
  };

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket?.close();
    } catch {
      // closed already (an OS error closed it)
    }
  }
}

/** Binds a socket and applies the multicast settings; null when the OS refuses (libzmq then gives up quietly). */
function openSocket(plan: Plan, role: DatagramRole, options: DatagramOptions): Promise<UdpSocket | null> {
  const receives = role !== "connect";
  const socket = createSocket({ type: plan.family === 6 ? "udp6" : "udp4", reuseAddr: receives });
  socket.unref();
  return new Promise((resolve) => {
    socket.once("error", () => {
      socket.close();
      resolve(null);
    });
    // A sending socket binds too: Node sets multicast options on bound sockets only.
    const local = receives ? plan.local : { address: ANY[plan.family], port: 0 };
    socket.bind({ address: local.address, port: local.port }, () => {
      socket.removeAllListeners("error");
      socket.on("error", () => undefined);
      try {
        configure(socket, plan, role, options);
      } catch {
        socket.close();
        resolve(null);
        return;
      }
      resolve(socket);
    });
  });
}

/** libzmq's udp_engine plug(): group membership for receivers, loop / hops / interface for senders. */
function configure(socket: UdpSocket, plan: Plan, role: DatagramRole, options: DatagramOptions): void {
  if (!plan.multicast) return;
  if (role !== "connect") {
    socket.addMembership(plan.target.address, plan.interface ?? undefined);
    return;
  }
  socket.setMulticastLoopback(options.multicastLoop);
  if (options.multicastHops > 0) socket.setMulticastTTL(options.multicastHops);
  if (plan.interface !== null) socket.setMulticastInterface(plan.interface);
}

async function open(
  uri: string,
  role: DatagramRole,
  options: DatagramOptions,
  handler: DatagramHandler,
): Promise<DatagramLink> {
  const resolved = await resolve(uri, role !== "connect", options.ipv6);
  const socket = await openSocket(resolved, role, options);
  if (socket !== null && role !== "connect") {
    socket.on("message", (datagram, from) => handler.message(datagram, { address: from.address, port: from.port }));
  }
  return new UdpLink(socket, role === "connect" ? resolved.target : null, handler);
}

export const udp: DatagramTransport = { checkConnect, open };
