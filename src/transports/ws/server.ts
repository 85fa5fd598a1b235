import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { Server as TlsServer } from "node:tls";
import type { WebSocketServer } from "ws";
import { ProtocolError, fromSystemError, zmqError } from "../../errors.js";
import { chooseSubprotocol } from "../../zmtp/zws.js";
import { formatWsEndpoint, parseUri, parseWs } from "../endpoint.js";
import { resolveLocal } from "../tcp.js";
import type { Listener, StreamHandler, TransportOptions } from "../transport.js";
import { NodePort } from "./node-port.js";
import type { PortEvents, WebSocketPort } from "./port.js";
import { loadWs } from "./ws-module.js";
import { ZwsStream } from "./zws-stream.js";

type Scheme = "ws" | "wss";

/** One bound endpoint: its path on a server, its socket's options, where its connections go. */
interface Registration {
  options: TransportOptions;
  onStream: StreamHandler;
  /** Per endpoint: its socket's maxMessageSize is the WebSocket's maxPayload. */
  upgrader: WebSocketServer;
}

/** The subprotocol chosen for a request, added to the 101 response (see `handleUpgrade`). */
const chosenProtocol = new WeakMap<IncomingMessage, string>();

/** Paths compare in their percent-encoded form (a client encodes what the endpoint wrote raw). */
function normalisePath(path: string): string {
  try {
    const url = new URL(path, "http://host");
    return url.pathname + url.search;
  } catch {
    return path;
  }
}

function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::";
}

/** Answers a request that is not for a bound endpoint, or not a valid upgrade, and closes. */
function refuse(raw: NetSocket, status: 400 | 404 | 426): void {
  const reason = { 400: "Bad Request", 404: "Not Found", 426: "Upgrade Required" }[status];
  if (raw.writable) raw.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  raw.destroy();
}

/** A port whose upgrade was refused: its stream reports the ProtocolError, as libzmq's engine does. */
function refusedPort(message: string): WebSocketPort {
  return {
    attach: (events: PortEvents) =>
      queueMicrotask(() => events.error(new ProtocolError("ERR_WS_UNSPECIFIED", message))),
    send: () => undefined,
    bufferedAmount: 0,
    signalsDrain: true,
    close: () => undefined,
    terminate: () => undefined,
  };
}

/**
 * One HTTP(S) server and the ws endpoints bound on it, by path: a server zmtp started for a bind
 * (`owned`: it goes when its last endpoint is unbound) or one the application runs (attachServer).
 * Upgrades for a bound path become ZWS connections of that endpoint's socket; on a server of ours
 * anything else is answered 404 (426 for plain requests), and a peer that has not finished its
 * upgrade request within the endpoints' handshakeInterval is dropped (libzmq waits forever).
 */
export class SharedServer {
  readonly paths = new Map<string, Registration>();
  private readonly deadlines = new WeakMap<NetSocket, NodeJS.Timeout>();
  /** An attached server after detach(): it is let go once its last endpoint is unbound. */
  detached = false;
  /** Its key among the servers zmtp started. */
  key = "";

  constructor(
    readonly server: HttpServer,
    readonly scheme: Scheme,
    readonly owned: boolean,
  ) {
    server.on("upgrade", this.onUpgrade);
    if (!owned) return;
    server.on("request", (_req: IncomingMessage, res: { socket: NetSocket | null }) => {
      if (res.socket !== null) refuse(res.socket, 426);
    });
    // Over TLS the deadline starts once the TLS handshake is done (tls.Server's handshakeTimeout
    // bounds that part).
    server.on(scheme === "wss" ? "secureConnection" : "connection", this.onConnection);
  }

  get address(): AddressInfo | null {
    const info = this.server.address();
    return typeof info === "object" ? info : null;
  }

  /** The longest handshakeInterval of the endpoints here; 0 when one of them has none. */
  private deadlineMs(): number {
    let ms = 0;
    for (const reg of this.paths.values()) {
      if (reg.options.handshakeInterval === 0) return 0;
      ms = Math.max(ms, reg.options.handshakeInterval);
    }
    return ms;
  }

  private readonly onConnection = (raw: NetSocket): void => {
    const ms = this.deadlineMs();
    if (ms === 0) return;
    const timer = setTimeout(() => raw.destroy(), ms);
    timer.unref();
    this.deadlines.set(raw, timer);
    raw.once("close", () => clearTimeout(timer));
  };

  private readonly onUpgrade = (req: IncomingMessage, raw: NetSocket, head: Buffer): void => {
    const reg = this.paths.get(normalisePath(req.url ?? "/"));
    if (reg === undefined) {
      // On the application's server, other upgrade handlers may own the path.
      if (!this.owned && this.server.listenerCount("upgrade") > 1) return;
      refuse(raw, 404);
      return;
    }
    const timer = this.deadlines.get(raw);
    if (timer !== undefined) clearTimeout(timer);
    const header = req.headers["sec-websocket-protocol"];
    const protocol = chooseSubprotocol(header, reg.options.mechanism);
    if (protocol === null) {
      this.refuseUpgrade(reg, raw, `no ZWS 2.0 subprotocol for ${reg.options.mechanism} offered (${header ?? "none"})`);
      return;
    }
    // `ws` refuses "ZWS2.0/NULL" in the request (RFC 6455 makes it a token; "/" is none): it is
    // chosen here and written into the response by the `headers` listener (see `register`).
    chosenProtocol.set(req, protocol);
    delete req.headers["sec-websocket-protocol"];
    reg.upgrader.handleUpgrade(req, raw, head, (ws) => {
      const port = new NodePort(ws);
      port.useSocket(raw);
      reg.onStream(new ZwsStream(port, { mechanism: reg.options.mechanism, socketType: reg.options.socketType }));
      port.open(protocol);
    });
  };

  /** libzmq's events for a refused upgrade (accept, handshake:error:protocol, disconnect), then 400. */
  private refuseUpgrade(reg: Registration, raw: NetSocket, message: string): void {
    const { mechanism, socketType } = reg.options;
    reg.onStream(new ZwsStream(refusedPort(message), { mechanism, socketType }));
    refuse(raw, 400);
  }

  register(path: string, options: TransportOptions, onStream: StreamHandler, Upgrader: typeof WebSocketServer): void {
    const upgrader = new Upgrader({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: options.maxMessageSize >= 0 ? options.maxMessageSize + 1 : 0,
    });
    upgrader.on("headers", (headers: string[], req: IncomingMessage) => {
      const protocol = chosenProtocol.get(req);
      if (protocol !== undefined) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
    });
    const reg: Registration = { options, onStream, upgrader };
    // A request `ws` refuses (no key, a wrong version, not a GET) is a refused upgrade too.
    upgrader.on("wsClientError", (err: Error, raw: NetSocket) => this.refuseUpgrade(reg, raw, err.message));
    this.paths.set(normalisePath(path), reg);
  }

  /** Removes an endpoint; true when the server has none left. */
  unregister(path: string): boolean {
    this.paths.get(normalisePath(path))?.upgrader.close();
    this.paths.delete(normalisePath(path));
    return this.paths.size === 0;
  }

  has(path: string): boolean {
    return this.paths.has(normalisePath(path));
  }

  /** Stops serving: a server of ours closes, the application's is left as it was. */
  dispose(): void {
    this.server.off("upgrade", this.onUpgrade);
    if (this.owned) this.server.close();
  }
}

// ---- the servers of the process ----

/** Servers zmtp started, by `scheme|address|port`, and those still starting on a fixed port. */
const owned = new Map<string, SharedServer>();
const starting = new Map<string, Promise<SharedServer>>();
/** Servers the application attached. */
const attached = new Set<SharedServer>();

/** An attached server listening where a bind asks to (a wildcard bind matches a wildcard server). */
function attachedAt(scheme: Scheme, host: string, port: number): SharedServer | null {
  for (const shared of attached) {
    const info = shared.address;
    if (shared.scheme !== scheme || info === null || info.port !== port) continue;
    if (info.address === host || (isWildcard(info.address) && isWildcard(host))) return shared;
  }
  return null;
}

function startServer(scheme: Scheme, host: string, port: number, options: TransportOptions, uri: string) {
  return new Promise<SharedServer>((resolve, reject) => {
    let server: HttpServer;
    if (scheme === "wss") {
      const { certPem, keyPem } = options.wss;
      // libzmq asserts (the process aborts) when a wss bind has no certificate: refuse instead.
      if (certPem === "" || keyPem === "") {
        reject(zmqError("EINVAL", "a wss bind needs wssCertPem and wssKeyPem", uri));
        return;
      }
      try {
        const handshakeTimeout = options.handshakeInterval > 0 ? options.handshakeInterval : undefined;
        server = createHttpsServer({ cert: certPem, key: keyPem, handshakeTimeout });
      } catch (err) {
        reject(zmqError("EINVAL", `wss certificate or key: ${(err as Error).message}`, uri));
        return;
      }
    } else {
      server = createHttpServer();
    }
    const shared = new SharedServer(server, scheme, true);
    server.once("error", (err: NodeJS.ErrnoException) => reject(fromSystemError(err, uri)));
    server.listen({ host, port, backlog: options.backlog, ipv6Only: false }, () => {
      server.removeAllListeners("error");
      server.on("error", () => undefined);
      shared.key = `${scheme}|${host}|${shared.address?.port ?? port}`;
      owned.set(shared.key, shared);
      resolve(shared);
    });
  });
}

/** The server of ours at `host:port`, started unless one is (or is being) started there. */
function ownedServer(scheme: Scheme, host: string, port: number, options: TransportOptions, uri: string) {
  if (port === 0) return startServer(scheme, host, port, options, uri);
  const key = `${scheme}|${host}|${port}`;
  const running = owned.get(key);
  if (running !== undefined) return Promise.resolve(running);
  let pending = starting.get(key);
  if (pending === undefined) {
    pending = startServer(scheme, host, port, options, uri);
    starting.set(key, pending);
    const started = pending;
    const forget = (): void => void (starting.get(key) === started && starting.delete(key));
    started.then(forget, forget);
  }
  return pending;
}

/**
 * Binds a ws or wss endpoint: `*` or an interface name or IP literal (no host names, as libzmq),
 * a port (`*` for an ephemeral one) and a path ("/" when none). Endpoints on one port share one
 * server and differ by path (libzmq has one endpoint per port): a path bound twice is EADDRINUSE.
 */
export async function listenWs(
  scheme: Scheme,
  uri: string,
  options: TransportOptions,
  onStream: StreamHandler,
): Promise<Listener> {
  const { host, port, path } = parseWs(uri, parseUri(uri).address, true);
  const bindHost = await resolveLocal(host, options.ipv6, uri, false);
  const { WebSocketServer } = await loadWs();
  const shared =
    (port === 0 ? null : attachedAt(scheme, bindHost, port)) ??
    (await ownedServer(scheme, bindHost, port, options, uri));
  if (shared.has(path)) throw zmqError("EADDRINUSE", undefined, uri);
  shared.register(path, options, onStream, WebSocketServer);
  const info = shared.address;
  return {
    endpoint: formatWsEndpoint(scheme, info?.address ?? bindHost, info?.port ?? port, path),
    close: () => {
      if (!shared.unregister(path)) return;
      if (shared.owned) owned.delete(shared.key);
      if (shared.owned || shared.detached) shared.dispose();
    },
    unref: () => {
      if (shared.owned) shared.server.unref();
    },
  };
}

/** What `attachServer` returns. */
export interface ServerAttachment {
  /** No further binds use the server; endpoints bound on it keep working until unbound. */
  detach(): void;
}

/**
 * Serves ws (or, for an `https.Server`, wss) endpoints on a server the application runs: a bind
 * to the address it listens on (`ws://*:8080/zmq` for a server on port 8080 of every interface)
 * adds the path to it instead of starting a server. Only upgrade requests for bound paths are
 * taken; the application's other requests and upgrades are left to it. A wss bind on it needs no
 * wssCertPem / wssKeyPem: the server's TLS is used.
 */
export function attachServer(server: HttpServer): ServerAttachment {
  for (const shared of attached) if (shared.server === server && !shared.detached) return attachment(shared);
  const shared = new SharedServer(server, server instanceof TlsServer ? "wss" : "ws", false);
  attached.add(shared);
  return attachment(shared);
}

function attachment(shared: SharedServer): ServerAttachment {
  return {
    detach() {
      if (shared.detached) return;
      shared.detached = true;
      attached.delete(shared);
      if (shared.paths.size === 0) shared.dispose();
    },
  };
}
