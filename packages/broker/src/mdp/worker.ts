import { EventEmitter } from "node:events";
import type { Dealer, SocketOptions } from "zmtp";
import type { BackoffOptions } from "../common/backoff.js";
import { EMPTY, toFrames, type Body, type Frames } from "../common/frames.js";
import { HeartbeatLink } from "../common/heartbeat-link.js";
import { HEARTBEAT, READY, REPLY, parseWorkerInbound, workerMessage } from "./protocol.js";

export type MajordomoHandler = (request: Frames) => Body | Promise<Body>;

export interface MajordomoWorkerOptions {
  /** The broker's endpoint. */
  broker: string;
  /** The one service this worker offers. */
  service: string;
  handler: MajordomoHandler;
  /** ms between heartbeats when nothing else was sent. Default 2500 (RFC 7's example). */
  heartbeatInterval?: number;
  /** Intervals without a word from the broker before reconnecting. Default 3. */
  liveness?: number;
  /** Waits between reconnections after silence (doubling; defaults 1000 and 32000 ms). */
  reconnect?: BackoffOptions;
  socket?: SocketOptions<Dealer>;
}

/**
 * A Majordomo worker (MDP/0.1, RFC 7): READY with its service on every connection, a REPLY for
 * each REQUEST (the handler's result), HEARTBEAT when idle. DISCONNECT from the broker, or
 * `liveness` silent intervals, make it start over on a fresh socket (at once after DISCONNECT,
 * after a growing backoff after silence).
 *
 * Events: "connect", "reconnect" ({ delay }), "failed" (a handler's error: no reply is sent).
 */
export class MajordomoWorker extends EventEmitter {
  readonly service: string;
  handled = 0;
  private readonly handler: MajordomoHandler;
  private readonly link: HeartbeatLink;

  constructor(options: MajordomoWorkerOptions) {
    super();
    this.service = options.service;
    this.handler = options.handler;
    this.link = new HeartbeatLink(
      {
        endpoint: options.broker,
        heartbeatInterval: options.heartbeatInterval ?? 2500,
        liveness: options.liveness ?? 3,
        ...(options.reconnect !== undefined && { reconnect: options.reconnect }),
        ...(options.socket !== undefined && { socket: options.socket }),
      },
      {
        hello: () => workerMessage(READY, Buffer.from(this.service)),
        heartbeat: () => workerMessage(HEARTBEAT),
        message: (frames) => this.onMessage(frames),
      },
    );
    this.link.on("connect", () => this.emit("connect"));
    this.link.on("reconnect", (event: { delay: number }) => this.emit("reconnect", event));
  }

  start(): this {
    this.link.start();
    return this;
  }

  close(): void {
    this.link.close();
  }

  private onMessage(frames: Frames): void {
    const message = parseWorkerInbound(frames);
    if (message === null || message.kind === "heartbeat") return;
    if (message.kind === "disconnect") return this.link.restart(0);
    void this.handle(message.client, message.body);
  }

  private async handle(client: Buffer[], body: Buffer[]): Promise<void> {
    let reply: Frames;
    try {
      reply = toFrames(await this.handler(body));
    } catch (err) {
      this.emit("failed", err);
      return;
    }
    this.handled++;
    this.link.send(workerMessage(REPLY, ...client, EMPTY, ...reply));
  }
}
