import { EventEmitter } from "node:events";
import { Requester } from "../client/requester.js";
import { MemoryRegistry } from "../registry/memory.js";
import type { Registry } from "../registry/registry.js";
import { CurveGate, clientSecurity, type ServiceCurve } from "../security/curve.js";
import { NameServer } from "./server.js";

export interface ReplicaOptions {
  /** Request endpoint (ROUTER), e.g. tcp://10.0.0.1:5670 or tcp://127.0.0.1:* */
  bind: string;
  /** Update endpoint (XPUB). */
  publish: string;
  /** Where registrations live; default a MemoryRegistry. */
  registry?: Registry;
  /** Request endpoints of the other replicas: a starting replica copies the first that answers. */
  peers?: readonly string[];
  /** ms to wait for each peer while catching up; default 2000. */
  catchUpTimeout?: number;
  /** ms between heartbeats to watchers; default 1000. */
  hugzInterval?: number;
  /** ms between expiry sweeps; default 250. */
  sweepInterval?: number;
  /** Longest TTL a registration may ask for, in ms; default 3,600,000. */
  maxTtl?: number;
  /** CURVE: only allow-listed nodes may connect (register, look up or watch). */
  curve?: ServiceCurve;
  /** Wall-clock ms; default Date.now. */
  now?: () => number;
}

/**
 * One replica of the registry. Nodes register with every replica (see Registrar), so replicas do
 * not forward changes to each other: each one's state is what the nodes told it, and a replica
 * that starts copies a peer's snapshot (with the remaining TTLs) before answering anyone, then
 * stays current from the nodes' heartbeats. Each replica numbers its own updates (its epoch).
 *
 * Events: "caught-up" ({ from, names }), "refused" (AuthDecision), "allow-list-error" (error),
 * "expired" (Removal[]).
 */
export class Replica extends EventEmitter {
  readonly registry: Registry;
  private readonly server: NameServer;
  private readonly gate: CurveGate | null;
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: ReplicaOptions) {
    super();
    this.registry = options.registry ?? new MemoryRegistry();
    this.now = options.now ?? Date.now;
    this.gate = options.curve === undefined ? null : new CurveGate(options.curve);
    this.gate?.on("refused", (d) => this.emit("refused", d));
    this.gate?.on("allow-list-error", (err) => this.emit("allow-list-error", err));
    const registry = this.registry;
    const maxTtl = options.maxTtl ?? 3_600_000;
    this.server = new NameServer(
      {
        bind: options.bind,
        publish: options.publish,
        hugzInterval: options.hugzInterval,
        context: this.gate?.context,
        security: this.gate?.serverOptions(),
      },
      {
        lookup: (name) => registry.lookup(name, this.now()),
        snapshot: (name) => registry.snapshot(name, this.now()),
        register: (name, endpoint, ttl) => this.add(name, endpoint, Math.min(ttl, maxTtl)),
        unregister: (name, endpoint) =>
          this.server.serial.run(async () => {
            if (await registry.unregister(name, endpoint)) this.server.publish(name, "-", endpoint);
          }),
      },
    );
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  get publishEndpoint(): string {
    return this.server.publishEndpoint;
  }

  get epoch(): string {
    return this.server.epoch;
  }

  get counters(): NameServer["counters"] {
    return this.server.counters;
  }

  /** Reads the allow-list file again (CURVE only). */
  reloadAllowList(): void {
    this.gate?.reload();
  }

  async start(): Promise<void> {
    await this.gate?.start();
    await this.server.start();
    await this.catchUp();
    this.server.serve();
    this.sweeper = setInterval(() => void this.sweep(), this.options.sweepInterval ?? 250);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.server.close();
    await this.server.serial.run(() => this.registry.close());
    this.gate?.close();
  }

  private add(name: string, endpoint: string, ttl: number): Promise<void> {
    return this.server.serial.run(async () => {
      if (await this.registry.register(name, endpoint, this.now() + ttl)) this.server.publish(name, "+", endpoint);
    });
  }

  private sweep(): Promise<void> {
    return this.server.serial.run(async () => {
      const removed = await this.registry.expire(this.now());
      for (const r of removed) this.server.publish(r.name, "-", r.endpoint);
      if (removed.length > 0) this.emit("expired", removed);
    });
  }

  private async catchUp(): Promise<void> {
    const security = clientSecurity(this.gate?.peerCurve());
    for (const peer of this.options.peers ?? []) {
      const requester = new Requester(peer, { ...(this.gate && { context: this.gate.context }), security });
      const members: Array<{ name: string; endpoint: string; ttl: number }> = [];
      try {
        await requester.call(
          { type: "SNAPSHOT", id: requester.id(), name: "" },
          this.options.catchUpTimeout ?? 2000,
          (reply) => {
            if (reply.type === "ENTRY")
              for (const m of reply.entry.members) members.push({ name: reply.entry.name, ...m });
            return reply.type === "END";
          },
        );
      } catch {
        continue;
      } finally {
        requester.close();
      }
      for (const m of members) if (m.ttl > 0) await this.add(m.name, m.endpoint, m.ttl);
      this.emit("caught-up", { from: peer, names: new Set(members.map((m) => m.name)).size });
      return;
    }
  }
}
