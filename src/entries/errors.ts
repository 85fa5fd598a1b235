/** `zmtp/errors`: the class of the errors zmtp throws, for `instanceof` and `code` checks. */
export { ZmqError, type ErrorCode } from "../errors.js";
