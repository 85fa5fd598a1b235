import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Context } from "zmtp";
import { toFrames, type Body, type Frames } from "../common/frames.js";
import { brokerAddresses, type BrokerList } from "./address.js";
import { answerTo, decodeEnvelope, encodeEnvelope, type Envelope } from "./envelope.js";
import { RequestLedger, type Answer, type LedgerOptions } from "./ledger.js";
import { BrokerLinks, type BrokerLink, type CurveKeyPair } from "./links.js";
import {
  CANCEL,
  DISCONNECT,
  ERROR,
  PING,
  READY,
  REPLY,
  REQUEST,
  RESERVE,
  RESERVED,
  ROLE_PREFIX,
  TAG,
  command,
  commandOf,
  type ErrorCode,
} from "./protocol.js";

/** What the handler learns about a request besides its body. */
export interface RequestInfo {
  /** The request's id (hex). */
  id: string;
  /** The client's id. */
  sender: string;
  /** How many times the client had sent it before the copy that reached this worker. */
  retries: number;
}

export type NetworkHandler = (body: Frames, info: RequestInfo) => Body | Promise<Body>;

export interface NetworkWorkerOptions {
  /** One broker or more to start from; the rest come in their lists. */
  brokers: BrokerList;
  /** The one service this worker offers. */
  service: string;
  handler: NetworkHandler;
  /** This worker's id at the brokers (its routing id is "W:" + name). Default: random. */
  name?: string;
  /** ms between pings to each broker (the brokers' heartbeatInterval). Default 1000. */
  heartbeatInterval?: number;
  /** Silent intervals before a broker is down. Default 3. */
  liveness?: number;
  /** CURVE: this worker's key pair; each broker's public key comes with its address. */
  curve?: CurveKeyPair;
  context?: Context;
  /** Bounds of the request ledger (see RequestLedger). */
  ledger?: LedgerOptions;
  /**
   * ms a reservation waits for its request (less if the client's budget is shorter). The request
   * normally follows within a round trip; a client that died holds the worker this long at most.
   * One that comes later is refused (NOT_RESERVED) and the client reserves again. Default
   * 3 × heartbeatInterval, at least 1000.
   */
  reservationTimeout?: number;
  /**
   * Requests the worker takes at once through each broker, reserved or running. 2 (the default)
   * hides the reservation's round trip: one request runs while the next one's is on its way. 1
   * is strict least-recently-used dispatch.
   */
  capacity?: number;
}

export interface NetworkWorkerCounters {
  /** Requests run (the handler called). */
  executed: number;
  /** Copies answered from the ledger instead of running again. */
  deduplicated: number;
  reservations: number;
  cancelled: number;
  /** REQUESTs refused: no reservation (NOT_RESERVED) or an earlier run's (RESTARTED). */
  refused: number;
  failed: number;
}

/**
 * A worker of the broker network (document 003, C): it offers one service, connects to every
 * broker it learns of, and runs each request at most once (see RequestLedger), answering through
 * the broker every copy came through. It grants each broker `capacity` reservations at a time
 * (its credits, in every ping and in READY once it has some again), which is what lets each
 * broker dispatch least recently used first.
 *
 * `incarnation` is random per run and starts every reservation's ticket: a request reserved with
 * an earlier run of a worker of the same name (restarted, its memory gone) is answered RESTARTED,
 * never run blindly.
 *
 * Events: "request" (RequestInfo, before the handler runs), "failed" (error, info), and the links'
 * "up", "down", "learned" (broker addresses).
 */
export class NetworkWorker extends EventEmitter {
  readonly name: string;
  readonly service: string;
  readonly incarnation = randomBytes(8);
  readonly counters: NetworkWorkerCounters = {
    executed: 0,
    deduplicated: 0,
    reservations: 0,
    cancelled: 0,
    refused: 0,
    failed: 0,
  };
  readonly links: BrokerLinks;
  private readonly ledger: RequestLedger;
  private readonly handler: NetworkHandler;
  private readonly serviceFrame: Buffer;
  private readonly reservationTimeout: number;
  private readonly capacity: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: NetworkWorkerOptions) {
    super();
    this.name = options.name ?? randomBytes(6).toString("hex");
    this.service = options.service;
    this.serviceFrame = Buffer.from(options.service);
    if (this.serviceFrame.length === 0 || this.serviceFrame.length > 255)
      throw new TypeError("a service name is 1 to 255 bytes");
    this.handler = options.handler;
    this.ledger = new RequestLedger(options.ledger);
    const heartbeatInterval = options.heartbeatInterval ?? 1000;
    this.reservationTimeout = options.reservationTimeout ?? Math.max(1000, 3 * heartbeatInterval);
    this.capacity = Math.min(255, Math.max(1, options.capacity ?? 2));
    this.links = new BrokerLinks({
      seeds: brokerAddresses(options.brokers),
      routingId: `${ROLE_PREFIX.worker}${this.name}`,
      heartbeatInterval,
      liveness: options.liveness ?? 3,
      ...(options.curve !== undefined && { curve: options.curve }),
      ...(options.context !== undefined && { context: options.context }),
      ping: (link) => [
        TAG,
        command(PING),
        this.serviceFrame,
        this.incarnation,
        Buffer.from([this.credits(link.endpoint)]),
      ],
      message: (link, frames) => this.onMessage(link, frames),
    });
    for (const event of ["up", "down", "learned", "forgot"])
      this.links.on(event, (value: unknown) => this.emit(event, value));
  }

  start(): this {
    this.links.start();
    this.timer = setInterval(() => this.expire(), this.links.membership.options.interval / 2);
    return this;
  }

  /** Says DISCONNECT to every broker and closes. Requests still running get no answer. */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    for (const link of this.links.upLinks()) void link.send([TAG, command(DISCONNECT)]);
    this.links.close();
  }

  /** Reservations held, requests remembered, bytes of stored answers. */
  get ledgerSize(): { reservations: number; records: number; bytes: number } {
    return this.ledger.size;
  }

  /** Reservations this worker grants `broker` now: its capacity less what it holds from it. */
  private credits(broker: string): number {
    return this.ledger.hasRoom() ? Math.max(0, this.capacity - this.ledger.busyWith(broker)) : 0;
  }

  private onMessage(link: BrokerLink, frames: Frames): void {
    const code = commandOf(frames);
    const client = frames[2];
    const envelope = decodeEnvelope(frames[3]);
    if (client === undefined || envelope === null) return;
    const key = envelope.id.toString("hex");
    switch (code) {
      case RESERVE:
        return this.reserve(link, client, envelope, key);
      case REQUEST:
        return void this.request(link, client, envelope, key, frames[4], frames.slice(5));
      case CANCEL: {
        const reservation = frames[4] === undefined ? undefined : this.ledger.cancel(key, frames[4]);
        if (reservation === undefined) return;
        this.counters.cancelled++;
        return this.offer(reservation.broker);
      }
    }
  }

  private reserve(link: BrokerLink, client: Buffer, envelope: Envelope, key: string): void {
    const held = this.ledger.reserve(key, {
      ticket: Buffer.concat([this.incarnation, randomBytes(8)]),
      client: Buffer.from(client),
      envelope,
      broker: link.endpoint,
      expires: performance.now() + Math.min(envelope.ttl, this.reservationTimeout),
    });
    if (held === "full")
      return this.answer([link.endpoint], client, envelope, {
        kind: "error",
        code: "BUSY",
        text: `worker ${this.name} is full`,
      });
    if (held.outcome === "reserved") this.counters.reservations++;
    void link.send([TAG, command(RESERVED), client, encodeEnvelope(answerTo(envelope)), held.ticket]);
    // A RESERVE for an id already known here took this broker's credit without a new reservation.
    if (held.outcome === "known") this.offer(link.endpoint);
  }

  private async request(
    link: BrokerLink,
    client: Buffer,
    envelope: Envelope,
    key: string,
    ticket: Buffer | undefined,
    body: Buffer[],
  ): Promise<void> {
    if (ticket === undefined || ticket.length !== 16 || !ticket.subarray(0, 8).equals(this.incarnation)) {
      this.counters.refused++;
      return this.answer([link.endpoint], client, envelope, {
        kind: "error",
        code: "RESTARTED",
        text: `worker ${this.name} restarted after reserving this request`,
      });
    }
    const outcome = this.ledger.start(key, ticket, link.endpoint);
    switch (outcome.kind) {
      case "running":
        this.counters.deduplicated++;
        return;
      case "done":
        this.counters.deduplicated++;
        return this.answer([link.endpoint], client, envelope, outcome.answer);
      case "not-reserved":
        this.counters.refused++;
        return this.answer([link.endpoint], client, envelope, {
          kind: "error",
          code: "NOT_RESERVED",
          text: `worker ${this.name} holds no reservation with this ticket and has not run the request`,
        });
      case "run":
        break;
    }
    const info: RequestInfo = { id: key, sender: envelope.sender, retries: envelope.retries };
    this.counters.executed++;
    this.emit("request", info);
    let answer: Answer;
    try {
      answer = { kind: "reply", body: toFrames(await this.handler(body, info)) };
    } catch (err) {
      this.counters.failed++;
      this.emit("failed", err, info);
      answer = { kind: "error", code: "HANDLER_FAILED", text: err instanceof Error ? err.message : String(err) };
    }
    const paths = this.ledger.finish(key, answer, envelope.ttl, performance.now());
    this.answer(paths, client, envelope, answer);
    this.offer(outcome.reservation.broker);
  }

  /** Sends an answer through each of these brokers (every one a copy of the request came through). */
  private answer(brokers: readonly string[], client: Buffer, request: Envelope, answer: Answer): void {
    const envelope = encodeEnvelope(answerTo(request));
    const frames =
      answer.kind === "reply"
        ? [TAG, command(REPLY), client, envelope, ...answer.body]
        : [
            TAG,
            command(ERROR),
            client,
            envelope,
            Buffer.from(answer.code satisfies ErrorCode),
            Buffer.from(answer.text),
          ];
    for (const endpoint of brokers) void this.links.get(endpoint)?.send(frames);
  }

  /** Tells `broker` how many reservations it may make again, when it may make some. */
  private offer(broker: string): void {
    const link = this.links.get(broker);
    const credits = this.credits(broker);
    if (link === undefined || credits === 0) return;
    void link.send([TAG, command(READY), this.serviceFrame, this.incarnation, Buffer.from([credits])]);
  }

  private expire(): void {
    for (const reservation of this.ledger.expire(performance.now())) this.offer(reservation.broker);
  }
}
