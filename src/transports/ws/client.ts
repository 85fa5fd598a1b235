import type { ClientRequest } from "node:http";
import { isIPv4, type Socket as NetSocket } from "node:net";
import { checkServerIdentity, rootCertificates, type PeerCertificate } from "node:tls";
import { WebSocket, type ClientOptions } from "ws";
import { ProtocolError, zmqError } from "../../errors.js";
import { offeredSubprotocols } from "../../zmtp/zws.js";
import { bracketedIpv6, parseUri, parseWs } from "../endpoint.js";
import type { ByteStream } from "../stream.js";
import { hostLookup } from "../tcp.js";
import type { TransportOptions, WssOptions } from "../transport.js";
import { NodePort } from "./node-port.js";
import { ZwsStream } from "./zws-stream.js";

/** Errors with which a peer goes away during the upgrade: a close, as libzmq reads it (EPIPE). */
const PEER_GONE = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/**
 * wss as libzmq's client does it: only the certificates of `trustPem` (and the system's with
 * `trustSystem`) are trusted, nothing when neither is set; the name is checked only when
 * `hostname` is set, and then it is also the SNI name sent.
 */
function clientTls(w: WssOptions): Record<string, unknown> {
  const ca: string[] = w.trustSystem ? [...rootCertificates] : [];
  if (w.trustPem !== "") ca.push(w.trustPem);
  return {
    ca,
    rejectUnauthorized: true,
    ...(w.hostname === "" ? {} : { servername: w.hostname }),
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      w.hostname === "" ? undefined : checkServerIdentity(w.hostname, cert),
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
  const { host, port, path } = parseWs(uri, parseUri(uri).address, false);
  const ipLiteral = isIPv4(host) || bracketedIpv6(host) !== null;
  let chosen = "";
  let tcpConnected = false;
  let port_: NodePort | null = null;
  const clientOptions: ClientOptions & Record<string, unknown> = {
    perMessageDeflate: false,
    followRedirects: false,
    maxPayload: options.maxMessageSize >= 0 ? options.maxMessageSize + 1 : 0,
    headers: { "Sec-WebSocket-Protocol": offeredSubprotocols(options.mechanism).join(",") },
    lookup: hostLookup(options.ipv6),
    ...(scheme === "wss" ? clientTls(options.wss) : {}),
    finishRequest: (req: ClientRequest) => {
      req.on("socket", (raw: NetSocket) => {
        port_?.useSocket(raw);
        if (ipLiteral) process.nextTick(() => port_?.connecting());
        else raw.once("lookup", (err: Error | null) => err === null && port_?.connecting());
        raw.once("connect", () => {
          tcpConnected = true;
          port_?.connected();
        });
      });
      req.end();
    },
  };
  // A fragment cannot be sent in a request line: it goes percent-encoded, with the rest of the path.
  const socket = new WebSocket(`${scheme}://${host}:${port}${path.replaceAll("#", "%23")}`, clientOptions);
  const nodePort = new NodePort(socket);
  port_ = nodePort;
  const stream = new ZwsStream(nodePort, { mechanism: options.mechanism, socketType: options.socketType });
  socket.on("upgrade", (res) => {
    chosen = String(res.headers["sec-websocket-protocol"] ?? "");
    delete res.headers["sec-websocket-protocol"];
  });
  let opened = false;
  socket.on("open", () => {
    opened = true;
    nodePort.open(chosen);
  });
  socket.on("unexpected-response", (req, res) => {
    req.destroy();
    nodePort.failed(new ProtocolError("ERR_WS_UNSPECIFIED", `upgrade refused: HTTP ${res.statusCode}`));
  });
  // Once open, the port reports errors itself.
  socket.on("error", (err: Error & { code?: unknown }) => opened || nodePort.failed(upgradeFailure(err, tcpConnected)));
  if (options.connectTimeout > 0) {
    const timer = setTimeout(() => {
      if (tcpConnected) return;
      nodePort.failed(zmqError("ETIMEDOUT", "connect timed out"));
      socket.terminate();
    }, options.connectTimeout);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    stream.once("connect", () => clearTimeout(timer));
  }
  return stream;
}
