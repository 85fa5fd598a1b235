import { zmqError } from "../errors.js";
import type { DatagramOptions, DatagramRole, DatagramTransport } from "../transports/datagram.js";
import { datagramTransport } from "../transports/registry.js";
import { usesDatagrams } from "../zmtp/socket-types.js";
import type { EndpointsOwner } from "./endpoints.js";
import type { Pipe } from "./pipe.js";
import { DatagramSession, type DatagramSocketType } from "./session/datagram-session.js";

interface Entry {
  session: DatagramSession;
  pipe: Pipe;
}

/**
 * A socket's udp:// endpoints, with libzmq's rules (socket_base.cpp): DISH and DGRAM bind (they
 * receive there; DGRAM sends from there), RADIO connects (it sends there); anything else is
 * ENOCOMPATPROTO. Each endpoint has one pipe from bind()/connect() on, as udp has no peer to
 * wait for. A bound udp endpoint cannot be unbound (libzmq files it under no name: ENOENT); it
 * ends with its socket. No monitor events: libzmq's udp engine reports none.
 */
export class DatagramEndpoints {
  private readonly bound: Entry[] = [];
  private readonly connected = new Map<string, Entry[]>();

  constructor(private readonly owner: EndpointsOwner) {}

  get size(): number {
    return this.bound.length + this.connected.size;
  }

  /** zmq_bind on udp://; resolves once the socket is bound (or refused by the OS, silently). */
  async bind(uri: string): Promise<void> {
    const type = this.socketType(uri);
    if (type !== "DISH" && type !== "DGRAM") throw zmqError("ENOCOMPATPROTO", undefined, uri);
    const pipe = this.newPipe(uri);
    const session = new DatagramSession(this.owner, uri, type, pipe);
    const role: DatagramRole = type === "DGRAM" ? "bind-and-send" : "bind";
    const link = await this.transport(uri).open(uri, role, this.options(), session);
    if (this.owner.closed) {
      link.close();
      throw zmqError("EBADF", undefined, uri);
    }
    this.attach(pipe, session);
    session.opened(link);
    this.bound.push({ session, pipe });
  }

  /** zmq_connect on udp://: the pipe takes messages at once; the socket opens in the background. */
  connect(uri: string): void {
    const type = this.socketType(uri);
    if (type !== "RADIO") throw zmqError("ENOCOMPATPROTO", undefined, uri);
    const transport = this.transport(uri);
    const options = this.options();
    transport.checkConnect(uri, options);
    const pipe = this.newPipe(uri);
    const session = new DatagramSession(this.owner, uri, type, pipe);
    this.attach(pipe, session);
    transport.open(uri, "connect", options, session).then(
      (link) => session.opened(link),
      () => session.failed(),
    );
    const list = this.connected.get(uri) ?? [];
    list.push({ session, pipe });
    this.connected.set(uri, list);
  }

  /** unbind() / disconnect() of a udp endpoint: only connects can be ended (ENOENT otherwise). */
  terminate(uri: string): void {
    this.socketType(uri);
    this.transport(uri);
    const list = this.connected.get(uri);
    if (list === undefined) throw zmqError("ENOENT", undefined, uri);
    this.connected.delete(uri);
    for (const entry of list) this.end(entry, true);
  }

  get pendingOutbound(): boolean {
    for (const entry of this.entries()) if (entry.session.pendingOutbound) return true;
    return false;
  }

  closeAll(graceful: boolean): void {
    for (const entry of this.entries()) this.end(entry, graceful);
    this.bound.length = 0;
    this.connected.clear();
  }

  private *entries(): Iterable<Entry> {
    yield* this.bound;
    for (const list of this.connected.values()) yield* list;
  }

  private end(entry: Entry, graceful: boolean): void {
    entry.session.close(graceful);
    entry.pipe.connected = false;
    this.owner.detachPipe(entry.pipe);
  }

  private socketType(uri: string): DatagramSocketType {
    const type = this.owner.zmtpType;
    if (!usesDatagrams(type)) throw zmqError("ENOCOMPATPROTO", undefined, uri);
    return type;
  }

  /** EPROTONOSUPPORT where the runtime has no udp (a page), as from a libzmq built without it. */
  private transport(uri: string): DatagramTransport {
    const transport = datagramTransport("udp");
    if (transport === null) throw zmqError("EPROTONOSUPPORT", undefined, uri);
    return transport;
  }

  private options(): DatagramOptions {
    const o = this.owner.options;
    return { ipv6: o.ipv6, multicastLoop: o.multicastLoop, multicastHops: o.multicastHops };
  }

  /** A pipe to every peer there may be (libzmq's subscribe_to_all: a RADIO sends it everything). */
  private newPipe(uri: string): Pipe {
    const pipe = this.owner.createPipe(uri, 0);
    pipe.subscribesToAll = true;
    return pipe;
  }

  private attach(pipe: Pipe, session: DatagramSession): void {
    pipe.connected = true;
    // A DGRAM takes one pipe only: a refused one's datagrams go nowhere, as in libzmq.
    if (!this.owner.attachPipe(pipe)) session.close(false);
  }
}
