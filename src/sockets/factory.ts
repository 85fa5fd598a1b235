import type { ContextCore } from "../context.js";
import { zmqError } from "../errors.js";
import type { SocketBase } from "./base.js";
import type { SocketCore } from "./core.js";
import { DealerSocket } from "./dealer.js";
import { PairSocket } from "./pair.js";
import { PublisherSocket } from "./publisher.js";
import { PullSocket } from "./pull.js";
import { PushSocket } from "./push.js";
import { ReplySocket } from "./reply.js";
import { RequestSocket } from "./request.js";
import { RouterSocket } from "./router.js";
import { StreamSocket } from "./stream.js";
import { SubscriberSocket } from "./subscriber.js";
import { XPublisherSocket } from "./xpublisher.js";
import { XSubscriberSocket } from "./xsubscriber.js";

/** The socket types by libzmq's number (zmq.h: ZMQ_PAIR = 0 ... ZMQ_XSUB = 10, ZMQ_STREAM = 11). */
const TYPES: ReadonlyArray<new (context: ContextCore) => SocketBase> = [
  PairSocket,
  PublisherSocket,
  SubscriberSocket,
  RequestSocket,
  ReplySocket,
  DealerSocket,
  RouterSocket,
  PullSocket,
  PushSocket,
  XPublisherSocket,
  XSubscriberSocket,
  StreamSocket,
];

/** Types added by an entry that brings them (zmtp/draft: SERVER = 12 ... DGRAM = 18). */
const added = new Map<number, new (context: ContextCore) => SocketBase>();

/** Makes `type` known to zmq_socket; the entry of the draft sockets registers them on load. */
export function registerSocketType(type: number, Type: new (context: ContextCore) => SocketBase): void {
  added.set(type, Type);
}

/** zmq_socket: a new socket of libzmq type number `type`; EINVAL for a type zmtp does not have. */
export function createSocketCore(type: number, context: ContextCore): SocketCore {
  const Type = Number.isInteger(type) ? (TYPES[type] ?? added.get(type)) : undefined;
  if (Type === undefined) throw zmqError("EINVAL");
  return new Type(context);
}
