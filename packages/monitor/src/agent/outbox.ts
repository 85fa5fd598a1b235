import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { TYPE_CODES, isUuid, type Message } from "../wire/protocol.js";
import { validateBody } from "../wire/schema.js";

/**
 * The agent's acknowledged messages, kept until a sink acks them and persisted so that they
 * survive a restart. The file is a journal of JSON lines, `{"add": message}` and `{"ack": id}`,
 * appended (synchronously, before the message is first sent) and compacted on open and whenever
 * acked lines outnumber the pending ones. A torn last line, left by a crash mid-write, is skipped.
 */

export interface OutboxOptions {
  /** ms to wait for the ack before the first resend; doubles per resend. Default 2000. */
  ackTimeout?: number;
  /** ms cap of the resend interval. Default 60000. */
  maxResendInterval?: number;
  /** Pending messages kept at most; beyond it the oldest are dropped (and counted). Default 10000. */
  maxEntries?: number;
}

export interface OutboxEntry {
  message: Message;
  /** Sends so far (0: not sent yet). */
  attempts: number;
  /** When the entry is next due, ms since the epoch. */
  dueAt: number;
  /** When it was last sent (0: never). */
  lastSent: number;
}

export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private fd: number;
  private ackedLines = 0;
  private readonly ackTimeout: number;
  private readonly maxResendInterval: number;
  private readonly maxEntries: number;
  /** Messages dropped because the outbox was full. */
  dropped = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    options: OutboxOptions = {},
  ) {
    this.ackTimeout = options.ackTimeout ?? 2000;
    this.maxResendInterval = options.maxResendInterval ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    const now = Date.now();
    if (existsSync(file)) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (line.length === 0) continue;
        let record: { add?: Message; ack?: string };
        try {
          record = JSON.parse(line) as typeof record;
        } catch {
          continue;
        }
        if (typeof record.ack === "string") this.entries.delete(record.ack);
        else if (isStoredMessage(record.add)) {
          this.entries.set(record.add.header.id, {
            message: { ...record.add, type: record.add.header.type } as Message,
            attempts: 0,
            dueAt: now,
            lastSent: 0,
          });
        }
      }
    }
    this.fd = this.compact();
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Persists a message; it is due at once. */
  add(message: Message): void {
    if (this.closed) return;
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.ack(oldest);
      this.dropped += 1;
    }
    this.append({ add: message });
    this.entries.set(message.header.id, { message, attempts: 0, dueAt: Date.now(), lastSent: 0 });
  }

  /** Forgets an acked message; false if it was not pending (a duplicate ack). */
  ack(id: string): boolean {
    if (this.closed || !this.entries.delete(id)) return false;
    this.append({ ack: id });
    this.ackedLines += 1;
    if (this.ackedLines > Math.max(100, this.entries.size)) {
      closeSync(this.fd);
      this.fd = this.compact();
    }
    return true;
  }

  /** The entries due at `now`, oldest first. */
  due(now = Date.now()): OutboxEntry[] {
    const list: OutboxEntry[] = [];
    for (const entry of this.entries.values()) if (entry.dueAt <= now) list.push(entry);
    return list;
  }

  /** Earliest due time of any entry, or null when empty. */
  nextDue(): number | null {
    let next: number | null = null;
    for (const entry of this.entries.values()) if (next === null || entry.dueAt < next) next = entry.dueAt;
    return next;
  }

  /** Records a send: the next one is due after the backoff (ackTimeout · 2^(attempts-1), ±20% jitter, capped). */
  sent(entry: OutboxEntry, now = Date.now()): void {
    entry.attempts += 1;
    entry.lastSent = now;
    const backoff = Math.min(this.maxResendInterval, this.ackTimeout * 2 ** Math.min(entry.attempts - 1, 20));
    entry.dueAt = now + Math.round(backoff * (0.8 + Math.random() * 0.4));
  }

  /**
   * Makes due now every entry last sent at least `minAge` ms ago: a router connected, so there is
   * no reason to wait out the backoff (entries sent just now are left to their ack).
   */
  expedite(now = Date.now(), minAge = 0): void {
    for (const entry of this.entries.values()) {
      if (entry.attempts > 0 && now - entry.lastSent >= minAge) entry.dueAt = Math.min(entry.dueAt, now);
    }
  }

  /** Closes the journal; later adds and acks are ignored (what is pending stays on disk). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private append(record: object): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  /** Rewrites the journal with only the pending entries (atomically, via rename); returns the new fd. */
  private compact(): number {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, "w");
    for (const entry of this.entries.values()) writeSync(fd, `${JSON.stringify({ add: entry.message })}\n`);
    closeSync(fd);
    renameSync(tmp, this.file);
    this.ackedLines = 0;
    return openSync(this.file, "a");
  }
}

/** A journal line is trusted no more than the network: a hand-edited or damaged entry is skipped. */
function isStoredMessage(value: unknown): value is Message {
  const m = value as Message | undefined;
  if (typeof m !== "object" || m === null || typeof m.header !== "object" || m.header === null) return false;
  const { header } = m;
  if (!isUuid(header.id) || !Object.hasOwn(TYPE_CODES, header.type)) return false;
  if (typeof header.time !== "number" || !Number.isFinite(header.time) || header.time < 0) return false;
  return validateBody(header.type, m.body).ok;
}
