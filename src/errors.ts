/**
 * Every error zmtp makes, in one family built here and nowhere else:
 * - errno errors (`zmqError`): what calls throw, built exactly as zeromq.js builds them: plain
 *   `Error` objects whose own properties are `errno`, `code` and (for endpoint operations)
 *   `address`, with zeromq.js's messages, so `catch` blocks and logs read the same after the
 *   swap. The public API layer rebuilds each one from its code alone (`publicError`), as the
 *   binding does from libzmq's errno; internal ones may carry a descriptive message.
 * - protocol errors (`ProtocolError`): a peer broke ZMTP or ZAP; the connection closes and the
 *   monitor reports `handshake:error:protocol` with the code.
 * - authentication errors (`authError`): a ZAP handler refused a peer with a status code.
 */

/** errno values (Linux, as zeromq.js reports them) and zeromq.js's message for each. */
const ERRNO = {
  EPERM: [1, "Operation not permitted"],
  ENOENT: [2, "No such endpoint"],
  EINTR: [4, "Interrupted system call"],
  EBADF: [9, "Socket is closed"],
  EAGAIN: [11, "Operation was not possible or timed out"],
  ENOMEM: [12, "Cannot allocate memory"],
  EACCES: [13, "Permission denied"],
  EFAULT: [14, "Context is closed"],
  EBUSY: [16, "Socket is busy"],
  ENODEV: [19, "No such device"],
  EINVAL: [22, "Invalid argument"],
  EMFILE: [24, "Too many open file descriptors"],
  EPIPE: [32, "Broken pipe"],
  ENAMETOOLONG: [36, "File name too long"],
  ENOTSOCK: [88, "Socket operation on non-socket"],
  EMSGSIZE: [90, "Message too long"],
  EPROTONOSUPPORT: [93, "Protocol not supported"],
  ENOTSUP: [95, "Operation not supported"],
  EAFNOSUPPORT: [97, "Address family not supported by protocol"],
  EADDRINUSE: [98, "Address already in use"],
  EADDRNOTAVAIL: [99, "Cannot assign requested address"],
  ENETDOWN: [100, "Network is down"],
  ENETUNREACH: [101, "Network is unreachable"],
  ECONNABORTED: [103, "Software caused connection abort"],
  ECONNRESET: [104, "Connection reset by peer"],
  ENOBUFS: [105, "No buffer space available"],
  ENOTCONN: [107, "Transport endpoint is not connected"],
  ETIMEDOUT: [110, "Connection timed out"],
  ECONNREFUSED: [111, "Connection refused"],
  EHOSTUNREACH: [113, "Host unreachable"],
  EINPROGRESS: [115, "Operation now in progress"],
  // libzmq's own codes: ZMQ_HAUSNUMERO (156384712) + 51..54.
  EFSM: [156384763, "Operation cannot be accomplished in current state"],
  ENOCOMPATPROTO: [156384764, "The protocol is not compatible with the socket type"],
  ETERM: [156384765, "Context was terminated"],
  EMTHREAD: [156384766, "No thread available"],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRNO;

/** zeromq.js's `ErrnoError`: an Error with `errno` and `code` (and `address` for endpoints). */
export interface ZmqError extends Error {
  errno: number;
  code: ErrorCode;
  address?: string;
}

/**
 * The one factory for errno errors. The message defaults to zeromq.js's for the code; a
 * descriptive message is for internal use (logs, `zmtp probe`): the public API rebuilds errors
 * with `publicError`.
 */
export function zmqError(code: ErrorCode, message?: string, address?: string): ZmqError {
  const [errno, text] = ERRNO[code];
  const error = new Error(message ?? text) as ZmqError;
  error.errno = errno;
  error.code = code;
  if (address !== undefined) error.address = address;
  return error;
}

export function isZmqError(err: unknown): err is ZmqError {
  return err instanceof Error && typeof (err as ZmqError).code === "string" && (err as ZmqError).code in ERRNO;
}

/** The error zeromq.js would give for this one: same code, its message, the address if any. */
export function publicError(err: unknown, address?: string): Error {
  if (!isZmqError(err)) return err instanceof Error ? err : new Error(String(err));
  return zmqError(err.code, undefined, address ?? err.address);
}

/** The code zeromq.js reports for an errno number, or undefined when it is not one we know. */
export function codeOfErrno(errno: number): ErrorCode | undefined {
  for (const code of Object.keys(ERRNO) as ErrorCode[]) if (ERRNO[code][0] === errno) return code;
  return undefined;
}

export function errnoOf(code: ErrorCode): number {
  return ERRNO[code][0];
}

/** Maps a Node system error (from `net`, `fs`) to our family, keeping its code when known. */
export function fromSystemError(err: NodeJS.ErrnoException, address?: string): ZmqError {
  const code = (err.code ?? "") in ERRNO ? (err.code as ErrorCode) : "EINVAL";
  return zmqError(code, err.message, address);
}

/**
 * A violation of ZMTP or ZAP by the peer. The codes are zeromq.js's `ProtoError` codes, which
 * mirror libzmq's ZMQ_PROTOCOL_ERROR_* values; the engine closes the connection on one of these
 * (a WebSocket upgrade or ZWS message that breaks RFC 6455 or RFC 45 is one too).
 */
export type ProtocolErrorCode =
  | "ERR_ZMTP_UNSPECIFIED"
  | "ERR_ZMTP_UNEXPECTED_COMMAND"
  | "ERR_ZMTP_INVALID_SEQUENCE"
  | "ERR_ZMTP_KEY_EXCHANGE"
  | "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED"
  | "ERR_ZMTP_MALFORMED_COMMAND_MESSAGE"
  | "ERR_ZMTP_MALFORMED_COMMAND_HELLO"
  | "ERR_ZMTP_MALFORMED_COMMAND_INITIATE"
  | "ERR_ZMTP_MALFORMED_COMMAND_ERROR"
  | "ERR_ZMTP_MALFORMED_COMMAND_READY"
  | "ERR_ZMTP_MALFORMED_COMMAND_WELCOME"
  | "ERR_ZMTP_INVALID_METADATA"
  | "ERR_ZMTP_CRYPTOGRAPHIC"
  | "ERR_ZMTP_MECHANISM_MISMATCH"
  | "ERR_ZAP_UNSPECIFIED"
  | "ERR_ZAP_MALFORMED_REPLY"
  | "ERR_ZAP_BAD_REQUEST_ID"
  | "ERR_ZAP_BAD_VERSION"
  | "ERR_ZAP_INVALID_STATUS_CODE"
  | "ERR_ZAP_INVALID_METADATA"
  // libzmq's ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED (0x30000000): zeromq.js has no name for it and
  // reports "Unknown error" (ERR_UNKNOWN), as protocolEventError does.
  | "ERR_WS_UNSPECIFIED";

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
  }
}

/** The peer announced a Socket-Type ours cannot talk to (RFC 23 §2.5.1): fatal, like libzmq. */
export class IncompatiblePeerError extends ProtocolError {
  constructor(message: string) {
    super("ERR_ZMTP_INVALID_METADATA", message);
    this.name = "IncompatiblePeerError";
  }
}

/** A ZAP refusal: the handler's status code (300, 400, 500) and its reason. */
export interface AuthFailure extends Error {
  status: number;
}

export function authError(status: number, message: string): AuthFailure {
  const error = new Error(message) as AuthFailure;
  error.status = status;
  return error;
}

/** zeromq.js's error for an errno it has no name for: "Unknown error N", code "Unknown system error". */
export function unknownSystemError(errno: number): Error & { errno: number; code: string } {
  const error = new Error(`Unknown error ${errno}`) as Error & { errno: number; code: string };
  error.errno = errno;
  error.code = "Unknown system error";
  return error;
}

/**
 * zeromq.js's `ProtoError` for a `handshake:error:protocol` event: "ZMTP protocol error" or "ZAP
 * protocol error" with the code, "Unknown error" with `ERR_UNKNOWN` for a code it does not know.
 */
export function protocolEventError(code: string): Error & { code: string } {
  const kind = code.startsWith("ERR_ZAP_") ? "ZAP" : code.startsWith("ERR_ZMTP_") ? "ZMTP" : null;
  const error = new Error(kind === null ? "Unknown error" : `${kind} protocol error`) as Error & { code: string };
  error.code = kind === null ? "ERR_UNKNOWN" : code;
  return error;
}
