import type { Command } from "../command.js";
import type { Metadata } from "../metadata.js";
import type { ZapReply, ZapRequest } from "../zap.js";

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
  /** We refused the peer (ZAP said 300/400/500): ERROR is flushed (except for 300), then the connection closes. */
  authFailed(status: number, reason: string): void;
  /**
   * The handshake stops here without a word to the peer, as libzmq's mechanisms do on some
   * failures: `error` is reported now, the connection ends at the handshake deadline.
   */
  stall(error: Error): void;
  /** Ends the connection for an error found after onCommand returned (a bad ZAP reply), as if it had been thrown. */
  fail(error: unknown): void;
  /** True once the connection has ended (a late ZAP reply is then dropped). */
  readonly closed: boolean;
  /** Asks the ZAP handler of the socket's Context; null when none is bound. */
  zap(request: Omit<ZapRequest, "address" | "identity">): Promise<ZapReply> | null;
}

/** libzmq's msg_t flags, which CURVE MESSAGE boxes carry as their inner flags (docs/protocol.md §8.6). */
export const INNER_MORE = 1;
export const INNER_COMMAND = 2;

/**
 * After the handshake CURVE wraps every frame in a MESSAGE (RFC 26 §2.6). Inner flags use
 * libzmq's values: INNER_MORE, INNER_COMMAND.
 */
export interface TrafficCodec {
  /** The MESSAGE command body carrying one frame; sent as an ordinary data frame (docs/protocol.md §8.6). */
  encode(flags: number, body: Buffer): Buffer;
  /** Bytes `encode` gives for a body of `bodyLength` bytes. */
  encodedLength(bodyLength: number): number;
  /** `encode`, written at `target[at..at + encodedLength]` (the writer's batch) instead of a new Buffer. */
  encodeInto(flags: number, body: Buffer, target: Buffer, at: number): void;
  /**
   * Opens a MESSAGE body, in place: the returned body is a view of `message`, whose bytes it
   * overwrites. Throws ProtocolError on a bad box, nonce or layout.
   */
  decode(message: Buffer): { flags: number; body: Buffer };
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
  /**
   * Parses a handshake command body, for a mechanism that must accept a peer's malformed form
   * (libzmq's PLAIN ERROR, docs/protocol.md §7.3). Without it the engine uses `decodeCommand`.
   */
  decodeCommand?(body: Buffer): Command | null;
  /** A command received before the handshake completed. Throws ProtocolError on a violation. */
  onCommand(command: Command): void;
  /** Present once the handshake completed when the mechanism encrypts traffic (CURVE). */
  readonly codec?: TrafficCodec | null;
  /** The authenticated user id a ZAP handler returned, if any. */
  readonly userId?: string;
}
