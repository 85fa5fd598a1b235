import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Context } from "zmtp";
import { brokerError, type BrokerError, type BrokerErrorCode } from "../common/errors.js";
import { showId, toFrames, type Body, type Frames } from "../common/frames.js";
import { brokerAddresses, type BrokerList } from "./address.js";
import { decodeEnvelope, encodeEnvelope, newMessageId, type Envelope } from "./envelope.js";
import { BrokerLinks, type BrokerLink, type CurveKeyPair } from "./links.js";
import {
  CANCEL,
  ERROR,
  PING,
  REPLY,
  REQUEST,
  RESERVE,
  RESERVED,
  ROLE_PREFIX,
  TAG,
  command,
  commandOf,
} from "./protocol.js";

export interface NetworkClientOptions {
  /** One broker or more to start from; the rest come in their lists. */
  brokers: BrokerList;
  /** This client's id at the brokers (its routing id is "C:" + name). Default: random. */
  name?: string;
  /** ms to wait for each answer before resending (through another broker). Default 1000. */
  timeout?: number;
  /** Resends per request. Default 3. */
  retries?: number;
  /** ms a request may take in all, resends included. Default timeout × (retries + 2). */
  deadline?: number;
  /** Requests in flight at once; more are refused with EBUSY. Default 10000. */
  maxPending?: number;
  /** ms between pings to each broker (the brokers' heartbeatInterval). Default 1000. */
  heartbeatInterval?: number;
  /** Silent intervals before a broker is down. Default 3. */
  liveness?: number;
  curve?: CurveKeyPair;
  context?: Context;
}

export interface NetworkClientCounters {
  requests: number;
  answered: number;
  /** Requests that failed, by error code. */
  failed: Partial<Record<BrokerErrorCode, number>>;
  resends: number;
  /** Answers that arrived for a request already answered (ignored). */
  duplicates: number;
  /** Reservations given back (a second worker reserved for the same request). */
  cancels: number;
}

interface Pending {
  key: string;
  id: Buffer;
  service: string;
  body: Buffer[];
  deadline: number;
  resends: number;
  phase: "reserve" | "request";
  /** The reserved worker and the ticket of its reservation. */
  worker: { rid: Buffer; ticket: Buffer } | null;
  /** REQUEST copies sent to the current worker, and how many brokers said they did not reach it. */
  copies: number;
  undelivered: number;
  /** Brokers used in this phase, and those that refused a reservation (NO_SERVICE, ...). */
  tried: Set<string>;
  refusedBy: Map<string, string>;
  via: BrokerLink | null;
  timer: NodeJS.Timeout | null;
  resolve(reply: Frames): void;
  reject(err: BrokerError): void;
}

/**
 * A client of the broker network (document 003, B and E). Each request lives in two steps, so
 * that it runs at most once however brokers fail:
 *
 * 1. RESERVE through a broker (in turn over the live ones): the broker hands it to the service's
 *    least recently used idle worker, which answers RESERVED with its name and run.
 * 2. REQUEST to that worker, through the same broker. The worker runs it, once, and replies
 *    through every broker a copy came through.
 *
 * An answer not back within `timeout` is asked again through another broker, flagged as a
 * possible duplicate, with its retry count: a lost reservation is asked of any worker again (a
 * reservation runs nothing, and a second one is cancelled), a lost request goes to the same
 * worker again, which answers it from its ledger if it already ran. The client never sends a
 * request to a second worker unless the first proved it never ran it (NOT_RESERVED, or every
 * copy refused as undeliverable). So each request is answered exactly once, or fails with a
 * clear error: ETIMEDOUT (`mayHaveRun` says whether its worker may have run it), ENOSERVICE,
 * EBUSY or EWORKER.
 *
 * Events: "retry" ({ id, phase, attempt, broker }), and the links' "up", "down", "learned".
 */
export class NetworkClient extends EventEmitter {
  readonly name: string;
  readonly timeout: number;
  readonly retries: number;
  readonly deadline: number;
  readonly maxPending: number;
  readonly counters: NetworkClientCounters = {
    requests: 0,
    answered: 0,
    failed: {},
    resends: 0,
    duplicates: 0,
    cancels: 0,
  };
  readonly links: BrokerLinks;
  private readonly pending = new Map<string, Pending>();
  /** Requests waiting for any broker to be up. */
  private readonly stalled = new Set<Pending>();
  private closed = false;

  constructor(options: NetworkClientOptions) {
    super();
    this.name = options.name ?? randomBytes(6).toString("hex");
    this.timeout = options.timeout ?? 1000;
    this.retries = options.retries ?? 3;
    this.deadline = options.deadline ?? this.timeout * (this.retries + 2);
    this.maxPending = options.maxPending ?? 10_000;
    this.links = new BrokerLinks({
      seeds: brokerAddresses(options.brokers),
      routingId: `${ROLE_PREFIX.client}${this.name}`,
      heartbeatInterval: options.heartbeatInterval ?? 1000,
      liveness: options.liveness ?? 3,
      ...(options.curve !== undefined && { curve: options.curve }),
      ...(options.context !== undefined && { context: options.context }),
      ping: () => [TAG, command(PING)],
      message: (link, frames) => this.onMessage(link, frames),
    });
    this.links.on("up", (link: BrokerLink) => {
      for (const p of [...this.stalled]) this.send(p);
      this.emit("up", link);
    });
    this.links.on("down", (link: BrokerLink) => {
      // What went through a broker that is down is asked again through another one now.
      for (const p of [...this.pending.values()]) if (p.via === link && p.timer !== null) this.resend(p);
      this.emit("down", link);
    });
    this.links.on("learned", (address: unknown) => this.emit("learned", address));
    this.links.start();
  }

  /** Resolves once at least one broker is up (after its first answer to a ping). */
  async ready(): Promise<void> {
    if (this.links.upLinks().length > 0) return;
    await new Promise<void>((resolve) => this.links.once("up", () => resolve()));
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a request to `service`; resolves with the worker's reply body. */
  request(service: string, body: Body): Promise<Frames> {
    if (this.closed) return Promise.reject(brokerError("ECLOSED", "the client is closed", false));
    if (this.pending.size >= this.maxPending)
      return Promise.reject(brokerError("EBUSY", `${this.pending.size} requests are already in flight (maxPending)`));
    if (Buffer.byteLength(service) === 0 || Buffer.byteLength(service) > 255)
      return Promise.reject(new TypeError("a service name is 1 to 255 bytes"));
    this.counters.requests++;
    return new Promise<Frames>((resolve, reject) => {
      const id = newMessageId();
      const p: Pending = {
        key: id.toString("hex"),
        id,
        service,
        body: toFrames(body),
        deadline: performance.now() + this.deadline,
        resends: 0,
        phase: "reserve",
        worker: null,
        copies: 0,
        undelivered: 0,
        tried: new Set(),
        refusedBy: new Map(),
        via: null,
        timer: null,
        resolve,
        reject,
      };
      this.pending.set(p.key, p);
      this.send(p);
    });
  }

  /** Fails every pending request with ECLOSED and closes the links. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.pending.values()])
      this.fail(p, "ECLOSED", "the client was closed before an answer came", p.copies > p.undelivered);
    this.links.close();
  }

  // ---- sending ----

  private envelope(p: Pending, now: number): Envelope {
    return {
      id: p.id,
      original: null,
      possibleDuplicate: p.resends > 0,
      retries: p.resends,
      ttl: Math.max(0, p.deadline - now),
      sender: this.name,
      service: p.service,
    };
  }

  /** Sends the current step through `via`, or the next live broker not yet tried in this step. */
  private send(p: Pending, via?: BrokerLink): void {
    this.clearTimer(p);
    this.stalled.delete(p);
    const now = performance.now();
    if (now >= p.deadline) return this.timedOut(p);
    const link = via ?? this.links.pick(p.tried);
    if (link === null) {
      // No broker is up: wait for one (or the deadline).
      this.stalled.add(p);
      p.timer = setTimeout(() => this.timedOut(p), p.deadline - now);
      return;
    }
    p.via = link;
    p.tried.add(link.endpoint);
    const envelope = encodeEnvelope(this.envelope(p, now));
    if (p.phase === "reserve") {
      void link.send([TAG, command(RESERVE), envelope]);
    } else {
      const worker = p.worker!;
      p.copies++;
      void link.send([TAG, command(REQUEST), worker.rid, envelope, worker.ticket, ...p.body]);
    }
    p.timer = setTimeout(() => this.resend(p), Math.min(this.timeout, p.deadline - now));
  }

  /** No answer in time: the same step again, through another broker. */
  private resend(p: Pending): void {
    if (p.resends >= this.retries || performance.now() >= p.deadline) return this.timedOut(p);
    p.resends++;
    this.counters.resends++;
    this.emit("retry", { id: p.key, phase: p.phase, attempt: p.resends, broker: p.via?.endpoint });
    this.send(p);
  }

  /** Back to step 1: the worker proved it never ran the request (or never got it). */
  private reserveAgain(p: Pending): void {
    p.phase = "reserve";
    p.worker = null;
    p.copies = 0;
    p.undelivered = 0;
    p.tried.clear();
    p.refusedBy.clear();
    if (p.resends >= this.retries) return this.timedOut(p);
    p.resends++;
    this.counters.resends++;
    this.send(p);
  }

  // ---- answers ----

  private onMessage(link: BrokerLink, frames: Frames): void {
    const code = commandOf(frames);
    const envelope = decodeEnvelope(frames[2]);
    if (envelope === null || envelope.original === null) return;
    const p = this.pending.get(envelope.original.toString("hex"));
    switch (code) {
      case RESERVED:
        return this.reserved(link, p, envelope, frames[3], frames[4]);
      case REPLY:
        if (p === undefined) {
          this.counters.duplicates++;
          return;
        }
        this.counters.answered++;
        this.settle(p);
        return p.resolve(frames.slice(3));
      case ERROR:
        if (p !== undefined) this.error(link, p, frames[3]?.toString() ?? "", frames[4]?.toString() ?? "");
        return;
    }
  }

  private reserved(
    link: BrokerLink,
    p: Pending | undefined,
    answer: Envelope,
    rid: Buffer | undefined,
    ticket: Buffer | undefined,
  ): void {
    if (rid === undefined || ticket === undefined) return;
    const same = p?.worker != null && p.worker.rid.equals(rid) && p.worker.ticket.equals(ticket);
    if (p === undefined || (p.phase === "request" && !same)) {
      // A reservation this client will not use (answered already, or a second worker): give it back.
      this.counters.cancels++;
      const request = { ...answer, id: answer.original!, original: null };
      void link.send([TAG, command(CANCEL), rid, encodeEnvelope(request), ticket]);
      return;
    }
    if (p.phase === "request") return; // the same worker again: a duplicate RESERVED
    p.phase = "request";
    p.worker = { rid: Buffer.from(rid), ticket: Buffer.from(ticket) };
    p.tried.clear();
    this.send(p, link);
  }

  private error(link: BrokerLink, p: Pending, code: string, text: string): void {
    switch (code) {
      case "NO_SERVICE":
      case "QUEUE_FULL":
      case "BUSY": {
        if (p.phase !== "reserve") return; // from a stale reservation copy
        p.refusedBy.set(link.endpoint, code);
        const untried = this.links.upLinks().find((l) => !p.refusedBy.has(l.endpoint));
        if (untried !== undefined && p.resends < this.retries) {
          p.resends++;
          this.counters.resends++;
          return this.send(p, untried);
        }
        if (code === "BUSY") return this.resend(p);
        const brokers = [...p.refusedBy.keys()].join(", ");
        return code === "NO_SERVICE"
          ? this.fail(p, "ENOSERVICE", `no worker offers "${p.service}" (asked ${brokers})`, false)
          : this.fail(p, "EBUSY", `too many requests wait for "${p.service}" (at ${brokers})`, false);
      }
      case "WORKER_GONE":
        if (p.phase !== "request") return;
        p.undelivered++;
        // No copy reached the worker: it cannot have run it, another worker may.
        if (p.undelivered >= p.copies) return this.reserveAgain(p);
        return;
      case "NOT_RESERVED":
        if (p.phase !== "request") return;
        return this.reserveAgain(p);
      case "RESTARTED":
        if (p.phase !== "request") return;
        if (p.copies > p.undelivered)
          return this.fail(
            p,
            "ETIMEDOUT",
            `worker ${showId(p.worker!.rid)} restarted while it held "${p.service}" request ${p.key}: it may have run`,
            true,
          );
        return this.reserveAgain(p);
      case "HANDLER_FAILED":
        return this.fail(p, "EWORKER", `worker ${showId(p.worker?.rid ?? "")} failed: ${text}`, true);
      default:
        return this.fail(p, "EPROTO", `unknown error "${code}" from ${link.endpoint}: ${text}`, p.copies > 0);
    }
  }

  private timedOut(p: Pending): void {
    const ran = p.copies > p.undelivered;
    const where =
      p.worker === null
        ? "no worker reserved it"
        : `worker ${showId(p.worker.rid)} ${ran ? "may have run it" : "did not get it"}`;
    this.fail(
      p,
      "ETIMEDOUT",
      `no answer for "${p.service}" request ${p.key} within ${this.deadline} ms after ${p.resends} resends (${where})`,
      ran,
    );
  }

  private fail(p: Pending, code: BrokerErrorCode, message: string, mayHaveRun: boolean): void {
    if (!this.pending.has(p.key)) return;
    this.settle(p);
    this.counters.failed[code] = (this.counters.failed[code] ?? 0) + 1;
    p.reject(brokerError(code, message, mayHaveRun));
  }

  private settle(p: Pending): void {
    this.clearTimer(p);
    this.stalled.delete(p);
    this.pending.delete(p.key);
  }

  private clearTimer(p: Pending): void {
    if (p.timer !== null) clearTimeout(p.timer);
    p.timer = null;
  }
}
