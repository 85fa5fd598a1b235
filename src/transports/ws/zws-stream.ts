import { ProtocolError } from "../../errors.js";
import { GREETING_SIZE } from "../../zmtp/greeting.js";
import type { SocketTypeName } from "../../zmtp/socket-types.js";
import {
  ZmtpFrameSplitter,
  readOwnReady,
  readyFromRoutingId,
  routingIdMessage,
  subprotocolMechanism,
  zmtpFrameOf,
  zwsGreeting,
  type ZwsMechanism,
} from "../../zmtp/zws.js";
import type { ByteStream } from "../stream.js";
import type { PortEvents, WebSocketPort } from "./port.js";

/** What the adapter must know of its socket. */
export interface ZwsStreamOptions {
  /** The socket's mechanism: the subprotocol must run it. */
  mechanism: ZwsMechanism;
  /** The socket's ZMTP type: a bare ZWS2.0 peer is taken to be one it can talk to. */
  socketType: SocketTypeName;
}

/** `bufferedAmount` above which writers are told to wait for `drain` (net.Socket's default mark). */
const HIGH_WATER_BYTES = 16 * 1024;
/** How often a port that signals no drain is polled while writers wait. */
const DRAIN_POLL_MS = 5;
const EMPTY = Buffer.alloc(0);

type Mode = "upgrading" | "zmtp" | "bare" | "closed";
type Listener = (arg: never) => void;

/**
 * ZWS 2.0 (RFC 45) over a WebSocket, shown to the engine as the ZMTP byte stream it expects, so
 * the engine does not know it runs over ws:
 * - inbound: a greeting made up from the subprotocol (zwsGreeting), then each binary message as
 *   one ZMTP frame; a ping or pong counts as traffic (an empty chunk);
 * - outbound: our greeting is dropped and each ZMTP frame the engine writes goes as one message;
 * - bare ZWS2.0: the peer's first message (its routing id) becomes a READY, our READY becomes our
 *   routing-id message, and no command reaches the peer (jszmq would deliver them as messages).
 * Text messages, empty messages and a subprotocol that was not offered end the connection with a
 * ProtocolError, which the engine treats as fatal (libzmq gives up on such a peer).
 */
export class ZwsStream implements ByteStream {
  writableNeedDrain = false;
  readonly zmtpOnly = true;
  private mode: Mode = "upgrading";
  private readonly listeners = new Map<string, Array<{ listener: Listener; once: boolean }>>();
  /** What the engine wrote before the upgrade completed (its greeting's first bytes). */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Our greeting's bytes still to be dropped from what the engine writes. */
  private greetingLeft = GREETING_SIZE;
  private readonly splitter = new ZmtpFrameSplitter((payload, command) => this.sendFrame(payload, command));
  /** Bare ZWS2.0: the peer's routing id is still to come; ours is sent with our READY. */
  private awaitingPeerId = true;
  private ownIdSent = false;
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  /** Messages received between the upgrade and the greeting's hand-over (null outside that moment). */
  private early: Array<Uint8Array | string> | null = null;
  /** end() was called: nothing more is written. */
  private ending = false;

  constructor(
    private readonly port: WebSocketPort,
    private readonly options: ZwsStreamOptions,
  ) {
    const events: PortEvents = {
      connecting: () => this.emit("connecting"),
      connect: () => this.emit("connect"),
      open: (protocol) => this.opened(protocol),
      message: (data) => this.received(data),
      heartbeat: () => this.emit("data", EMPTY),
      drain: () => this.drained(),
      error: (error) => this.failed(error),
      close: () => this.ended(),
    };
    port.attach(events);
  }

  get remoteAddress(): string | undefined {
    return this.port.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.port.remotePort;
  }

  get writableLength(): number {
    return this.port.bufferedAmount + this.heldBytes;
  }

  // ---- from the port ----

  /**
   * The upgrade is done. The greeting is handed over on a microtask: a server's stream reaches
   * its engine only after this, and the engine must be listening first. Messages that came with
   * the upgrade's response wait for it.
   */
  private opened(protocol: string): void {
    const mechanism = subprotocolMechanism(protocol);
    const runs = mechanism === null ? this.options.mechanism === "NULL" : mechanism === this.options.mechanism;
    if (mechanism === undefined || !runs) {
      this.failed(
        new ProtocolError("ERR_WS_UNSPECIFIED", `the peer chose subprotocol "${protocol}", not one we offered`),
      );
      return;
    }
    if (this.mode !== "upgrading") return;
    this.mode = mechanism === null ? "bare" : "zmtp";
    this.early = [];
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const chunk of held) this.write(chunk);
    queueMicrotask(() => {
      const early = this.early;
      this.early = null;
      if (this.mode === "closed" || early === null) return;
      // libzmq reports the WebSocket handshake as a handshake of its own, then the mechanism's;
      // bare ZWS2.0 has no mechanism, and the engine's handshake stands for the WebSocket's.
      if (mechanism !== null) this.emit("handshake");
      this.emit("data", zwsGreeting(mechanism ?? "NULL"));
      for (const data of early) this.received(data);
    });
  }

  private received(data: Uint8Array | string): void {
    if (this.mode === "closed") return;
    if (this.early !== null) {
      this.early.push(data);
      return;
    }
    try {
      if (typeof data === "string") throw new ProtocolError("ERR_WS_UNSPECIFIED", "text WebSocket message");
      if (this.mode === "upgrading") throw new ProtocolError("ERR_WS_UNSPECIFIED", "message before the upgrade");
      if (this.mode === "bare" && this.awaitingPeerId) {
        this.awaitingPeerId = false;
        this.emit("data", readyFromRoutingId(data, this.options.socketType));
        return;
      }
      this.emit("data", zmtpFrameOf(data));
    } catch (err) {
      this.failed(err as Error);
    }
  }

  private failed(error: Error): void {
    if (this.mode === "closed") return;
    this.emit("error", error);
    this.destroy();
  }

  private ended(): void {
    if (this.mode === "closed") return;
    this.stop();
    this.emit("close");
  }

  private drained(): void {
    if (!this.writableNeedDrain || this.port.bufferedAmount > HIGH_WATER_BYTES) return;
    this.writableNeedDrain = false;
    this.emit("drain");
  }

  // ---- from the engine ----

  write(chunk: Uint8Array): boolean {
    if (this.mode === "closed" || this.ending) return false;
    if (this.mode === "upgrading") {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      return true;
    }
    let bytes = chunk;
    if (this.greetingLeft > 0) {
      const n = Math.min(this.greetingLeft, bytes.length);
      this.greetingLeft -= n;
      bytes = bytes.subarray(n);
    }
    if (bytes.length > 0) {
      this.port.cork?.();
      try {
        this.splitter.push(bytes);
      } finally {
        this.port.uncork?.();
      }
    }
    if (this.port.bufferedAmount > HIGH_WATER_BYTES) this.waitForDrain();
    return !this.writableNeedDrain;
  }

  private sendFrame(payload: Buffer, command: boolean): void {
    if (this.mode === "bare") {
      if (!command) {
        this.port.send(payload);
        return;
      }
      // Our READY carries our routing id; every other command stays here (RFC 45 bare has none).
      if (this.ownIdSent) return;
      const ready = readOwnReady(payload.subarray(1));
      if (ready === null) return;
      this.ownIdSent = true;
      this.port.send(routingIdMessage(ready.routingId));
      return;
    }
    this.port.send(payload);
  }

  private waitForDrain(): void {
    this.writableNeedDrain = true;
    if (this.port.signalsDrain || this.drainTimer !== null) return;
    const poll = (): void => {
      this.drainTimer = null;
      if (this.mode === "closed" || !this.writableNeedDrain) return;
      if (this.port.bufferedAmount > HIGH_WATER_BYTES) this.drainTimer = setTimeout(poll, DRAIN_POLL_MS);
      else this.drained();
    };
    this.drainTimer = setTimeout(poll, DRAIN_POLL_MS);
  }

  cork(): void {
    this.port.cork?.();
  }

  uncork(): void {
    this.port.uncork?.();
  }

  pause(): void {
    this.port.pause?.();
  }

  resume(): void {
    this.port.resume?.();
  }

  /** A WebSocket ping beside the engine's ZMTP PING: libzmq's ws engine ignores the latter. */
  ping(): void {
    if (this.mode === "zmtp" || this.mode === "bare") this.port.ping?.();
  }

  /** Closes after what was sent (a close frame); `destroy` may still cut it short. */
  end(): void {
    if (this.mode === "closed" || this.ending) return;
    this.ending = true;
    this.port.close();
  }

  destroy(): void {
    if (this.mode === "closed") return;
    this.stop();
    this.port.terminate();
    this.emit("close");
  }

  unref(): void {
    this.port.unref?.();
  }

  private stop(): void {
    this.mode = "closed";
    this.held = [];
    this.heldBytes = 0;
    if (this.drainTimer !== null) clearTimeout(this.drainTimer);
    this.drainTimer = null;
  }

  // ---- a small event emitter (no node:events: the browser build runs this file) ----

  on(event: string, listener: Listener): this {
    this.add(event, listener, false);
    return this;
  }

  once(event: string, listener: Listener): this {
    this.add(event, listener, true);
    return this;
  }

  off(event: string, listener: Listener): this {
    const list = this.listeners.get(event);
    if (list === undefined) return this;
    const at = list.findIndex((entry) => entry.listener === listener);
    if (at !== -1) list.splice(at, 1);
    return this;
  }

  private add(event: string, listener: Listener, once: boolean): void {
    const list = this.listeners.get(event);
    if (list === undefined) this.listeners.set(event, [{ listener, once }]);
    else list.push({ listener, once });
  }

  private emit(event: string, arg?: unknown): void {
    const list = this.listeners.get(event);
    if (list === undefined || list.length === 0) return;
    for (const entry of list.length === 1 ? list : [...list]) {
      if (entry.once) this.off(event, entry.listener);
      (entry.listener as (arg: unknown) => void)(arg);
    }
  }
}
