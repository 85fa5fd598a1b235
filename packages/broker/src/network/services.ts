import { idKey } from "../common/frames.js";
import type { Envelope } from "./envelope.js";

/** A worker as one broker knows it: soft state, rebuilt from the worker's pings. */
export interface WorkerEntry {
  rid: Buffer;
  key: string;
  service: string;
  incarnation: Buffer;
  /** When the worker was last heard (ms). */
  seen: number;
  /** Reservations it grants this broker now (0: busy for this broker). */
  credits: number;
}

/** A reservation request waiting for an idle worker. */
export interface Waiting {
  client: Buffer;
  envelopeFrame: Buffer;
  envelope: Envelope;
  /** When the broker gives up and tells the client (ms). */
  expires: number;
}

export interface ServiceTableOptions {
  /** ms of silence after which a worker is dropped. */
  workerWindow: number;
  /** ms a reservation request may wait for an idle worker (less if the client's budget is shorter). */
  queueTimeout: number;
  /** Requests that may wait per service. */
  maxQueued: number;
  /** Requests that may wait for services no worker offers, over all of them. */
  maxQueuedTotal: number;
}

interface Service {
  name: string;
  workers: Map<string, WorkerEntry>;
  /** Workers with credits, least recently used first (a Map keeps insertion order). */
  idle: Map<string, WorkerEntry>;
  waiting: Waiting[];
}

/**
 * A broker's services: their workers, least recently used first among the idle ones, and the
 * reservation requests waiting for one. Pure (times are arguments) and bounded: at most
 * `maxQueued` requests wait per service, those for services no worker offers at most
 * `maxQueuedTotal` together, each at most `queueTimeout`; a service with neither workers nor
 * waiting requests is forgotten, so a flood of requests for services nobody offers costs at most
 * `maxQueuedTotal` entries, and never crowds out the services that have workers.
 */
export class ServiceTable {
  private readonly services = new Map<string, Service>();
  private readonly workers = new Map<string, WorkerEntry>();
  private queued = 0;

  constructor(readonly options: ServiceTableOptions) {}

  /**
   * A worker's ping or READY: registers it (again, if it changed service or restarted) and sets
   * its credits (`null` keeps them). Returns the entry and the one it replaced, if any.
   */
  upsert(
    rid: Buffer,
    service: string,
    incarnation: Buffer,
    credits: number | null,
    now: number,
  ): { worker: WorkerEntry; added: boolean; replaced: WorkerEntry | null } {
    const key = idKey(rid);
    let replaced: WorkerEntry | null = null;
    let worker = this.workers.get(key);
    if (worker !== undefined && (worker.service !== service || !worker.incarnation.equals(incarnation))) {
      replaced = this.remove(key)!;
      worker = undefined;
    }
    const added = worker === undefined;
    if (worker === undefined) {
      worker = { rid: Buffer.from(rid), key, service, incarnation: Buffer.from(incarnation), seen: now, credits: 0 };
      this.workers.set(key, worker);
      this.service(service).workers.set(key, worker);
    }
    worker.seen = now;
    if (credits !== null) this.setCredits(worker, credits);
    return { worker, added, replaced };
  }

  worker(rid: Buffer): WorkerEntry | undefined {
    return this.workers.get(idKey(rid));
  }

  touch(rid: Buffer, now: number): void {
    const worker = this.workers.get(idKey(rid));
    if (worker !== undefined) worker.seen = now;
  }

  remove(key: string): WorkerEntry | undefined {
    const worker = this.workers.get(key);
    if (worker === undefined) return undefined;
    this.workers.delete(key);
    const service = this.services.get(worker.service);
    service?.workers.delete(key);
    service?.idle.delete(key);
    if (service !== undefined) this.forgetIfUnused(service);
    return worker;
  }

  /**
   * Queues a reservation request, or says "full": a service with workers keeps at most
   * `maxQueued` waiting (beyond what its idle workers take at once); services nobody offers (yet)
   * keep at most `maxQueued` each and `maxQueuedTotal` together. So a flood of requests for
   * services nobody offers never refuses another service's requests.
   */
  enqueue(name: string, waiting: Waiting): "queued" | "full" {
    const existing = this.services.get(name);
    const waitingNow = existing?.waiting.length ?? 0;
    if (existing !== undefined && existing.workers.size > 0) {
      if (existing.idle.size <= waitingNow && waitingNow >= this.options.maxQueued) return "full";
    } else if (waitingNow >= this.options.maxQueued || this.unservedCount() >= this.options.maxQueuedTotal) {
      return "full";
    }
    this.service(name).waiting.push(waiting);
    this.queued++;
    return "queued";
  }

  /** Puts back, first in line, a request whose worker turned out to be gone. */
  requeueFront(waiting: Waiting): void {
    this.service(waiting.envelope.service).waiting.unshift(waiting);
    this.queued++;
  }

  /**
   * The next (idle worker, waiting request) pair of a service: one of the worker's credits is
   * spent, and if it has more it goes to the back of the line (least recently used first).
   */
  next(name: string): { worker: WorkerEntry; waiting: Waiting } | null {
    const service = this.services.get(name);
    if (service === undefined || service.idle.size === 0 || service.waiting.length === 0) return null;
    const worker = service.idle.values().next().value!;
    service.idle.delete(worker.key);
    this.setCredits(worker, worker.credits - 1);
    const waiting = service.waiting.shift()!;
    this.queued--;
    return { worker, waiting };
  }

  /**
   * Drops workers silent for the window and requests that waited too long. A request that
   * expires is answered NO_SERVICE when its service has no worker at all, BUSY otherwise.
   */
  expire(now: number): { workers: WorkerEntry[]; requests: Array<{ waiting: Waiting; code: "NO_SERVICE" | "BUSY" }> } {
    const workers: WorkerEntry[] = [];
    for (const worker of this.workers.values()) {
      if (now - worker.seen > this.options.workerWindow) workers.push(worker);
    }
    for (const worker of workers) this.remove(worker.key);
    const requests: Array<{ waiting: Waiting; code: "NO_SERVICE" | "BUSY" }> = [];
    for (const service of [...this.services.values()]) {
      if (service.waiting.some((w) => w.expires <= now)) {
        const code = service.workers.size === 0 ? "NO_SERVICE" : "BUSY";
        const keep: Waiting[] = [];
        for (const waiting of service.waiting) {
          if (waiting.expires <= now) requests.push({ waiting, code });
          else keep.push(waiting);
        }
        this.queued -= service.waiting.length - keep.length;
        service.waiting = keep;
      }
      this.forgetIfUnused(service);
    }
    return { workers, requests };
  }

  workerCount(name?: string): number {
    return name === undefined ? this.workers.size : (this.services.get(name)?.workers.size ?? 0);
  }

  idleCount(name: string): number {
    return this.services.get(name)?.idle.size ?? 0;
  }

  /** Requests waiting, for one service or all. */
  queuedCount(name?: string): number {
    return name === undefined ? this.queued : (this.services.get(name)?.waiting.length ?? 0);
  }

  serviceCount(): number {
    return this.services.size;
  }

  /** Idle workers of a service, least recently used first (for tests and introspection). */
  idleOrder(name: string): Buffer[] {
    return [...(this.services.get(name)?.idle.values() ?? [])].map((w) => w.rid);
  }

  private setCredits(worker: WorkerEntry, credits: number): void {
    const service = this.services.get(worker.service)!;
    worker.credits = Math.max(0, credits);
    // A worker that was idle keeps its place in line; one that becomes idle goes to the back.
    if (worker.credits > 0) {
      if (!service.idle.has(worker.key)) service.idle.set(worker.key, worker);
    } else {
      service.idle.delete(worker.key);
    }
  }

  private service(name: string): Service {
    let service = this.services.get(name);
    if (service === undefined) {
      service = { name, workers: new Map(), idle: new Map(), waiting: [] };
      this.services.set(name, service);
    }
    return service;
  }

  /** Requests waiting for services that have no worker. */
  unservedCount(): number {
    let n = 0;
    for (const service of this.services.values()) if (service.workers.size === 0) n += service.waiting.length;
    return n;
  }

  private forgetIfUnused(service: Service): void {
    if (service.workers.size === 0 && service.waiting.length === 0) this.services.delete(service.name);
  }
}
