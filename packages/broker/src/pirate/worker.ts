import { EventEmitter } from "node:events";
import type { Dealer, SocketOptions } from "zmtp";
import type { BackoffOptions } from "../common/backoff.js";
import { toFrames, type Body, type Frames } from "../common/frames.js";
import { HeartbeatLink } from "../common/heartbeat-link.js";
import { PPP_HEARTBEAT, PPP_READY, controlOf, splitEnvelope } from "./protocol.js";

/** What a worker does with a request's body: the reply's body, or a promise of it. */
export type PirateHandler = (request: Frames) => Body | Promise<Body>;

export interface PirateWorkerOptions {
  /** The queue's backend endpoint. */
  endpoint: string;
  handler: PirateHandler;
  /**
   * ms between heartbeats when the worker has sent nothing else; the queue is presumed dead
   * after `liveness` intervals without a message from it. 0: the Simple Pirate worker (no
   * heartbeats, never reconnects by itself). Default 1000.
   */
  heartbeatInterval?: number;
  /** Intervals of silence before the worker reconnects. Default 3. */
  liveness?: number;
  /** Waits between reconnections: doubling from `initial` to `max` ms (defaults 1000 and 32000). */
  reconnect?: BackoffOptions;
  /** More options for the DEALER (routingId, CURVE keys, ...). */
  socket?: SocketOptions<Dealer>;
}

/**
 * The Paranoid Pirate worker (ZeroMQ Guide, chapter 4; RFC 6). It connects a DEALER to the queue
 * and says READY, answers each request with its handler's result, heartbeats when it has sent
 * nothing for an interval, and counts any message from the queue as a sign of life. When the
 * queue has been silent for `liveness` intervals it closes the socket (dropping what was queued
 * for the dead queue), waits, and connects a fresh one; the waits double up to `reconnect.max`
 * and go back to `reconnect.initial` once the queue is heard again.
 *
 * Events: "connect" when it says READY, "reconnect" ({ delay }) when it gives up on the queue,
 * "failed" (a handler's error: the request gets no reply, the client retries).
 */
export class PirateWorker extends EventEmitter {
  /** Requests answered. */
  handled = 0;
  private readonly handler: PirateHandler;
  private readonly link: HeartbeatLink;

  constructor(options: PirateWorkerOptions) {
    super();
    this.handler = options.handler;
    this.link = new HeartbeatLink(
      {
        endpoint: options.endpoint,
        heartbeatInterval: options.heartbeatInterval ?? 1000,
        liveness: options.liveness ?? 3,
        ...(options.reconnect !== undefined && { reconnect: options.reconnect }),
        ...(options.socket !== undefined && { socket: options.socket }),
      },
      {
        hello: () => [PPP_READY],
        heartbeat: () => [PPP_HEARTBEAT],
        message: (frames) => this.onMessage(frames),
      },
    );
    this.link.on("connect", () => this.emit("connect"));
    this.link.on("reconnect", (event: { delay: number }) => this.emit("reconnect", event));
  }

  /** Connects and says READY; returns at once. */
  start(): this {
    this.link.start();
    return this;
  }

  close(): void {
    this.link.close();
  }

  private onMessage(frames: Frames): void {
    if (controlOf(frames) !== null) return; // HEARTBEAT: the sign of life is all it says
    const request = splitEnvelope(frames);
    if (request !== null) void this.handle(request.envelope, request.body);
  }

  private async handle(envelope: Buffer[], body: Buffer[]): Promise<void> {
    let reply: Frames;
    try {
      reply = toFrames(await this.handler(body));
    } catch (err) {
      this.emit("failed", err);
      return;
    }
    this.handled++;
    // Through whatever socket is current: the queue routes by the envelope, not by connection.
    this.link.send([...envelope, ...reply]);
  }
}
