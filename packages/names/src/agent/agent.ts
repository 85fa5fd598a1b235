import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import type { Context } from "zmtp";
import { Requester } from "../client/requester.js";
import { Watcher } from "../client/watcher.js";
import type { Change } from "../client/watch-state.js";
import { clientSecurity, type ClientCurve } from "../security/curve.js";
import { NameServer } from "../service/server.js";
import { parseZpl, staticNames } from "./zpl.js";

export interface AgentOptions {
  /** Request endpoints of the replicas. */
  servers: readonly string[];
  /** Where local clients send requests, e.g. ipc:///run/zns/agent. */
  bind: string;
  /** Where local watchers get updates, e.g. ipc:///run/zns/updates. */
  publish: string;
  /** A ZPL lookup file of static names, merged with what the replicas say (see staticNames). */
  lookupFile?: string;
  /** CURVE towards the replicas (local clients use ipc:// without it). */
  curve?: ClientCurve;
  /** ms without a replica's heartbeat before failing over; default 3000. */
  timeout?: number;
  hugzInterval?: number;
  context?: Context;
}

/**
 * The name service's local agent (document 002: "service runs locally, connect via ipc://zns,
 * gets name updates asynchronously from central server, also local zns lookup file"). It
 * watches every name on the replicas and keeps what it last saw: when every replica is
 * unreachable it goes on answering from that cache. Local clients speak to it exactly as to a
 * replica (lookups, snapshots, updates, registrations, which it forwards to every replica), so a
 * Watcher or Group on a machine needs only the agent's endpoint. Its view is the union of the
 * replicas' names and the lookup file's.
 *
 * Events: "synced" ({ server }), "failover" ({ from, reason }), "lookup-file-error" (Error).
 */
export class Agent extends EventEmitter {
  private readonly watcher: Watcher;
  private readonly server: NameServer;
  private readonly forward: Requester[];
  private fixed = new Map<string, Set<string>>();

  constructor(private readonly options: AgentOptions) {
    super();
    const connection = {
      security: clientSecurity(options.curve),
      ...(options.context && { context: options.context }),
    };
    if (options.lookupFile !== undefined) this.fixed = this.readLookupFile(options.lookupFile);
    this.watcher = new Watcher({ ...connection, servers: options.servers, timeout: options.timeout });
    this.forward = options.servers.map((s) => new Requester(s, connection));
    this.server = new NameServer(
      { bind: options.bind, publish: options.publish, hugzInterval: options.hugzInterval },
      {
        lookup: (name) => Promise.resolve(this.members(name)),
        snapshot: (name) =>
          Promise.resolve(
            (name === null ? this.names() : [name]).map((n) => ({
              name: n,
              members: this.members(n).map((endpoint) => ({ endpoint, ttl: 0 })),
            })),
          ),
        register: async (name, endpoint, ttl) => {
          for (const r of this.forward) await r.send({ type: "REGISTER", name, endpoint, ttl });
        },
        unregister: async (name, endpoint) => {
          for (const r of this.forward) await r.send({ type: "UNREGISTER", name, endpoint });
        },
      },
    );
    this.watcher.on("change", (c: Change) => {
      // A static member is in the view whatever the replicas say about it.
      if (!this.fixed.get(c.name)?.has(c.endpoint)) void this.server.serial.run(async () => this.publish(c));
    });
    this.watcher.on("synced", (e) => this.emit("synced", e));
    this.watcher.on("failover", (e) => this.emit("failover", e));
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  get publishEndpoint(): string {
    return this.server.publishEndpoint;
  }

  /** Binds and serves at once (from the lookup file alone until a replica answers). */
  async start(): Promise<void> {
    await this.server.start();
    this.server.serve();
  }

  /** Resolves once the agent has synced with a replica. */
  synced(): Promise<void> {
    return this.watcher.ready();
  }

  members(name: string): string[] {
    return [...new Set([...this.watcher.members(name), ...(this.fixed.get(name) ?? [])])];
  }

  names(): string[] {
    return [...new Set([...this.watcher.names(), ...[...this.fixed].filter(([, s]) => s.size > 0).map(([n]) => n)])];
  }

  /** Reads the lookup file again; watchers see the difference. A bad file keeps the previous names. */
  reloadLookupFile(): void {
    if (this.options.lookupFile === undefined) return;
    let next: Map<string, Set<string>>;
    try {
      next = this.readLookupFile(this.options.lookupFile);
    } catch (err) {
      this.emit("lookup-file-error", err);
      return;
    }
    void this.server.serial.run(async () => {
      const before = new Map([...new Set([...this.fixed.keys(), ...next.keys()])].map((n) => [n, this.members(n)]));
      this.fixed = next;
      for (const [name, old] of before) {
        const now = this.members(name);
        for (const e of old) if (!now.includes(e)) this.publish({ name, op: "-", endpoint: e });
        for (const e of now) if (!old.includes(e)) this.publish({ name, op: "+", endpoint: e });
      }
    });
  }

  async close(): Promise<void> {
    await this.watcher.close();
    for (const r of this.forward) r.close(500);
    this.server.close();
  }

  private publish(c: Change): void {
    this.server.publish(c.name, c.op, c.endpoint);
  }

  private readLookupFile(file: string): Map<string, Set<string>> {
    return staticNames(parseZpl(readFileSync(file, "utf8"), file));
  }
}
