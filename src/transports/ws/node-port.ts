import type { Socket as NetSocket } from "node:net";
import type { WebSocket } from "ws";
import { ProtocolError } from "../../errors.js";
import type { PortEvents, WebSocketPort } from "./port.js";

/**
 * A port over `ws`'s WebSocket and the TCP (or TLS) socket under it: inbound backpressure
 * (`ws.pause()`), pings, the socket's `drain`, cork and unref. The events before the upgrade
 * (connecting, connect, a refused upgrade) are the dialler's (client.ts) to report.
 */
export class NodePort implements WebSocketPort {
  readonly signalsDrain = true;
  private events: PortEvents | null = null;
  private raw: NetSocket | null = null;
  private opened = false;
  private unrefWanted = false;
  /** Closed before a dialler made its WebSocket: it makes none. */
  abandoned = false;

  /** A server's port gets its WebSocket at once; a dialler's once `ws` is loaded (`use`). */
  constructor(private ws: WebSocket | null = null) {}

  attach(events: PortEvents): void {
    this.events = events;
    if (this.ws !== null) this.listen(this.ws, events);
  }

  /** The dialled WebSocket, once made. */
  use(ws: WebSocket): void {
    this.ws = ws;
    if (this.events !== null) this.listen(ws, this.events);
  }

  private listen(ws: WebSocket, events: PortEvents): void {
    ws.on("message", (data: Buffer, isBinary: boolean) => events.message(isBinary ? data : data.toString()));
    ws.on("ping", () => events.heartbeat());
    ws.on("pong", () => events.heartbeat());
    ws.on("close", () => events.close());
    ws.on("error", (err: Error & { code?: string }) => {
      // Before the upgrade the dialler (client.ts) tells what an error means. After it, ws's own
      // errors are protocol violations (a bad frame, an oversized message); others, the peer gone.
      if (!this.opened) return;
      if (typeof err.code === "string" && err.code.startsWith("WS_ERR_")) {
        events.error(new ProtocolError("ERR_WS_UNSPECIFIED", err.message));
      } else {
        events.close();
      }
    });
  }

  /** The TCP (or TLS) socket under the WebSocket, once there is one (a dial's, before its upgrade). */
  useSocket(raw: NetSocket): void {
    this.raw = raw;
    raw.on("drain", () => this.events?.drain());
    if (this.unrefWanted) raw.unref();
  }

  /** The upgrade completed with `protocol`. */
  open(protocol: string): void {
    this.opened = true;
    this.events?.open(protocol);
  }

  /** Dialling, before the upgrade: the host is resolved and the connection under way. */
  connecting(): void {
    this.events?.connecting();
  }

  /** Dialling: TCP is connected, the upgrade request goes out. */
  connected(): void {
    this.events?.connect();
  }

  /** Dialling: the attempt failed (`error`), or the peer went away during the upgrade (null). */
  failed(error: Error | null): void {
    if (error === null) this.events?.close();
    else this.events?.error(error);
  }

  send(payload: Uint8Array): void {
    this.ws?.send(payload);
  }

  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** Closes after what was sent; a dialler whose WebSocket is not made yet makes none (`abandoned`). */
  close(): void {
    this.abandoned = true;
    this.ws?.close(1000);
  }

  terminate(): void {
    this.abandoned = true;
    this.ws?.terminate();
  }

  ping(): void {
    const ws = this.ws;
    if (ws !== null && ws.readyState === ws.OPEN) ws.ping();
  }

  pause(): void {
    this.ws?.pause();
  }

  resume(): void {
    this.ws?.resume();
  }

  cork(): void {
    this.raw?.cork();
  }

  uncork(): void {
    this.raw?.uncork();
  }

  unref(): void {
    this.unrefWanted = true;
    this.raw?.unref();
  }

  get remoteAddress(): string | undefined {
    return this.raw?.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.raw?.remotePort;
  }
}
