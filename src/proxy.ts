import { zmqError, type ZmqError } from "./errors.js";
import { Socket } from "./sockets/base.js";
import type { MessageLike } from "./sockets/message.js";
import type { Message } from "./sockets/pipe.js";

/** The sides of a socket a proxy uses; which of them exist depends on the socket type. */
interface Endpoint {
  readonly closed: boolean;
  receive?(): Promise<Message>;
  send?(message: MessageLike[]): Promise<void>;
  close(): void;
}

type State = "ready" | "running" | "terminated";

/**
 * zeromq.js's `Proxy` (libzmq zmq_proxy_steerable): forwards every message from the front-end to
 * the back-end and back, for each direction the two socket types allow. XSUB/XPUB makes a
 * forwarder (messages down, subscriptions up), ROUTER/DEALER a shared queue, PULL/PUSH a
 * streamer. Each direction waits when the destination waits (backpressure), one message at a
 * time. On termination both sockets are closed, as zeromq.js does.
 */
export class Proxy<F extends Socket = Socket, B extends Socket = Socket> {
  private state: State = "ready";
  private paused = false;
  private wakeUp: (() => void) | null = null;
  private resumed: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(
    readonly frontEnd: F,
    readonly backEnd: B,
  ) {
    if (!(frontEnd instanceof Socket)) throw new TypeError("Front-end must be a socket object");
    if (!(backEnd instanceof Socket)) throw new TypeError("Back-end must be a socket object");
  }

  /**
   * Starts proxying; resolves once terminate() was called (or a socket was closed) and both
   * sockets are closed. Throws EINVAL at once, as zeromq.js, if a socket has neither been bound
   * nor connected.
   */
  run(): Promise<void> {
    if (!this.frontEnd.hasEndpoints) throw zmqError("EINVAL", "Front-end socket must be bound or connected");
    if (!this.backEnd.hasEndpoints) throw zmqError("EINVAL", "Back-end socket must be bound or connected");
    if (this.state !== "ready") throw zmqError("EBUSY", "Proxy is already running or has terminated");
    this.state = "running";
    const front = this.frontEnd as unknown as Endpoint;
    const back = this.backEnd as unknown as Endpoint;
    return Promise.all([this.forward(front, back), this.forward(back, front)]).then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }

  /** Suspends forwarding (messages wait in the sockets' queues) until resume(). */
  pause(): void {
    this.checkRunning();
    if (this.paused) return;
    this.paused = true;
    this.resumed = new Promise((resolve) => (this.wakeUp = resolve));
  }

  resume(): void {
    this.checkRunning();
    this.wake();
  }

  /** Stops forwarding and closes both sockets; run() resolves shortly after. */
  terminate(): void {
    this.checkRunning();
    this.stop();
  }

  private async forward(from: Endpoint, to: Endpoint): Promise<void> {
    if (typeof from.receive !== "function" || typeof to.send !== "function") return;
    while (this.state === "running") {
      let msg: Message;
      try {
        msg = await from.receive();
      } catch (err) {
        // A receiveTimeout set on the socket only means "nothing yet".
        if ((err as ZmqError).code === "EAGAIN" && !from.closed) continue;
        break;
      }
      if (this.paused) await this.resumed;
      if (this.state !== "running") break;
      try {
        await to.send(msg);
      } catch (err) {
        // sendTimeout expired: that message is dropped, as a non-blocking libzmq proxy would.
        if ((err as ZmqError).code === "EAGAIN" && !to.closed) continue;
        if (!to.closed && this.state === "running") this.failure = err as Error;
        break;
      }
    }
    // Either direction ending (terminate(), a socket closed, an error) ends the proxy.
    this.stop();
  }

  private stop(): void {
    if (this.state === "terminated") return;
    this.state = "terminated";
    this.wake();
    if (!this.frontEnd.closed) this.frontEnd.close();
    if (!this.backEnd.closed) this.backEnd.close();
  }

  private wake(): void {
    this.paused = false;
    this.wakeUp?.();
    this.wakeUp = null;
    this.resumed = null;
  }

  private checkRunning(): void {
    // zeromq.js: control commands fail with EBADF before run() and after termination.
    if (this.state !== "running") throw zmqError("EBADF", "Proxy is not running");
  }
}
