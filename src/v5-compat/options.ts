/**
 * setsockopt/getsockopt of the v5 API over a v6 socket's option properties, as
 * `zeromq/v5-compat` maps them: each libzmq option id names a v6 property (ZMQ_IDENTITY is
 * `routingId`), some convert the value (booleans read back as 0/1), and the ids the v6 API cannot
 * serve throw. The v6 property is read or written even where the socket type lacks it, so that
 * a missing one gives what the binding gives: `undefined` when read, V8's TypeError when set (v6
 * sockets are sealed).
 */
import * as c from "./constants.js";

/** The v5 property aliases: `socket.identity = "a"` is `socket.setsockopt(ZMQ_IDENTITY, "a")`. */
export const options = {
  _fd: c.ZMQ_FD,
  _ioevents: c.ZMQ_EVENTS,
  _receiveMore: c.ZMQ_RCVMORE,
  _subscribe: c.ZMQ_SUBSCRIBE,
  _unsubscribe: c.ZMQ_UNSUBSCRIBE,
  affinity: c.ZMQ_AFFINITY,
  backlog: c.ZMQ_BACKLOG,
  identity: c.ZMQ_IDENTITY,
  linger: c.ZMQ_LINGER,
  rate: c.ZMQ_RATE,
  rcvbuf: c.ZMQ_RCVBUF,
  last_endpoint: c.ZMQ_LAST_ENDPOINT,
  reconnect_ivl: c.ZMQ_RECONNECT_IVL,
  recovery_ivl: c.ZMQ_RECOVERY_IVL,
  sndbuf: c.ZMQ_SNDBUF,
  mechanism: c.ZMQ_MECHANISM,
  plain_server: c.ZMQ_PLAIN_SERVER,
  plain_username: c.ZMQ_PLAIN_USERNAME,
  plain_password: c.ZMQ_PLAIN_PASSWORD,
  curve_server: c.ZMQ_CURVE_SERVER,
  curve_publickey: c.ZMQ_CURVE_PUBLICKEY,
  curve_secretkey: c.ZMQ_CURVE_SECRETKEY,
  curve_serverkey: c.ZMQ_CURVE_SERVERKEY,
  zap_domain: c.ZMQ_ZAP_DOMAIN,
  heartbeat_ivl: c.ZMQ_HEARTBEAT_IVL,
  heartbeat_ttl: c.ZMQ_HEARTBEAT_TTL,
  heartbeat_timeout: c.ZMQ_HEARTBEAT_TIMEOUT,
  connect_timeout: c.ZMQ_CONNECT_TIMEOUT,
};

export type OptionName = keyof typeof options;

/** A v6 socket seen as the bag of option properties the v5 API reads and writes. */
export type OptionTarget = Record<string, unknown>;

interface OptionRule {
  set?(socket: OptionTarget, value: unknown): void;
  get?(socket: OptionTarget): unknown;
}

const property = (name: string): OptionRule => ({
  set: (socket, value) => void (socket[name] = value),
  get: (socket) => socket[name],
});

/** A boolean v6 option that the v5 API sets from any truthy value and reads as 0 or 1. */
const flag = (name: string, readable = true): OptionRule => ({
  set: (socket, value) => void (socket[name] = Boolean(value)),
  get: readable ? (socket) => (socket[name] ? 1 : 0) : undefined,
});

/**
 * ZMQ_SUBSCRIBE / ZMQ_UNSUBSCRIBE call the v6 method, which only SUB has; elsewhere the binding's
 * call fails with V8's message for its own expression, which is what programs saw.
 */
const call = (name: string): OptionRule => ({
  set: (socket, value) => {
    const method = socket[name];
    if (typeof method !== "function") throw new TypeError(`this._socket.${name} is not a function`);
    method.call(socket, value);
  },
});

const unsupported = (message: string): OptionRule => ({
  set: () => {
    throw new Error(message);
  },
  get: () => {
    throw new Error(message);
  },
});

const readOnlyFailing = (message: string): OptionRule => ({
  get: () => {
    throw new Error(message);
  },
});

const MECHANISMS: Record<string, number> = { plain: 1, curve: 2, gssapi: 3 };

const RULES = new Map<number, OptionRule>([
  [c.ZMQ_AFFINITY, property("affinity")],
  [c.ZMQ_IDENTITY, property("routingId")],
  [c.ZMQ_SUBSCRIBE, call("subscribe")],
  [c.ZMQ_UNSUBSCRIBE, call("unsubscribe")],
  [c.ZMQ_RATE, property("rate")],
  [c.ZMQ_RECOVERY_IVL, property("recoveryInterval")],
  [c.ZMQ_SNDBUF, property("sendBufferSize")],
  [c.ZMQ_RCVBUF, property("receiveBufferSize")],
  [c.ZMQ_RCVMORE, readOnlyFailing("ZMQ_RCVMORE is not supported in compatibility mode")],
  [c.ZMQ_FD, readOnlyFailing("ZMQ_FD is not supported in compatibility mode")],
  [c.ZMQ_EVENTS, { get: (socket) => (socket.readable ? c.ZMQ_POLLIN : 0) | (socket.writable ? c.ZMQ_POLLOUT : 0) }],
  [c.ZMQ_TYPE, { get: (socket) => socket.type }],
  [c.ZMQ_LINGER, property("linger")],
  [c.ZMQ_RECONNECT_IVL, property("reconnectInterval")],
  [c.ZMQ_BACKLOG, property("backlog")],
  [c.ZMQ_RECONNECT_IVL_MAX, property("reconnectMaxInterval")],
  [c.ZMQ_MAXMSGSIZE, property("maxMessageSize")],
  [c.ZMQ_SNDHWM, property("sendHighWaterMark")],
  [c.ZMQ_RCVHWM, property("receiveHighWaterMark")],
  [c.ZMQ_MULTICAST_HOPS, property("multicastHops")],
  [c.ZMQ_RCVTIMEO, property("receiveTimeout")],
  [c.ZMQ_SNDTIMEO, property("sendTimeout")],
  // The inverse of ZMQ_IPV6, read back as a boolean (not 0/1), as the binding does.
  [c.ZMQ_IPV4ONLY, { set: (socket, value) => void (socket.ipv6 = !value), get: (socket) => !socket.ipv6 }],
  [c.ZMQ_LAST_ENDPOINT, { get: (socket) => socket.lastEndpoint }],
  [c.ZMQ_ROUTER_MANDATORY, flag("mandatory")],
  [c.ZMQ_TCP_KEEPALIVE, property("tcpKeepalive")],
  [c.ZMQ_TCP_KEEPALIVE_CNT, property("tcpKeepaliveCount")],
  [c.ZMQ_TCP_KEEPALIVE_IDLE, property("tcpKeepaliveIdle")],
  [c.ZMQ_TCP_KEEPALIVE_INTVL, property("tcpKeepaliveInterval")],
  [c.ZMQ_TCP_ACCEPT_FILTER, { set: property("tcpAcceptFilter").set }],
  [c.ZMQ_DELAY_ATTACH_ON_CONNECT, flag("immediate")],
  [
    c.ZMQ_XPUB_VERBOSE,
    {
      set: (socket, value) => void (socket.verbosity = value ? "allSubs" : null),
      get: () => {
        throw new Error("Reading ZMQ_XPUB_VERBOSE is not supported");
      },
    },
  ],
  [c.ZMQ_ROUTER_RAW, unsupported("ZMQ_ROUTER_RAW is not supported in compatibility mode")],
  [c.ZMQ_IPV6, flag("ipv6")],
  [c.ZMQ_MECHANISM, { get: (socket) => MECHANISMS[String(socket.securityMechanism)] ?? 0 }],
  [c.ZMQ_PLAIN_SERVER, flag("plainServer")],
  [c.ZMQ_PLAIN_USERNAME, property("plainUsername")],
  [c.ZMQ_PLAIN_PASSWORD, property("plainPassword")],
  [c.ZMQ_CURVE_SERVER, flag("curveServer")],
  [c.ZMQ_CURVE_PUBLICKEY, property("curvePublicKey")],
  [c.ZMQ_CURVE_SECRETKEY, property("curveSecretKey")],
  [c.ZMQ_CURVE_SERVERKEY, property("curveServerKey")],
  [c.ZMQ_ZAP_DOMAIN, property("zapDomain")],
  [c.ZMQ_HEARTBEAT_IVL, property("heartbeatInterval")],
  [c.ZMQ_HEARTBEAT_TTL, property("heartbeatTimeToLive")],
  [c.ZMQ_HEARTBEAT_TIMEOUT, property("heartbeatTimeout")],
  [c.ZMQ_CONNECT_TIMEOUT, property("connectTimeout")],
  // Set only: the binding has no way to read it back.
  [c.ZMQ_ROUTER_HANDOVER, flag("handover", false)],
]);

/** An option id, or the id of an alias name (anything else matches no option). */
export function optionId(option: unknown): unknown {
  return typeof option === "number" ? option : (options as Record<string, unknown>)[option as string];
}

function rule(option: unknown): OptionRule | undefined {
  const id = optionId(option);
  return typeof id === "number" ? RULES.get(id) : undefined;
}

export function setOption(socket: OptionTarget, option: unknown, value: unknown): void {
  const set = rule(option)?.set;
  if (set === undefined) throw new Error("Unknown option");
  set(socket, value);
}

export function getOption(socket: OptionTarget, option: unknown): unknown {
  const get = rule(option)?.get;
  if (get === undefined) throw new Error("Unknown option");
  return get(socket);
}
