import type { SocketCore } from "../sockets/core.js";

/*
 * A socket's private state, for the API's other classes (Observer, Proxy) and the internals
 * barrel. Socket's static block provides the accessors (only it can read its #private fields);
 * this module holds them so that those classes need not import Socket itself.
 */

/** @internal The core behind a public socket, or null for anything else (zeromq.js's Unwrap). */
export let unwrapSocket: (value: unknown) => SocketCore | null;
/** @internal How many binds and connects a socket made (a Proxy needs both ends set up). */
export let endpointsOf: (socket: object) => number;
/** @internal A running Proxy blocks both of its sockets, as zeromq.js does. */
export let blockSocket: (socket: object, blocked: boolean) => void;
/** @internal The batch functions changed the core behind the socket's back: retry its pending operations. */
export let retryPending: (socket: object) => void;

export function provideSocketAccess(access: {
  unwrap: typeof unwrapSocket;
  endpoints: typeof endpointsOf;
  block: typeof blockSocket;
  retry: typeof retryPending;
}): void {
  unwrapSocket = access.unwrap;
  endpointsOf = access.endpoints;
  blockSocket = access.block;
  retryPending = access.retry;
}
