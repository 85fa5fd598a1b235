import { startRawEngine } from "#platform/raw";
import { Engine, type EngineClose, type EngineHost } from "../../zmtp/engine.js";
import type { Metadata } from "../../zmtp/metadata.js";
import type { ByteStream } from "../../transports/stream.js";
import type { Listener } from "../../transports/transport.js";
import type { Pipe } from "../pipe.js";
import { applyPeer, emitEngineClose, emitRefused, type SessionOwner } from "./owner.js";
import type { RawEngine, RawEngineHost } from "./raw-engine.js";

/** One accepted connection: its pipe exists from handshake to disconnect only (libzmq semantics). */
class AcceptedSession implements EngineHost, RawEngineHost {
  pipe: Pipe | null = null;
  readonly engine: Engine | RawEngine;

  constructor(
    private readonly acceptor: Acceptor,
    stream: ByteStream,
  ) {
    stream.unref?.();
    const owner = acceptor.owner;
    // libzmq reports a transport's own handshake (the WebSocket upgrade) as one, before the mechanism's.
    stream.once("handshake", () => owner.emit({ type: "handshake", address: acceptor.endpoint }));
    this.engine =
      owner.options.rawSocket && stream.zmtpOnly !== true
        ? startRawEngine(stream, owner, this, acceptor.endpoint)
        : new Engine(stream, owner.engineOptions(), this, acceptor.endpoint);
  }

  /** A raw connection (STREAM) has no handshake: its pipe joins at once, with no handshake event. */
  rawEngineReady(engine: RawEngine): void {
    const owner = this.acceptor.owner;
    const pipe = owner.createPipe(this.acceptor.endpoint, this.acceptor.priority);
    pipe.connected = true;
    if (owner.attachPipe(pipe)) {
      this.pipe = pipe;
      engine.attach(pipe);
    }
  }

  engineReady(engine: Engine, props: Metadata): void {
    const owner = this.acceptor.owner;
    owner.emit({ type: "handshake", address: this.acceptor.endpoint });
    const pipe = owner.createPipe(this.acceptor.endpoint, this.acceptor.priority);
    applyPeer(pipe, props, null);
    pipe.connected = true;
    if (owner.attachPipe(pipe)) {
      this.pipe = pipe;
      engine.attach(pipe);
    }
  }

  engineRefused(_engine: Engine, error: Error): void {
    emitRefused(this.acceptor.owner, this.acceptor.endpoint, error);
  }

  engineClosed(_engine: Engine | RawEngine, reason: EngineClose): void {
    this.acceptor.sessions.delete(this);
    emitEngineClose(this.acceptor.owner, this.acceptor.endpoint, reason);
    if (this.pipe !== null) {
      this.pipe.connected = false;
      this.acceptor.owner.detachPipe(this.pipe);
      // What the peer sent before it left is still delivered (libzmq does); only our queue to it goes.
      this.pipe.discardOutbound();
      this.pipe = null;
    }
  }

  get pendingOutbound(): boolean {
    return (this.pipe?.hasOutbound ?? false) || this.engine.unsentBytes > 0;
  }
}

/** A bound endpoint and the connections it accepted. */
export class Acceptor {
  readonly sessions = new Set<AcceptedSession>();
  private listener: Listener | null = null;
  private boundEndpoint: string | null = null;

  constructor(
    readonly owner: SessionOwner,
    readonly address: string,
    /** Failover tier given to the pipes of connections accepted here. */
    readonly priority: number,
  ) {}

  /** The real endpoint once listening (lastEndpoint), else the address as given. */
  get endpoint(): string {
    return this.boundEndpoint ?? this.address;
  }

  listening(listener: Listener): void {
    this.listener = listener;
    this.boundEndpoint = listener.endpoint;
    // zeromq.js: a bound socket that is merely idle does not keep the process alive.
    listener.unref?.();
  }

  readonly accept = (stream: ByteStream): void => {
    this.owner.emit({ type: "accept", address: this.endpoint });
    this.sessions.add(new AcceptedSession(this, stream));
  };

  /** A connection the transport closed on accepting it (tcpAcceptFilter): libzmq's accept_failed. */
  readonly refused = (error: Error): void => {
    this.owner.emit({ type: "accept:error", address: this.endpoint, error });
  };

  get pendingOutbound(): boolean {
    for (const session of this.sessions) if (session.pendingOutbound) return true;
    return false;
  }

  /** Stops listening; `dropConnections` also ends what was accepted (unbind, close). */
  close(dropConnections: boolean, graceful = true): void {
    if (this.listener !== null) {
      this.listener.close();
      this.listener = null;
      this.owner.emit({ type: "close", address: this.endpoint });
    }
    if (!dropConnections) return;
    for (const session of [...this.sessions]) {
      const engine = session.engine;
      engine.close({ kind: "local", error: null, handshaken: engine.handshaken, fatal: false, graceful });
    }
    this.sessions.clear();
  }
}
