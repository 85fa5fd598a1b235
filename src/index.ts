/**
 * zmtp: ZeroMQ in pure TypeScript, with the zeromq.js v6 API. Change `from "zeromq"` to
 * `from "zmtp"`; no native addon, no compiler.
 */
export { Context, context, type ContextOptions } from "./context.js";
export { ZmqError, type ErrorCode } from "./errors.js";
export { Socket, type SocketOptions, type Readable, type Writable } from "./sockets/base.js";
export { Observer, type Event, type EventType, type EventOfType } from "./sockets/events.js";
export type { Message } from "./sockets/pipe.js";
export type { MessageLike } from "./sockets/message.js";
export { Pair } from "./sockets/pair.js";
export { Push } from "./sockets/push.js";
export { Pull } from "./sockets/pull.js";
export { Dealer } from "./sockets/dealer.js";
export { Router, type RouterConnectOptions } from "./sockets/router.js";
export { Request } from "./sockets/request.js";
export { Reply } from "./sockets/reply.js";
export { Publisher } from "./sockets/publisher.js";
export { Subscriber } from "./sockets/subscriber.js";
export { XPublisher } from "./sockets/xpublisher.js";
export { XSubscriber } from "./sockets/xsubscriber.js";
export { Proxy } from "./proxy.js";
export { curveKeyPair, curvePublicKey, z85Decode, z85Encode } from "./zmtp/z85.js";
export { Authenticator, type AuthDecision, type AuthenticatorOptions } from "./authenticator.js";
/** The monitoring system (agents, routers, sinks, schedulers) built on zmtp: see src/monitor. */
export * as monitor from "./monitor/index.js";

/** The libzmq version whose behaviour this library follows (zeromq.js reports the bundled libzmq's). */
export const version = "4.3.5";

/** What this build supports, in zeromq.js's shape. */
export const capability: Partial<Record<"ipc" | "pgm" | "tipc" | "norm" | "curve" | "gssapi" | "draft", boolean>> = {
  ipc: true,
  pgm: false,
  tipc: false,
  norm: false,
  curve: true,
  gssapi: false,
  draft: false,
};
