/**
 * The one barrel for this repository's own code outside the library proper (the `zmtp` CLI,
 * bench/ and the tests): the main entry and the subpath entries together. Not exported in
 * package.json; applications (packages/*) use the public entries only.
 */
export * from "./index.js";
export * from "./entries/auth.js";
export * from "./entries/errors.js";
export * from "./entries/z85.js";
export * from "./entries/ws.js";

import { unwrapSocket } from "./api/socket-access.js";
import type { Socket } from "./api/socket.js";
import type { SocketBase } from "./sockets/base.js";

/** The socket core behind a public socket: tests reach its clock, pipes and counters through it. */
export function socketInternals(socket: Socket): SocketBase {
  const core = unwrapSocket(socket);
  if (core === null) throw new TypeError("not a zmtp socket");
  return core as SocketBase;
}
