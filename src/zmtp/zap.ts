import { decodeProperties } from "./metadata.js";
import { ProtocolError } from "../errors.js";

/**
 * ZAP (RFC 27): the request a server-side mechanism makes about a peer and the handler's reply,
 * and their frames. Pure: the exchange itself (a REQ-style conversation with the handler bound at
 * inproc://zeromq.zap.01 in the socket's Context) lives in the socket layer; mechanisms only call
 * `MechanismHost.zap()`.
 */
export interface ZapRequest {
  domain: string;
  /** Peer IP address without port (libzmq's form). */
  address: string;
  /** The server socket's own routing id (libzmq sends this, not the client's). */
  identity: Buffer;
  mechanism: "NULL" | "PLAIN" | "CURVE";
  credentials: Buffer[];
}

export interface ZapReply {
  /** "200" accept, "300" temporary failure, "400" denied, "500" internal error. */
  statusCode: string;
  statusText: string;
  userId: string;
  /** Extra connection properties (ZMTP property encoding), merged into the peer's metadata. */
  metadata: Buffer;
}

/** A request as a handler reads it: the version and request id it must echo, and what it decides on. */
export interface ZapRequestFrames {
  version: string;
  requestId: Buffer;
  domain: string;
  address: string;
  identity: Buffer;
  mechanism: string;
  credentials: Buffer[];
}

export const ZAP_VERSION = "1.0";
/** libzmq opens one pipe per request and always uses request id "1" (docs/protocol.md §9.2). */
export const ZAP_REQUEST_ID = "1";
const STATUS_CODES = new Set(["200", "300", "400", "500"]);

/** Frames from text (UTF-8) and bytes. */
function frames(...parts: Array<string | Buffer>): Buffer[] {
  return parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part));
}

/** Request frames: "" · "1.0" · request-id · domain · address · identity · mechanism · credentials… */
export function encodeZapRequest(request: ZapRequest, requestId = ZAP_REQUEST_ID): Buffer[] {
  const { domain, address, identity, mechanism, credentials } = request;
  return frames("", ZAP_VERSION, requestId, domain, address, identity, mechanism, ...credentials);
}

/**
 * Reads request frames (from the empty delimiter on); null when they are not a request at all
 * (fewer than 7 frames, no delimiter). The version is returned, not checked: the handler answers
 * a wrong one with 500.
 */
export function decodeZapRequest(frames: readonly Buffer[]): ZapRequestFrames | null {
  if (frames.length < 7 || frames[0]!.length !== 0) return null;
  const [, version, requestId, domain, address, identity, mechanism, ...credentials] = frames as [Buffer, ...Buffer[]];
  return {
    version: version!.toString(),
    requestId: requestId!,
    domain: domain!.toString(),
    address: address!.toString(),
    identity: identity!,
    mechanism: mechanism!.toString(),
    credentials,
  };
}

/** Reply frames: "" · "1.0" · request-id · status code · status text · user id · metadata. */
export function encodeZapReply(requestId: Buffer | string, reply: ZapReply): Buffer[] {
  return frames("", ZAP_VERSION, requestId, reply.statusCode, reply.statusText, reply.userId, reply.metadata);
}

/**
 * Checks a reply as libzmq's zap_client does: 7 frames starting with the empty delimiter, version
 * "1.0", our request id, a known status code, parseable metadata — else ERR_ZAP_* (a protocol error).
 */
export function decodeZapReply(frames: readonly Buffer[], requestId = ZAP_REQUEST_ID): ZapReply {
  if (frames.length !== 7 || frames[0]!.length !== 0) {
    throw new ProtocolError(
      "ERR_ZAP_MALFORMED_REPLY",
      `ZAP reply must be 7 frames starting with an empty one, got ${frames.length}`,
    );
  }
  const [, version, id, status, text, userId, metadata] = frames as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  if (version.toString("latin1") !== ZAP_VERSION) {
    throw new ProtocolError(
      "ERR_ZAP_BAD_VERSION",
      `ZAP reply version must be "1.0", got "${version.toString("latin1")}"`,
    );
  }
  if (id.toString("latin1") !== requestId) {
    throw new ProtocolError(
      "ERR_ZAP_BAD_REQUEST_ID",
      `ZAP reply request id "${id.toString("latin1")}" is not "${requestId}"`,
    );
  }
  const statusCode = status.toString("latin1");
  if (!STATUS_CODES.has(statusCode)) {
    throw new ProtocolError(
      "ERR_ZAP_INVALID_STATUS_CODE",
      `ZAP status must be 200, 300, 400 or 500, got "${statusCode}"`,
    );
  }
  try {
    decodeProperties(metadata);
  } catch {
    throw new ProtocolError("ERR_ZAP_INVALID_METADATA", "ZAP reply metadata is not a valid property list");
  }
  return { statusCode, statusText: text.toString(), userId: userId.toString(), metadata };
}

/**
 * Asks the ZAP handler about a peer (RFC 27): its reply, or null when no handler is bound (the
 * mechanism then decides alone, as libzmq does).
 */
export type ZapFunction = (request: ZapRequest) => Promise<ZapReply> | null;
