import { zmqError } from "../../errors.js";
import type { EndpointsOwner } from "../../sockets/endpoints.js";

/**
 * A page has no datagram socket, and the draft types that use udp:// are not in its bundle: no
 * udp endpoint is ever made there, and the udp code stays out of the bundle (about 2 KB gzipped).
 * The same shape as ../../sockets/datagram-endpoints.ts, refusing as a libzmq without udp would.
 */
export class DatagramEndpoints {
  readonly size = 0;
  readonly pendingOutbound = false;

  constructor(_owner: EndpointsOwner) {}

  bind(uri: string): Promise<void> {
    return Promise.reject(zmqError("EPROTONOSUPPORT", undefined, uri));
  }

  connect(uri: string): void {
    throw zmqError("EPROTONOSUPPORT", undefined, uri);
  }

  terminate(uri: string): void {
    throw zmqError("EPROTONOSUPPORT", undefined, uri);
  }

  closeAll(_graceful: boolean): void {}
}
