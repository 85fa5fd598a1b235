import { zmqError } from "../../errors.js";
import type { plainMechanism as full } from "../../sockets/session/plain.js";

/**
 * `zmtp/browser-lite` leaves PLAIN out: the only transport a page has that runs a mechanism is
 * ws://, and a page's WebSocket can offer RFC 45's bare "ZWS2.0" alone, which carries NULL (a
 * PLAIN socket's connect() is ENOTSUP before any connection exists). So this is never called in
 * a page; it says so if it is.
 */
export const plainMechanism: typeof full = () => {
  throw zmqError("ENOTSUP", "zmtp/browser-lite has no PLAIN: a page's ws:// carries NULL only");
};
