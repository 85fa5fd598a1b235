/**
 * The one error family of zmtp-broker: a plain Error with a `code` to switch on, like zmtp's own
 * errors. What each code means for the request:
 *
 *   ETIMEDOUT   no answer within the retries; `mayHaveRun` says whether a worker may have run it
 *   ENOSERVICE  no worker offers the service (on every broker asked)
 *   EBUSY       too many requests waiting: the client's own bound, or a broker's queue
 *   EWORKER     the worker's handler failed; it ran exactly once, and this is its error
 *   ECLOSED     the client was closed with the request pending (it may have run)
 *   EPROTO      a peer answered something the protocol does not allow
 */
export type BrokerErrorCode = "ETIMEDOUT" | "ENOSERVICE" | "EBUSY" | "EWORKER" | "ECLOSED" | "EPROTO";

export interface BrokerError extends Error {
  code: BrokerErrorCode;
  /** For ETIMEDOUT and ECLOSED: whether a worker may have run the request (never twice). */
  mayHaveRun?: boolean;
}

export function brokerError(code: BrokerErrorCode, message: string, mayHaveRun?: boolean): BrokerError {
  const err = new Error(message) as BrokerError;
  err.code = code;
  if (mayHaveRun !== undefined) err.mayHaveRun = mayHaveRun;
  return err;
}

export function isBrokerError(err: unknown): err is BrokerError {
  return err instanceof Error && typeof (err as Partial<BrokerError>).code === "string";
}
