import { zmqError } from "../../errors.js";
import type { parseAddressMask as full } from "../../transports/tcp-address-mask.js";

/**
 * `zmtp/browser-lite` has no accept filter: a page cannot listen on tcp (tcp:// is
 * EPROTONOSUPPORT there), so a filter would never apply. Setting one is ENOTSUP, as libzmq
 * answers for a feature its build lacks; clearing the list (null or "") still works. The full
 * page bundle keeps libzmq's parser and its EINVAL answers.
 */
export const parseAddressMask: typeof full = () => {
  throw zmqError("ENOTSUP");
};
