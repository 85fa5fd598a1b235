import { EventEmitter } from "node:events";
import { isValidEndpoint, isValidName } from "../wire/protocol.js";
import { Requester, type Connection } from "./requester.js";

export interface RegistrarOptions extends Connection {
  /** Request endpoints of every replica (or of the local agent, which forwards to them). */
  servers: readonly string[];
  /** ms a registration lives without a heartbeat; default 3000. */
  ttl?: number;
  /** ms between heartbeats; default ttl / 3, so that one lost heartbeat does not expire it. */
  interval?: number;
}

/**
 * Keeps a node's registrations alive: sends each to every replica at once and again every
 * `interval` ms, so that every replica holds the same names without talking to the others, and a
 * replica that restarts has them back within one interval. `unregister` and `close` remove them
 * at once; a node that dies is forgotten when its TTL runs out.
 *
 * Events: "acknowledged" ({ server, name, endpoint }) for each replica's OK.
 */
export class Registrar extends EventEmitter {
  private readonly requesters: Requester[];
  private readonly registrations = new Map<string, { name: string; endpoint: string }>();
  private readonly timer: NodeJS.Timeout;
  readonly ttl: number;

  constructor(options: RegistrarOptions) {
    super();
    this.ttl = options.ttl ?? 3000;
    this.requesters = options.servers.map((server) => {
      const requester = new Requester(server, options);
      requester.onReply = (reply) => {
        if (reply.type === "OK") this.emit("acknowledged", { server, name: reply.name, endpoint: reply.endpoint });
      };
      return requester;
    });
    this.timer = setInterval(() => this.heartbeat(), options.interval ?? this.ttl / 3);
  }

  register(name: string, endpoint: string): void {
    if (!isValidName(name))
      throw new TypeError(`invalid name "${name}": 1 to 255 bytes, no spaces, not starting with "!"`);
    if (!isValidEndpoint(endpoint)) throw new TypeError(`invalid endpoint "${endpoint}"`);
    this.registrations.set(`${name}\n${endpoint}`, { name, endpoint });
    for (const r of this.requesters) void r.send({ type: "REGISTER", name, endpoint, ttl: this.ttl });
  }

  unregister(name: string, endpoint: string): void {
    if (!this.registrations.delete(`${name}\n${endpoint}`)) return;
    for (const r of this.requesters) void r.send({ type: "UNREGISTER", name, endpoint });
  }

  /**
   * Unregisters everything, waits up to `wait` ms for the replicas' acknowledgements (a replica
   * that is down never sends one; its copy expires with the TTL), then closes.
   */
  async close(wait = 500): Promise<void> {
    clearInterval(this.timer);
    let pending = 0;
    const acknowledged = new Promise<void>((resolve) => {
      const ack = (): void => {
        if (--pending > 0) return;
        this.off("acknowledged", ack);
        resolve();
      };
      this.on("acknowledged", ack);
      for (const { name, endpoint } of this.registrations.values())
        for (const r of this.requesters) {
          pending += 1;
          void r.send({ type: "UNREGISTER", name, endpoint });
        }
      if (pending === 0) resolve();
    });
    this.registrations.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([acknowledged, new Promise((r) => (timer = setTimeout(r, wait)))]);
    clearTimeout(timer);
    for (const r of this.requesters) r.close();
  }

  private heartbeat(): void {
    for (const { name, endpoint } of this.registrations.values())
      for (const r of this.requesters) void r.send({ type: "REGISTER", name, endpoint, ttl: this.ttl });
  }
}
