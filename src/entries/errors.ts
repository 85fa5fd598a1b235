/**
 * `zmtp/errors`: the shape of the errors zmtp throws (plain `Error`s with `code` and `errno`, as
 * zeromq.js's), and a guard to recognise them.
 */
export { isZmqError, zmqError, type ErrorCode, type ZmqError } from "../errors.js";
export type { AuthError, ErrnoError, ProtoError } from "../api/observer.js";
