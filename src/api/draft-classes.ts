/**
 * zeromq.js's draft socket classes (`zeromq/draft`), over zmtp's draft socket types. Loading this
 * module makes the types and their send/receive shapes known (udp:// is the platform's).
 */
import { ClientSocket } from "../sockets/client.js";
import { DgramSocket } from "../sockets/dgram.js";
import { DishSocket } from "../sockets/dish.js";
import { registerSocketType } from "../sockets/factory.js";
import { GatherSocket } from "../sockets/gather.js";
import { RadioSocket } from "../sockets/radio.js";
import { ScatterSocket } from "../sockets/scatter.js";
import { ServerSocket } from "../sockets/server.js";
import { dishEnvelope, radioEnvelope, serverEnvelope } from "./draft-envelopes.js";
import { registerEnvelope } from "./envelope.js";
import type { MessageLike } from "./outgoing.js";
import { defineOption, type Message, type Readable, type SocketOptions, type Writable } from "./socket-classes.js";
import { Socket } from "./socket.js";

/** libzmq's draft socket type numbers (zmq_draft.h). */
const enum DraftType {
  Server = 12,
  Client = 13,
  Radio = 14,
  Dish = 15,
  Gather = 16,
  Scatter = 17,
  Datagram = 18,
}

registerSocketType(DraftType.Server, ServerSocket);
registerSocketType(DraftType.Client, ClientSocket);
registerSocketType(DraftType.Radio, RadioSocket);
registerSocketType(DraftType.Dish, DishSocket);
registerSocketType(DraftType.Gather, GatherSocket);
registerSocketType(DraftType.Scatter, ScatterSocket);
registerSocketType(DraftType.Datagram, DgramSocket);
registerEnvelope(DraftType.Server, serverEnvelope);
registerEnvelope(DraftType.Radio, radioEnvelope);
registerEnvelope(DraftType.Dish, dishEnvelope);

interface ServerRoutingOptions {
  routingId: number;
}

/** SERVER (RFC 41): single-part messages, each received with and sent to a CLIENT's routing id. */
export class Server extends Socket {
  constructor(options?: SocketOptions<Server>) {
    super(DraftType.Server, options);
  }
}
export interface Server
  extends Readable<[Message, ServerRoutingOptions]>, Writable<MessageLike, [ServerRoutingOptions]> {}

/** CLIENT (RFC 41): single-part messages, round robin to SERVERs, fair-queued from them. */
export class Client extends Socket {
  constructor(options?: SocketOptions<Client>) {
    super(DraftType.Client, options);
  }
}
export interface Client extends Readable<[Message]>, Writable<MessageLike> {}

interface RadioGroupOptions {
  group: Buffer | string;
}

/** RADIO (RFC 48): each message to the DISHes that joined its group. */
export class Radio extends Socket {
  constructor(options?: SocketOptions<Radio>) {
    super(DraftType.Radio, options);
  }
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the send() type into the class
export interface Radio extends Writable<MessageLike, [RadioGroupOptions]> {}

interface DishGroupOptions {
  group: Buffer;
}

/** DISH (RFC 48): receives the messages of the groups it joined. */
export class Dish extends Socket {
  constructor(options?: SocketOptions<Dish>) {
    super(DraftType.Dish, options);
  }
}
export interface Dish extends Readable<[Message, DishGroupOptions]> {
  join(...values: Array<Buffer | string>): void;
  leave(...values: Array<Buffer | string>): void;
}

/** GATHER: fair-queues single-part messages from SCATTERs. */
export class Gather extends Socket {
  constructor(options?: SocketOptions<Gather>) {
    super(DraftType.Gather, options);
  }
}
export interface Gather extends Readable<[Message]> {
  conflate: boolean;
}

/** SCATTER: single-part messages round robin to GATHERs. */
export class Scatter extends Socket {
  constructor(options?: SocketOptions<Scatter>) {
    super(DraftType.Scatter, options);
  }
}
export interface Scatter extends Writable<MessageLike> {
  conflate: boolean;
}

/** DGRAM: `[address, body]` datagrams over udp://. */
export class Datagram extends Socket {
  constructor(options?: SocketOptions<Datagram>) {
    super(DraftType.Datagram, options);
  }
}
export interface Datagram extends Readable<[Message, Message]>, Writable<[MessageLike, MessageLike]> {}

// Option accessors, on the classes zeromq.js gives them to (in its order, as its prototypes list them).
const writables = [Server, Client, Radio, Scatter, Datagram];
const readables = [Server, Client, Dish, Gather, Datagram];
defineOption(writables, "sendBufferSize", 11, "Int32");
defineOption(writables, "sendHighWaterMark", 23, "Int32");
defineOption(writables, "sendTimeout", 28, "Int32");
defineOption(writables, "multicastHops", 25, "Int32");
defineOption(readables, "receiveBufferSize", 12, "Int32");
defineOption(readables, "receiveHighWaterMark", 24, "Int32");
defineOption(readables, "receiveTimeout", 27, "Int32");
defineOption([Scatter, Gather], "conflate", 54, "Bool", "w");
