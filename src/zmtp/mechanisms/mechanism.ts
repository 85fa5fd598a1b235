import type { Command } from "../command.js";
import type { Metadata } from "../metadata.js";

/** What a mechanism needs from the engine that runs it. */
export interface MechanismHost {
  /** Queues one command frame (body = name-len, name, data) to the peer. */
  sendCommand(body: Buffer): void;
  /** Our READY / INITIATE properties: Socket-Type, Identity where the socket type sends one. */
  localProperties(): Array<[string, Buffer]>;
  /** Throws a ProtocolError when the peer's properties are unacceptable (e.g. incompatible Socket-Type). */
  checkPeerProperties(props: Metadata): void;
  /** The handshake succeeded: traffic may flow. */
  handshakeComplete(props: Metadata): void;
  /** The peer refused us (ERROR command); `reason` is its text, e.g. "400". */
  peerRejected(reason: string): void;
}

/**
 * A security mechanism (RFC 23 §2.5): a state machine fed with the peer's commands until the
 * handshake completes. NULL, PLAIN and CURVE implement this; the engine knows no more.
 */
export interface Mechanism {
  /** The name in the greeting's 20-byte mechanism field. */
  readonly name: string;
  /** The as-server greeting bit we send (libzmq never reads it; roles come from configuration). */
  readonly asServer: boolean;
  /** Called once the peer's greeting was accepted; may send the first command. */
  start(host: MechanismHost): void;
  /** A command received before the handshake completed. Throws ProtocolError on a violation. */
  onCommand(command: Command): void;
}
