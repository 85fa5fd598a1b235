/**
 * One WebSocket connection as the ZWS adapter (zws-stream.ts) drives it: whole binary messages in
 * and out, plus what a runtime offers beyond the WHATWG `WebSocket` (Node's `ws` has inbound
 * backpressure, pings and a socket to cork). `whatwgPort` fits a browser's, Deno's or Bun's
 * `WebSocket`; node-port.ts fits `ws`'s. No Node built-ins here: the browser build uses this file.
 */

/** What a port reports to the adapter. */
export interface PortEvents {
  /** A dialled connection is under way (its host resolved): libzmq's connect:delay. */
  connecting(): void;
  /** A dialled connection's transport is up (TCP connected), before the WebSocket upgrade. */
  connect(): void;
  /** The upgrade completed with this subprotocol. */
  open(protocol: string): void;
  /** One whole message: bytes for a binary message, a string for a text one. */
  message(data: Uint8Array | string): void;
  /** A ping or pong control frame arrived (traffic, for the heartbeat). */
  heartbeat(): void;
  /** `bufferedAmount` went down: writes may resume. Ports whose `signalsDrain` is false never call it. */
  drain(): void;
  error(error: Error): void;
  close(): void;
}

export interface WebSocketPort {
  /** Wires the port to its adapter (once, before anything else). */
  attach(events: PortEvents): void;
  /** Sends one binary message. */
  send(payload: Uint8Array): void;
  /** Bytes sent but not yet handed to the network. */
  readonly bufferedAmount: number;
  /** True when the port calls `drain`; otherwise the adapter polls `bufferedAmount`. */
  readonly signalsDrain: boolean;
  /** Closes once what was sent is written (a close frame). */
  close(): void;
  /** Closes at once. */
  terminate(): void;
  /** A WebSocket ping, which the peer's WebSocket answers (libzmq's ws engine among them). */
  ping?(): void;
  /** Stops and restarts message delivery (backpressure towards the peer). */
  pause?(): void;
  resume?(): void;
  /** Gathers the messages sent until `uncork` into one write. */
  cork?(): void;
  uncork?(): void;
  /** Lets the process exit while the connection is idle. */
  unref?(): void;
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
}

/** The part of the WHATWG `WebSocket` a port needs (browsers, Deno, Bun, `ws`). */
export interface WhatwgWebSocket {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly protocol: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
}

/**
 * A port over a WHATWG `WebSocket`. Such a socket has no ping, no inbound backpressure and no
 * drain event (the adapter polls `bufferedAmount`), and it reports the upgrade only as `open`:
 * `connect` is reported just before it. `subprotocol` is what the connection runs when the socket
 * cannot say (a browser reports what the server chose in `protocol`).
 */
export function whatwgPort(socket: WhatwgWebSocket): WebSocketPort {
  let open = socket.readyState === 1;
  return {
    attach(events) {
      socket.binaryType = "arraybuffer";
      socket.onopen = () => {
        open = true;
        events.connect();
        events.open(socket.protocol);
      };
      socket.onmessage = (event) => {
        const data = event.data;
        if (typeof data === "string") events.message(data);
        else if (data instanceof ArrayBuffer) events.message(new Uint8Array(data));
        else if (ArrayBuffer.isView(data))
          events.message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        else events.error(new Error("unexpected WebSocket message data"));
      };
      socket.onerror = () => events.error(new Error(open ? "WebSocket error" : "WebSocket connection failed"));
      socket.onclose = () => events.close();
      if (open) queueMicrotask(() => events.open(socket.protocol));
      else queueMicrotask(() => events.connecting());
    },
    send: (payload) => socket.send(payload),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    signalsDrain: false,
    close: () => socket.close(1000),
    terminate: () => socket.close(),
  };
}
