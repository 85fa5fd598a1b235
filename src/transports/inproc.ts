import { zmqError } from "../errors.js";
import { copySmallFrames } from "../zmtp/frame.js";
import type { Metadata } from "../zmtp/metadata.js";

/**
 * What inproc needs from a pipe (the socket layer's Pipe is one): the connection side of a
 * bounded queue, which the bridge fills and drains instead of an engine.
 */
export interface InprocPipe {
  driver: { outboundReady(): void; inboundSpace(): void } | null;
  readonly closed: boolean;
  readonly acceptsInbound: boolean;
  readonly hasOutbound: boolean;
  /** `passOn`: the message goes straight into the peer's queue (see Pipe.takeOutbound). */
  takeOutbound(passOn?: boolean): Buffer[] | undefined;
  deliver(msg: Buffer[]): boolean;
}

/** What the inproc transport needs from a socket: no bytes, only pipes. */
export interface InprocSocket<P extends InprocPipe = InprocPipe> {
  /** Creates a pipe owned by the socket (not yet attached to its routing policy). */
  createPipe(endpoint: string, priority: number): P;
  /** The pipe is linked to a peer whose properties are given: attach it (if not already). */
  inprocLinked(pipe: P, peer: Metadata): void;
  /** The peer went away (unbind, disconnect, close): detach the pipe. */
  inprocUnlinked(pipe: P): void;
  /** Properties a ZMTP peer would have received in READY (Socket-Type, Identity). */
  inprocProperties(): Metadata;
}

/**
 * Moves messages by reference from one pipe's outbound queue to the other's inbound queue,
 * both ways. Together the two pipes bound the link at sender SNDHWM + receiver RCVHWM, as
 * libzmq's inproc pipes are.
 */
class InprocBridge {
  /** Directions being moved right now (a→b, b→a): a re-entrant call for the same one is folded in. */
  private readonly moving = [false, false];
  /** Nothing moves until both sockets have linked their pipe (ids and metadata known on both ends). */
  private linked = false;

  constructor(
    readonly a: InprocPipe,
    readonly b: InprocPipe,
  ) {
    a.driver = { outboundReady: () => this.move(a, b, 0), inboundSpace: () => this.move(b, a, 1) };
    b.driver = { outboundReady: () => this.move(b, a, 1), inboundSpace: () => this.move(a, b, 0) };
  }

  start(): void {
    this.linked = true;
    this.move(this.a, this.b, 0);
    this.move(this.b, this.a, 1);
  }

  private move(from: InprocPipe, to: InprocPipe, direction: 0 | 1): void {
    if (!this.linked || this.moving[direction]) return;
    this.moving[direction] = true;
    try {
      let msg: Buffer[] | undefined;
      while (to.acceptsInbound && !to.closed && (msg = from.takeOutbound(true)) !== undefined)
        to.deliver(copySmallFrames(msg));
    } finally {
      this.moving[direction] = false;
    }
    // A re-entrant call was skipped while moving; make sure nothing is left waiting.
    if (to.acceptsInbound && from.hasOutbound && !to.closed) this.move(from, to, direction);
  }
}

/**
 * The same connection reaching the name where another thread of the process binds it (the shared
 * default context): it runs only while the name is not bound in this registry.
 */
export interface InprocRemoteLink {
  /** The name is bound here now: stop reaching elsewhere. */
  pause(): void;
  /** The name is no longer bound here: reach it wherever it is bound. */
  resume(): void;
}

interface Link {
  connecter: InprocSocket;
  connecterPipe: InprocPipe;
  binder: InprocSocket | null;
  binderPipe: InprocPipe | null;
  remote: InprocRemoteLink | null;
}

/** EADDRINUSE for an inproc name, as libzmq reports it. */
export function inprocAddressInUse(address: string): Error {
  return zmqError("EADDRINUSE", `Address already in use: ${address}`, address);
}

/** Names bound with `inproc://` in one Context, and the connections waiting for them. */
export class InprocRegistry {
  private readonly bound = new Map<string, { socket: InprocSocket; priority: number }>();
  private readonly links = new Map<string, Link[]>();

  bind(name: string, socket: InprocSocket, address: string, priority = 0): void {
    if (this.bound.has(name)) throw inprocAddressInUse(address);
    const binding = { socket, priority };
    this.bound.set(name, binding);
    for (const link of this.links.get(name) ?? []) {
      if (link.binder === null) this.complete(name, link, binding);
    }
  }

  unbind(name: string, socket: InprocSocket): boolean {
    if (this.bound.get(name)?.socket !== socket) return false;
    this.bound.delete(name);
    for (const link of this.links.get(name) ?? []) {
      if (link.binder === socket) {
        this.unlink(link);
        link.remote?.resume();
      }
    }
    return true;
  }

  isBound(name: string): boolean {
    return this.bound.has(name);
  }

  /**
   * Connects now if the name is bound, or when it is (libzmq allows connect before bind).
   * `prepare` sees the new pipe before it can be linked (a routing id fixed at connect).
   */
  connect<P extends InprocPipe>(
    name: string,
    socket: InprocSocket<P>,
    address: string,
    priority = 0,
    prepare?: (pipe: P) => void,
  ): P {
    const pipe = socket.createPipe(address, priority);
    prepare?.(pipe);
    const link: Link = { connecter: socket, connecterPipe: pipe, binder: null, binderPipe: null, remote: null };
    const list = this.links.get(name) ?? [];
    list.push(link);
    this.links.set(name, list);
    const binder = this.bound.get(name);
    if (binder !== undefined) this.complete(name, link, binder);
    return pipe;
  }

  /** Gives a connection its way to the name bound in another thread; it runs while the name is not bound here. */
  setRemote(name: string, pipe: InprocPipe, remote: InprocRemoteLink): void {
    const link = this.links.get(name)?.find((l) => l.connecterPipe === pipe);
    if (link === undefined) return;
    link.remote = remote;
    if (link.binder === null) remote.resume();
  }

  disconnect(name: string, pipe: InprocPipe): void {
    const list = this.links.get(name);
    const link = list?.find((l) => l.connecterPipe === pipe);
    if (list === undefined || link === undefined) return;
    this.unlink(link);
    list.splice(list.indexOf(link), 1);
    if (list.length === 0) this.links.delete(name);
  }

  private complete(name: string, link: Link, binding: { socket: InprocSocket; priority: number }): void {
    link.remote?.pause();
    const binder = binding.socket;
    const binderPipe = binder.createPipe(`inproc://${name}`, binding.priority);
    link.binder = binder;
    link.binderPipe = binderPipe;
    const bridge = new InprocBridge(link.connecterPipe, binderPipe);
    link.connecter.inprocLinked(link.connecterPipe, binder.inprocProperties());
    binder.inprocLinked(binderPipe, link.connecter.inprocProperties());
    bridge.start();
  }

  private unlink(link: Link): void {
    if (link.binder !== null && link.binderPipe !== null) {
      link.binder.inprocUnlinked(link.binderPipe);
      link.connecter.inprocUnlinked(link.connecterPipe);
    }
    link.binder = null;
    link.binderPipe = null;
    link.connecterPipe.driver = null;
  }
}
