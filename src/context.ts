import { zmqError } from "./errors.js";
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

/**
 * A context as libzmq has one (zmq_ctx_set / zmq_ctx_get semantics): the options that shape new
 * sockets (`blocky` gives them linger 0 when false, `ipv6` their default), the socket count
 * `maxSockets` bounds, and what a context really scopes in a pure-JS engine: `inproc://` names.
 * There are no I/O threads; their options are kept and validated as libzmq does.
 */
export class ContextCore {
  blocky = true;
  ipv6 = false;
  ioThreads = 1;
  maxSockets = 1023;
  maxMessageSize = INT_MAX;
  zeroCopyReceive = true;
  threadPriority = -1;
  threadSchedulingPolicy = -1;
  /** Open sockets of this context (libzmq refuses more than maxSockets with EMFILE). */
  sockets = 0;
  readonly inproc = new InprocRegistry();

  /** zmq_ctx_set with an int value. */
  setOption(id: number, value: number): void {
    switch (id) {
      case MAX_SOCKETS:
        if (value < 1) break;
        this.maxSockets = value;
        return;
      case IO_THREADS:
        if (value < 0) break;
        this.ioThreads = value;
        return;
      case IPV6:
        if (value < 0) break;
        this.ipv6 = value !== 0;
        return;
      case BLOCKY:
        if (value < 0) break;
        this.blocky = value !== 0;
        return;
      case MAX_MSGSZ:
        if (value < 0) break;
        this.maxMessageSize = Math.min(value, INT_MAX);
        return;
      case ZERO_COPY_RECV:
        if (value < 0) break;
        this.zeroCopyReceive = value !== 0;
        return;
      case SOCKET_LIMIT_OR_THREAD_PRIORITY:
        if (value < 0) break;
        this.threadPriority = value;
        return;
      case THREAD_SCHED_POLICY:
        if (value < 0) break;
        this.threadSchedulingPolicy = value;
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
        return this.zeroCopyReceive ? 1 : 0;
      case THREAD_SCHED_POLICY:
        return this.threadSchedulingPolicy;
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
export const defaultContextCore = new ContextCore();
