/**
 * Errors a user can switch on: `code` and `errno` match the names and numbers zeromq.js
 * reports (Linux errno values), so existing `catch` blocks keep working after the swap.
 */

const ERRNO = {
  EAGAIN: 11,
  EBADF: 9,
  EBUSY: 16,
  EINVAL: 22,
  ENOENT: 2,
  EFSM: 156384763,
  EHOSTUNREACH: 113,
  ENOTSOCK: 88,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ECONNREFUSED: 111,
  EPROTONOSUPPORT: 93,
  ENOTSUP: 95,
  ETERM: 156384765,
  EMSGSIZE: 90,
  ENOCOMPATPROTO: 156384764,
  ETIMEDOUT: 110,
  EACCES: 13,
} as const;

export type ErrorCode = keyof typeof ERRNO;

const DEFAULT_MESSAGE: Record<ErrorCode, string> = {
  EAGAIN: "Operation was not possible or timed out",
  EBADF: "Socket is closed",
  EBUSY: "Socket is busy",
  EINVAL: "Invalid argument",
  ENOENT: "No such endpoint",
  EFSM: "Operation cannot be accomplished in current state",
  EHOSTUNREACH: "Host unreachable",
  ENOTSOCK: "Socket operation on non-socket",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ECONNREFUSED: "Connection refused",
  EPROTONOSUPPORT: "Protocol not supported",
  ENOTSUP: "Operation not supported",
  ETERM: "Context was terminated",
  EMSGSIZE: "Message too long",
  ENOCOMPATPROTO: "The protocol is not compatible with the socket type",
  ETIMEDOUT: "Connection timed out",
  EACCES: "Permission denied",
};

/** An error with a libzmq-style `code` (e.g. "EAGAIN") and its `errno` number. */
export class ZmqError extends Error {
  readonly code: ErrorCode;
  readonly errno: number;
  address?: string;

  constructor(code: ErrorCode, message?: string, address?: string) {
    super(message ?? DEFAULT_MESSAGE[code]);
    this.name = "Error";
    this.code = code;
    this.errno = ERRNO[code];
    if (address !== undefined) this.address = address;
  }
}

export function zmqError(code: ErrorCode, message?: string, address?: string): ZmqError {
  return new ZmqError(code, message, address);
}

/** Maps a Node system error (from `net`, `fs`) to our error family, keeping its code when known. */
export function fromSystemError(err: NodeJS.ErrnoException, address?: string): ZmqError {
  const code = (err.code ?? "") in ERRNO ? (err.code as ErrorCode) : "EINVAL";
  return new ZmqError(code, err.message, address);
}
