import type { ClientRequest } from "node:http";
import { isIPv4, type Socket as NetSocket } from "node:net";
import type { PeerCertificate } from "node:tls";
import type { ClientOptions, WebSocket } from "ws";
import { ProtocolError, zmqError } from "../../errors.js";
import { offeredSubprotocols } from "../../zmtp/zws.js";
import { bracketedIpv6, parseUri, parseWs } from "../endpoint.js";
import type { ByteStream } from "../stream.js";
import { hostLookup } from "../tcp.js";
import type { TransportOptions, WssOptions } from "../transport.js";
import { NodePort } from "./node-port.js";
import { whatwgPort, type WhatwgWebSocket } from "./port.js";
import { loadWs } from "./ws-module.js";
import { ZwsStream } from "./zws-stream.js";

/** Errors with which a peer goes away during the upgrade: a close, as libzmq reads it (EPIPE). */
const PEER_GONE = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/**
 * wss as libzmq's client does it: only the certificates of `trustPem` (and the system's with
 * `trustSystem`) are trusted, nothing when neither is set; the name is checked only when
 * `hostname` is set, and then it is also the SNI name sent.
 */
function clientTls(w: WssOptions, tls: typeof import("node:tls")): Record<string, unknown> {
  const ca: string[] = w.trustSystem ? [...tls.rootCertificates] : [];
  if (w.trustPem !== "") ca.push(w.trustPem);
  return {
    ca,
    rejectUnauthorized: true,
    ...(w.hostname === "" ? {} : { servername: w.hostname }),
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      w.hostname === "" ? undefined : tls.checkServerIdentity(w.hostname, cert),
  };
}

/** What an error before the upgrade completed means (see `dialWs`). */
function upgradeFailure(err: Error & { code?: unknown }, tcpConnected: boolean): Error | null {
  if (!tcpConnected) return err;
  if (typeof err.code !== "string") return new ProtocolError("ERR_WS_UNSPECIFIED", err.message);
  if (PEER_GONE.has(err.code)) return null;
  // TLS refused the server (an untrusted certificate, a wrong name): transient, as in libzmq.
  return zmqError("ECONNABORTED", err.message);
}

/**
 * Dials a ws or wss endpoint with `ws`, offering the ZWS 2.0 subprotocols of the socket's
 * mechanism. Events as libzmq's: `connecting` once the host is resolved, `connect` when TCP is up
 * (before the upgrade); then a refused upgrade (a status other than 101, a subprotocol not
 * offered, a bad accept key) is a ProtocolError, which ends the endpoint as libzmq ends it; a
 * peer that closes during the upgrade is a close (libzmq: EPIPE, then reconnect).
 *
 * `ws` refuses to offer `ZWS2.0/NULL` itself (RFC 6455 makes a subprotocol a token, and "/" is no
 * token character), so the header is written here and the server's choice taken from the response
 * before `ws` would refuse it.
 */
export function dialWs(scheme: "ws" | "wss", uri: string, options: TransportOptions): ByteStream {
  const address = parseWs(uri, parseUri(uri).address, false);
  if (scheme === "ws" && BunWebSocket !== null) return dialWithBun(BunWebSocket, address, options);
  const port = new NodePort();
  const stream = new ZwsStream(port, { mechanism: options.mechanism, socketType: options.socketType });
  // node:tls only for wss (with `ws`): a program that dials ws:// or nothing does not load it.
  Promise.all([loadWs(), scheme === "wss" ? import("node:tls") : null]).then(
    ([{ WebSocket }, tls]) => {
      if (!port.abandoned) dialWith(WebSocket, port, scheme, address, options, tls);
    },
    (err: Error) => port.failed(err),
  );
  return stream;
}

/**
 * Bun's `ws` is its own, and it refuses a server's subprotocol that was not asked through its
 * (token-only) protocols list, which rules ZWS2.0/NULL out. Bun's WebSocket takes the header as
 * given (a Bun extension), and it shows the server's choice in `protocol`.
 */
type BunWebSocketClass = new (url: string, options: { headers: Record<string, string> }) => WhatwgWebSocket;
const BunWebSocket: BunWebSocketClass | null =
  (globalThis as { Bun?: unknown }).Bun !== undefined && typeof globalThis.WebSocket === "function"
    ? (globalThis.WebSocket as unknown as BunWebSocketClass)
    : null;

function dialWithBun(
  WebSocketClass: BunWebSocketClass,
  { host, port, path }: { host: string; port: number; path: string },
  options: TransportOptions,
): ByteStream {
  const url = `ws://${host}:${port}${path.replaceAll("#", "%23")}`;
  const headers = { "Sec-WebSocket-Protocol": offeredSubprotocols(options.mechanism).join(",") };
  return new ZwsStream(whatwgPort(new WebSocketClass(url, { headers })), {
    mechanism: options.mechanism,
    socketType: options.socketType,
  });
}

function dialWith(
  WebSocketClass: typeof WebSocket,
  port: NodePort,
  scheme: "ws" | "wss",
  { host, port: tcpPort, path }: { host: string; port: number; path: string },
  options: TransportOptions,
  tls: typeof import("node:tls") | null,
): void {
  const ipLiteral = isIPv4(host) || bracketedIpv6(host) !== null;
  let chosen = "";
  let tcpConnected = false;
  let opened = false;
  const clientOptions: ClientOptions & Record<string, unknown> = {
    perMessageDeflate: false,
    followRedirects: false,
    maxPayload: options.maxMessageSize >= 0 ? options.maxMessageSize + 1 : 0,
    headers: { "Sec-WebSocket-Protocol": offeredSubprotocols(options.mechanism).join(",") },
    lookup: hostLookup(options.ipv6),
    ...(tls !== null ? clientTls(options.wss, tls) : {}),
    finishRequest: (req: ClientRequest) => {
      req.on("socket", (raw: NetSocket) => {
        port.useSocket(raw);
        if (ipLiteral) process.nextTick(() => port.connecting());
        else raw.once("lookup", (err: Error | null) => err === null && port.connecting());
        raw.once("connect", () => {
          tcpConnected = true;
          port.connected();
        });
      });
      req.end();
    },
  };
  // A fragment cannot be sent in a request line: it goes percent-encoded, with the rest of the path.
  const url = `${scheme}://${host}:${tcpPort}${path.replaceAll("#", "%23")}`;
  let socket: WebSocket;
  try {
    socket = new WebSocketClass(url, clientOptions);
  } catch (err) {
    port.failed(err as Error);
    return;
  }
  port.use(socket);
  socket.on("upgrade", (res) => {
    chosen = String(res.headers["sec-websocket-protocol"] ?? "");
    delete res.headers["sec-websocket-protocol"];
  });
  socket.on("open", () => {
    opened = true;
    // Bun's built-in `ws` emits no "upgrade": its socket's `protocol` has the server's choice.
    port.open(chosen !== "" ? chosen : socket.protocol);
  });
  socket.on("unexpected-response", (req, res) => {
    req.destroy();
    port.failed(new ProtocolError("ERR_WS_UNSPECIFIED", `upgrade refused: HTTP ${res.statusCode}`));
  });
  // Once open, the port reports errors itself.
  socket.on("error", (err: Error & { code?: unknown }) => opened || port.failed(upgradeFailure(err, tcpConnected)));
  if (options.connectTimeout > 0) {
    const timer = setTimeout(() => {
      if (tcpConnected) return;
      port.failed(zmqError("ETIMEDOUT", "connect timed out"));
      socket.terminate();
    }, options.connectTimeout);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    socket.once("upgrade", () => clearTimeout(timer));
  }
}
