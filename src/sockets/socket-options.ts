import { curve } from "#curve";
import { zmqError } from "../errors.js";
import { parseAddressMask } from "#address-mask";
import type { AddressMask } from "../transports/tcp-address-mask.js";
import { z85Decode } from "#z85";
import type { OptionArgument, OptionKind, OptionResult } from "./core.js";

/** libzmq option ids (zmq.h), the ones zmtp knows. */
export const enum Opt {
  Affinity = 4,
  RoutingId = 5,
  Subscribe = 6,
  Unsubscribe = 7,
  Rate = 8,
  RecoveryIvl = 9,
  SndBuf = 11,
  RcvBuf = 12,
  RcvMore = 13,
  Fd = 14,
  Events = 15,
  Type = 16,
  Linger = 17,
  ReconnectIvl = 18,
  Backlog = 19,
  ReconnectIvlMax = 21,
  MaxMsgSize = 22,
  SndHwm = 23,
  RcvHwm = 24,
  MulticastHops = 25,
  RcvTimeo = 27,
  SndTimeo = 28,
  Ipv4Only = 31,
  LastEndpoint = 32,
  RouterMandatory = 33,
  TcpKeepalive = 34,
  TcpKeepaliveCnt = 35,
  TcpKeepaliveIdle = 36,
  TcpKeepaliveIntvl = 37,
  TcpAcceptFilter = 38,
  Immediate = 39,
  XpubVerbose = 40,
  RouterRaw = 41,
  Ipv6 = 42,
  Mechanism = 43,
  PlainServer = 44,
  PlainUsername = 45,
  PlainPassword = 46,
  CurveServer = 47,
  CurvePublicKey = 48,
  CurveSecretKey = 49,
  CurveServerKey = 50,
  ProbeRouter = 51,
  ReqCorrelate = 52,
  ReqRelaxed = 53,
  Conflate = 54,
  ZapDomain = 55,
  RouterHandover = 56,
  Tos = 57,
  ConnectRoutingId = 61,
  HandshakeIvl = 66,
  SocksProxy = 68,
  XpubNodrop = 69,
  XpubManual = 71,
  XpubWelcomeMsg = 72,
  StreamNotify = 73,
  InvertMatching = 74,
  HeartbeatIvl = 75,
  HeartbeatTtl = 76,
  HeartbeatTimeout = 77,
  XpubVerboser = 78,
  ConnectTimeout = 79,
  TcpMaxRt = 80,
  ThreadSafe = 81,
  MulticastMaxTpdu = 84,
  UseFd = 89,
  BindToDevice = 92,
  ZapEnforceDomain = 93,
  LoopbackFastpath = 94,
  Metadata = 95,
  MulticastLoop = 96,
  RouterNotify = 97,
  XpubManualLastValue = 98,
  SocksUsername = 99,
  SocksPassword = 100,
  InBatchSize = 101,
  OutBatchSize = 102,
  WssKeyPem = 103,
  WssCertPem = 104,
  WssTrustPem = 105,
  WssHostname = 106,
  WssTrustSystem = 107,
}

export type MechanismName = "NULL" | "PLAIN" | "CURVE";
const MECHANISM_NUMBER: Record<MechanismName, number> = { NULL: 0, PLAIN: 1, CURVE: 2 };

/**
 * A socket's options as libzmq's `options_t` holds them. Byte strings are Buffers (empty when
 * unset), times are milliseconds. The security fields follow libzmq's rule that the last
 * relevant option set decides the mechanism and the role.
 */
export interface OptionValues {
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
  affinity: bigint;
  routingId: Buffer;
  rate: number;
  recoveryInterval: number;
  sendBufferSize: number;
  receiveBufferSize: number;
  typeOfService: number;
  /** ms to keep delivering queued messages after close(); -1 = until done, 0 = drop them. */
  linger: number;
  /** ms for a TCP connect attempt; 0 = OS default. */
  connectTimeout: number;
  tcpMaxRetransmitTimeout: number;
  /** ms before a reconnect attempt; -1 (or 0) = never reconnect. */
  reconnectInterval: number;
  /** ms cap of the exponential reconnect backoff; 0 = no backoff. */
  reconnectMaxInterval: number;
  backlog: number;
  /** Largest inbound frame in bytes; negative = unlimited. A peer exceeding it is disconnected. */
  maxMessageSize: number;
  multicastHops: number;
  multicastMaxTransportDataUnit: number;
  /** ms a receive may wait; -1 = forever. */
  receiveTimeout: number;
  /** ms a send may wait; -1 = forever. */
  sendTimeout: number;
  ipv6: boolean;
  /** Queue only to completed connections (no pipe before the handshake). */
  immediate: boolean;
  socksProxy: Buffer;
  socksUsername: Buffer;
  socksPassword: Buffer;
  tcpKeepalive: number;
  tcpKeepaliveCount: number;
  tcpKeepaliveIdle: number;
  tcpKeepaliveInterval: number;
  tcpAcceptFilters: readonly AddressMask[];
  mechanism: MechanismName;
  asServer: boolean;
  plainUsername: Buffer;
  plainPassword: Buffer;
  zapDomain: Buffer;
  /** 32-byte keys; all zero until set, as in libzmq. */
  curvePublicKey: Buffer;
  curveSecretKey: Buffer;
  curveServerKey: Buffer;
  conflate: boolean;
  /** ms for greeting + handshake; 0 = no limit. */
  handshakeInterval: number;
  invertMatching: boolean;
  /** ms between PINGs; 0 = no heartbeats. */
  heartbeatInterval: number;
  /** ms the peer may stay silent after our PING, a multiple of 100 (deciseconds on the wire). */
  heartbeatTimeToLive: number;
  /** ms to wait for traffic after a PING; -1 = heartbeatInterval. */
  heartbeatTimeout: number;
  useFd: number;
  bindToDevice: Buffer;
  zapEnforceDomain: boolean;
  loopbackFastPath: boolean;
  multicastLoop: boolean;
  /** Draft ZMQ_METADATA: X- properties announced in READY / INITIATE. */
  metadata: Map<string, string>;
  inBatchSize: number;
  outBatchSize: number;
  /** wss (draft ZMQ_WSS_*, write-only in libzmq): PEM texts, the server name to check, system CAs. */
  wssKeyPem: Buffer;
  wssCertPem: Buffer;
  wssTrustPem: Buffer;
  wssHostname: Buffer;
  wssTrustSystem: boolean;
  // ---- options of some socket types (their xsetsockopt) ----
  mandatory: boolean;
  handover: boolean;
  probeRouter: boolean;
  routerRaw: boolean;
  routerNotify: number;
  connectRoutingId: Buffer;
  correlate: boolean;
  relaxed: boolean;
  noDrop: boolean;
  manual: boolean;
  manualLastValue: boolean;
  verboseSubscriptions: boolean;
  verboseUnsubscriptions: boolean;
  welcomeMessage: Buffer | null;
  streamNotify: boolean;
  /** libzmq's options.raw_socket, set by STREAM: connections run a raw engine, no ZMTP. */
  rawSocket: boolean;
}

const EMPTY = Buffer.alloc(0);
const ZERO_KEY = Buffer.alloc(32);

export function defaultOptions(): OptionValues {
  return {
    sendHighWaterMark: 1000,
    receiveHighWaterMark: 1000,
    affinity: 0n,
    routingId: EMPTY,
    rate: 100,
    recoveryInterval: 10_000,
    sendBufferSize: -1,
    receiveBufferSize: -1,
    typeOfService: 0,
    linger: -1,
    connectTimeout: 0,
    tcpMaxRetransmitTimeout: 0,
    reconnectInterval: 100,
    reconnectMaxInterval: 0,
    backlog: 100,
    maxMessageSize: -1,
    multicastHops: 1,
    multicastMaxTransportDataUnit: 1500,
    receiveTimeout: -1,
    sendTimeout: -1,
    ipv6: false,
    immediate: false,
    socksProxy: EMPTY,
    socksUsername: EMPTY,
    socksPassword: EMPTY,
    tcpKeepalive: -1,
    tcpKeepaliveCount: -1,
    tcpKeepaliveIdle: -1,
    tcpKeepaliveInterval: -1,
    tcpAcceptFilters: [],
    mechanism: "NULL",
    asServer: false,
    plainUsername: EMPTY,
    plainPassword: EMPTY,
    zapDomain: EMPTY,
    curvePublicKey: ZERO_KEY,
    curveSecretKey: ZERO_KEY,
    curveServerKey: ZERO_KEY,
    conflate: false,
    handshakeInterval: 30_000,
    invertMatching: false,
    heartbeatInterval: 0,
    heartbeatTimeToLive: 0,
    heartbeatTimeout: -1,
    useFd: -1,
    bindToDevice: EMPTY,
    zapEnforceDomain: false,
    loopbackFastPath: false,
    multicastLoop: true,
    metadata: new Map(),
    inBatchSize: 8192,
    outBatchSize: 8192,
    wssKeyPem: EMPTY,
    wssCertPem: EMPTY,
    wssTrustPem: EMPTY,
    wssHostname: EMPTY,
    wssTrustSystem: false,
    mandatory: false,
    handover: false,
    probeRouter: false,
    routerRaw: false,
    routerNotify: 0,
    connectRoutingId: EMPTY,
    correlate: false,
    relaxed: false,
    noDrop: false,
    manual: false,
    manualLastValue: false,
    verboseSubscriptions: false,
    verboseUnsubscriptions: false,
    welcomeMessage: null,
    streamNotify: true,
    rawSocket: false,
  };
}

// ---- setting (libzmq's options_t::setsockopt) ----

function invalid(): never {
  throw zmqError("EINVAL");
}

/** The int of a 4-byte argument, or EINVAL (libzmq's `is_int` test). */
function intOf(arg: OptionArgument): number {
  return arg.kind === "int" ? arg.value : invalid();
}

function int64Of(arg: OptionArgument): bigint {
  return arg.kind === "int64" ? arg.value : invalid();
}

/** The bytes of a string/buffer argument: null is `NULL, 0`; a numeric argument passes its raw bytes. */
function bytesOf(arg: OptionArgument): Buffer | null {
  switch (arg.kind) {
    case "bytes":
      return arg.value;
    case "int": {
      const raw = Buffer.allocUnsafe(4);
      raw.writeInt32LE(arg.value);
      return raw;
    }
    case "int64": {
      const raw = Buffer.allocUnsafe(8);
      raw.writeBigInt64LE(arg.value);
      return raw;
    }
  }
}

function intAtLeast(arg: OptionArgument, min: number): number {
  const value = intOf(arg);
  return value >= min ? value : invalid();
}

/** 0 or 1 only (libzmq's do_setsockopt_int_as_bool_strict). */
function strictBool(arg: OptionArgument): boolean {
  const value = intOf(arg);
  return value === 0 || value === 1 ? value === 1 : invalid();
}

/** Any int, non-zero is true (do_setsockopt_int_as_bool_relaxed). */
function relaxedBool(arg: OptionArgument): boolean {
  return intOf(arg) !== 0;
}

/** NULL clears; 1..max bytes set; an empty non-NULL value is EINVAL (…_allow_empty_strict). */
function strictString(arg: OptionArgument, max: number): Buffer {
  const bytes = bytesOf(arg);
  if (bytes === null) return EMPTY;
  return bytes.length > 0 && bytes.length <= max ? Buffer.from(bytes) : invalid();
}

/** 1..max bytes; NULL and empty are EINVAL (…_allow_empty_relaxed). */
function relaxedString(arg: OptionArgument, max: number): Buffer {
  const bytes = bytesOf(arg);
  return bytes !== null && bytes.length > 0 && bytes.length <= max ? Buffer.from(bytes) : invalid();
}

/** libzmq without CURVE (no libsodium) has no CURVE options: setting or reading one is EINVAL. */
function requireCurve(): void {
  if (curve === null) invalid();
  void curve.loadBoxes();
}

/** A CURVE key: 32 raw bytes or 40 Z85 characters (41 with a trailing NUL). */
function curveKey(arg: OptionArgument): Buffer {
  requireCurve();
  const bytes = bytesOf(arg);
  if (bytes === null) return invalid();
  if (bytes.length === 32) return Buffer.from(bytes);
  if (bytes.length === 40 || (bytes.length === 41 && bytes[40] === 0)) {
    const text = bytes.toString("latin1", 0, 40);
    try {
      return Buffer.from(z85Decode(text));
    } catch {
      return invalid();
    }
  }
  return invalid();
}

/** zmq_setsockopt for the options every socket has (libzmq's options_t). Throws EINVAL. */
export function setCommonOption(o: OptionValues, id: number, arg: OptionArgument): void {
  switch (id) {
    case Opt.SndHwm:
      o.sendHighWaterMark = intAtLeast(arg, 0);
      return;
    case Opt.RcvHwm:
      o.receiveHighWaterMark = intAtLeast(arg, 0);
      return;
    case Opt.Affinity:
      o.affinity = BigInt.asUintN(64, int64Of(arg));
      return;
    case Opt.RoutingId: {
      const bytes = bytesOf(arg);
      o.routingId = bytes !== null && bytes.length > 0 && bytes.length <= 255 ? Buffer.from(bytes) : invalid();
      return;
    }
    case Opt.Rate:
      o.rate = intAtLeast(arg, 1);
      return;
    case Opt.RecoveryIvl:
      o.recoveryInterval = intAtLeast(arg, 0);
      return;
    case Opt.SndBuf:
      o.sendBufferSize = intAtLeast(arg, -1);
      return;
    case Opt.RcvBuf:
      o.receiveBufferSize = intAtLeast(arg, -1);
      return;
    case Opt.Tos:
      o.typeOfService = intAtLeast(arg, 0);
      return;
    case Opt.Linger:
      o.linger = intAtLeast(arg, -1);
      return;
    case Opt.ConnectTimeout:
      o.connectTimeout = intAtLeast(arg, 0);
      return;
    case Opt.TcpMaxRt:
      o.tcpMaxRetransmitTimeout = intAtLeast(arg, 0);
      return;
    case Opt.ReconnectIvl:
      o.reconnectInterval = intAtLeast(arg, -1);
      return;
    case Opt.ReconnectIvlMax:
      o.reconnectMaxInterval = intAtLeast(arg, 0);
      return;
    case Opt.Backlog:
      o.backlog = intAtLeast(arg, 0);
      return;
    case Opt.MaxMsgSize:
      o.maxMessageSize = Number(int64Of(arg));
      return;
    case Opt.MulticastHops:
      o.multicastHops = intAtLeast(arg, 1);
      return;
    case Opt.MulticastMaxTpdu:
      o.multicastMaxTransportDataUnit = intAtLeast(arg, 1);
      return;
    case Opt.RcvTimeo:
      o.receiveTimeout = intAtLeast(arg, -1);
      return;
    case Opt.SndTimeo:
      o.sendTimeout = intAtLeast(arg, -1);
      return;
    case Opt.Ipv4Only:
      o.ipv6 = !strictBool(arg);
      return;
    case Opt.Ipv6:
      o.ipv6 = strictBool(arg);
      return;
    case Opt.SocksProxy:
      o.socksProxy = strictString(arg, Number.MAX_SAFE_INTEGER);
      return;
    case Opt.SocksUsername:
      o.socksUsername = bytesOf(arg)?.length ? strictString(arg, 255) : EMPTY;
      return;
    case Opt.SocksPassword:
      o.socksPassword = bytesOf(arg)?.length ? strictString(arg, 255) : EMPTY;
      return;
    case Opt.TcpKeepalive: {
      const value = intOf(arg);
      o.tcpKeepalive = value >= -1 && value <= 1 ? value : invalid();
      return;
    }
    case Opt.TcpKeepaliveCnt:
      o.tcpKeepaliveCount = intAtLeast(arg, -1);
      return;
    case Opt.TcpKeepaliveIdle:
      o.tcpKeepaliveIdle = intAtLeast(arg, -1);
      return;
    case Opt.TcpKeepaliveIntvl:
      o.tcpKeepaliveInterval = intAtLeast(arg, -1);
      return;
    case Opt.Immediate:
      o.immediate = strictBool(arg);
      return;
    case Opt.TcpAcceptFilter: {
      // libzmq: NULL clears; 1..254 bytes not starting with NUL, resolved in today's ipv6 family.
      const filter = strictString(arg, 254);
      if (filter.length === 0) o.tcpAcceptFilters = [];
      else if (filter[0] === 0) invalid();
      // A new list, not a push: a listener keeps the list it was bound with.
      else
        o.tcpAcceptFilters = [...o.tcpAcceptFilters, parseAddressMask(filter.toString("latin1"), o.ipv6) ?? invalid()];
      return;
    }
    case Opt.PlainServer: {
      const value = intOf(arg);
      if (value !== 0 && value !== 1) invalid();
      o.asServer = value === 1;
      o.mechanism = value === 1 ? "PLAIN" : "NULL";
      return;
    }
    case Opt.PlainUsername:
    case Opt.PlainPassword: {
      const bytes = bytesOf(arg);
      if (bytes === null) {
        o.mechanism = "NULL";
        return;
      }
      if (bytes.length === 0 || bytes.length > 255) invalid();
      if (id === Opt.PlainUsername) o.plainUsername = Buffer.from(bytes);
      else o.plainPassword = Buffer.from(bytes);
      o.asServer = false;
      o.mechanism = "PLAIN";
      return;
    }
    case Opt.ZapDomain:
      o.zapDomain = relaxedString(arg, 255);
      return;
    case Opt.CurveServer: {
      requireCurve();
      const value = intOf(arg);
      if (value !== 0 && value !== 1) invalid();
      o.asServer = value === 1;
      o.mechanism = value === 1 ? "CURVE" : "NULL";
      return;
    }
    case Opt.CurvePublicKey:
      o.curvePublicKey = curveKey(arg);
      o.mechanism = "CURVE";
      return;
    case Opt.CurveSecretKey:
      o.curveSecretKey = curveKey(arg);
      o.mechanism = "CURVE";
      return;
    case Opt.CurveServerKey:
      o.curveServerKey = curveKey(arg);
      o.asServer = false;
      o.mechanism = "CURVE";
      return;
    case Opt.Conflate:
      o.conflate = strictBool(arg);
      return;
    case Opt.HandshakeIvl:
      o.handshakeInterval = intAtLeast(arg, 0);
      return;
    case Opt.InvertMatching:
      o.invertMatching = relaxedBool(arg);
      return;
    case Opt.HeartbeatIvl:
      o.heartbeatInterval = intAtLeast(arg, 0);
      return;
    case Opt.HeartbeatTtl: {
      // Kept in deciseconds, as it travels in PING (RFC 37 §3.5): the value read back is rounded down.
      const deciseconds = Math.trunc(intOf(arg) / 100);
      o.heartbeatTimeToLive = deciseconds >= 0 && deciseconds <= 0xffff ? deciseconds * 100 : invalid();
      return;
    }
    case Opt.HeartbeatTimeout:
      o.heartbeatTimeout = intAtLeast(arg, 0);
      return;
    case Opt.UseFd:
      o.useFd = intAtLeast(arg, -1);
      return;
    case Opt.BindToDevice:
      o.bindToDevice = strictString(arg, 16);
      return;
    case Opt.ZapEnforceDomain:
      o.zapEnforceDomain = relaxedBool(arg);
      return;
    case Opt.LoopbackFastpath:
      o.loopbackFastPath = relaxedBool(arg);
      return;
    case Opt.MulticastLoop:
      o.multicastLoop = relaxedBool(arg);
      return;
    case Opt.Metadata: {
      const bytes = arg.kind === "bytes" ? arg.value : null;
      const text = bytes?.toString("latin1") ?? "";
      const colon = text.indexOf(":");
      if (colon <= 0 || colon === text.length - 1) invalid();
      const key = text.slice(0, colon);
      if (!key.startsWith("X-") || key.length > 255) invalid();
      if (!o.metadata.has(key)) o.metadata.set(key, text.slice(colon + 1));
      return;
    }
    case Opt.InBatchSize:
      o.inBatchSize = intAtLeast(arg, 1);
      return;
    case Opt.OutBatchSize:
      o.outBatchSize = intAtLeast(arg, 1);
      return;
    // libzmq keeps these as given, any length (options.cpp: "TODO: check if valid certificate").
    case Opt.WssKeyPem:
      o.wssKeyPem = Buffer.from(bytesOf(arg) ?? EMPTY);
      return;
    case Opt.WssCertPem:
      o.wssCertPem = Buffer.from(bytesOf(arg) ?? EMPTY);
      return;
    case Opt.WssTrustPem:
      o.wssTrustPem = Buffer.from(bytesOf(arg) ?? EMPTY);
      return;
    case Opt.WssHostname:
      o.wssHostname = Buffer.from(bytesOf(arg) ?? EMPTY);
      return;
    case Opt.WssTrustSystem:
      o.wssTrustSystem = strictBool(arg);
      return;
    default:
      invalid();
  }
}

// ---- options of some socket types (their xsetsockopt) ----

/** Which type-specific options a socket type accepts, by libzmq's class tree. */
export type TypeOptionFamily = "router" | "dealer" | "req" | "xpub" | "stream" | "none";

/**
 * zmq_setsockopt for options that only some socket types accept; returns false when the type
 * does not handle `id` (libzmq then tries the common options). REP and PUB accept what their
 * libzmq base classes (ROUTER, XPUB) accept.
 */
export function setTypeOption(o: OptionValues, family: TypeOptionFamily, id: number, arg: OptionArgument): boolean {
  switch (family) {
    case "router":
      switch (id) {
        case Opt.RouterMandatory:
          o.mandatory = intAtLeast(arg, 0) !== 0;
          return true;
        case Opt.ProbeRouter:
          o.probeRouter = intAtLeast(arg, 0) !== 0;
          return true;
        case Opt.RouterHandover:
          o.handover = intAtLeast(arg, 0) !== 0;
          return true;
        case Opt.RouterRaw:
          o.routerRaw = intAtLeast(arg, 0) !== 0;
          return true;
        case Opt.RouterNotify: {
          const value = intOf(arg);
          o.routerNotify = value >= 0 && value <= 3 ? value : invalid();
          return true;
        }
        case Opt.ConnectRoutingId:
          return setConnectRoutingId(o, arg);
        default:
          return false;
      }
    case "req":
      switch (id) {
        case Opt.ReqCorrelate:
          o.correlate = intAtLeast(arg, 0) !== 0;
          return true;
        case Opt.ReqRelaxed:
          o.relaxed = intAtLeast(arg, 0) !== 0;
          return true;
        default:
          return setTypeOption(o, "dealer", id, arg);
      }
    case "dealer":
      if (id !== Opt.ProbeRouter) return false;
      o.probeRouter = intAtLeast(arg, 0) !== 0;
      return true;
    case "xpub":
      switch (id) {
        case Opt.XpubVerbose:
          o.verboseSubscriptions = nonNegativeInt(arg) !== 0;
          o.verboseUnsubscriptions = false;
          return true;
        case Opt.XpubVerboser:
          o.verboseSubscriptions = nonNegativeInt(arg) !== 0;
          o.verboseUnsubscriptions = o.verboseSubscriptions;
          return true;
        case Opt.XpubManualLastValue:
          o.manual = nonNegativeInt(arg) !== 0;
          o.manualLastValue = o.manual;
          return true;
        case Opt.XpubNodrop:
          o.noDrop = nonNegativeInt(arg) !== 0;
          return true;
        case Opt.XpubManual:
          o.manual = nonNegativeInt(arg) !== 0;
          return true;
        case Opt.XpubWelcomeMsg: {
          const bytes = bytesOf(arg);
          o.welcomeMessage = bytes !== null && bytes.length > 0 ? Buffer.from(bytes) : null;
          return true;
        }
        default:
          return false;
      }
    case "stream":
      if (id === Opt.StreamNotify) {
        o.streamNotify = strictBool(arg);
        return true;
      }
      return id === Opt.ConnectRoutingId ? setConnectRoutingId(o, arg) : false;
    case "none":
      return false;
  }
}

/** XPUB's own options take exactly an int that is not negative. */
function nonNegativeInt(arg: OptionArgument): number {
  return intAtLeast(arg, 0);
}

function setConnectRoutingId(o: OptionValues, arg: OptionArgument): boolean {
  const bytes = bytesOf(arg);
  if (bytes === null || bytes.length === 0) invalid();
  o.connectRoutingId = Buffer.from(bytes);
  return true;
}

// ---- reading (libzmq's options_t::getsockopt) ----

/** libzmq copies a string with its NUL; the caller's buffer (1024 bytes in zeromq.js) must hold it. */
const STRING_BUFFER = 1024;

function cString(bytes: Buffer): Buffer {
  if (bytes.length + 1 > STRING_BUFFER) invalid();
  const out = Buffer.alloc(bytes.length + 1);
  bytes.copy(out);
  return out;
}

function asInt(kind: OptionKind, value: number | boolean): number {
  return kind === "int" ? Number(value) | 0 : invalid();
}

/**
 * zmq_getsockopt for the options every socket has, read as `kind` (the size of the caller's
 * buffer decides, as in libzmq: a 4-byte read of an int, an 8-byte read of an int64, bytes for
 * strings). Type-specific options are write-only in libzmq 4.3 and read as EINVAL.
 */
export function getCommonOption(o: OptionValues, id: number, kind: OptionKind): OptionResult {
  switch (id) {
    case Opt.SndHwm:
      return asInt(kind, o.sendHighWaterMark);
    case Opt.RcvHwm:
      return asInt(kind, o.receiveHighWaterMark);
    case Opt.Affinity:
      return kind === "int64" ? BigInt.asIntN(64, o.affinity) : invalid();
    case Opt.RoutingId:
      // Not NUL-terminated: an id is binary.
      return kind === "bytes" ? Buffer.from(o.routingId) : invalid();
    case Opt.Rate:
      return asInt(kind, o.rate);
    case Opt.RecoveryIvl:
      return asInt(kind, o.recoveryInterval);
    case Opt.SndBuf:
      return asInt(kind, o.sendBufferSize);
    case Opt.RcvBuf:
      return asInt(kind, o.receiveBufferSize);
    case Opt.Tos:
      return asInt(kind, o.typeOfService);
    case Opt.Linger:
      return asInt(kind, o.linger);
    case Opt.ConnectTimeout:
      return asInt(kind, o.connectTimeout);
    case Opt.TcpMaxRt:
      return asInt(kind, o.tcpMaxRetransmitTimeout);
    case Opt.ReconnectIvl:
      return asInt(kind, o.reconnectInterval);
    case Opt.ReconnectIvlMax:
      return asInt(kind, o.reconnectMaxInterval);
    case Opt.Backlog:
      return asInt(kind, o.backlog);
    case Opt.MaxMsgSize:
      return kind === "int64" ? BigInt(o.maxMessageSize) : invalid();
    case Opt.MulticastHops:
      return asInt(kind, o.multicastHops);
    case Opt.MulticastMaxTpdu:
      return asInt(kind, o.multicastMaxTransportDataUnit);
    case Opt.RcvTimeo:
      return asInt(kind, o.receiveTimeout);
    case Opt.SndTimeo:
      return asInt(kind, o.sendTimeout);
    case Opt.Ipv4Only:
      return asInt(kind, !o.ipv6);
    case Opt.Ipv6:
      return asInt(kind, o.ipv6);
    case Opt.Immediate:
      return asInt(kind, o.immediate);
    case Opt.SocksProxy:
      return kind === "bytes" ? cString(o.socksProxy) : invalid();
    case Opt.SocksUsername:
      return kind === "bytes" ? cString(o.socksUsername) : invalid();
    case Opt.SocksPassword:
      return kind === "bytes" ? cString(o.socksPassword) : invalid();
    case Opt.TcpKeepalive:
      return asInt(kind, o.tcpKeepalive);
    case Opt.TcpKeepaliveCnt:
      return asInt(kind, o.tcpKeepaliveCount);
    case Opt.TcpKeepaliveIdle:
      return asInt(kind, o.tcpKeepaliveIdle);
    case Opt.TcpKeepaliveIntvl:
      return asInt(kind, o.tcpKeepaliveInterval);
    case Opt.Mechanism:
      return asInt(kind, MECHANISM_NUMBER[o.mechanism]);
    case Opt.PlainServer:
      return asInt(kind, o.asServer && o.mechanism === "PLAIN");
    case Opt.PlainUsername:
      return kind === "bytes" ? cString(o.plainUsername) : invalid();
    case Opt.PlainPassword:
      return kind === "bytes" ? cString(o.plainPassword) : invalid();
    case Opt.ZapDomain:
      return kind === "bytes" ? cString(o.zapDomain) : invalid();
    case Opt.CurveServer:
      requireCurve();
      return asInt(kind, o.asServer && o.mechanism === "CURVE");
    case Opt.CurvePublicKey:
      return curveKeyRead(o.curvePublicKey, kind);
    case Opt.CurveSecretKey:
      return curveKeyRead(o.curveSecretKey, kind);
    case Opt.CurveServerKey:
      return curveKeyRead(o.curveServerKey, kind);
    case Opt.Conflate:
      return asInt(kind, o.conflate);
    case Opt.HandshakeIvl:
      return asInt(kind, o.handshakeInterval);
    case Opt.InvertMatching:
      return asInt(kind, o.invertMatching);
    case Opt.HeartbeatIvl:
      return asInt(kind, o.heartbeatInterval);
    case Opt.HeartbeatTtl:
      return asInt(kind, o.heartbeatTimeToLive);
    case Opt.HeartbeatTimeout:
      return asInt(kind, o.heartbeatTimeout);
    case Opt.UseFd:
      return asInt(kind, o.useFd);
    case Opt.BindToDevice:
      return kind === "bytes" ? cString(o.bindToDevice) : invalid();
    case Opt.ZapEnforceDomain:
      return asInt(kind, o.zapEnforceDomain);
    case Opt.LoopbackFastpath:
      return asInt(kind, o.loopbackFastPath);
    case Opt.MulticastLoop:
      return asInt(kind, o.multicastLoop);
    case Opt.RouterNotify:
      return asInt(kind, o.routerNotify);
    case Opt.InBatchSize:
      return asInt(kind, o.inBatchSize);
    case Opt.OutBatchSize:
      return asInt(kind, o.outBatchSize);
    default:
      return invalid();
  }
}

/**
 * libzmq answers a key read only into exactly 32 bytes (raw) or 41 (Z85 and NUL); zeromq.js
 * reads strings into 1024 bytes, so through it a key never reads back (EINVAL).
 */
function curveKeyRead(_key: Buffer, _kind: OptionKind): OptionResult {
  return invalid();
}
