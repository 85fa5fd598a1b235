import { zmqError } from "../errors.js";

/**
 * Endpoint strings as libzmq reads them (socket_base_t::parse_uri, check_protocol, and each
 * transport's address rules), so bind/connect/unbind/disconnect fail exactly when, and how,
 * libzmq's do. Pure functions: resolution of host names is the transports' job.
 */

export interface Uri {
  protocol: string;
  address: string;
}

/** `protocol://address`, both non-empty; EINVAL otherwise. The protocol is case-sensitive. */
export function parseUri(uri: string): Uri {
  const sep = uri.indexOf("://");
  if (sep === -1) throw zmqError("EINVAL", undefined, uri);
  const protocol = uri.slice(0, sep);
  const address = uri.slice(sep + 3);
  if (protocol === "" || address === "") throw zmqError("EINVAL", undefined, uri);
  return { protocol, address };
}

/**
 * What zmtp carries today; "tipc" is known as libzmq knows it, and fails as libzmq on a kernel
 * without TIPC does (bind EAFNOSUPPORT, connects that never succeed).
 */
export type TransportName = "tcp" | "ipc" | "inproc" | "tipc" | "ws" | "wss" | "udp";

/**
 * libzmq's check_protocol. Transports a libzmq build may have but zmtp does not (pgm, epgm,
 * norm, vmci) are EPROTONOSUPPORT, as in a libzmq built without them; udp belongs to the draft
 * types RADIO, DISH and DGRAM (`datagrams`), ENOCOMPATPROTO for the others.
 */
export function checkProtocol(uri: string, protocol: string, datagrams = false): TransportName {
  switch (protocol) {
    case "tcp":
    case "ipc":
    case "inproc":
    case "tipc":
    case "ws":
    case "wss":
      return protocol;
    case "udp":
      if (datagrams) return protocol;
      throw zmqError("ENOCOMPATPROTO", undefined, uri);
    default:
      throw zmqError("EPROTONOSUPPORT", undefined, uri);
  }
}

// ---- tcp ----

export interface TcpAddress {
  /** As written: "*" (bind: every interface), an IP literal (IPv6 in brackets), a host or NIC name. */
  host: string;
  /** 0: an ephemeral port (bind only). */
  port: number;
}

/**
 * A port as libzmq parses it: "*" and "0" are ephemeral; anything else goes through atoi() and
 * into a uint16, and 0 is EINVAL ("-1" is 65535, "65536" is 0 and so EINVAL, "12ab" is 12).
 */
function parsePort(text: string, uri: string, allowEphemeral: boolean): number {
  if (text === "*" || text === "0") {
    if (allowEphemeral) return 0;
  }
  const port = atoi(text) & 0xffff;
  if (port === 0) throw zmqError("EINVAL", undefined, uri);
  return port;
}

/** C's atoi: optional whitespace and sign, then digits up to the first non-digit. */
function atoi(text: string): number {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match === null ? 0 : Number.parseInt(match[1]!, 10) | 0;
}

function splitHostPort(address: string, uri: string): [string, string] {
  const colon = address.lastIndexOf(":");
  if (colon === -1) throw zmqError("EINVAL", undefined, uri);
  return [address.slice(0, colon), address.slice(colon + 1)];
}

/** The address of a tcp bind: `host:port`; the host is resolved when listening. */
export function parseTcpBind(uri: string, address: string): TcpAddress {
  const [host, port] = splitHostPort(address, uri);
  return { host, port: parsePort(port, uri, true) };
}

const CONNECT_FIRST = /[0-9A-Za-z[:]/;
const CONNECT_REST = /^[0-9A-Za-z.\-:%;[\]_*]*$/;

/**
 * libzmq's "quick and dirty" syntax check of a tcp connect address, done at connect() (the host
 * is resolved only when dialling): allowed characters, and a port after the last colon that
 * starts with a digit.
 */
export function checkTcpConnect(uri: string, address: string): void {
  const valid =
    CONNECT_FIRST.test(address[0] ?? "") &&
    CONNECT_REST.test(address.slice(1)) &&
    /\d/.test(address[address.lastIndexOf(":") + 1] ?? "") &&
    address.includes(":");
  if (!valid) throw zmqError("EINVAL", undefined, uri);
}

export interface TcpDialAddress extends TcpAddress {
  /** `source;destination`: the local address to connect from. */
  source: TcpAddress | null;
}

/** The address of a tcp connect, when dialling: `[source;]host:port`. Throws EINVAL when unusable. */
export function parseTcpConnect(uri: string, address: string): TcpDialAddress {
  const semicolon = address.lastIndexOf(";");
  const source = semicolon === -1 ? null : parseTcpBind(uri, address.slice(0, semicolon));
  const [host, port] = splitHostPort(address.slice(semicolon + 1), uri);
  return { host, port: parsePort(port, uri, false), source };
}

/** An IPv6 literal written in brackets, without them; null for anything else. */
export function bracketedIpv6(host: string): string | null {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : null;
}

/** The endpoint string libzmq reports (ZMQ_LAST_ENDPOINT, events) for a TCP address. */
export function formatTcpEndpoint(host: string, port: number): string {
  return host.includes(":") ? `tcp://[${host}]:${port}` : `tcp://${host}:${port}`;
}

// ---- ipc ----

/** sun_path holds 108 bytes with its terminating NUL. */
const MAX_IPC_PATH = 107;

/** An ipc path (`@name`: Linux abstract namespace); "*" for bind asks for a fresh one. */
export function parseIpc(uri: string, address: string): string {
  if (Buffer.byteLength(address) > MAX_IPC_PATH) throw zmqError("ENAMETOOLONG", undefined, uri);
  return address;
}

// ---- ws, wss ----

export interface WsAddress {
  /** As written: "*" (bind: every interface), an IP literal (IPv6 in brackets), a host or NIC name. */
  host: string;
  /** 0: an ephemeral port (bind), or port 0 given to connect (libzmq accepts it; dialling fails). */
  port: number;
  /** The request path, query included: "/" when the endpoint has none (libzmq's default). */
  path: string;
}

/** A ws port: as tcp's (atoi, "-1" is 65535), "*" for bind only, and "0" also for connect (it fails when dialling). */
function parseWsPort(text: string, uri: string, forBind: boolean): number {
  if (text === "0" || (text === "*" && forBind)) return 0;
  if (text === "*") throw zmqError("EINVAL", undefined, uri);
  return parsePort(text, uri, false);
}

/**
 * `host:port[/path]`, split where the path starts (the first "/"). libzmq splits at the last "/"
 * instead, so it refuses to bind a nested path and sends only its last segment when connecting;
 * zmtp keeps the path whole.
 */
export function parseWs(uri: string, address: string, forBind: boolean): WsAddress {
  const slash = address.indexOf("/");
  const hostPort = slash === -1 ? address : address.slice(0, slash);
  const path = slash === -1 ? "/" : address.slice(slash);
  const [host, port] = splitHostPort(hostPort, uri);
  // A source address (`source;destination`) is tcp's: libzmq's ws connecter has none.
  // An empty host is the bind's to refuse (ENODEV, when resolving it).
  if ((host === "" && !forBind) || host.includes(";") || (!forBind && host === "*"))
    throw zmqError("EINVAL", undefined, uri);
  return { host, port: parseWsPort(port, uri, forBind), path };
}

/**
 * The endpoint libzmq reports for a ws address (lastEndpoint, events): the path always shown,
 * "/" when none was given; the host as written (connect) or as bound (bind).
 */
export function formatWsEndpoint(scheme: "ws" | "wss", host: string, port: number, path: string): string {
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}${path}`;
}

/**
 * Checks an endpoint as bind() (`forBind`) or connect() would before doing anything, and names
 * its transport: for tools (the CLI) that report a bad endpoint before they start.
 */
export function checkEndpoint(uri: string, forBind: boolean): TransportName {
  const { protocol, address } = parseUri(uri);
  const transport = checkProtocol(uri, protocol);
  if (transport === "tcp") {
    if (forBind) parseTcpBind(uri, address);
    else checkTcpConnect(uri, address);
  } else if (transport === "ipc") {
    parseIpc(uri, address);
  } else if (transport === "tipc") {
    parseTipc(uri, address);
  } else if (transport === "ws" || transport === "wss") {
    parseWs(uri, address, forBind);
  }
  return transport;
}

/** A TIPC address as libzmq's tipc_address_t reads one: `{type,lower[,upper]}` or `<z.c.n:ref>`. */
export function parseTipc(uri: string, address: string): string {
  if (!/^\{\d+,\d+(,\d+)?\}$|^<\d+\.\d+\.\d+(:\d+)?>$/.test(address)) throw zmqError("EINVAL", undefined, uri);
  return address;
}
