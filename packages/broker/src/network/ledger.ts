import type { Envelope } from "./envelope.js";
import type { ErrorCode } from "./protocol.js";

/** What a worker answered a request with: kept, so that a resent copy gets the same answer. */
export type Answer = { kind: "reply"; body: Buffer[] } | { kind: "error"; code: ErrorCode; text: string };

export interface Reservation {
  /** Names this reservation: the worker's run (8 bytes) and 8 random bytes. */
  ticket: Buffer;
  client: Buffer;
  envelope: Envelope;
  /** The broker (endpoint) the reservation came through: it gets the worker's credit back. */
  broker: string;
  expires: number;
}

type Entry =
  | { state: "running"; ticket: Buffer; broker: string; paths: Set<string> }
  | { state: "done"; ticket: Buffer; answer: Answer; expires: number; bytes: number };

export interface LedgerOptions {
  /** Requests remembered at once (reserved, running or answered). Default 10000. */
  maxEntries?: number;
  /** Bytes of stored answers. Default 64 MiB. */
  maxBytes?: number;
}

export type StartOutcome =
  | { kind: "run"; reservation: Reservation }
  | { kind: "running" }
  | { kind: "done"; answer: Answer }
  | { kind: "not-reserved" };

/**
 * A worker's memory of requests, by id: the at-most-once half of the broker network.
 *
 * A worker runs a request only with the ticket of a reservation it holds for that id: the client
 * got exactly one worker's reservation (and ticket) at a time, and sends the request with that
 * ticket to that worker only. Running turns the reservation into a record, so every later copy (a
 * resend through another broker, a copy a stopped broker delivers late) gets the stored answer,
 * or waits for it while it runs. A record is kept for the time the client had left (the
 * envelope's ttl), so no copy can arrive after it is forgotten while the client still waits. A
 * copy that finds no record and no reservation with its ticket (the reservation expired, was
 * cancelled, or is a newer one) is answered NOT_RESERVED: this worker has not run it, and will
 * not run that copy, so the client may reserve again.
 *
 * Bounded: when `maxEntries` or `maxBytes` is reached the worker takes no new reservations (it
 * stops offering credit) until records expire; it never forgets a record early.
 */
export class RequestLedger {
  readonly maxEntries: number;
  readonly maxBytes: number;
  private readonly reservations = new Map<string, Reservation>();
  private readonly records = new Map<string, Entry>();
  private bytes = 0;
  /** Per broker: reservations through it that are held or running. */
  private readonly busy = new Map<string, number>();

  constructor(options: LedgerOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Whether a new reservation fits. */
  hasRoom(): boolean {
    return this.reservations.size + this.records.size < this.maxEntries && this.bytes < this.maxBytes;
  }

  /**
   * A RESERVE. Returns the ticket to answer with: the new reservation's, or, when this id is
   * already reserved, running or answered here, that one's ("known": no new reservation); or
   * "full".
   */
  reserve(key: string, reservation: Reservation): { outcome: "reserved" | "known"; ticket: Buffer } | "full" {
    const held = this.reservations.get(key) ?? this.records.get(key);
    if (held !== undefined) return { outcome: "known", ticket: held.ticket };
    if (!this.hasRoom()) return "full";
    this.reservations.set(key, reservation);
    this.adjust(reservation.broker, 1);
    return { outcome: "reserved", ticket: reservation.ticket };
  }

  /** Gives up the reservation for `key` if it has this ticket. */
  cancel(key: string, ticket: Buffer): Reservation | undefined {
    const reservation = this.reservations.get(key);
    if (reservation === undefined || !reservation.ticket.equals(ticket)) return undefined;
    this.reservations.delete(key);
    this.adjust(reservation.broker, -1);
    return reservation;
  }

  /** A REQUEST copy with `ticket` arrived through `broker`. */
  start(key: string, ticket: Buffer, broker: string): StartOutcome {
    const record = this.records.get(key);
    if (record?.state === "done") return { kind: "done", answer: record.answer };
    if (record?.state === "running") {
      record.paths.add(broker);
      return { kind: "running" };
    }
    const reservation = this.reservations.get(key);
    if (reservation === undefined || !reservation.ticket.equals(ticket)) return { kind: "not-reserved" };
    this.reservations.delete(key);
    this.records.set(key, { state: "running", ticket, broker: reservation.broker, paths: new Set([broker]) });
    return { kind: "run", reservation };
  }

  /** The request ran: stores the answer for `ttl` ms and returns the brokers copies came through. */
  finish(key: string, answer: Answer, ttl: number, now: number): string[] {
    const record = this.records.get(key);
    if (record?.state !== "running") return [];
    this.adjust(record.broker, -1);
    const bytes = answer.kind === "reply" ? answer.body.reduce((n, f) => n + f.length, 0) : answer.text.length;
    this.records.set(key, { state: "done", ticket: record.ticket, answer, expires: now + ttl, bytes });
    this.bytes += bytes;
    return [...record.paths];
  }

  /** Drops reservations and records past their time; returns the reservations dropped. */
  expire(now: number): Reservation[] {
    const dropped: Reservation[] = [];
    for (const [key, reservation] of this.reservations) {
      if (reservation.expires <= now) {
        this.reservations.delete(key);
        this.adjust(reservation.broker, -1);
        dropped.push(reservation);
      }
    }
    for (const [key, record] of this.records) {
      if (record.state === "done" && record.expires <= now) {
        this.records.delete(key);
        this.bytes -= record.bytes;
      }
    }
    return dropped;
  }

  /** Reservations through `broker` that are held or running: the worker is busy for that broker. */
  busyWith(broker: string): number {
    return this.busy.get(broker) ?? 0;
  }

  get size(): { reservations: number; records: number; bytes: number } {
    return { reservations: this.reservations.size, records: this.records.size, bytes: this.bytes };
  }

  private adjust(broker: string, by: number): void {
    const n = (this.busy.get(broker) ?? 0) + by;
    if (n === 0) this.busy.delete(broker);
    else this.busy.set(broker, n);
  }
}
