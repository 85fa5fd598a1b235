import { crossThreadInproc, sharedContextStore } from "#platform/threads";
import { zmqError } from "./errors.js";
import { randomFill } from "./platform/random.js";
import type { CrossThreadInproc } from "./sockets/session/cross-thread.js";
import { InprocRegistry } from "./transports/inproc.js";

/** libzmq context option ids (zmq.h). */
const IO_THREADS = 1;
const MAX_SOCKETS = 2;
/** ZMQ_SOCKET_LIMIT when read, ZMQ_THREAD_PRIORITY when set: both are 3 in zmq.h. */
const SOCKET_LIMIT_OR_THREAD_PRIORITY = 3;
const THREAD_SCHED_POLICY = 4;
const MAX_MSGSZ = 5;
const MSG_T_SIZE = 6;
const THREAD_AFFINITY_CPU_ADD = 7;
const THREAD_AFFINITY_CPU_REMOVE = 8;
const ZERO_COPY_RECV = 10;
const IPV6 = 42;
const BLOCKY = 70;

/** What epoll-based libzmq reports as ZMQ_SOCKET_LIMIT. */
const SOCKET_LIMIT = 65535;
const INT_MAX = 2 ** 31 - 1;

/** Where a context keeps its options: one int32 slot each (shared between threads for the default). */
const enum Slot {
  Layout,
  Blocky,
  Ipv6,
  IoThreads,
  MaxSockets,
  MaxMessageSize,
  ZeroCopyReceive,
  ThreadPriority,
  ThreadSchedulingPolicy,
  /** 16 random bytes that only the threads sharing this store know (cross-thread inproc). */
  Secret,
  Count = Secret + 4,
}

/** Bumped whenever the slots change, so that two zmtp versions in one process keep apart. */
const LAYOUT = 1;
const SHARED_KEY = `zmtp:default-context:${LAYOUT}`;

function initStore(store: Int32Array): Int32Array {
  store[Slot.Layout] = LAYOUT;
  store[Slot.Blocky] = 1;
  store[Slot.Ipv6] = 0;
  store[Slot.IoThreads] = 1;
  store[Slot.MaxSockets] = 1023;
  store[Slot.MaxMessageSize] = INT_MAX;
  store[Slot.ZeroCopyReceive] = 1;
  store[Slot.ThreadPriority] = -1;
  store[Slot.ThreadSchedulingPolicy] = -1;
  randomFill(store.subarray(Slot.Secret, Slot.Secret + 4));
  return store;
}

/**
 * A context as libzmq has one (zmq_ctx_set / zmq_ctx_get semantics): the options that shape new
 * sockets (`blocky` gives them linger 0 when false, `ipv6` their default), the socket count
 * `maxSockets` bounds, and what a context really scopes in a pure-JS engine: `inproc://` names.
 * There are no I/O threads; their options are kept and validated as libzmq does. The default
 * context's options live in memory shared between threads, and its inproc names reach across
 * them (`crossThread`); any other context belongs to the thread that made it, as in zeromq.js.
 */
export class ContextCore {
  readonly inproc = new InprocRegistry();
  /** inproc between threads: only the shared default context has it. */
  readonly crossThread: CrossThreadInproc | null;
  /**
   * Open sockets of this context in this thread (libzmq refuses more than maxSockets with
   * EMFILE). Counted per thread: a terminated worker runs no code that could give its sockets
   * back to a count shared with other threads.
   */
  sockets = 0;
  private readonly store: Int32Array;

  /** `shared`: the process's default context, one for all its threads. */
  constructor(shared = false) {
    this.store = shared
      ? sharedContextStore(SHARED_KEY, Slot.Count * 4, initStore)
      : initStore(new Int32Array(Slot.Count));
    this.crossThread = shared ? crossThreadInproc(this.secret) : null;
  }

  get blocky(): boolean {
    return Atomics.load(this.store, Slot.Blocky) !== 0;
  }

  get ipv6(): boolean {
    return Atomics.load(this.store, Slot.Ipv6) !== 0;
  }

  get ioThreads(): number {
    return Atomics.load(this.store, Slot.IoThreads);
  }

  get maxSockets(): number {
    return Atomics.load(this.store, Slot.MaxSockets);
  }

  get maxMessageSize(): number {
    return Atomics.load(this.store, Slot.MaxMessageSize);
  }

  /** What only the threads sharing this context know. */
  get secret(): Buffer {
    return Buffer.from(this.store.buffer, this.store.byteOffset + Slot.Secret * 4, 16);
  }

  private set(slot: Slot, value: number): void {
    Atomics.store(this.store, slot, value);
  }

  /** zmq_ctx_set with an int value. */
  setOption(id: number, value: number): void {
    switch (id) {
      case MAX_SOCKETS:
        if (value < 1) break;
        this.set(Slot.MaxSockets, value);
        return;
      case IO_THREADS:
        if (value < 0) break;
        this.set(Slot.IoThreads, value);
        return;
      case IPV6:
        if (value < 0) break;
        this.set(Slot.Ipv6, value !== 0 ? 1 : 0);
        return;
      case BLOCKY:
        if (value < 0) break;
        this.set(Slot.Blocky, value !== 0 ? 1 : 0);
        return;
      case MAX_MSGSZ:
        if (value < 0) break;
        this.set(Slot.MaxMessageSize, Math.min(value, INT_MAX));
        return;
      case ZERO_COPY_RECV:
        if (value < 0) break;
        this.set(Slot.ZeroCopyReceive, value !== 0 ? 1 : 0);
        return;
      case SOCKET_LIMIT_OR_THREAD_PRIORITY:
        if (value < 0) break;
        this.set(Slot.ThreadPriority, value);
        return;
      case THREAD_SCHED_POLICY:
        if (value < 0) break;
        this.set(Slot.ThreadSchedulingPolicy, value);
        return;
      case THREAD_AFFINITY_CPU_ADD:
      case THREAD_AFFINITY_CPU_REMOVE:
        if (value < 0) break;
        return;
      default:
        break;
    }
    throw zmqError("EINVAL");
  }

  /** zmq_ctx_get. */
  getOption(id: number): number {
    switch (id) {
      case MAX_SOCKETS:
        return this.maxSockets;
      case SOCKET_LIMIT_OR_THREAD_PRIORITY:
        return SOCKET_LIMIT;
      case IO_THREADS:
        return this.ioThreads;
      case IPV6:
        return this.ipv6 ? 1 : 0;
      case BLOCKY:
        return this.blocky ? 1 : 0;
      case MAX_MSGSZ:
        return this.maxMessageSize;
      case MSG_T_SIZE:
        return 64;
      case ZERO_COPY_RECV:
        return Atomics.load(this.store, Slot.ZeroCopyReceive);
      case THREAD_SCHED_POLICY:
        return Atomics.load(this.store, Slot.ThreadSchedulingPolicy);
      default:
        throw zmqError("EINVAL");
    }
  }

  /** A socket is created in this context: EMFILE past maxSockets, as zmq_socket. */
  openSocket(): void {
    if (this.sockets >= this.maxSockets) throw zmqError("EMFILE");
    this.sockets++;
  }

  closeSocket(): void {
    this.sockets--;
  }
}

/** The process's default context (the public `context` wraps it). */
export const defaultContextCore = new ContextCore(true);
