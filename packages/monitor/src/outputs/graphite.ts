import { EventEmitter } from "node:events";
import { type Socket, connect } from "node:net";
import type { StatsSink } from "../sink/sinks.js";
import type { StatRecordInput } from "../store/store.js";

export interface GraphiteOptions {
  /** carbon's plaintext receiver, usually port 2003. */
  host: string;
  port: number;
  /** Path prefix. Default "zmtp". A point's path is `<prefix>.<host>.<stat name>`. */
  prefix?: string;
  /** Lines held while carbon is away; beyond it the oldest are dropped (and counted). Default 100000. */
  maxBuffered?: number;
  /** ms before the first reconnect; doubles up to maxReconnectInterval. Default 500. */
  reconnectInterval?: number;
  /** Default 30000. */
  maxReconnectInterval?: number;
  /**
   * Names agents for writeAgent() (a HostNames). An agent whose name is not known yet has its
   * points held (within maxBuffered) until it is, so that a new host's first seconds go under its
   * name and not its id; after `nameWait` ms they go under the id.
   */
  hosts?: HostNamer;
  /** ms an agent's points wait for its name. Default 30000. */
  nameWait?: number;
}

/** Agent ids to host names: HostNames. */
export interface HostNamer {
  known(agent: string): string | undefined;
  resolve(agent: string): Promise<string>;
}

export interface GraphiteCounters {
  /** Lines written to carbon. */
  sent: number;
  /** Lines dropped because the buffer was full while carbon was away. */
  dropped: number;
  connects: number;
  /** Connections lost or refused. */
  failures: number;
}

/** A Graphite path component: carbon splits on dots and dislikes spaces and most punctuation. */
export function graphiteName(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]/g, "_") || "_";
}

/** One carbon plaintext line: `path value timestamp` (seconds), newline-terminated. */
export function carbonLine(path: string, value: number, timeMs: number): string {
  return `${path} ${value} ${Math.floor(timeMs / 1000)}\n`;
}

/**
 * Writes stats to Graphite's carbon with the plaintext protocol. It keeps one TCP connection,
 * reconnects with backoff when carbon goes away, and meanwhile holds at most `maxBuffered` lines:
 * older ones are dropped and counted, so memory stays bounded however long carbon is away.
 *
 * Events: "connect", "disconnect" (error?).
 */
export class GraphiteOutput extends EventEmitter {
  readonly counters: GraphiteCounters = { sent: 0, dropped: 0, connects: 0, failures: 0 };
  private readonly prefix: string;
  private readonly maxBuffered: number;
  private readonly baseInterval: number;
  private readonly maxInterval: number;
  private buffer: string[] = [];
  private head = 0;
  private socket: Socket | null = null;
  private connected = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private interval: number;
  private closed = false;
  /** Points of agents whose name is not known yet, and since when they wait. */
  private readonly held = new Map<string, { since: number; stats: StatRecordInput[] }>();
  private heldPoints = 0;
  private naming: NodeJS.Timeout | null = null;

  constructor(private readonly options: GraphiteOptions) {
    super();
    this.prefix = options.prefix ?? "zmtp";
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.baseInterval = options.reconnectInterval ?? 500;
    this.maxInterval = options.maxReconnectInterval ?? 30_000;
    this.interval = this.baseInterval;
    this.connect();
  }

  /** Lines waiting for carbon. */
  get buffered(): number {
    return this.buffer.length - this.head;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Writes an agent's stats as `<prefix>.<host>.<name>`. */
  write(host: string, stats: readonly StatRecordInput[]): void {
    if (this.closed) return;
    const base = `${this.prefix}.${graphiteName(host)}.`;
    for (const s of stats) {
      const path = base + s.name.split(".").map(graphiteName).join(".");
      this.buffer.push(carbonLine(path, s.value, s.time));
    }
    const excess = this.buffered - this.maxBuffered;
    if (excess > 0) {
      this.head += excess;
      this.counters.dropped += excess;
    }
    this.compact();
    this.drain();
  }

  /**
   * Writes an agent's stats under its host name (options.hosts), holding them while the name is
   * not known yet.
   */
  writeAgent(agent: string, stats: readonly StatRecordInput[]): void {
    if (this.closed) return;
    const hosts = this.options.hosts;
    const name = hosts === undefined ? agent : hosts.known(agent);
    if (name !== undefined) return this.write(name, stats);
    let held = this.held.get(agent);
    if (held === undefined) this.held.set(agent, (held = { since: Date.now(), stats: [] }));
    held.stats.push(...stats);
    this.heldPoints += stats.length;
    // Held points count against the same bound as buffered lines.
    while (this.heldPoints + this.buffered > this.maxBuffered && this.heldPoints > 0) {
      const [first] = this.held.values();
      const excess = Math.min(first!.stats.length, this.heldPoints + this.buffered - this.maxBuffered);
      first!.stats.splice(0, excess);
      this.heldPoints -= excess;
      this.counters.dropped += excess;
      if (first!.stats.length === 0) this.held.delete(this.held.keys().next().value as string);
    }
    this.naming ??= setTimeout(() => void this.name(), 0);
  }

  /** Sends what a stats sink stores, under each agent's host name (options.hosts). */
  attach(sink: StatsSink): this {
    sink.on("stats", (agent: string, stats: StatRecordInput[]) => this.writeAgent(agent, stats));
    return this;
  }

  /** Points held for a name. */
  get waitingForNames(): number {
    return this.heldPoints;
  }

  close(): void {
    this.closed = true;
    if (this.naming !== null) clearTimeout(this.naming);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.end();
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): void {
    if (this.closed) return;
    const socket = connect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.connected = true;
      this.interval = this.baseInterval;
      this.counters.connects += 1;
      this.emit("connect");
      this.drain();
    });
    socket.on("drain", () => this.drain());
    socket.on("error", () => undefined); // "close" follows
    socket.on("close", (hadError) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.connected = false;
      this.counters.failures += 1;
      this.emit("disconnect", hadError);
      if (this.closed) return;
      this.retryTimer = setTimeout(() => this.connect(), this.interval);
      this.interval = Math.min(this.interval * 2, this.maxInterval);
    });
  }

  /** Looks the held agents' names up (the store, at most once a second) and writes what it can. */
  private async name(): Promise<void> {
    const hosts = this.options.hosts!;
    for (const [agent, held] of [...this.held]) {
      const name = hosts.known(agent) ?? (await hosts.resolve(agent));
      if (this.closed) return;
      const known = name !== agent;
      if (!known && Date.now() - held.since < (this.options.nameWait ?? 30_000)) continue;
      this.held.delete(agent);
      this.heldPoints -= held.stats.length;
      this.write(name, held.stats);
    }
    this.naming = this.held.size > 0 ? setTimeout(() => void this.name(), 250) : null;
  }

  /** Writes buffered lines while the socket takes them. */
  private drain(): void {
    const socket = this.socket;
    if (!this.connected || socket === null) return;
    while (this.head < this.buffer.length) {
      // Up to 500 lines per write: few syscalls, and a lost connection loses little of the backlog.
      const end = Math.min(this.buffer.length, this.head + 500);
      const chunk = this.buffer.slice(this.head, end).join("");
      this.counters.sent += end - this.head;
      this.head = end;
      const more = socket.write(chunk);
      if (!more) break;
    }
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
  }
}
