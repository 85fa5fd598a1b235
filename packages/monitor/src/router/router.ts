import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { Context, Push, Router } from "zmtp";
import { Authenticator, CurveKeyFile, type AuthDecision } from "zmtp/auth";
import { curvePublicKey } from "zmtp/z85";
import { ENDPOINT_NAMES, type RouterEndpoints } from "../wire/endpoints.js";
import {
  MAX_BODY_SIZE,
  STREAMS,
  STREAM_OF,
  createMessage,
  decodeHeader,
  encode,
  isUuid,
  type Stream,
} from "../wire/protocol.js";
import { ROLE_PROCESS, roleId } from "../wire/roles.js";
import type { DeliveryStatus, Stat } from "../wire/schema.js";

export interface MonitorRouterOptions {
  /** Where to bind each endpoint; `tcp://127.0.0.1:*` style addresses bind ephemeral ports. */
  endpoints: RouterEndpoints;
  /** ms between ZMTP heartbeats to agents, so dead agents leave the routing table. Default 10000; 0 off. */
  agentHeartbeatInterval?: number;
  /**
   * CURVE on the agent endpoint: connections are encrypted, and only agents whose public key is
   * in the allow-list get in. `allowList` is a file (reloaded when it changes; see zmtp/auth's CurveKeyFile)
   * or a fixed list of Z85 keys. The back channel and streams stay on the back-end network.
   */
  curve?: { secretKey: string; allowList: string | readonly string[] };
  /**
   * The router's own heartbeats, sent through its heartbeat stream like an agent's so that the
   * heartbeat sinks declare it down (and page) when it dies (wire/roles.ts). `name` defaults to
   * `<host name> <agents endpoint>`; `interval` to 5000 ms. false: none.
   */
  heartbeat?: { name?: string; interval?: number } | false;
}

/** An agent the CURVE allow-list kept out. */
export interface Refusal {
  /** The agent's CURVE public key (Z85). */
  key: string;
  /** Its IP address. */
  address: string;
  reason: string;
}

export interface RouterCounters {
  received: number;
  forwarded: Record<Stream, number>;
  /** Forwarding found no sink with room for the stream: dropped (acked messages are resent). */
  dropped: Record<Stream, number>;
  malformed: number;
  delivered: number;
  unknownAgent: number;
  busy: number;
  /** Agent connections refused by the CURVE allow-list. */
  refused: number;
  /** Agents found cut off by another connection with their id (two live agents with one id). */
  duplicates: number;
}

const perStream = (): Record<Stream, number> => ({ heartbeat: 0, registration: 0, stats: 0, notification: 0 });

/** The instance an agent's own heartbeat names, or null (a process's heartbeat, or none). */
function instanceOf(body: Buffer): string | null {
  try {
    const json = JSON.parse(body.toString("utf8")) as { instance?: unknown; process?: unknown };
    return json.process === undefined && isUuid(json.instance) ? json.instance : null;
  } catch {
    return null;
  }
}

/** Sets a key in a map kept to 100,000 entries (the oldest go first). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > 100_000) map.delete(map.keys().next().value as string);
}

/**
 * A monitoring router. Stateless: it binds a ROUTER for agents and forwards each agent message,
 * prefixed with the agent's id, to the PUSH of its stream; and binds a back-channel ROUTER on
 * which schedulers and sinks send [agent id, header, body], delivers that to the agent (mandatory)
 * and answers "delivered", "unknown-agent" or "busy" so the sender can try another router.
 *
 * It never waits: a stream without a sink with room drops (and counts), so one missing sink type
 * cannot stall the others; acknowledged messages are resent by their agent.
 *
 * Events: "malformed" (reason: string), "failure" (error: a receive loop ended unexpectedly),
 * "duplicate" (agent id: another connection took the id of a live agent, see `instances`),
 * with CURVE: "refused" (Refusal), "allow-list" (keys now allowed), "allow-list-error" (error).
 */
export class MonitorRouter extends EventEmitter {
  readonly counters: RouterCounters = {
    received: 0,
    forwarded: perStream(),
    dropped: perStream(),
    malformed: 0,
    delivered: 0,
    unknownAgent: 0,
    busy: 0,
    refused: 0,
    duplicates: 0,
  };
  /**
   * Two live agents with one id (a cloned image): the router hands the id to the newest
   * connection, and the other keeps a generated id. Heartbeats carry the agent process's instance,
   * so a generated id whose heartbeat names an instance seen under agent X is X's cut-off
   * connection: its messages are forwarded as X again (the sinks then see both instances, alert,
   * and tell the second to stop), and deliveries for X fall back to it once the id has no holder.
   */
  private readonly instances = new Map<string, string>();
  private readonly aliases = new Map<string, string>();
  private readonly aliasOfAgent = new Map<string, Buffer>();
  /** The routers's CURVE public key (Z85), when CURVE is on. */
  readonly publicKey: string | null;
  private readonly agents: Router;
  private readonly back: Router;
  private readonly pushes: Record<Stream, Push>;
  private bound: Partial<RouterEndpoints> = {};
  private readonly authenticator: Authenticator | null = null;
  private readonly allowList: CurveKeyFile | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** The router's role id and name (wire/roles.ts), once started with heartbeats. */
  id: string | null = null;
  name: string | null = null;

  private constructor(options: MonitorRouterOptions) {
    super();
    const maxMessageSize = MAX_BODY_SIZE + 1024;
    const curve = options.curve;
    this.publicKey = curve === undefined ? null : curvePublicKey(curve.secretKey);
    let security = {};
    if (curve !== undefined) {
      // ZAP handlers are per context: each router's agent socket gets a context of its own.
      const context = new Context();
      const list = curve.allowList;
      this.allowList = typeof list === "string" ? new CurveKeyFile(list) : null;
      this.authenticator = new Authenticator({
        context,
        domain: "zmtp-monitor",
        curve: this.allowList?.keys.keys() ?? (list as readonly string[]),
        onDecision: (d) => this.decided(d),
      });
      this.allowedNow = new Set(this.allowList?.keys.keys() ?? (list as readonly string[]));
      this.allowList?.on("change", (keys: Map<string, string>) => this.replaceKeys(keys));
      this.allowList?.on("error", (err: Error) => this.emit("allow-list-error", err));
      security = { context, curveServer: true, curveSecretKey: curve.secretKey, zapDomain: "zmtp-monitor" };
    }
    this.agents = new Router({
      ...security,
      mandatory: true,
      // A restarted agent comes back with the same id before its old connection is noticed dead.
      handover: true,
      sendTimeout: 0,
      linger: 0,
      maxMessageSize,
      heartbeatInterval: options.agentHeartbeatInterval ?? 10_000,
    });
    this.back = new Router({ sendTimeout: 0, linger: 0, maxMessageSize });
    const push = (): Push => new Push({ sendTimeout: 0, linger: 0 });
    this.pushes = { heartbeat: push(), registration: push(), stats: push(), notification: push() };
  }

  static async start(options: MonitorRouterOptions): Promise<MonitorRouter> {
    const router = new MonitorRouter(options);
    try {
      await router.authenticator?.start();
      for (const name of ENDPOINT_NAMES) {
        const socket = router.socketFor(name);
        await socket.bind(options.endpoints[name]);
        router.bound[name] = socket.lastEndpoint!;
      }
    } catch (err) {
      router.close();
      throw err;
    }
    const failed = (err: unknown): void => void router.emit("failure", err);
    router.agentLoop().catch(failed);
    router.backLoop().catch(failed);
    if (options.heartbeat !== false) router.startHeartbeats(options.heartbeat ?? {});
    return router;
  }

  /** The router's counters as stats (`monitor.*`), sent with its heartbeats. */
  ownStats(): Stat[] {
    const c = this.counters;
    const stat = (name: string, value: number, kind: "counter" | "gauge" = "counter"): Stat => ({
      name: `monitor.${name}`,
      value,
      kind,
      process: ROLE_PROCESS.router,
    });
    const sinks = this.sinks;
    return [
      stat("received", c.received),
      stat("malformed", c.malformed),
      stat("delivered", c.delivered),
      stat("duplicates", c.duplicates),
      stat("agents", this.connectedAgents, "gauge"),
      ...STREAMS.flatMap((s) => [
        stat(`forwarded.${s}`, c.forwarded[s]),
        stat(`dropped.${s}`, c.dropped[s]),
        stat(`sinks.${s}`, sinks[s], "gauge"),
      ]),
    ];
  }

  private startHeartbeats(options: { name?: string; interval?: number }): void {
    const name = options.name ?? `${hostname()} ${this.endpoints.agents}`;
    const interval = options.interval ?? 5000;
    const id = roleId("router", name);
    this.id = id;
    this.name = name;
    const idFrame = Buffer.from(id, "latin1");
    const beat = (): void => {
      const message = createMessage("heartbeat", {
        interval,
        process: ROLE_PROCESS.router,
        pid: process.pid,
        hostname: name,
      });
      // Like a forwarded agent message: [sender id, header, body]. No heartbeat sink: dropped.
      this.pushes.heartbeat.send([idFrame, ...encode(message)]).catch(() => undefined);
      // Its counters as stats under its id: the status page's monitor row, Graphite, /metrics.
      const stats = createMessage("stats", { stats: this.ownStats() });
      this.pushes.stats.send([idFrame, ...encode(stats)]).catch(() => undefined);
    };
    beat();
    this.heartbeatTimer = setInterval(beat, interval);
  }

  /** The bound endpoints (ephemeral ports resolved). */
  get endpoints(): RouterEndpoints {
    return this.bound as RouterEndpoints;
  }

  /** Sinks currently connected per stream. */
  get sinks(): Record<Stream, number> {
    const out = perStream();
    for (const stream of STREAMS) out[stream] = this.pushes[stream].statistics.peers;
    return out;
  }

  /** Agents connected now. */
  get connectedAgents(): number {
    return this.agents.statistics.peers;
  }

  /** CURVE keys allowed now. */
  get allowedKeys(): number {
    return this.allowedNow.size;
  }

  close(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    for (const name of ENDPOINT_NAMES) this.socketFor(name).close();
    this.authenticator?.close();
    this.allowList?.close();
  }

  private allowedNow = new Set<string>();

  private decided(d: AuthDecision): void {
    if (d.allowed) return;
    this.counters.refused += 1;
    this.emit("refused", { key: d.user, address: d.address, reason: d.reason } satisfies Refusal);
  }

  /** The allow-list file changed: keys removed are revoked (for new connections), new ones allowed. */
  private replaceKeys(keys: Map<string, string>): void {
    this.authenticator!.setCurveKeys(keys.keys());
    this.allowedNow = new Set(keys.keys());
    this.emit("allow-list", this.allowedNow.size);
  }

  private socketFor(name: (typeof ENDPOINT_NAMES)[number]): Router | Push {
    return name === "agents" ? this.agents : name === "back" ? this.back : this.pushes[name];
  }

  private malformed(reason: string): void {
    this.counters.malformed += 1;
    this.emit("malformed", reason);
  }

  private async agentLoop(): Promise<void> {
    for await (const msg of this.agents) {
      this.counters.received += 1;
      this.forward(msg);
    }
  }

  private forward(msg: Buffer[]): void {
    let agent = msg[0]!.toString("latin1");
    if (msg.length !== 3) return this.malformed(`expected 2 frames from agent ${agent}, got ${msg.length - 1}`);
    const header = decodeHeader(msg[1]);
    if (!header.ok) return this.malformed(`agent ${agent}: ${header.reason}`);
    const stream = STREAM_OF[header.value.type];
    if (stream === undefined) return this.malformed(`agent ${agent}: ${header.value.type} is not an upstream message`);
    const instance = stream === "heartbeat" ? instanceOf(msg[2]!) : null;
    if (!isUuid(agent)) {
      const alias = this.aliases.get(agent) ?? (instance === null ? undefined : this.instances.get(instance));
      if (alias === undefined) return this.malformed("agent routing id is not a UUID");
      if (!this.aliases.has(agent)) {
        remember(this.aliases, agent, alias);
        remember(this.aliasOfAgent, alias, msg[0]!);
        this.counters.duplicates += 1;
        this.emit("duplicate", alias);
      }
      msg[0] = Buffer.from(alias, "latin1");
      agent = alias;
    } else if (instance !== null) {
      remember(this.instances, instance, agent);
    }
    this.pushes[stream].send(msg).then(
      () => (this.counters.forwarded[stream] += 1),
      () => (this.counters.dropped[stream] += 1),
    );
  }

  private async backLoop(): Promise<void> {
    for await (const msg of this.back) this.deliver(msg);
  }

  private deliver(msg: Buffer[]): void {
    if (msg.length !== 4)
      return this.malformed(`back channel: expected [agent, header, body], got ${msg.length - 1} frames`);
    const [sender, agentFrame, headerFrame, body] = msg as [Buffer, Buffer, Buffer, Buffer];
    const agent = agentFrame.toString("latin1");
    if (!isUuid(agent)) return this.malformed("back channel: agent id is not a UUID");
    const header = decodeHeader(headerFrame);
    if (!header.ok) return this.malformed(`back channel: ${header.reason}`);
    if (STREAM_OF[header.value.type] !== undefined)
      return this.malformed(`back channel: ${header.value.type} is not for agents`);
    const reply = (status: DeliveryStatus): void => {
      const report = createMessage("delivery", { ref: header.value.id, agent, status });
      // The back ROUTER is not mandatory: a sender that left is simply not answered.
      this.back.send([sender, ...encode(report)]).catch(() => undefined);
    };
    const send = (to: Buffer): Promise<void> => this.agents.send([to, headerFrame, body]);
    send(agentFrame)
      .catch((err: { code?: string }) => {
        // The id has no holder here; a cut-off connection of the agent (see `instances`) may.
        const alias = this.aliasOfAgent.get(agent);
        if (err.code !== "EHOSTUNREACH" || alias === undefined) throw err;
        return send(alias).catch((again: unknown) => {
          this.aliasOfAgent.delete(agent);
          this.aliases.delete(alias.toString("latin1"));
          throw again;
        });
      })
      .then(
        () => {
          this.counters.delivered += 1;
          reply("delivered");
        },
        (err: { code?: string }) => {
          if (err.code === "EHOSTUNREACH") {
            this.counters.unknownAgent += 1;
            reply("unknown-agent");
          } else {
            this.counters.busy += 1;
            reply("busy");
          }
        },
      );
  }
}
