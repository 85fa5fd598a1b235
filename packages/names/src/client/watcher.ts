import { EventEmitter } from "node:events";
import { Subscriber } from "zmtp";
import { HUGZ_TOPIC, decodeUpdate } from "../wire/protocol.js";
import { publishEndpointFor } from "./endpoints.js";
import { Requester, contextOption, type Connection } from "./requester.js";
import { WatchState, type Change } from "./watch-state.js";

export interface WatcherOptions extends Connection {
  /** Request endpoints of the replicas (or of one agent), tried in turn. */
  servers: readonly string[];
  /** The one name to watch; every name when absent. */
  name?: string;
  /** ms without a heartbeat or an answer before failing over to the next server; default 3000. */
  timeout?: number;
}

type End = "silent" | "epoch" | "closed";

/**
 * Follows names on the replicas with the Clone pattern: subscribe to updates, wait for the first
 * heartbeat (the subscription is then in place), read a snapshot, apply the updates that follow
 * in sequence, re-read one name's snapshot on a gap. A server silent for `timeout` is left for
 * the next one; a new epoch (the server restarted) means a full re-sync. Every re-sync is a diff
 * against what the watcher already shows, so "change" events never repeat or skip a member.
 *
 * Events: "change" (Change), "synced" ({ server, epoch }), "failover" ({ from, reason }),
 * "resync" (name).
 */
export class Watcher extends EventEmitter {
  private readonly state: WatchState;
  private readonly timeout: number;
  private index = 0;
  private closed = false;
  private stop: (() => void) | null = null;
  private readonly running: Promise<void>;
  /** The server followed now, or null between servers. */
  server: string | null = null;

  constructor(private readonly options: WatcherOptions) {
    super();
    if (options.servers.length === 0) throw new TypeError("Watcher: no servers given");
    this.timeout = options.timeout ?? 3000;
    this.state = new WatchState(options.name ?? null, (change: Change) => this.emit("change", change));
    this.running = this.run();
  }

  /** Resolves once the watcher has synced with a server. */
  ready(): Promise<void> {
    if (this.server !== null && !this.state.syncing) return Promise.resolve();
    return new Promise((resolve) => this.once("synced", () => resolve()));
  }

  members(name = this.options.name ?? ""): string[] {
    return this.state.members(name);
  }

  names(): string[] {
    return this.state.names();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      const server = this.options.servers[this.index % this.options.servers.length]!;
      let end: End;
      try {
        end = await this.follow(server);
        failures = 0;
      } catch {
        end = "silent";
        failures += 1;
      }
      this.server = null;
      if (this.closed) return;
      if (end !== "epoch") this.index += 1;
      this.emit("failover", { from: server, reason: end });
      // Every server tried and none answered: pause before the next round.
      if (failures >= this.options.servers.length)
        await new Promise((r) => setTimeout(r, Math.min(this.timeout, 100 * failures)));
    }
  }

  /** Follows one server until it goes silent, restarts (new epoch) or the watcher closes. */
  private async follow(server: string): Promise<End> {
    const requester = new Requester(server, this.options);
    // Room for the replica's burst of changes (its XPUB queues 100,000): a smaller queue would drop
    // updates during a burst and turn each drop into a re-sync of the whole name.
    const sub = new Subscriber({
      ...contextOption(this.options.context),
      linger: 0,
      receiveHighWaterMark: 100_000,
      ...this.options.security,
    });
    let finish: (end: End) => void = () => undefined;
    const ended = new Promise<End>((resolve) => (finish = resolve));
    this.stop = () => finish("closed");
    let heard = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - heard > this.timeout) finish("silent");
    }, this.timeout / 4);
    try {
      const hello = await requester.ask({ type: "HELLO", id: requester.id() }, this.timeout);
      if (hello.type !== "HELLO") throw new Error(`${server}: unexpected ${hello.type}`);
      this.state.beginFull(hello.epoch);
      let hugz!: () => void;
      const firstHugz = new Promise<void>((resolve) => (hugz = resolve));
      sub.connect(publishEndpointFor(hello.publish, server));
      sub.subscribe(HUGZ_TOPIC);
      sub.subscribe(this.options.name ?? "");
      void (async () => {
        for await (const frames of sub) {
          heard = performance.now();
          const update = decodeUpdate(frames);
          if (update === null) continue;
          if (update.type === "HUGZ" && update.epoch === hello.epoch) hugz();
          const result = this.state.update(update);
          if (result === "epoch") finish("epoch");
          else if (result === "gap" && update.type === "UPDATE") void this.resync(requester, update.name);
        }
      })().catch(() => undefined);
      heard = performance.now();
      await Promise.race([firstHugz, ended]);
      if (this.closed) return "closed";
      await this.snapshot(requester, this.options.name ?? "", hello.epoch);
      for (const name of this.state.endFull()) void this.resync(requester, name);
      this.server = server;
      this.emit("synced", { server, epoch: hello.epoch });
      return await ended;
    } finally {
      clearInterval(watchdog);
      this.stop = null;
      requester.close();
      sub.close();
    }
  }

  private async snapshot(requester: Requester, name: string, epoch: string): Promise<void> {
    let endEpoch = epoch;
    await requester.call({ type: "SNAPSHOT", id: requester.id(), name }, this.timeout, (reply) => {
      if (reply.type === "ENTRY") this.state.entry(reply.entry);
      if (reply.type === "END") endEpoch = reply.epoch;
      return reply.type === "END" || reply.type === "ERROR";
    });
    if (endEpoch !== epoch) throw new Error(`${requester.endpoint} restarted during the snapshot`);
  }

  private async resync(requester: Requester, name: string): Promise<void> {
    this.emit("resync", name);
    try {
      await this.snapshot(requester, name, this.state.epoch ?? "");
    } catch {
      this.state.abandonName(name);
      return;
    }
    for (const next of this.state.endName(name)) void this.resync(requester, next);
  }
}
