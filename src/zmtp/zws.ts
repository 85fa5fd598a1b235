import { encodeReady, decodeCommand, decodeReady } from "./command.js";
import { FLAG_COMMAND, FLAG_LONG, FLAG_MORE, headerSize, writeFrameHeader } from "./frame.js";
import { encodeGreeting } from "./greeting.js";
import { getProperty } from "./metadata.js";
import { ProtocolError } from "../errors.js";
import { peerTypeFor, type SocketTypeName } from "./socket-types.js";

/**
 * ZWS 2.0 (RFC 45): ZMTP over WebSocket, as libzmq 4.3.5's ws engine speaks it. Pure functions
 * for the ws transport, which shows the engine a ZMTP byte stream:
 * - no greeting on the wire: the WebSocket subprotocol names the mechanism, and the engine gets
 *   a greeting made up for it (`zwsGreeting`);
 * - each ZMTP frame is one binary message: a flags byte (0x01 more, 0x02 command), then the body;
 * - bare `ZWS2.0` has no handshake at all: each side's first message is its routing id, turned
 *   into (and out of) a READY here so the engine runs its NULL handshake as usual.
 */

export const ZWS_MORE = 0x01;
export const ZWS_COMMAND = 0x02;

/** RFC 45's subprotocol without a mechanism (jszmq speaks only this one). */
export const ZWS_BARE = "ZWS2.0";

export type ZwsMechanism = "NULL" | "PLAIN" | "CURVE";

/**
 * What a client offers, in libzmq's order: NULL also offers bare ZWS2.0, which a server without
 * mechanisms (jszmq) picks. libzmq's server takes the first offered one it can run, so two
 * libzmq-like peers always agree on `ZWS2.0/NULL`.
 */
export function offeredSubprotocols(mechanism: ZwsMechanism): readonly string[] {
  return mechanism === "NULL" ? ["ZWS2.0/NULL", ZWS_BARE] : [`ZWS2.0/${mechanism}`];
}

/**
 * A server's choice from a client's `Sec-WebSocket-Protocol` header (a comma-separated list; one
 * leading space per entry is skipped, as libzmq does): the first that runs our mechanism, or null.
 */
export function chooseSubprotocol(header: string | undefined, mechanism: ZwsMechanism): string | null {
  if (header === undefined) return null;
  const runnable = offeredSubprotocols(mechanism);
  for (const entry of header.split(",")) {
    const name = entry.startsWith(" ") ? entry.slice(1) : entry;
    if (runnable.includes(name)) return name;
  }
  return null;
}

/** The mechanism a subprotocol runs: null for bare ZWS2.0, undefined for a name that is not ZWS 2.0. */
export function subprotocolMechanism(protocol: string): ZwsMechanism | null | undefined {
  switch (protocol) {
    case ZWS_BARE:
      return null;
    case "ZWS2.0/NULL":
      return "NULL";
    case "ZWS2.0/PLAIN":
      return "PLAIN";
    case "ZWS2.0/CURVE":
      return "CURVE";
    default:
      return undefined;
  }
}

/**
 * The peer greeting the engine is given: the subprotocol's mechanism, and ZMTP 3.0, so the engine
 * sends subscriptions as `0x01`/`0x00` messages. RFC 45 says so, and libzmq's ws engine passes a
 * SUBSCRIBE command to its socket as an unknown command (dropped): only the 3.0 form subscribes.
 */
export function zwsGreeting(mechanism: ZwsMechanism): Buffer {
  const greeting = encodeGreeting(mechanism, false);
  greeting[11] = 0;
  return greeting;
}

/**
 * One received ZWS message as the ZMTP frame the engine decodes (header, then the body copied
 * behind it). An empty message has no flags byte: libzmq closes the connection, and so do we.
 */
export function zmtpFrameOf(payload: Uint8Array): Buffer {
  if (payload.length === 0) throw new ProtocolError("ERR_WS_UNSPECIFIED", "empty WebSocket message (no ZWS flags)");
  const flags = payload[0]!;
  const size = payload.length - 1;
  const zmtpFlags = ((flags & ZWS_MORE) !== 0 ? FLAG_MORE : 0) | ((flags & ZWS_COMMAND) !== 0 ? FLAG_COMMAND : 0);
  const frame = Buffer.allocUnsafe(headerSize(size) + size);
  const at = writeFrameHeader(frame, 0, zmtpFlags, size);
  frame.set(payload.subarray(1), at);
  return frame;
}

/** Receives the frames `ZmtpFrameSplitter` finds, each as a ZWS payload (flags byte, then the body). */
export type ZwsPayloadSink = (payload: Buffer, command: boolean) => void;

type SplitState = "header" | "body";

/**
 * Our engine's outbound ZMTP byte stream (frames, after the greeting) → ZWS payloads. The writes
 * may cut frames anywhere; each body is copied once, straight into its payload behind the flags
 * byte (a WebSocket message is one buffer).
 */
export class ZmtpFrameSplitter {
  private state: SplitState = "header";
  private readonly header = Buffer.alloc(9);
  private headerFilled = 0;
  private payload: Buffer = Buffer.alloc(0);
  private payloadFilled = 0;
  private command = false;

  constructor(private readonly sink: ZwsPayloadSink) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      at = this.state === "header" ? this.readHeader(chunk, at) : this.readBody(chunk, at);
    }
  }

  private readHeader(chunk: Uint8Array, at: number): number {
    if (this.headerFilled === 0) {
      this.header[0] = chunk[at++]!;
      this.headerFilled = 1;
    }
    const need = (this.header[0]! & FLAG_LONG) !== 0 ? 9 : 2;
    const n = Math.min(need - this.headerFilled, chunk.length - at);
    this.header.set(chunk.subarray(at, at + n), this.headerFilled);
    this.headerFilled += n;
    at += n;
    if (this.headerFilled < need) return at;
    const flags = this.header[0]!;
    const size =
      need === 2 ? this.header[1]! : this.header.readUInt32BE(1) * 0x1_0000_0000 + this.header.readUInt32BE(5);
    this.command = (flags & FLAG_COMMAND) !== 0;
    this.payload = Buffer.allocUnsafe(size + 1);
    this.payload[0] = ((flags & FLAG_MORE) !== 0 ? ZWS_MORE : 0) | (this.command ? ZWS_COMMAND : 0);
    this.payloadFilled = 1;
    this.headerFilled = 0;
    this.state = "body";
    if (size === 0) this.finish();
    return at;
  }

  private readBody(chunk: Uint8Array, at: number): number {
    const n = Math.min(this.payload.length - this.payloadFilled, chunk.length - at);
    this.payload.set(chunk.subarray(at, at + n), this.payloadFilled);
    this.payloadFilled += n;
    if (this.payloadFilled === this.payload.length) this.finish();
    return at + n;
  }

  private finish(): void {
    const payload = this.payload;
    this.payload = Buffer.alloc(0);
    this.state = "header";
    this.sink(payload, this.command);
  }
}

// ---- bare ZWS2.0: routing ids instead of a handshake ----

/** What the bare peer learns from our READY: the routing id it is sent as our first message. */
export interface OwnReady {
  socketType: SocketTypeName | null;
  routingId: Buffer;
}

/**
 * Reads our own READY (the engine's first frame under NULL): its Socket-Type, and the Identity
 * that becomes our routing-id message (empty when the socket has none, as libzmq sends it).
 */
export function readOwnReady(commandBody: Buffer): OwnReady | null {
  const command = decodeCommand(commandBody);
  if (command === null || command.name !== "READY") return null;
  const props = decodeReady(command.data);
  const type = getProperty(props, "Socket-Type")?.toString("latin1") ?? null;
  return { socketType: type as SocketTypeName | null, routingId: getProperty(props, "Identity") ?? Buffer.alloc(0) };
}

/**
 * A bare peer's first message (its routing id, RFC 45 "identity = message-last") as the READY
 * frame the engine's NULL mechanism expects. Bare ZWS2.0 carries no socket type: the peer is
 * taken to be one ours can talk to, as libzmq's ws engine takes it without a check.
 */
export function readyFromRoutingId(payload: Uint8Array, ownType: SocketTypeName): Buffer {
  if (payload.length === 0 || (payload[0]! & (ZWS_MORE | ZWS_COMMAND)) !== 0) {
    throw new ProtocolError("ERR_WS_UNSPECIFIED", "a bare ZWS2.0 peer's first message must be its routing id");
  }
  const routingId = Buffer.from(payload.subarray(1));
  const props: Array<[string, Buffer | string]> = [["Socket-Type", peerTypeFor(ownType)]];
  if (routingId.length > 0) props.push(["Identity", routingId]);
  const body = encodeReady(props);
  const frame = Buffer.allocUnsafe(headerSize(body.length) + body.length);
  body.copy(frame, writeFrameHeader(frame, 0, FLAG_COMMAND, body.length));
  return frame;
}

/** Our routing id as the first message of a bare ZWS2.0 connection. */
export function routingIdMessage(routingId: Buffer): Buffer {
  const payload = Buffer.allocUnsafe(routingId.length + 1);
  payload[0] = 0;
  routingId.copy(payload, 1);
  return payload;
}
