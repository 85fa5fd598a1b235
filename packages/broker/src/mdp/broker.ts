import { EventEmitter } from "node:events";
import { Router, type SocketOptions } from "zmtp";
import { EMPTY, idKey } from "../common/frames.js";
import { receiveLoop, trySend } from "../common/sockets.js";
import {
  DISCONNECT,
  HEARTBEAT,
  MDP_CLIENT,
  MMI_FOUND,
  MMI_NOT_FOUND,
  MMI_NOT_IMPLEMENTED,
  MMI_PREFIX,
  REQUEST,
  parseBrokerInbound,
  workerMessage,
} from "./protocol.js";

export interface MajordomoBrokerOptions {
  /** Where clients and workers connect (one ROUTER serves both, as in RFC 7). */
  endpoints: string | readonly string[];
  /** ms between heartbeats to each worker sent nothing else. Default 2500 (RFC 7's example). */
  heartbeatInterval?: number;
  /** Intervals of silence before a worker is dropped. Default 3. */
  liveness?: number;
  /**
   * Requests waiting for a worker, over all services. Beyond it the oldest is dropped (MDP has no
   * error reply: the client's retry asks again). Default 10000.
   */
  maxQueued?: number;
  /** More options for the ROUTER (CURVE server keys, ...). */
  socket?: SocketOptions<Router>;
}

export interface MajordomoCounters {
  requests: number;
  replies: number;
  /** Requests dropped from a full queue. */
  dropped: number;
  /** Workers dropped after `liveness` silent intervals. */
  expired: number;
  /** Messages that were not MDP/0.1, and workers that broke its rules (sent DISCONNECT). */
  malformed: number;
}

interface Service {
  name: string;
  /** Requests waiting, oldest first: [client address..., "", body...]. */
  requests: Buffer[][];
  /** Idle workers, least recently used first. */
  waiting: Map<string, Worker>;
  workers: number;
}

interface Worker {
  key: string;
  id: Buffer;
  service: Service;
  expiry: number;
  lastSent: number;
}

/**
 * A Majordomo broker (MDP/0.1, ZeroMQ RFC 7, and RFC 8's `mmi.service`): clients ask for a
 * service by name, workers offer one service each, and the broker hands each request to the
 * service's least recently used idle worker. Requests for a service with no idle worker wait
 * (bounded by `maxQueued`). Workers are heartbeated when idle-to-them and dropped after
 * `liveness` silent intervals; a worker that breaks the protocol (a command before READY, READY
 * twice, a reserved service name) is told DISCONNECT, as the Guide's broker does, so a worker of
 * a restarted broker re-registers.
 *
 * Events: "worker" ({ id, service }) on READY, "expired" (worker id), "malformed" (sender id).
 */
export class MajordomoBroker extends EventEmitter {
  readonly counters: MajordomoCounters = { requests: 0, replies: 0, dropped: 0, expired: 0, malformed: 0 };
  readonly heartbeatInterval: number;
  readonly liveness: number;
  readonly maxQueued: number;
  private readonly socket: Router;
  private readonly services = new Map<string, Service>();
  private readonly workers = new Map<string, Worker>();
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly bound: string[] = [];

  private constructor(options: MajordomoBrokerOptions) {
    super();
    this.heartbeatInterval = options.heartbeatInterval ?? 2500;
    this.liveness = options.liveness ?? 3;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.socket = new Router({ ...options.socket, linger: 0, sendTimeout: 0, mandatory: true, handover: true });
  }

  static async start(options: MajordomoBrokerOptions): Promise<MajordomoBroker> {
    const broker = new MajordomoBroker(options);
    try {
      for (const endpoint of typeof options.endpoints === "string" ? [options.endpoints] : options.endpoints) {
        await broker.socket.bind(endpoint);
        broker.bound.push(broker.socket.lastEndpoint!);
      }
    } catch (err) {
      broker.close();
      throw err;
    }
    const failed = (err: unknown): void => void broker.emit("failure", err);
    receiveLoop(broker.socket, (frames) => broker.onMessage(frames), failed).catch(failed);
    broker.timer = setInterval(() => broker.tick(), broker.heartbeatInterval / 2);
    return broker;
  }

  get endpoints(): readonly string[] {
    return this.bound;
  }

  /** Workers registered for `service` (idle or busy). */
  workersOf(service: string): number {
    return this.services.get(service)?.workers ?? 0;
  }

  /** Requests waiting for a worker, over all services. */
  get queuedRequests(): number {
    return this.queued;
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    // RFC 7: a broker going away tells its workers, so they reconnect at once.
    for (const worker of this.workers.values()) void trySend(this.socket, [worker.id, ...workerMessage(DISCONNECT)]);
    this.socket.close();
  }

  private onMessage(frames: Buffer[]): void {
    const [sender, ...rest] = frames;
    if (sender === undefined) return;
    const message = parseBrokerInbound(rest);
    if (message === null) return this.malformed(sender);
    if (message.kind === "request") return this.fromClient(sender, message.service, message.body);
    const key = idKey(sender);
    const worker = this.workers.get(key);
    switch (message.kind) {
      case "ready":
        // Not the first command of this worker, or a reserved name: a protocol error.
        if (worker !== undefined || message.service.startsWith(MMI_PREFIX)) return this.disconnect(sender, worker);
        return this.register(sender, key, message.service);
      case "reply":
        if (worker === undefined) return this.disconnect(sender);
        this.refresh(worker);
        this.counters.replies++;
        void trySend(this.socket, [
          ...message.client,
          EMPTY,
          MDP_CLIENT,
          Buffer.from(worker.service.name),
          ...message.body,
        ]);
        return this.idle(worker);
      case "heartbeat":
        if (worker === undefined) return this.disconnect(sender);
        return this.refresh(worker);
      case "disconnect":
        if (worker !== undefined) this.remove(worker);
        return;
    }
  }

  private fromClient(client: Buffer, name: string, body: Buffer[]): void {
    this.counters.requests++;
    if (name.startsWith(MMI_PREFIX)) return this.mmi(client, name, body);
    const service = this.service(name);
    if (this.queued >= this.maxQueued) this.dropOldest();
    service.requests.push([client, EMPTY, ...body]);
    this.queued++;
    this.dispatch(service);
  }

  /** RFC 8: mmi.service answers whether a service has workers; other mmi.* names are not implemented. */
  private mmi(client: Buffer, name: string, body: Buffer[]): void {
    let status = MMI_NOT_IMPLEMENTED;
    if (name === "mmi.service") status = this.workersOf(body[0]?.toString() ?? "") > 0 ? MMI_FOUND : MMI_NOT_FOUND;
    void trySend(this.socket, [client, EMPTY, MDP_CLIENT, Buffer.from(name), Buffer.from(status)]);
  }

  private register(id: Buffer, key: string, name: string): void {
    const service = this.service(name);
    const worker: Worker = { key, id, service, expiry: 0, lastSent: performance.now() };
    this.workers.set(key, worker);
    service.workers++;
    this.refresh(worker);
    this.emit("worker", { id, service: name });
    this.idle(worker);
  }

  private idle(worker: Worker): void {
    worker.service.waiting.set(worker.key, worker);
    this.dispatch(worker.service);
  }

  private dispatch(service: Service): void {
    while (service.waiting.size > 0 && service.requests.length > 0) {
      const worker = service.waiting.values().next().value!;
      service.waiting.delete(worker.key);
      const [client, , ...body] = service.requests.shift()!;
      this.queued--;
      worker.lastSent = performance.now();
      const request = [worker.id, ...workerMessage(REQUEST, client!, EMPTY, ...body)];
      void trySend(this.socket, request).then((sent) => {
        if (sent) return;
        // Gone without a word: mandatory routing tells us. The request goes back to the front.
        this.remove(worker);
        service.requests.unshift([client!, EMPTY, ...body]);
        this.queued++;
        this.dispatch(service);
      });
    }
  }

  private service(name: string): Service {
    let service = this.services.get(name);
    if (service === undefined) {
      service = { name, requests: [], waiting: new Map(), workers: 0 };
      this.services.set(name, service);
    }
    return service;
  }

  private dropOldest(): void {
    // The service with the most waiting is the likeliest one no worker serves.
    let longest: Service | null = null;
    for (const service of this.services.values())
      if (longest === null || service.requests.length > longest.requests.length) longest = service;
    if (longest === null || longest.requests.length === 0) return;
    longest.requests.shift();
    this.queued--;
    this.counters.dropped++;
  }

  private refresh(worker: Worker): void {
    worker.expiry = performance.now() + this.liveness * this.heartbeatInterval;
  }

  private remove(worker: Worker): void {
    if (this.workers.get(worker.key) !== worker) return;
    this.workers.delete(worker.key);
    worker.service.waiting.delete(worker.key);
    worker.service.workers--;
    this.forgetIfUnused(worker.service);
  }

  private forgetIfUnused(service: Service): void {
    if (service.workers === 0 && service.requests.length === 0) this.services.delete(service.name);
  }

  private disconnect(id: Buffer, worker?: Worker): void {
    this.malformed(id);
    if (worker !== undefined) this.remove(worker);
    void trySend(this.socket, [id, ...workerMessage(DISCONNECT)]);
  }

  private malformed(id: Buffer): void {
    this.counters.malformed++;
    this.emit("malformed", id);
  }

  private tick(): void {
    const now = performance.now();
    for (const worker of this.workers.values()) {
      if (now > worker.expiry) {
        this.remove(worker);
        this.counters.expired++;
        this.emit("expired", worker.id);
      } else if (now - worker.lastSent >= this.heartbeatInterval) {
        worker.lastSent = now;
        void trySend(this.socket, [worker.id, ...workerMessage(HEARTBEAT)]);
      }
    }
    for (const service of this.services.values()) this.forgetIfUnused(service);
  }
}
