import type { Clock } from "../../clock.js";
import type { EngineClose, EngineOptions } from "../../zmtp/engine.js";
import type { Event } from "../events.js";
import type { OptionValues } from "../socket-options.js";
import type { SocketCounters } from "../statistics.js";
import type { Pipe } from "../pipe.js";
import type { TransportOptions } from "../../transports/transport.js";
import { getProperty, type Metadata } from "../../zmtp/metadata.js";
import { IncompatiblePeerError, ProtocolError, zmqError } from "../../errors.js";

/** What connection endpoints (connecters, acceptors) need from their socket. */
export interface SessionOwner {
  readonly options: OptionValues;
  readonly counters: SocketCounters;
  readonly clock: Clock;
  readonly transportOptions: TransportOptions;
  /** Fresh options (with a fresh mechanism) for one connection. */
  engineOptions(): EngineOptions;
  createPipe(endpoint: string, priority: number): Pipe;
  /** Hands a pipe to the routing policy; false when the socket refuses it (PAIR already paired). */
  attachPipe(pipe: Pipe): boolean;
  detachPipe(pipe: Pipe): void;
  emit(event: Event): void;
  /** Whether a connect pipe may exist before the handshake (immediate = false, and the type allows). */
  readonly attachesBeforeHandshake: boolean;
}

/** Sets what a handshake taught us on the pipe: metadata and the routing id (peer Identity if any). */
export function applyPeer(pipe: Pipe, props: Metadata, fixedRoutingId: Buffer | null): void {
  pipe.metadata = props;
  if (fixedRoutingId !== null) {
    pipe.routingId = fixedRoutingId;
    return;
  }
  const identity = getProperty(props, "Identity");
  pipe.routingId = identity !== undefined && identity.length > 0 ? identity : null;
}

/** Emits the event zeromq.js would for a connection that ended, from the engine's reason. */
export function emitEngineClose(owner: SessionOwner, address: string, reason: EngineClose): void {
  if (reason.kind === "protocol") owner.counters.protocolErrors += 1;
  // Our own close (disconnect, unbind, close) is not reported as the peer disconnecting (zeromq.js).
  if (reason.kind === "local") return;
  // An incompatible Socket-Type is no handshake error to libzmq: it only reports the disconnect.
  if (!reason.handshaken && reason.reported !== true && !(reason.error instanceof IncompatiblePeerError)) {
    // libzmq reads a peer's orderly close as EPIPE.
    const error = reason.error ?? zmqError("EPIPE");
    if (reason.kind === "auth") owner.emit({ type: "handshake:error:auth", address, error });
    else if (reason.error instanceof ProtocolError) owner.emit({ type: "handshake:error:protocol", address, error });
    else owner.emit({ type: "handshake:error:other", address, error });
  }
  owner.emit({ type: "disconnect", address });
}

/**
 * A handshake that stalled, which libzmq reports at once while it keeps the connection: ZAP
 * refused the peer for now (300, an auth error with its status), or a required ZAP handler is
 * missing (EFAULT, an "other" error).
 */
export function emitRefused(owner: SessionOwner, address: string, error: Error): void {
  const type = "status" in error ? "handshake:error:auth" : "handshake:error:other";
  owner.emit({ type, address, error });
}
