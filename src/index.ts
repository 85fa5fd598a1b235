/**
 * zmtp: ZeroMQ in pure TypeScript, with the zeromq.js v6 API. Change `from "zeromq"` to
 * `from "zmtp"`; no native addon, no compiler.
 *
 * This entry exports exactly zeromq.js v6's names (and a default export holding them, for
 * `import zmq from "zmtp"`). zmtp's own additions live on subpath entries, so that nothing
 * outside zeromq.js's surface loads with `import "zmtp"`: `zmtp/auth` (Authenticator),
 * `zmtp/z85` (Z85 and CURVE key helpers), `zmtp/errors` (ZmqError).
 */
import { Context, context } from "./context.js";
import { Pair } from "./sockets/pair.js";
import { Publisher } from "./sockets/publisher.js";
import { Subscriber } from "./sockets/subscriber.js";
import { Request } from "./sockets/request.js";
import { Reply } from "./sockets/reply.js";
import { Dealer } from "./sockets/dealer.js";
import { Router } from "./sockets/router.js";
import { Pull } from "./sockets/pull.js";
import { Push } from "./sockets/push.js";
import { XPublisher } from "./sockets/xpublisher.js";
import { XSubscriber } from "./sockets/xsubscriber.js";
import { Socket } from "./sockets/base.js";
import { Observer } from "./sockets/events.js";
import { Proxy } from "./proxy.js";
import { curveKeyPair } from "./zmtp/z85.js";

export type { Message } from "./sockets/pipe.js";
export type { MessageLike } from "./sockets/message.js";
export type { Readable, SocketOptions, Writable } from "./sockets/base.js";
export type { Event, EventOfType, EventType } from "./sockets/events.js";
export type { RouterConnectOptions } from "./sockets/router.js";

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

export {
  context, curveKeyPair, Context, Socket, Observer, Proxy,
  Pair, Publisher, Subscriber, Request, Reply, Dealer, Router, Pull, Push, XPublisher, XSubscriber,
};

/** Every export above in one object: `import zmq from "zmtp"` then `new zmq.Push()`, as with zeromq.js. */
const zmq = {
  capability, context, curveKeyPair, version, Context, Socket, Observer, Proxy,
  Pair, Publisher, Subscriber, Request, Reply, Dealer, Router, Pull, Push, XPublisher, XSubscriber,
};
export default zmq;
