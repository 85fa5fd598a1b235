import { zmqError } from "../errors.js";

/**
 * Socket options with zeromq.js v6's names, defaults and validation. Values live in a plain
 * `OptionValues` record per socket; the public properties are accessors defined from this table,
 * so the hot path reads fields, never a lookup.
 */
export interface OptionValues {
  // ---- every socket ----
  affinity: number;
  rate: number;
  recoveryInterval: number;
  /** ms to keep delivering queued messages after close(); -1 = until done, 0 = drop them. */
  linger: number;
  /** ms before the first reconnect attempt; -1 = never reconnect. */
  reconnectInterval: number;
  backlog: number;
  /** ms cap of the exponential reconnect backoff; 0 = no backoff (constant interval). */
  reconnectMaxInterval: number;
  /** Largest inbound frame in bytes; -1 = unlimited. A peer exceeding it is disconnected. */
  maxMessageSize: number;
  tcpKeepalive: number;
  tcpKeepaliveCount: number;
  tcpKeepaliveIdle: number;
  tcpKeepaliveInterval: number;
  tcpAcceptFilter: string | null;
  /** Queue only to completed connections (no pipe before the handshake). */
  immediate: boolean;
  ipv6: boolean;
  plainServer: boolean;
  plainUsername: string | null;
  plainPassword: string | null;
  curveServer: boolean;
  curvePublicKey: string | null;
  curveSecretKey: string | null;
  curveServerKey: string | null;
  zapDomain: string | null;
  typeOfService: number;
  /** ms for greeting + handshake; 0 = no limit. */
  handshakeInterval: number;
  socksProxy: string | null;
  /** ms between PINGs; 0 = no heartbeats. */
  heartbeatInterval: number;
  /** ms the peer may stay silent after our PING (sent to it in deciseconds); 0 = no TTL. */
  heartbeatTimeToLive: number;
  /** ms to wait for traffic after a PING; -1 = heartbeatInterval. */
  heartbeatTimeout: number;
  /** ms for a TCP connect attempt; 0 = OS default. */
  connectTimeout: number;
  tcpMaxRetransmitTimeout: number;
  multicastMaxTransportDataUnit: number;
  interface: string | null;
  zapEnforceDomain: boolean;
  loopbackFastPath: boolean;
  multicastHops: number;
  sendBufferSize: number;
  /** Messages queued per peer before send waits (0 = unlimited). */
  sendHighWaterMark: number;
  /** ms a send may wait; -1 = forever, 0 = fail at once with EAGAIN. */
  sendTimeout: number;
  receiveBufferSize: number;
  receiveHighWaterMark: number;
  /** ms a receive may wait; -1 = forever. */
  receiveTimeout: number;
  // ---- some socket types ----
  routingId: string | null;
  probeRouter: boolean;
  correlate: boolean;
  relaxed: boolean;
  mandatory: boolean;
  handover: boolean;
  conflate: boolean;
  noDrop: boolean;
  invertMatching: boolean;
  manual: boolean;
  welcomeMessage: string | null;
  /** XPUB: which duplicate (un)subscriptions the application sees (ZMQ_XPUB_VERBOSE / VERBOSER). */
  verbosity: null | "allSubs" | "allSubsUnsubs";
}

export type OptionName = keyof OptionValues;

type Kind = "int" | "bool" | "string" | "routingId" | "enum";

interface OptionSpec {
  kind: Kind;
  min?: number;
  max?: number;
  /** The accepted values of an "enum" option. */
  values?: readonly unknown[];
}

const int = (min: number, max = 2 ** 31 - 1): OptionSpec => ({ kind: "int", min, max });
const bool: OptionSpec = { kind: "bool" };
const str: OptionSpec = { kind: "string" };

const SPECS: Record<OptionName, OptionSpec> = {
  affinity: int(0, Number.MAX_SAFE_INTEGER),
  rate: int(1),
  recoveryInterval: int(0),
  linger: int(-1),
  reconnectInterval: int(-1),
  backlog: int(0),
  reconnectMaxInterval: int(0),
  maxMessageSize: int(-1, Number.MAX_SAFE_INTEGER),
  tcpKeepalive: int(-1, 1),
  tcpKeepaliveCount: int(-1),
  tcpKeepaliveIdle: int(-1),
  tcpKeepaliveInterval: int(-1),
  tcpAcceptFilter: str,
  immediate: bool,
  ipv6: bool,
  plainServer: bool,
  plainUsername: str,
  plainPassword: str,
  curveServer: bool,
  curvePublicKey: str,
  curveSecretKey: str,
  curveServerKey: str,
  zapDomain: str,
  typeOfService: int(0, 255),
  handshakeInterval: int(0),
  socksProxy: str,
  heartbeatInterval: int(0),
  heartbeatTimeToLive: int(0, 6_553_599),
  heartbeatTimeout: int(-1),
  connectTimeout: int(0),
  tcpMaxRetransmitTimeout: int(0),
  multicastMaxTransportDataUnit: int(0),
  interface: str,
  zapEnforceDomain: bool,
  loopbackFastPath: bool,
  multicastHops: int(-1),
  sendBufferSize: int(-1),
  sendHighWaterMark: int(0),
  sendTimeout: int(-1),
  receiveBufferSize: int(-1),
  receiveHighWaterMark: int(0),
  receiveTimeout: int(-1),
  routingId: { kind: "routingId" },
  probeRouter: bool,
  correlate: bool,
  relaxed: bool,
  mandatory: bool,
  handover: bool,
  conflate: bool,
  noDrop: bool,
  invertMatching: bool,
  manual: bool,
  welcomeMessage: str,
  verbosity: { kind: "enum", values: [null, "allSubs", "allSubsUnsubs"] },
};

export function defaultOptions(): OptionValues {
  return {
    affinity: 0,
    rate: 100,
    recoveryInterval: 10_000,
    linger: -1,
    reconnectInterval: 100,
    backlog: 100,
    reconnectMaxInterval: 0,
    maxMessageSize: -1,
    tcpKeepalive: -1,
    tcpKeepaliveCount: -1,
    tcpKeepaliveIdle: -1,
    tcpKeepaliveInterval: -1,
    tcpAcceptFilter: null,
    immediate: false,
    ipv6: false,
    plainServer: false,
    plainUsername: null,
    plainPassword: null,
    curveServer: false,
    curvePublicKey: null,
    curveSecretKey: null,
    curveServerKey: null,
    zapDomain: null,
    typeOfService: 0,
    handshakeInterval: 30_000,
    socksProxy: null,
    heartbeatInterval: 0,
    heartbeatTimeToLive: 0,
    heartbeatTimeout: -1,
    connectTimeout: 0,
    tcpMaxRetransmitTimeout: 0,
    multicastMaxTransportDataUnit: 1500,
    interface: null,
    zapEnforceDomain: false,
    loopbackFastPath: false,
    multicastHops: 1,
    sendBufferSize: -1,
    sendHighWaterMark: 1000,
    sendTimeout: -1,
    receiveBufferSize: -1,
    receiveHighWaterMark: 1000,
    receiveTimeout: -1,
    routingId: null,
    probeRouter: false,
    correlate: false,
    relaxed: false,
    mandatory: false,
    handover: false,
    conflate: false,
    noDrop: false,
    invertMatching: false,
    manual: false,
    welcomeMessage: null,
    verbosity: null,
  };
}

/** Validates a value for an option; TypeError for a wrong type (as zeromq.js), EINVAL for a bad value. */
export function validateOption<K extends OptionName>(name: K, value: unknown): OptionValues[K] {
  const spec = SPECS[name];
  switch (spec.kind) {
    case "int":
      if (typeof value !== "number") throw new TypeError(`Option value must be a number (${name})`);
      if (!Number.isInteger(value) || value < spec.min! || value > spec.max!) {
        throw zmqError("EINVAL", `Invalid value ${value} for ${name}: expected an integer in ${spec.min}..${spec.max}`);
      }
      return value as OptionValues[K];
    case "bool":
      if (typeof value !== "boolean") throw new TypeError(`Option value must be a boolean (${name})`);
      return value as OptionValues[K];
    case "string":
      if (value === null || value === undefined) return null as OptionValues[K];
      if (Buffer.isBuffer(value)) return value.toString("latin1") as OptionValues[K];
      if (typeof value !== "string") throw new TypeError(`Option value must be a string or null (${name})`);
      return value as OptionValues[K];
    case "routingId": {
      if (value === null || value === undefined) return null as OptionValues[K];
      const text = Buffer.isBuffer(value) ? value.toString("latin1") : value;
      if (typeof text !== "string") throw new TypeError(`Option value must be a string or null (${name})`);
      const bytes = Buffer.byteLength(text);
      // RFC 23 §2.5.1: identities are 1..255 bytes; a leading zero byte is reserved for auto ids.
      if (bytes === 0 || bytes > 255 || text.charCodeAt(0) === 0) {
        throw zmqError("EINVAL", `Invalid routingId: must be 1..255 bytes and not start with a zero byte`);
      }
      return text as OptionValues[K];
    }
    case "enum":
      if (!spec.values!.includes(value)) {
        throw zmqError("EINVAL", `Invalid value ${String(value)} for ${name}: expected one of ${spec.values!.map(String).join(", ")}`);
      }
      return value as OptionValues[K];
  }
}

/**
 * Checks or reshapes a validated value before it is stored (e.g. keys to Z85); throws to refuse it,
 * in which case the option keeps its previous value.
 */
export type OptionNormalizer = (name: OptionName, value: unknown) => unknown;

/**
 * Defines validated accessors for `names` on a socket class prototype. The class stores its
 * values in `this.options`; a closed socket refuses option access with ENOTSOCK, as zeromq.js does.
 */
export function defineOptions(proto: object, names: readonly OptionName[], normalize?: OptionNormalizer): void {
  for (const name of names) {
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: true,
      get(this: { options: OptionValues; closed: boolean }) {
        if (this.closed) throw zmqError("ENOTSOCK", "Socket is closed; its options can no longer be read");
        return this.options[name];
      },
      set(this: { options: OptionValues; closed: boolean }, value: unknown) {
        if (this.closed) throw zmqError("ENOTSOCK", "Socket is closed; its options can no longer be set");
        const valid = validateOption(name, value);
        (this.options as unknown as Record<string, unknown>)[name] = normalize === undefined ? valid : normalize(name, valid);
      },
    });
  }
}

/** Options every socket has (zeromq.js `Socket` plus Writable / Readable members). */
export const COMMON_OPTIONS: readonly OptionName[] = [
  "affinity", "rate", "recoveryInterval", "linger", "reconnectInterval", "backlog",
  "reconnectMaxInterval", "maxMessageSize", "tcpKeepalive", "tcpKeepaliveCount", "tcpKeepaliveIdle",
  "tcpKeepaliveInterval", "tcpAcceptFilter", "immediate", "ipv6", "plainServer", "plainUsername",
  "plainPassword", "curveServer", "curvePublicKey", "curveSecretKey", "curveServerKey", "zapDomain",
  "typeOfService", "handshakeInterval", "socksProxy", "heartbeatInterval", "heartbeatTimeToLive",
  "heartbeatTimeout", "connectTimeout", "tcpMaxRetransmitTimeout", "multicastMaxTransportDataUnit",
  "interface", "zapEnforceDomain", "loopbackFastPath", "multicastHops", "sendBufferSize",
  "sendHighWaterMark", "sendTimeout", "receiveBufferSize", "receiveHighWaterMark", "receiveTimeout",
];

/**
 * `conflate` on a type that does not implement it yet: false is accepted (zeromq.js accepts the
 * option on these types), true fails with ENOTSUP rather than being silently ignored.
 */
export function refuseConflate(_name: OptionName, value: unknown): unknown {
  if (value === true) throw zmqError("ENOTSUP", "conflate is not supported on this socket type yet (Subscriber has it)");
  return value;
}
