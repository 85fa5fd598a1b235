/**
 * zmtp: ZeroMQ in pure TypeScript, with the zeromq.js v6 API. Change `from "zeromq"` to
 * `from "zmtp"`; no native addon, no compiler.
 *
 * This entry exports exactly zeromq.js v6's names (and a default export holding them, for
 * `import zmq from "zmtp"`). zmtp's own additions live on subpath entries, so that nothing
 * outside zeromq.js's surface loads with `import "zmtp"`: `zmtp/auth` (Authenticator),
 * `zmtp/z85` (Z85 and CURVE key helpers), `zmtp/errors` (the error shapes).
 */
import { curve } from "#curve";
import { Context as ContextClass, context } from "./api/context.js";
import { nativeClass } from "./api/native-class.js";
import { Observer as ObserverClass } from "./api/observer.js";
import { Proxy as ProxyClass } from "./api/proxy.js";
import { Socket as SocketClass } from "./api/socket.js";
import {
  Dealer,
  Pair,
  Publisher,
  Pull,
  Push,
  Reply,
  Request,
  Router,
  Stream,
  Subscriber,
  XPublisher,
  XSubscriber,
} from "./api/socket-classes.js";
import { datagramTransport, streamTransport } from "./transports/registry.js";
import { curveKeyPair } from "#z85";

export type { Event, EventOfType, EventType, EventSubscriber } from "./api/observer.js";
export type { MessageLike } from "./api/outgoing.js";
export type {
  Message,
  Readable,
  RouterConnectOptions,
  SocketOptions,
  StreamConnectOptions,
  Writable,
} from "./api/socket-classes.js";

// zeromq.js's native classes, with their outcome when called without `new`.
export const Context: typeof ContextClass = nativeClass(ContextClass);
export type Context = ContextClass;
export const Socket: typeof SocketClass = nativeClass(SocketClass);
export type Socket = SocketClass;
export const Observer: typeof ObserverClass = nativeClass(ObserverClass);
export type Observer = ObserverClass;
export const Proxy: typeof ProxyClass = nativeClass(ProxyClass);
export type Proxy<F extends SocketClass = SocketClass, B extends SocketClass = SocketClass> = ProxyClass<F, B>;

/** The libzmq version whose behaviour this library follows (zeromq.js reports the bundled libzmq's). */
export const version = "4.3.5";

/**
 * What this build supports, in zeromq.js's shape. zeromq.js reports its libzmq build (with
 * tipc and draft); these are the transports and features zmtp has on this platform (no ipc in
 * a browser, no CURVE in the browser bundle built without it). The draft sockets are on the
 * `zmtp/draft` entry, as zeromq.js has them on `zeromq/draft`: a Node entry, as is udp, which
 * they need (a page has neither).
 */
export const capability: Partial<Record<"ipc" | "pgm" | "tipc" | "norm" | "curve" | "gssapi" | "draft", boolean>> = {
  ipc: streamTransport("ipc") !== null,
  pgm: false,
  tipc: false,
  norm: false,
  curve: curve !== null,
  gssapi: false,
  draft: datagramTransport("udp") !== null,
};

export {
  context,
  curveKeyPair,
  Pair,
  Publisher,
  Subscriber,
  Request,
  Reply,
  Dealer,
  Router,
  Pull,
  Push,
  XPublisher,
  XSubscriber,
  Stream,
};

/** Every export above in one object: `import zmq from "zmtp"` then `new zmq.Push()`, as with zeromq.js. */
const zmq = {
  capability,
  context,
  curveKeyPair,
  version,
  Context,
  Socket,
  Observer,
  Proxy,
  Pair,
  Publisher,
  Subscriber,
  Request,
  Reply,
  Dealer,
  Router,
  Pull,
  Push,
  XPublisher,
  XSubscriber,
  Stream,
};
export default zmq;
