import { EventEmitter } from "node:events";
import type { Socket as NetSocket } from "node:net";
import type { ByteStream } from "./stream.js";
import type { SocksOptions } from "./transport.js";
import {
  encodeAuthRequest,
  encodeConnectRequest,
  encodeGreeting,
  NO_AUTH,
  readAuthReply,
  readChoice,
  readConnectReply,
  USERNAME_PASSWORD,
  type ReplyStatus,
} from "./tcp-socks-codec.js";

type State = "proxy" | "choice" | "auth" | "reply" | "open" | "closed";

/** The stream events that go to the proxy connection itself once the tunnel is open. */
const PASSED = new Set<string | symbol>(["data", "drain", "end", "close", "error"]);

// EventEmitter's own listener type.
type Listener = Parameters<EventEmitter["on"]>[1];

/**
 * A tcp connection through a SOCKS5 proxy, as libzmq's socks_connecter makes it: the connection
 * to the proxy, the greeting with one method, username/password if the proxy picks it, CONNECT
 * to the endpoint's host (by name unless numeric: the proxy resolves it) and port. It emits
 * `connecting` when the proxy connection is under way, `connect` once the proxy reports the
 * tunnel open, and `error` for any failure before that (refused, closed, a reply that is not
 * SOCKS5 or not success): libzmq then closes and retries. From `connect` on, it is the proxy
 * connection: data, drain, end, close and error are the net.Socket's own, with no copy.
 */
export class SocksStream extends EventEmitter implements ByteStream {
  private state: State = "proxy";
  private received = new Uint8Array(0);

  constructor(
    private readonly socket: NetSocket,
    private readonly target: { host: string; port: number },
    private readonly options: SocksOptions,
  ) {
    super();
    socket.once("connecting", () => this.emit("connecting"));
    socket.once("connect", this.onProxyConnected);
    socket.on("data", this.onData);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
  }

  private readonly onProxyConnected = (): void => {
    this.state = "choice";
    this.socket.write(encodeGreeting(this.options.username.length > 0 ? USERNAME_PASSWORD : NO_AUTH));
  };

  private readonly onData = (chunk: Buffer): void => {
    const merged = new Uint8Array(this.received.length + chunk.length);
    merged.set(this.received);
    merged.set(chunk, this.received.length);
    this.received = merged;
    while (this.state !== "open" && this.state !== "closed") {
      const reply = this.readReply();
      if (reply.kind === "more") return;
      if (reply.kind === "bad") return this.fail("the SOCKS proxy sent a malformed reply");
      this.received = this.received.subarray(reply.length);
      this.advance(reply.code);
    }
  };

  private readReply(): ReplyStatus {
    if (this.state === "choice") return readChoice(this.received);
    if (this.state === "auth") return readAuthReply(this.received);
    return readConnectReply(this.received);
  }

  /** The next step after a complete reply whose code is `code`. */
  private advance(code: number): void {
    if (this.state === "choice") {
      // libzmq takes either method, whichever it offered (without credentials it then sends empty ones).
      if (code === USERNAME_PASSWORD) {
        this.state = "auth";
        this.socket.write(encodeAuthRequest(this.options.username, this.options.password));
      } else if (code === NO_AUTH) {
        this.sendConnect();
      } else {
        this.fail("the SOCKS proxy accepts none of the offered methods");
      }
    } else if (this.state === "auth") {
      if (code === 0) this.sendConnect();
      else this.fail("the SOCKS proxy refused the username and password");
    } else if (code === 0) {
      this.open();
    } else {
      this.fail(`the SOCKS proxy could not connect (reply ${code})`);
    }
  }

  private sendConnect(): void {
    const request = encodeConnectRequest(this.target.host, this.target.port);
    if (request === null) return this.fail("host name too long for SOCKS");
    this.state = "reply";
    this.socket.write(request);
  }

  /**
   * The tunnel is open: the proxy connection becomes the stream. Bytes the peer sent right behind
   * the reply (its ZMTP greeting can share the segment) go back into the socket for the engine.
   */
  private open(): void {
    this.state = "open";
    const socket = this.socket;
    socket.off("data", this.onData);
    socket.off("error", this.onError);
    socket.off("close", this.onClose);
    socket.pause();
    if (this.received.length > 0) socket.unshift(Buffer.from(this.received));
    this.received = new Uint8Array(0);
    this.emit("connect");
    socket.resume();
  }

  private fail(reason: string): void {
    this.state = "closed";
    this.socket.destroy();
    this.emit("error", new Error(reason));
  }

  private readonly onError = (error: Error): void => {
    if (this.state === "closed") return;
    this.state = "closed";
    this.emit("error", error);
  };

  /** The proxy closed before the tunnel opened (libzmq reads 0 bytes): a failure like any other. */
  private readonly onClose = (): void => {
    if (this.state === "closed") return;
    this.state = "closed";
    this.emit("error", new Error("the SOCKS proxy closed the connection"));
  };

  write(chunk: Uint8Array): boolean {
    return this.socket.write(chunk);
  }
  cork(): void {
    this.socket.cork();
  }
  uncork(): void {
    this.socket.uncork();
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  end(): void {
    this.socket.end();
  }
  destroy(error?: Error): void {
    // A destroy by the owner is no failure to report (a net.Socket emits no error for it either).
    if (this.state !== "open") this.state = "closed";
    this.socket.destroy(error);
  }
  unref(): this {
    this.socket.unref();
    return this;
  }
  get writableLength(): number {
    return this.socket.writableLength;
  }
  get writableNeedDrain(): boolean {
    return this.socket.writableNeedDrain;
  }
  /** The proxy's address, as libzmq reports the peer of a proxied connection. */
  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  override on(event: string | symbol, listener: Listener): this {
    if (this.state === "open" && PASSED.has(event)) this.socket.on(event as string, listener);
    else super.on(event, listener);
    return this;
  }
  override once(event: string | symbol, listener: Listener): this {
    if (this.state === "open" && PASSED.has(event)) this.socket.once(event as string, listener);
    else super.once(event, listener);
    return this;
  }
  override off(event: string | symbol, listener: Listener): this {
    if (PASSED.has(event)) this.socket.off(event as string, listener);
    super.off(event, listener);
    return this;
  }
}
