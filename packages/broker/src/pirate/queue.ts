import { EventEmitter } from "node:events";
import { Router } from "zmtp";
import { idKey } from "../common/frames.js";
import { receiveLoop, trySend } from "../common/sockets.js";
import { PPP_HEARTBEAT, controlOf, splitEnvelope } from "./protocol.js";

export interface PirateQueueOptions {
  /** Where clients connect (REQ or Lazy Pirate clients). */
  frontend: string | readonly string[];
  /** Where workers connect (PirateWorker, or any RFC 6 worker). */
  backend: string | readonly string[];
  /**
   * ms between heartbeats to each worker that has been sent nothing else; a worker silent for
   * `liveness` intervals is purged. 0: the Simple Pirate queue (no heartbeats, no purging).
   * Default 1000.
   */
  heartbeatInterval?: number;
  /** Intervals of silence before a worker is purged. Default 3. */
  liveness?: number;
}

export interface PirateQueueCounters {
  requests: number;
  replies: number;
  /** Workers removed after `liveness` intervals of silence. */
  purged: number;
  /** Messages from workers that were neither READY, HEARTBEAT nor a reply with an envelope. */
  malformed: number;
  /** Replies for clients that are gone. */
  undeliverable: number;
}

interface WorkerEntry {
  id: Buffer;
  /** When the worker is purged unless heard from again (ms, performance.now()). */
  expiry: number;
  /** When we last sent it anything. */
  lastSent: number;
}

/**
 * The Simple and the Paranoid Pirate queue (ZeroMQ Guide, chapter 4; RFC 6): a load balancer
 * between clients (frontend ROUTER) and workers (backend ROUTER). Workers announce themselves
 * with READY and get requests least recently used first; a worker is ready again once it replies.
 * The frontend is read only while a worker is ready, so requests wait in the clients' queues
 * (bounded by their high-water marks), not in the queue's memory.
 *
 * With heartbeats (Paranoid Pirate), the queue heartbeats each worker it has sent nothing for an
 * interval, treats any message from a worker as a sign of life, and purges a worker silent for
 * `liveness` intervals: its request, if it had one, is lost, and the client's retry goes to
 * another worker.
 *
 * Events: "purged" (worker id), "malformed" (worker id), "failure" (error).
 */
export class PirateQueue extends EventEmitter {
  readonly counters: PirateQueueCounters = { requests: 0, replies: 0, purged: 0, malformed: 0, undeliverable: 0 };
  readonly heartbeatInterval: number;
  readonly liveness: number;
  private readonly frontend = new Router({ linger: 0, sendTimeout: 0, mandatory: true });
  private readonly backend = new Router({ linger: 0, sendTimeout: 0, mandatory: true, handover: true });
  private readonly workers = new Map<string, WorkerEntry>();
  /** Ready workers, least recently used first (a Map keeps insertion order). */
  private readonly ready = new Map<string, WorkerEntry>();
  private wakeFrontend: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private endpointsBound: { frontend: string[]; backend: string[] } = { frontend: [], backend: [] };

  private constructor(options: PirateQueueOptions) {
    super();
    this.heartbeatInterval = options.heartbeatInterval ?? 1000;
    this.liveness = options.liveness ?? 3;
  }

  static async start(options: PirateQueueOptions): Promise<PirateQueue> {
    const queue = new PirateQueue(options);
    try {
      for (const [socket, endpoints, list] of [
        [queue.frontend, options.frontend, queue.endpointsBound.frontend],
        [queue.backend, options.backend, queue.endpointsBound.backend],
      ] as const) {
        for (const endpoint of typeof endpoints === "string" ? [endpoints] : endpoints) {
          await socket.bind(endpoint);
          list.push(socket.lastEndpoint!);
        }
      }
    } catch (err) {
      queue.close();
      throw err;
    }
    const failed = (err: unknown): void => void queue.emit("failure", err);
    receiveLoop(queue.backend, (frames) => queue.fromWorker(frames), failed).catch(failed);
    queue.frontendLoop().catch(failed);
    if (queue.heartbeatInterval > 0) {
      queue.timer = setInterval(() => queue.tick(), queue.heartbeatInterval);
    }
    return queue;
  }

  /** The bound frontend endpoints (ports resolved). */
  get frontendEndpoints(): readonly string[] {
    return this.endpointsBound.frontend;
  }

  get backendEndpoints(): readonly string[] {
    return this.endpointsBound.backend;
  }

  /** Workers known (ready or busy). */
  get workerCount(): number {
    return this.workers.size;
  }

  get readyCount(): number {
    return this.ready.size;
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.frontend.close();
    this.backend.close();
    this.wakeFrontend?.();
  }

  private async frontendLoop(): Promise<void> {
    while (!this.frontend.closed) {
      if (this.ready.size === 0) {
        await new Promise<void>((resolve) => (this.wakeFrontend = resolve));
        this.wakeFrontend = null;
        continue;
      }
      let frames: Buffer[];
      try {
        frames = await this.frontend.receive();
      } catch {
        continue; // closed: the loop ends
      }
      this.counters.requests++;
      // [client id, "", body...]: the whole message is the envelope and body for the worker.
      await this.dispatch(frames);
    }
  }

  /** Gives a request to the least recently used ready worker; waits for one if they all vanished. */
  private async dispatch(request: Buffer[]): Promise<void> {
    for (;;) {
      const first = this.ready.entries().next();
      if (first.done === true) {
        if (this.frontend.closed) return;
        await new Promise<void>((resolve) => (this.wakeFrontend = resolve));
        this.wakeFrontend = null;
        continue;
      }
      const [key, worker] = first.value;
      this.ready.delete(key);
      if (await trySend(this.backend, [worker.id, ...request])) {
        worker.lastSent = performance.now();
        return;
      }
      this.workers.delete(key); // disconnected without a word: mandatory routing told us
    }
  }

  private fromWorker(frames: Buffer[]): void {
    const [id, ...rest] = frames;
    if (id === undefined) return;
    const key = idKey(id);
    const now = performance.now();
    let worker = this.workers.get(key);
    if (worker === undefined) {
      worker = { id, expiry: 0, lastSent: now };
      this.workers.set(key, worker);
    }
    worker.expiry = now + this.liveness * this.heartbeatInterval;
    const control = controlOf(rest);
    if (control === "ready") return this.makeReady(key, worker);
    if (control === "heartbeat") return;
    if (splitEnvelope(rest) === null) {
      this.counters.malformed++;
      this.emit("malformed", id);
      return;
    }
    this.counters.replies++;
    void trySend(this.frontend, rest).then((sent) => {
      if (!sent) this.counters.undeliverable++;
    });
    this.makeReady(key, worker);
  }

  private makeReady(key: string, worker: WorkerEntry): void {
    if (this.ready.has(key)) return;
    this.ready.set(key, worker);
    this.wakeFrontend?.();
  }

  private tick(): void {
    const now = performance.now();
    for (const [key, worker] of this.workers) {
      if (now > worker.expiry) {
        this.workers.delete(key);
        this.ready.delete(key);
        this.counters.purged++;
        this.emit("purged", worker.id);
      } else if (now - worker.lastSent >= this.heartbeatInterval / 2) {
        worker.lastSent = now;
        void trySend(this.backend, [worker.id, PPP_HEARTBEAT]);
      }
    }
  }
}
