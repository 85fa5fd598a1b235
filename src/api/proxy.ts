import { holdProcess, releaseProcess } from "#platform/process";
import { nextTurn } from "#platform/timers";
import { zmqError } from "../errors.js";
import type { SocketCore } from "../sockets/core.js";
import type { Message } from "../sockets/pipe.js";
import { isObject, noArguments, required, validateArguments } from "./arguments.js";
import { blockSocket, endpointsOf, unwrapSocket } from "./socket-access.js";
import type { Socket } from "./socket.js";

type Command = "PAUSE" | "RESUME" | "TERMINATE";

/**
 * zeromq.js's `Proxy` (libzmq's zmq_proxy_steerable): forwards whole messages from the
 * front-end to the back-end and back, for each direction the socket types allow (XSUB/XPUB: a
 * forwarder with subscriptions going up; ROUTER/DEALER: a shared queue; PULL/PUSH: a
 * streamer). While it runs both sockets are blocked for the application, as with the binding;
 * terminate() closes them. A direction forwards only while its destination has room, so a
 * full destination holds messages back in the source's queue instead of dropping them.
 */
export class Proxy<F extends Socket = Socket, B extends Socket = Socket> {
  readonly #frontEnd: F;
  readonly #backEnd: B;
  /** Control commands before run() and after termination fail with EBADF, as in zeromq.js. */
  #control: ((command: Command) => void) | null = null;

  constructor(frontEnd: F, backEnd: B) {
    validateArguments(arguments, [
      required("Front-end must be a socket object", isObject),
      required("Back-end must be a socket object", isObject),
    ]);
    if (unwrapSocket(frontEnd) === null || unwrapSocket(backEnd) === null) throw new Error("Invalid argument");
    this.#frontEnd = frontEnd;
    this.#backEnd = backEnd;
  }

  get frontEnd(): F {
    return this.#frontEnd;
  }

  get backEnd(): B {
    return this.#backEnd;
  }

  run(): Promise<void> {
    noArguments(arguments);
    const front = unwrapSocket(this.#frontEnd)!;
    const back = unwrapSocket(this.#backEnd)!;
    if (endpointsOf(this.#frontEnd) === 0) throw zmqError("EINVAL", "Front-end socket must be bound or connected");
    if (endpointsOf(this.#backEnd) === 0) throw zmqError("EINVAL", "Back-end socket must be bound or connected");
    blockSocket(this.#frontEnd, true);
    blockSocket(this.#backEnd, true);
    holdProcess();
    return new Promise<void>((resolve) => {
      const run = new ProxyRun(front, back, () => {
        this.#control = null;
        releaseProcess();
        for (const socket of [this.#frontEnd, this.#backEnd]) {
          blockSocket(socket, false);
          socket.close();
        }
        resolve();
      });
      this.#control = (command) => run.command(command);
      run.pump();
    });
  }

  pause(): void {
    noArguments(arguments);
    this.#send("PAUSE");
  }

  resume(): void {
    noArguments(arguments);
    this.#send("RESUME");
  }

  terminate(): void {
    noArguments(arguments);
    this.#send("TERMINATE");
  }

  #send(command: Command): void {
    if (this.#control === null) throw zmqError("EBADF");
    this.#control(command);
  }
}

/** One run of a proxy: moves messages whenever either socket's readiness changes. */
class ProxyRun {
  #paused = false;
  #done = false;
  #pumping = false;

  constructor(
    private readonly front: SocketCore,
    private readonly back: SocketCore,
    private readonly finished: () => void,
  ) {
    front.onReadiness = this.pump;
    back.onReadiness = this.pump;
  }

  command(command: Command): void {
    if (this.#done) return;
    if (command === "TERMINATE") {
      // Termination completes on a later turn, as zeromq.js's run() settles after its worker.
      nextTurn(() => {
        if (!this.#done) this.finish();
      });
      return;
    }
    this.#paused = command === "PAUSE";
    if (!this.#paused) this.pump();
  }

  readonly pump = (): void => {
    if (this.#done || this.#paused || this.#pumping) return;
    this.#pumping = true;
    try {
      let moved = true;
      while (moved && !this.#done) moved = this.forward(this.front, this.back) || this.forward(this.back, this.front);
    } finally {
      this.#pumping = false;
    }
  };

  /** Moves one message when the source has one and the destination takes it without waiting. */
  private forward(from: SocketCore, to: SocketCore): boolean {
    if (!from.hasIn || !to.hasOut) return false;
    let msg: Message | undefined;
    try {
      msg = from.receive();
    } catch {
      return false;
    }
    if (msg === undefined) return false;
    try {
      to.send(msg);
    } catch {
      // libzmq's proxy drops what the destination refuses (e.g. an unroutable ROUTER message).
    }
    return true;
  }

  private finish(): void {
    this.#done = true;
    this.front.onReadiness = null;
    this.back.onReadiness = null;
    this.finished();
  }
}
