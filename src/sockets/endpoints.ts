import type { ContextCore } from "../context.js";
import { zmqError, type ZmqError } from "../errors.js";
import {
  bracketedIpv6,
  checkProtocol,
  checkTcpConnect,
  formatTcpEndpoint,
  formatWsEndpoint,
  parseIpc,
  parseTipc,
  parseUri,
  parseWs,
} from "../transports/endpoint.js";
import { inprocAddressInUse } from "../transports/inproc.js";
import { streamTransport } from "../transports/registry.js";
import type { Transport } from "../transports/transport.js";
import type { Pipe } from "./pipe.js";
import { Acceptor } from "#acceptor";
import { Connecter, type Undelivered } from "./session/connecter.js";
import type { Claim, CrossThreadSocket, Reach } from "./session/cross-thread.js";
import { DatagramEndpoints } from "#platform/datagrams";
import { usesDatagrams } from "../zmtp/socket-types.js";
import type { SessionOwner } from "./session/owner.js";

/** Per-endpoint settings for bind() and connect(). */
export interface EndpointOptions {
  /** Failover tier for load-balancing sockets (a zmtp extension): lower is preferred; default 0. */
  priority?: number;
  /** ZMQ_CONNECT_ROUTING_ID: the id the peer of this connect() gets on our side. */
  routingId?: Buffer;
}

/** What the endpoint bookkeeping needs from its socket. */
export interface EndpointsOwner extends SessionOwner, CrossThreadSocket {
  readonly context: ContextCore;
  readonly closed: boolean;
}

/** libzmq ignores a second connect() to the same endpoint for these types (is_single_connect). */
const SINGLE_CONNECT = new Set(["DEALER", "SUB", "PUB", "REQ"]);

/**
 * Errors libzmq meets before it made an OS socket: a failed bind then reports no `close`. ENOTSUP
 * is a page's bind (it cannot listen), refused before any socket exists.
 */
const BEFORE_SOCKET = new Set(["ENODEV", "ENAMETOOLONG", "EINVAL", "EAFNOSUPPORT", "ENOTSUP"]);

/**
 * The transport of a scheme libzmq knows: EPROTONOSUPPORT where this runtime has none (tcp and
 * ipc in a browser), as from a libzmq built without that transport.
 */
function transportOf(uri: string, protocol: string): Transport {
  const transport = streamTransport(protocol);
  if (transport === null) throw zmqError("EPROTONOSUPPORT", undefined, uri);
  return transport;
}

/**
 * A ws connect() as libzmq checks it at once (it resolves the address there: an IPv6 literal
 * without the ipv6 option is EINVAL), and the endpoint it then reports: the path always shown.
 */
function wsConnectEndpoint(owner: EndpointsOwner, scheme: "ws" | "wss", uri: string, address: string): string {
  const { host, port, path } = parseWs(uri, address, false);
  if (bracketedIpv6(host) !== null && !owner.options.ipv6) throw zmqError("EINVAL", undefined, uri);
  return formatWsEndpoint(scheme, host, port, path);
}

/**
 * The key libzmq would look a tcp endpoint up by when unbinding or disconnecting: the address as
 * written if it was, else its resolved form (here: IP literals with a numeric port). Wildcards
 * never match: unbind takes the real endpoint (lastEndpoint), as in libzmq.
 */
function tcpLookupKey(uri: string, address: string): string | null {
  const colon = address.lastIndexOf(":");
  if (colon === -1) return null;
  const host = address.slice(0, colon);
  const port = address.slice(colon + 1);
  if (!/^\d+$/.test(port) || Number(port) === 0 || Number(port) > 65535 || host === "*") return null;
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const key = formatTcpEndpoint(bare, Number(port));
  return key === uri ? null : key;
}

/**
 * A socket's bind()s and connect()s, with libzmq's rules: endpoints are checked as libzmq checks
 * them, unbind() and disconnect() are one operation (libzmq's term_endpoint: either ends a bound
 * or a connected endpoint), inproc endpoints report no monitor events, and lastEndpoint follows
 * connects as well as binds.
 */
export class Endpoints {
  /** By the real endpoint (lastEndpoint), and by the address as given when that one is not a wildcard. */
  private readonly acceptors = new Map<string, Acceptor>();
  /** By the address as given; libzmq makes a new connection for each connect(). */
  private readonly connecters = new Map<string, Connecter[]>();
  /** Names bound, with their claim across threads (the shared default context only). */
  private readonly inprocBinds = new Map<string, Claim | null>();
  /** Claims no longer listening whose connections linger until closeAll(). */
  private readonly releasedClaims: Claim[] = [];
  private readonly inprocConnects = new Map<string, Pipe[]>();
  /** inproc connections reaching names bound in other threads, by their pipe. */
  private readonly reaches = new Map<Pipe, Reach>();
  /** udp:// endpoints (RADIO, DISH, DGRAM). */
  private readonly datagrams: DatagramEndpoints;
  /** ZMQ_LAST_ENDPOINT. */
  last = "";

  constructor(private readonly owner: EndpointsOwner) {
    this.datagrams = new DatagramEndpoints(owner);
  }

  /** Whether some bind() or connect() is in effect. */
  get any(): boolean {
    const count = this.acceptors.size + this.connecters.size + this.inprocBinds.size + this.inprocConnects.size;
    return count + this.datagrams.size > 0;
  }

  /** libzmq's check_protocol for this socket's type. */
  private protocolOf(uri: string, protocol: string): ReturnType<typeof checkProtocol> {
    return checkProtocol(uri, protocol, usesDatagrams(this.owner.zmtpType));
  }

  async bind(uri: string, options: EndpointOptions): Promise<void> {
    const owner = this.owner;
    const { protocol, address } = parseUri(uri);
    const transport = this.protocolOf(uri, protocol);
    if (transport === "udp") {
      await this.datagrams.bind(uri);
      // libzmq's last endpoint for udp is the address without its scheme.
      this.last = address;
      return;
    }
    if (transport === "inproc") {
      const registry = owner.context.inproc;
      const priority = options.priority ?? 0;
      if (registry.isBound(address)) throw inprocAddressInUse(uri);
      const crossThread = owner.context.crossThread;
      const claim = crossThread === null ? null : await crossThread.claim(address, owner, uri, priority);
      if (owner.closed) {
        claim?.close(false);
        throw zmqError("EBADF", undefined, uri);
      }
      try {
        registry.bind(address, owner, uri, priority);
      } catch (err) {
        claim?.close(false);
        throw err;
      }
      this.inprocBinds.set(address, claim);
      this.last = uri;
      return;
    }
    const streams = transportOf(uri, transport);
    const acceptor = new Acceptor(owner, uri, options.priority ?? 0);
    try {
      acceptor.listening(await streams.listen(uri, owner.transportOptions, acceptor.accept, acceptor.refused));
    } catch (err) {
      // libzmq: `close` for a listener socket it had made (no endpoint yet), then bind:error with
      // the address without its scheme.
      if (!BEFORE_SOCKET.has((err as ZmqError).code)) owner.emit({ type: "close", address: "" });
      owner.emit({ type: "bind:error", address, error: err as Error });
      throw err;
    }
    if (owner.closed) {
      acceptor.close(true);
      throw zmqError("EBADF", undefined, uri);
    }
    this.acceptors.set(acceptor.endpoint, acceptor);
    if (!uri.includes("*") && acceptor.endpoint !== uri) this.acceptors.set(uri, acceptor);
    this.last = acceptor.endpoint;
    owner.emit({ type: "bind", address: acceptor.endpoint });
  }

  connect(uri: string, options: EndpointOptions): void {
    const owner = this.owner;
    const { protocol, address } = parseUri(uri);
    const transport = this.protocolOf(uri, protocol);
    if (transport === "udp") {
      this.datagrams.connect(uri);
      this.last = address;
      return;
    }
    const fixedId = options.routingId ?? null;
    if (transport === "inproc") {
      const pipe = owner.context.inproc.connect(address, owner, uri, options.priority ?? 0, (created) => {
        if (fixedId === null) return;
        created.routingId = fixedId;
        created.fixedRoutingId = true;
      });
      const pipes = this.inprocConnects.get(uri) ?? [];
      pipes.push(pipe);
      this.inprocConnects.set(uri, pipes);
      // Connect before bind: with immediate = false messages queue until the name is bound (a
      // ROUTER's pipe too once its id is fixed, as libzmq makes the inproc pipe at connect).
      if ((owner.attachesBeforeHandshake || fixedId !== null) && !owner.options.immediate) owner.attachPipe(pipe);
      const crossThread = owner.context.crossThread;
      if (crossThread !== null) {
        const reach = crossThread.reach(address, owner, pipe);
        this.reaches.set(pipe, reach);
        owner.context.inproc.setRemote(address, pipe, reach);
      }
      this.last = uri;
      return;
    }
    const streams = transportOf(uri, transport);
    let reported = uri;
    if (transport === "tcp") checkTcpConnect(uri, address);
    else if (transport === "ipc") parseIpc(uri, address);
    else if (transport === "tipc") parseTipc(uri, address);
    else reported = wsConnectEndpoint(owner, transport, uri, address);
    streams.checkDial?.(uri, owner.transportOptions);
    if (SINGLE_CONNECT.has(owner.zmtpType) && (this.connecters.has(uri) || this.acceptors.has(uri))) return;
    const connecter = new Connecter(owner, reported, streams, fixedId, options.priority ?? 0);
    const list = this.connecters.get(uri) ?? [];
    list.push(connecter);
    this.connecters.set(uri, list);
    this.last = reported;
    connecter.start();
  }

  /** unbind() and disconnect() alike (libzmq's term_endpoint): ENOENT when nothing matches. */
  terminate(uri: string): void {
    const { protocol, address } = parseUri(uri);
    const transport = this.protocolOf(uri, protocol);
    if (transport === "udp") {
      this.datagrams.terminate(uri);
      return;
    }
    if (transport === "inproc") {
      if (this.inprocBinds.has(address)) {
        const claim = this.inprocBinds.get(address)!;
        this.inprocBinds.delete(address);
        this.owner.context.inproc.unbind(address, this.owner);
        claim?.close(true);
        return;
      }
      const pipes = this.inprocConnects.get(uri);
      if (pipes === undefined) throw zmqError("ENOENT", undefined, uri);
      this.inprocConnects.delete(uri);
      for (const pipe of pipes) {
        this.owner.context.inproc.disconnect(address, pipe);
        this.stopReach(pipe, true);
        this.owner.detachPipe(pipe);
      }
      return;
    }
    transportOf(uri, transport);
    if (this.terminateKey(uri)) return;
    const key = transport === "tcp" ? tcpLookupKey(uri, address) : null;
    if (key === null || !this.terminateKey(key)) throw zmqError("ENOENT", undefined, uri);
  }

  private terminateKey(key: string): boolean {
    let found = false;
    const acceptor = this.acceptors.get(key);
    if (acceptor !== undefined) {
      for (const [k, value] of this.acceptors) if (value === acceptor) this.acceptors.delete(k);
      acceptor.close(true);
      found = true;
    }
    const connecters = this.connecters.get(key);
    if (connecters !== undefined) {
      this.connecters.delete(key);
      for (const connecter of connecters) connecter.stop();
      found = true;
    }
    return found;
  }

  /** Socket close, first step: no new peers (inproc names and listeners released); connections stay. */
  stopListening(): void {
    for (const [name, claim] of this.inprocBinds) {
      this.owner.context.inproc.unbind(name, this.owner);
      if (claim === null) continue;
      claim.stopListening();
      this.releasedClaims.push(claim);
    }
    this.inprocBinds.clear();
    for (const acceptor of new Set(this.acceptors.values())) acceptor.close(false);
  }

  /**
   * Messages or bytes still on their way to a connected or accepted peer, or to another thread
   * (linger and a worker's exit wait for them; inproc peers in this thread are not counted).
   */
  get pendingOutbound(): boolean {
    for (const list of this.connecters.values())
      for (const connecter of list) if (connecter.pendingOutbound) return true;
    for (const acceptor of this.acceptors.values()) if (acceptor.pendingOutbound) return true;
    return this.datagrams.pendingOutbound || this.crossThreadPending;
  }

  /** Something is on its way to another thread over inproc. */
  private get crossThreadPending(): boolean {
    for (const reach of this.reaches.values()) if (reach.pendingOutbound) return true;
    for (const claim of this.inprocBinds.values()) if (claim?.pendingOutbound === true) return true;
    for (const claim of this.releasedClaims) if (claim.pendingOutbound) return true;
    return false;
  }

  private stopReach(pipe: Pipe, graceful: boolean): void {
    this.reaches.get(pipe)?.stop(graceful);
    this.reaches.delete(pipe);
  }

  /** Takes the messages connect()ed endpoints still keep (they are delivered elsewhere at exit). */
  takeUndelivered(): Undelivered[] {
    const out: Undelivered[] = [];
    for (const list of this.connecters.values()) {
      for (const connecter of list) {
        const undelivered = connecter.takeUndelivered();
        if (undelivered !== null) out.push(undelivered);
      }
    }
    return out;
  }

  /** Socket close, last step: every connection ends (`graceful` flushes what was written first). */
  closeAll(graceful: boolean): void {
    for (const acceptor of new Set(this.acceptors.values())) acceptor.close(true, graceful);
    this.acceptors.clear();
    for (const list of this.connecters.values()) for (const connecter of list) connecter.stop(graceful);
    this.connecters.clear();
    for (const [uri, pipes] of this.inprocConnects) {
      for (const pipe of pipes) {
        this.owner.context.inproc.disconnect(parseUri(uri).address, pipe);
        this.stopReach(pipe, graceful);
      }
    }
    this.inprocConnects.clear();
    for (const claim of this.releasedClaims) claim.close(graceful);
    this.releasedClaims.length = 0;
    this.datagrams.closeAll(graceful);
  }
}
