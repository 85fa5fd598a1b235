import type { Context } from "./context.js";
import type { MessageLike } from "./outgoing.js";
import { CONNECT_ROUTING_ID, Socket } from "./socket.js";

/** libzmq socket type numbers, as zeromq.js's SocketType. */
export const enum SocketType {
  Pair = 0,
  Publisher = 1,
  Subscriber = 2,
  Request = 3,
  Reply = 4,
  Dealer = 5,
  Router = 6,
  Pull = 7,
  Push = 8,
  XPublisher = 9,
  XSubscriber = 10,
  Stream = 11,
}

/** One frame of a received message (zeromq.js's Message); receive() resolves to an array of them. */
export type Message = Buffer;

/** Sockets that can send (zeromq.js's Writable); `O`: the options after the message (draft types). */
export interface Writable<
  M extends MessageLike | MessageLike[] = MessageLike | MessageLike[],
  O extends [...object[]] = [],
> {
  multicastHops: number;
  sendBufferSize: number;
  sendHighWaterMark: number;
  sendTimeout: number;
  send(message: M, ...options: O): Promise<void>;
}

/** Sockets that can receive (zeromq.js's Readable). */
export interface Readable<M extends object[] = Message[]> {
  receiveBufferSize: number;
  receiveHighWaterMark: number;
  receiveTimeout: number;
  receive(): Promise<M>;
  [Symbol.asyncIterator](): AsyncIterator<M, undefined>;
}

type WritableKeys<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? never : K;
}[keyof T];

/** The options a socket type accepts in its constructor, plus the context. */
export type SocketOptions<S extends Socket> = Partial<
  Pick<
    S,
    Exclude<
      WritableKeys<S>,
      | "events"
      | "context"
      | "closed"
      | "readable"
      | "writable"
      | "type"
      | "lastEndpoint"
      | "securityMechanism"
      | "threadSafe"
      | "statistics"
    >
  >
> & {
  context?: Context;
};

export class Pair extends Socket {
  constructor(options?: SocketOptions<Pair>) {
    super(SocketType.Pair, options);
  }
}
export interface Pair extends Writable, Readable {}

export class Publisher extends Socket {
  constructor(options?: SocketOptions<Publisher>) {
    super(SocketType.Publisher, options);
  }
}
export interface Publisher extends Writable {
  noDrop: boolean;
  conflate: boolean;
  invertMatching: boolean;
}

export class Subscriber extends Socket {
  constructor(options?: SocketOptions<Subscriber>) {
    super(SocketType.Subscriber, options);
  }

  subscribe(...prefixes: Array<Buffer | string>): void {
    if (prefixes.length === 0) this.setStringOption(6, null);
    else for (const prefix of prefixes) this.setStringOption(6, prefix);
  }

  unsubscribe(...prefixes: Array<Buffer | string>): void {
    if (prefixes.length === 0) this.setStringOption(7, null);
    else for (const prefix of prefixes) this.setStringOption(7, prefix);
  }
}
export interface Subscriber extends Readable {
  conflate: boolean;
  invertMatching: boolean;
}

export class Request extends Socket {
  constructor(options?: SocketOptions<Request>) {
    super(SocketType.Request, options);
  }
}
export interface Request extends Readable, Writable {
  routingId: string | null;
  probeRouter: boolean;
  correlate: boolean;
  relaxed: boolean;
}

export class Reply extends Socket {
  constructor(options?: SocketOptions<Reply>) {
    super(SocketType.Reply, options);
  }
}
export interface Reply extends Readable, Writable {
  routingId: string | null;
}

export class Dealer extends Socket {
  constructor(options?: SocketOptions<Dealer>) {
    super(SocketType.Dealer, options);
  }
}
export interface Dealer extends Readable, Writable {
  routingId: string | null;
  probeRouter: boolean;
  conflate: boolean;
}

export interface RouterConnectOptions {
  routingId?: string;
}

export class Router extends Socket {
  constructor(options?: SocketOptions<Router>) {
    super(SocketType.Router, options);
  }

  /** `routingId`: the id this peer gets on our side, whatever Identity it announces. */
  override connect(address: string, options: RouterConnectOptions = {}): void {
    if (options.routingId) this.setStringOption(CONNECT_ROUTING_ID, options.routingId);
    super.connect(address);
  }
}
export interface Router extends Readable, Writable {
  routingId: string | null;
  mandatory: boolean;
  probeRouter: boolean;
  handover: boolean;
}

export class Pull extends Socket {
  constructor(options?: SocketOptions<Pull>) {
    super(SocketType.Pull, options);
  }
}
export interface Pull extends Readable {
  conflate: boolean;
}

export class Push extends Socket {
  constructor(options?: SocketOptions<Push>) {
    super(SocketType.Push, options);
  }
}
export interface Push extends Writable {
  conflate: boolean;
}

export class XPublisher extends Socket {
  /** ZMQ_XPUB_VERBOSE and ZMQ_XPUB_VERBOSER as one property, as zeromq.js has it (write-only). */
  set verbosity(value: null | "allSubs" | "allSubsUnsubs") {
    switch (value) {
      case null:
        this.setBoolOption(40, false);
        break;
      case "allSubs":
        this.setBoolOption(40, true);
        break;
      case "allSubsUnsubs":
        this.setBoolOption(78, true);
        break;
    }
  }

  constructor(options?: SocketOptions<XPublisher>) {
    super(SocketType.XPublisher, options);
  }
}
export interface XPublisher extends Readable, Writable {
  noDrop: boolean;
  manual: boolean;
  welcomeMessage: string | null;
  invertMatching: boolean;
}

export class XSubscriber extends Socket {
  constructor(options?: SocketOptions<XSubscriber>) {
    super(SocketType.XSubscriber, options);
  }
}
export interface XSubscriber extends Readable, Writable {}

export interface StreamConnectOptions {
  routingId?: string;
}

export class Stream extends Socket {
  constructor(options?: SocketOptions<Stream>) {
    super(SocketType.Stream, options);
  }

  override connect(address: string, options: StreamConnectOptions = {}): void {
    if (options.routingId) this.setStringOption(CONNECT_ROUTING_ID, options.routingId);
    super.connect(address);
  }
}
export interface Stream extends Readable<[Message, Message]>, Writable<[MessageLike, MessageLike]> {
  notify: boolean;
}

// ---- option accessors, as zeromq.js defines them: name, libzmq id, accessor type, access ----

type Type = "Bool" | "Int32" | "Uint32" | "Int64" | "Uint64" | "String";
type Access = "rw" | "r" | "w";
type Target = { prototype: object };

const writables: Target[] = [Pair, Publisher, Request, Reply, Dealer, Router, Push, XPublisher, XSubscriber, Stream];
const readables: Target[] = [Pair, Subscriber, Request, Reply, Dealer, Router, Pull, XPublisher, XSubscriber, Stream];
const conflatables: Target[] = [Pull, Push, Subscriber, Publisher, Dealer];
const all: Target[] = [Socket];

export function defineOption(
  targets: Target[],
  name: string,
  id: number,
  type: Type,
  access: Access = "rw",
  values?: ReadonlyArray<string | null>,
): void {
  const descriptor: PropertyDescriptor = {};
  const getter = `get${type}Option`;
  const setter = `set${type}Option`;
  type Accessors = Record<string, (id: number, value?: unknown) => unknown>;
  if (access !== "w") {
    descriptor.get = values
      ? function get(this: Accessors) {
          return values[this[getter]!(id) as number];
        }
      : function get(this: Accessors) {
          return this[getter]!(id);
        };
  }
  if (access !== "r") {
    descriptor.set = values
      ? function set(this: Accessors, value: unknown) {
          this[setter]!(id, values.indexOf(value as string | null));
        }
      : function set(this: Accessors, value: unknown) {
          this[setter]!(id, value);
        };
  }
  for (const target of targets) {
    if (Object.prototype.hasOwnProperty.call(target.prototype, name)) continue;
    Object.defineProperty(target.prototype, name, descriptor);
  }
}

defineOption(writables, "sendBufferSize", 11, "Int32");
defineOption(writables, "sendHighWaterMark", 23, "Int32");
defineOption(writables, "sendTimeout", 28, "Int32");
defineOption(writables, "multicastHops", 25, "Int32");

defineOption(readables, "receiveBufferSize", 12, "Int32");
defineOption(readables, "receiveHighWaterMark", 24, "Int32");
defineOption(readables, "receiveTimeout", 27, "Int32");

defineOption(all, "affinity", 4, "Uint64");
defineOption([Request, Reply, Router, Dealer], "routingId", 5, "String");
defineOption(all, "rate", 8, "Int32");
defineOption(all, "recoveryInterval", 9, "Int32");
defineOption(all, "type", 16, "Int32", "r");
defineOption(all, "linger", 17, "Int32");
defineOption(all, "reconnectInterval", 18, "Int32");
defineOption(all, "backlog", 19, "Int32");
defineOption(all, "reconnectMaxInterval", 21, "Int32");
defineOption(all, "maxMessageSize", 22, "Int64");
defineOption(all, "lastEndpoint", 32, "String", "r");
defineOption([Router], "mandatory", 33, "Bool");
defineOption(all, "tcpKeepalive", 34, "Int32");
defineOption(all, "tcpKeepaliveCount", 35, "Int32");
defineOption(all, "tcpKeepaliveIdle", 36, "Int32");
defineOption(all, "tcpKeepaliveInterval", 37, "Int32");
defineOption(all, "tcpAcceptFilter", 38, "String");
defineOption(all, "immediate", 39, "Bool");
defineOption(all, "ipv6", 42, "Bool");
defineOption(all, "securityMechanism", 43, "Int32", "r", [null, "plain", "curve", "gssapi"]);
defineOption(all, "plainServer", 44, "Bool");
defineOption(all, "plainUsername", 45, "String");
defineOption(all, "plainPassword", 46, "String");
defineOption(all, "curveServer", 47, "Bool");
defineOption(all, "curvePublicKey", 48, "String");
defineOption(all, "curveSecretKey", 49, "String");
defineOption(all, "curveServerKey", 50, "String");
defineOption([Router, Dealer, Request], "probeRouter", 51, "Bool", "w");
defineOption([Request], "correlate", 52, "Bool", "w");
defineOption([Request], "relaxed", 53, "Bool", "w");
defineOption(conflatables, "conflate", 54, "Bool", "w");
defineOption(all, "zapDomain", 55, "String");
defineOption([Router], "handover", 56, "Bool", "w");
defineOption(all, "typeOfService", 57, "Uint32");
defineOption(all, "handshakeInterval", 66, "Int32");
defineOption(all, "socksProxy", 68, "String");
defineOption([XPublisher, Publisher], "noDrop", 69, "Bool", "w");
defineOption([XPublisher], "manual", 71, "Bool", "w");
defineOption([XPublisher], "welcomeMessage", 72, "String", "w");
defineOption([Stream], "notify", 73, "Bool", "w");
defineOption([Publisher, Subscriber, XPublisher], "invertMatching", 74, "Bool");
defineOption(all, "heartbeatInterval", 75, "Int32");
defineOption(all, "heartbeatTimeToLive", 76, "Int32");
defineOption(all, "heartbeatTimeout", 77, "Int32");
defineOption(all, "connectTimeout", 79, "Int32");
defineOption(all, "tcpMaxRetransmitTimeout", 80, "Int32");
defineOption(all, "threadSafe", 81, "Bool", "r");
defineOption(all, "multicastMaxTransportDataUnit", 84, "Int32");
defineOption(all, "vmciBufferSize", 85, "Uint64");
defineOption(all, "vmciBufferMinSize", 86, "Uint64");
defineOption(all, "vmciBufferMaxSize", 87, "Uint64");
defineOption(all, "vmciConnectTimeout", 88, "Int32");
defineOption(all, "interface", 92, "String");
defineOption(all, "zapEnforceDomain", 93, "Bool");
defineOption(all, "loopbackFastPath", 94, "Bool");
// zmtp additions (zeromq.js has no wss): libzmq's draft ZMQ_WSS_* options, write-only as in libzmq.
defineOption(all, "wssKeyPem", 103, "String", "w");
defineOption(all, "wssCertPem", 104, "String", "w");
defineOption(all, "wssTrustPem", 105, "String", "w");
defineOption(all, "wssHostname", 106, "String", "w");
defineOption(all, "wssTrustSystem", 107, "Bool", "w");

/** The options every socket has, declared for TypeScript; the accessors above implement them. */
declare module "./socket.js" {
  interface Socket {
    affinity: number;
    rate: number;
    recoveryInterval: number;
    readonly type: SocketType;
    linger: number;
    reconnectInterval: number;
    backlog: number;
    reconnectMaxInterval: number;
    maxMessageSize: number;
    readonly lastEndpoint: string | null;
    tcpKeepalive: number;
    tcpKeepaliveCount: number;
    tcpKeepaliveIdle: number;
    tcpKeepaliveInterval: number;
    tcpAcceptFilter: string | null;
    immediate: boolean;
    ipv6: boolean;
    readonly securityMechanism: null | "plain" | "curve" | "gssapi";
    plainServer: boolean;
    plainUsername: string | null;
    plainPassword: string | null;
    curveServer: boolean;
    curvePublicKey: string | null;
    curveSecretKey: string | null;
    curveServerKey: string | null;
    zapDomain: string | null;
    typeOfService: number;
    handshakeInterval: number;
    socksProxy: string | null;
    heartbeatInterval: number;
    heartbeatTimeToLive: number;
    heartbeatTimeout: number;
    connectTimeout: number;
    tcpMaxRetransmitTimeout: number;
    readonly threadSafe: boolean;
    multicastMaxTransportDataUnit: number;
    vmciBufferSize: number;
    vmciBufferMinSize: number;
    vmciBufferMaxSize: number;
    vmciConnectTimeout: number;
    interface: string | null;
    zapEnforceDomain: boolean;
    loopbackFastPath: boolean;
    /** wss bind: the PEM private key of `wssCertPem` (ZMQ_WSS_KEY_PEM). Write-only. A zmtp addition. */
    wssKeyPem: string | null;
    /** wss bind: the PEM certificate chain presented to peers (ZMQ_WSS_CERT_PEM). Write-only. A zmtp addition. */
    wssCertPem: string | null;
    /** wss connect: PEM certificates to trust (ZMQ_WSS_TRUST_PEM). Write-only. A zmtp addition. */
    wssTrustPem: string | null;
    /** wss connect: the name sent (SNI) and checked in the server's certificate (ZMQ_WSS_HOSTNAME). Write-only. A zmtp addition. */
    wssHostname: string | null;
    /** wss connect: also trust the system's certificate authorities (ZMQ_WSS_TRUST_SYSTEM). Write-only. A zmtp addition. */
    wssTrustSystem: boolean;
  }
}
