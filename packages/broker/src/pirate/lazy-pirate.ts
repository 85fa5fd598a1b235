import { EventEmitter } from "node:events";
import { Request, type SocketOptions } from "zmtp";
import { brokerError } from "../common/errors.js";
import { toFrames, type Body, type Frames } from "../common/frames.js";

export interface LazyPirateOptions {
  /** The server, or several: each retry goes to the next one (the Guide's Lazy Pirate has one). */
  endpoints: string | readonly string[];
  /** How long to wait for each reply, in ms. Default 2500. */
  timeout?: number;
  /** How many times to resend before giving up. Default 3. */
  retries?: number;
  /** More options for each REQ socket (CURVE keys, ...). */
  socket?: SocketOptions<Request>;
}

/**
 * The Lazy Pirate client (ZeroMQ Guide, chapter 4): REQ semantics without REQ's lock-up. Each
 * request waits `timeout` ms for its reply; on silence the REQ socket is thrown away (linger 0,
 * so nothing queued for the dead server survives) and a fresh one resends, up to `retries`
 * times, then the request fails with ETIMEDOUT. A fresh socket also means a late reply to an
 * abandoned attempt can never be taken for the answer. Requests are sent one at a time, in call
 * order, like REQ.
 *
 * The server sees each attempt as a new request: a request that must not run twice needs the
 * server to de-duplicate (see the broker network's workers).
 *
 * Events: "retry" ({ attempt, endpoint }), before each resend.
 */
export class LazyPirateClient extends EventEmitter {
  readonly endpoints: readonly string[];
  readonly timeout: number;
  readonly retries: number;
  private readonly socketOptions: SocketOptions<Request>;
  private socket: Request | null = null;
  private next = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: LazyPirateOptions) {
    super();
    this.endpoints = typeof options.endpoints === "string" ? [options.endpoints] : [...options.endpoints];
    if (this.endpoints.length === 0) throw new TypeError("LazyPirateClient: at least one endpoint is required");
    this.timeout = options.timeout ?? 2500;
    this.retries = options.retries ?? 3;
    this.socketOptions = options.socket ?? {};
  }

  /** Sends `body` and resolves with the reply's frames; rejects with ETIMEDOUT after the last retry. */
  request(body: Body): Promise<Frames> {
    const frames = toFrames(body);
    const result = this.queue.then(() => this.attempt(frames));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  private async attempt(frames: Frames): Promise<Frames> {
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (this.closed) throw brokerError("ECLOSED", "LazyPirateClient is closed", attempt > 0);
      const socket = this.current();
      if (attempt > 0) this.emit("retry", { attempt, endpoint: this.endpoints[this.next] });
      try {
        await socket.send(frames);
        return await socket.receive();
      } catch {
        // Silence (EAGAIN after receiveTimeout) or a closed socket: this REQ is stuck for good.
        this.drop();
        this.next = (this.next + 1) % this.endpoints.length;
      }
    }
    throw brokerError(
      "ETIMEDOUT",
      `no reply from ${this.endpoints.join(", ")} after ${this.retries + 1} attempts of ${this.timeout} ms`,
      true,
    );
  }

  private current(): Request {
    if (this.socket === null) {
      this.socket = new Request({ ...this.socketOptions, linger: 0, receiveTimeout: this.timeout });
      this.socket.connect(this.endpoints[this.next]!);
    }
    return this.socket;
  }

  private drop(): void {
    this.socket?.close();
    this.socket = null;
  }
}
