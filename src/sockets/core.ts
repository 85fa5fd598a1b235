import type { Message, OutgoingMessage } from "./pipe.js";

/**
 * What the public API layer (src/api, zeromq.js's binding) needs from a socket: libzmq's
 * socket calls, non-blocking. Waiting, timeouts, argument checks and zeromq.js's error shapes
 * live above this line; routing, pipes and connections below it.
 */
export interface SocketCore {
  /** libzmq's socket type number (ZMQ_PAIR = 0 ... ZMQ_STREAM = 11). */
  readonly type: number;
  readonly closed: boolean;

  /** ZMQ_EVENTS & POLLIN: a receive() would complete now. */
  readonly hasIn: boolean;
  /** ZMQ_EVENTS & POLLOUT: a send() would complete now. */
  readonly hasOut: boolean;
  /**
   * Called when readiness may have changed (a message arrived, a pipe gained room or a peer
   * joined): the edge trigger of libzmq's ZMQ_FD. Spurious calls are allowed.
   */
  onReadiness: (() => void) | null;

  /** zmq_msg_send with ZMQ_DONTWAIT: false when it would block; throws EFSM, EHOSTUNREACH, ENOTSUP. */
  send(msg: Message): boolean;
  /**
   * send() for messages `from` up to `to` of `msgs`, stopping at the first that would block;
   * returns how many were sent. On the types that can route a run at once (PUSH, DEALER), which
   * may send none (several peers, a REQ): callers check hasOut first (false once closed), send
   * the rest one by one, and skip messages of no frames.
   */
  sendMany?(msgs: ReadonlyArray<OutgoingMessage>, from: number, to: number): number;
  /** zmq_msg_recv with ZMQ_DONTWAIT: undefined when nothing is ready; throws EFSM, ENOTSUP. */
  receive(): Message | undefined;

  /**
   * receive() up to `max` times while a message is ready, appending to `into`; returns how many
   * it received. On the types that can read a queue at once (PULL, DEALER), which may take none
   * (several peers, a REQ): callers check hasIn first (false once closed), then receive one by one.
   */
  receiveMany?(into: Message[], max: number): number;
  /** zmq_bind; rejects with an errno error (EADDRINUSE, EINVAL, EPROTONOSUPPORT, ...). */
  bind(address: string): Promise<void>;
  /** zmq_unbind; rejects ENOENT for an endpoint that is not bound. */
  unbind(address: string): Promise<void>;
  /** zmq_connect; throws EINVAL, EPROTONOSUPPORT, ... */
  connect(address: string): void;
  /** zmq_disconnect; throws ENOENT for an endpoint that is not connected. */
  disconnect(address: string): void;

  /** zmq_setsockopt by libzmq option id; throws EINVAL as libzmq does. */
  setOption(id: number, value: OptionArgument): void;
  /** zmq_getsockopt by libzmq option id, read as `kind`; throws EINVAL as libzmq does. */
  getOption(id: number, kind: OptionKind): OptionResult;

  /** zmq_socket_monitor: events go to `sink` until another sink replaces it (or null). */
  monitor(sink: MonitorSink | null): void;

  /** zmq_close: pending outbound messages are still delivered for `linger` ms. */
  close(): void;
}

/**
 * How an option value crosses libzmq's `void* optval, size_t optvallen`: a 4-byte int (bool,
 * int32, uint32 accessors), an 8-byte int (int64, uint64), or bytes (string/buffer accessors;
 * null is `NULL, 0`).
 */
export type OptionKind = "int" | "int64" | "bytes";

export type OptionArgument =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "int64"; readonly value: bigint }
  | { readonly kind: "bytes"; readonly value: Buffer | null };

/** int: a signed 32-bit value; int64: a signed 64-bit value; bytes: what libzmq copied out. */
export type OptionResult = number | bigint | Buffer;

/** libzmq's monitor events, by the names zeromq.js gives them. */
export type MonitorEventType =
  | "connect"
  | "connect:delay"
  | "connect:retry"
  | "bind"
  | "bind:error"
  | "accept"
  | "accept:error"
  | "close"
  | "close:error"
  | "disconnect"
  | "end"
  | "handshake"
  | "handshake:error:other"
  | "handshake:error:protocol"
  | "handshake:error:auth";

/**
 * One monitor event as libzmq sends it: the endpoint and one value, whose meaning depends on
 * the type (errno for `*:error` and `handshake:error:other`, the interval in ms for
 * `connect:retry`, the ZMTP/ZAP error code for `handshake:error:protocol`, the ZAP status for
 * `handshake:error:auth`).
 */
export interface MonitorEvent {
  readonly type: MonitorEventType;
  readonly address: string;
  readonly value: number | string;
}

/** Receives a socket's events; the last one is always `end` (replaced by another sink, or closed). */
export interface MonitorSink {
  event(event: MonitorEvent): void;
}
