import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import { parseEndpoint, type Endpoint } from "../transports/endpoint.js";
import type { InprocSocket } from "../transports/inproc.js";
import { streamTransport } from "../transports/registry.js";
import type { Transport } from "../transports/transport.js";
import type { Pipe } from "./pipe.js";
import { Acceptor } from "./session/acceptor.js";
import { Connecter } from "./session/connecter.js";
import type { SessionOwner } from "./session/owner.js";

/** Per-endpoint settings for bind() and connect(). */
export interface EndpointOptions {
  /** Failover tier for load-balancing sockets (a zmtp extension): lower is preferred; default 0. */
  priority?: number;
  /** ZMQ_CONNECT_ROUTING_ID: the id the peer of this connect() gets on our side. */
  routingId?: Buffer;
}

/** What the endpoint bookkeeping needs from its socket. */
export interface EndpointsOwner extends SessionOwner, InprocSocket<Pipe> {
  readonly context: ContextCore;
  readonly closed: boolean;
}

function priorityOf(options: EndpointOptions): number {
  const priority = options.priority ?? 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > 255) {
    throw zmqError("EINVAL", `Invalid priority ${priority}: expected an integer in 0..255 (lower is preferred)`);
  }
  return priority;
}

function transportOf(endpoint: Exclude<Endpoint, { transport: "inproc" }>, address: string): Transport {
  const transport = streamTransport(endpoint.transport);
  if (transport === null) throw zmqError("EPROTONOSUPPORT", `Protocol not supported: "${endpoint.transport}"`, address);
  return transport;
}

/**
 * A socket's bind()s and connect()s: an Acceptor per bound byte-stream endpoint, a Connecter per
 * connected one, and the inproc names bound and pipes connected in the socket's Context.
 */
export class Endpoints {
  /** By the address as given and by the real endpoint (`tcp://127.0.0.1:*` and its port). */
  private readonly acceptors = new Map<string, Acceptor>();
  private readonly connecters = new Map<string, Connecter>();
  private readonly inprocBinds = new Set<string>();
  private readonly inprocConnects = new Map<string, Pipe>();

  constructor(private readonly owner: EndpointsOwner) {}

  /** Whether some bind() or connect() is in effect. */
  get any(): boolean {
    return this.acceptors.size + this.connecters.size + this.inprocBinds.size + this.inprocConnects.size > 0;
  }

  /** Binds; resolves with the endpoint lastEndpoint reports (the port or path filled in). */
  async bind(address: string, options: EndpointOptions): Promise<string> {
    const owner = this.owner;
    const ep = parseEndpoint(address, true);
    if (ep.transport === "inproc") {
      owner.context.inproc.bind(ep.name, owner, address, priorityOf(options));
      this.inprocBinds.add(ep.name);
      return address;
    }
    const transport = transportOf(ep, address);
    const acceptor = new Acceptor(owner, address, priorityOf(options));
    try {
      acceptor.listening(await transport.listen(address, owner.transportOptions, acceptor.accept));
    } catch (err) {
      owner.emit({ type: "bind:error", address, error: err as Error });
      throw err;
    }
    if (owner.closed) {
      acceptor.close(true);
      throw zmqError("EBADF", "Socket was closed while binding", address);
    }
    this.acceptors.set(acceptor.endpoint, acceptor);
    if (address !== acceptor.endpoint) this.acceptors.set(address, acceptor);
    return acceptor.endpoint;
  }

  unbind(address: string): void {
    const ep = parseEndpoint(address, true);
    if (ep.transport === "inproc") {
      if (!this.inprocBinds.delete(ep.name)) throw zmqError("ENOENT", "No such endpoint", address);
      this.owner.context.inproc.unbind(ep.name, this.owner);
      return;
    }
    const acceptor = this.acceptors.get(address);
    if (acceptor === undefined) throw zmqError("ENOENT", "No such endpoint", address);
    for (const [key, value] of this.acceptors) if (value === acceptor) this.acceptors.delete(key);
    acceptor.close(true);
  }

  connect(address: string, options: EndpointOptions): void {
    const owner = this.owner;
    const ep = parseEndpoint(address, false);
    const fixedId = options.routingId ?? null;
    if (ep.transport === "inproc") {
      if (this.inprocConnects.has(address)) return;
      const pipe = owner.context.inproc.connect(ep.name, owner, address, priorityOf(options), (created) => {
        if (fixedId === null) return;
        created.routingId = fixedId;
        created.fixedRoutingId = true;
      });
      this.inprocConnects.set(address, pipe);
      // Connect before bind: with immediate = false messages queue until the name is bound (a
      // ROUTER's pipe too once its id is fixed, as libzmq makes the inproc pipe at connect).
      if ((owner.attachesBeforeHandshake || fixedId !== null) && !owner.options.immediate) owner.attachPipe(pipe);
      return;
    }
    const transport = transportOf(ep, address);
    // After a fatal handshake failure libzmq waits for the application to connect() again.
    if (this.connecters.get(address)?.stopped === false) return;
    const connecter = new Connecter(owner, address, transport, fixedId, priorityOf(options));
    this.connecters.set(address, connecter);
    connecter.start();
  }

  disconnect(address: string): void {
    const ep = parseEndpoint(address, false);
    if (ep.transport === "inproc") {
      const pipe = this.inprocConnects.get(address);
      if (pipe === undefined) throw zmqError("ENOENT", "No such endpoint", address);
      this.inprocConnects.delete(address);
      this.owner.context.inproc.disconnect(ep.name, pipe);
      this.owner.detachPipe(pipe);
      return;
    }
    const connecter = this.connecters.get(address);
    if (connecter === undefined) throw zmqError("ENOENT", "No such endpoint", address);
    this.connecters.delete(address);
    connecter.stop();
  }

  /** Socket close, first step: no new peers (inproc names and listeners released); connections stay. */
  stopListening(): void {
    for (const name of this.inprocBinds) this.owner.context.inproc.unbind(name, this.owner);
    this.inprocBinds.clear();
    for (const acceptor of new Set(this.acceptors.values())) acceptor.close(false);
  }

  /** Messages or bytes still on their way to a connected or accepted peer (linger waits for them). */
  get pendingOutbound(): boolean {
    for (const connecter of this.connecters.values()) if (connecter.pendingOutbound) return true;
    for (const acceptor of this.acceptors.values()) if (acceptor.pendingOutbound) return true;
    return false;
  }

  /** Socket close, last step: every connection ends (`graceful` flushes what was written first). */
  closeAll(graceful: boolean): void {
    for (const acceptor of new Set(this.acceptors.values())) acceptor.close(true, graceful);
    this.acceptors.clear();
    for (const connecter of this.connecters.values()) connecter.stop(graceful);
    this.connecters.clear();
    for (const [address, pipe] of this.inprocConnects) {
      this.owner.context.inproc.disconnect(address.slice("inproc://".length), pipe);
    }
    this.inprocConnects.clear();
  }
}
