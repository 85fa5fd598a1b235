import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { Router } from "zmtp";
import { showId } from "../common/frames.js";
import { receiveLoop, trySend } from "../common/sockets.js";
import { answerTo, decodeEnvelope, encodeEnvelope, type Envelope } from "./envelope.js";
import { Membership } from "./membership.js";
import { PeerLinks } from "./peers.js";
import {
  CANCEL,
  DISCONNECT,
  ERROR,
  GOSSIP,
  PING,
  PONG,
  READY,
  REPLY,
  REQUEST,
  RESERVE,
  RESERVED,
  ROLE_PREFIX,
  TAG,
  command,
  commandOf,
  decodeAddress,
  decodeAddresses,
  encodeAddresses,
  roleOf,
  type BrokerAddress,
  type ErrorCode,
} from "./protocol.js";
import { BrokerSecurity, type BrokerCurveOptions } from "./security.js";
import { ServiceTable, type Waiting } from "./services.js";

export interface NetworkBrokerOptions {
  /** Where clients, workers and other brokers connect; `tcp://127.0.0.1:*` picks a port. */
  bind: string;
  /**
   * The address other nodes dial, given in lists and gossip. Default: the bound address, with a
   * wildcard host (0.0.0.0) replaced by 127.0.0.1.
   */
  advertise?: string;
  /** Other brokers to start from (at least one in a network; the rest come by gossip). */
  peers?: readonly BrokerAddress[];
  /** ms between gossip messages to each other broker. Default 1000. */
  gossipInterval?: number;
  /** ms between the pings clients and workers send (they must use the same). Default 1000. */
  heartbeatInterval?: number;
  /** Silent intervals after which a broker, client link or worker counts as dead. Default 3. */
  liveness?: number;
  /** ms a reservation may wait for an idle worker before the client is told. Default 1000. */
  queueTimeout?: number;
  /** Reservations that may wait per service (default 1000) and in all (default 10000). */
  maxQueued?: number;
  maxQueuedTotal?: number;
  /** CURVE with an allow-list of public keys; without it, the broker speaks NULL. */
  curve?: BrokerCurveOptions;
  /** This broker's id in others' routing tables. Default: random. */
  id?: string;
}

export interface NetworkBrokerCounters {
  /** RESERVE messages from clients. */
  reservations: number;
  /** Reservations handed to a worker. */
  dispatched: number;
  /** REQUEST messages forwarded to workers. */
  requests: number;
  /** REPLY messages forwarded to clients. */
  replies: number;
  /** ERROR answers sent or forwarded, by code. */
  errors: Partial<Record<ErrorCode, number>>;
  /** Answers whose client was not connected any more (dropped). */
  undeliverable: number;
  /** Messages that were not ZBN1, or not allowed from the sender's role (dropped). */
  malformed: number;
  /** Workers dropped after a silent window. */
  expiredWorkers: number;
}

/**
 * A broker of the broker network (document 003): it holds no vital state. It knows the workers
 * from their pings (service, run, whether this broker may reserve them), hands reservation
 * requests to each service's least recently used idle worker, forwards requests to the worker a
 * client names and answers back by routing id, and gossips the list of live brokers. Kill it and
 * nothing is lost that a client's retry through another broker does not recover; see
 * NetworkClient for the request's life.
 *
 * Events: "worker" ({ id, service }), "worker-gone" ({ id, service, reason }), "peer-up" and
 * "peer-down" (address), "malformed" (reason), and with CURVE "refused" (AuthDecision),
 * "allow-list" (keys), "allow-list-error" (error).
 */
export class NetworkBroker extends EventEmitter {
  readonly id: string;
  readonly counters: NetworkBrokerCounters = {
    reservations: 0,
    dispatched: 0,
    requests: 0,
    replies: 0,
    errors: {},
    undeliverable: 0,
    malformed: 0,
    expiredWorkers: 0,
  };
  readonly services: ServiceTable;
  readonly security: BrokerSecurity | null;
  private readonly socket: Router;
  private readonly gossipInterval: number;
  private readonly heartbeatInterval: number;
  private readonly liveness: number;
  private readonly queueTimeout: number;
  private membershipState: Membership | null = null;
  private peers: PeerLinks | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastGossip = -Infinity;
  private liveSeen = new Set<string>();
  private closed = false;

  private constructor(private readonly options: NetworkBrokerOptions) {
    super();
    this.id = options.id ?? randomBytes(6).toString("hex");
    this.gossipInterval = options.gossipInterval ?? 1000;
    this.heartbeatInterval = options.heartbeatInterval ?? 1000;
    this.liveness = options.liveness ?? 3;
    this.queueTimeout = options.queueTimeout ?? 1000;
    this.services = new ServiceTable({
      workerWindow: this.liveness * this.heartbeatInterval,
      queueTimeout: this.queueTimeout,
      maxQueued: options.maxQueued ?? 1000,
      maxQueuedTotal: options.maxQueuedTotal ?? 10_000,
    });
    this.security = options.curve === undefined ? null : new BrokerSecurity(options.curve);
    if (this.security !== null) {
      for (const event of ["refused", "allow-list", "allow-list-error"])
        this.security.on(event, (value: unknown) => this.emit(event, value));
    }
    this.socket = new Router({
      ...this.security?.server(),
      linger: 0,
      sendTimeout: 0,
      mandatory: true,
      // A restarted client or worker comes back with the same id before its old connection is
      // noticed dead: the new connection takes the id over.
      handover: true,
    });
  }

  static async start(options: NetworkBrokerOptions): Promise<NetworkBroker> {
    const broker = new NetworkBroker(options);
    try {
      await broker.security?.start();
      await broker.socket.bind(options.bind);
    } catch (err) {
      broker.close();
      throw err;
    }
    const self: BrokerAddress = {
      endpoint: options.advertise ?? broker.socket.lastEndpoint!.replace("//0.0.0.0:", "//127.0.0.1:"),
      ...(broker.security !== null && { publicKey: broker.security.publicKey }),
    };
    broker.membershipState = new Membership(self, { interval: broker.gossipInterval, liveness: broker.liveness });
    broker.peers = new PeerLinks(
      `${ROLE_PREFIX.broker}${broker.id}`,
      broker.security?.context,
      broker.security?.keyPair(),
    );
    const failed = (err: unknown): void => void broker.emit("failure", err);
    receiveLoop(broker.socket, (frames) => broker.onMessage(frames), failed).catch(failed);
    const now = performance.now();
    for (const peer of options.peers ?? []) {
      broker.membership.addSeed(peer);
      broker.peers.ensure(peer, now);
    }
    broker.gossip(now);
    broker.timer = setInterval(() => broker.tick(), Math.min(broker.gossipInterval, broker.heartbeatInterval) / 2);
    return broker;
  }

  /** This broker as others reach it. */
  get address(): BrokerAddress {
    return this.membership.self!;
  }

  get membership(): Membership {
    return this.membershipState!;
  }

  /** The live brokers, this one first. */
  liveBrokers(): BrokerAddress[] {
    return this.membership.live(performance.now());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.peers?.close();
    this.socket.close();
    this.security?.close();
  }

  private onMessage(frames: Buffer[]): void {
    const [rid, ...rest] = frames;
    const code = commandOf(rest);
    const role = rid === undefined ? null : roleOf(rid);
    if (rid === undefined || code === null || role === null) return this.malformed("not a ZBN1 message");
    const now = performance.now();
    if (role === "client") return this.fromClient(rid, code, rest);
    if (role === "worker") {
      this.services.touch(rid, now);
      return this.fromWorker(rid, code, rest, now);
    }
    if (code === GOSSIP) return this.onGossip(rest, now);
    this.malformed(`command ${code} from a broker`);
  }

  private fromClient(client: Buffer, code: number, frames: Buffer[]): void {
    switch (code) {
      case PING:
        return this.pong(client);
      case RESERVE: {
        const envelope = decodeEnvelope(frames[2]);
        if (envelope === null) return this.malformed("RESERVE without an envelope");
        this.counters.reservations++;
        return this.reserve(client, frames[2]!, envelope);
      }
      case REQUEST:
      case CANCEL: {
        // [tag, cmd, worker, envelope, ...] → [worker, tag, cmd, client, envelope, ...]
        const [, , worker, envelopeFrame, ...rest] = frames;
        const envelope = decodeEnvelope(envelopeFrame);
        if (worker === undefined || roleOf(worker) !== "worker" || envelope === null)
          return this.malformed(`${code === REQUEST ? "REQUEST" : "CANCEL"} without a worker and an envelope`);
        if (code === REQUEST) this.counters.requests++;
        void trySend(this.socket, [worker, TAG, command(code), client, envelopeFrame!, ...rest]).then((sent) => {
          if (!sent && code === REQUEST)
            this.error(client, envelope, "WORKER_GONE", `worker ${showId(worker)} is not connected to this broker`);
        });
        return;
      }
      default:
        return this.malformed(`command ${code} from a client`);
    }
  }

  private fromWorker(worker: Buffer, code: number, frames: Buffer[], now: number): void {
    switch (code) {
      case PING:
      case READY: {
        const [, , service, incarnation, credits] = frames;
        if (service === undefined || incarnation === undefined || service.length === 0 || service.length > 255)
          return this.malformed("worker PING/READY without a service");
        // PING says how many reservations the worker grants this broker now; READY too (1 when absent).
        const grant = credits?.length === 1 ? credits[0]! : code === READY ? 1 : 0;
        const {
          added,
          replaced,
          worker: entry,
        } = this.services.upsert(worker, service.toString(), incarnation, grant, now);
        if (replaced !== null)
          this.emit("worker-gone", { id: showId(replaced.rid), service: replaced.service, reason: "restarted" });
        if (added) this.emit("worker", { id: showId(worker), service: entry.service });
        if (code === PING) this.pong(worker);
        return this.dispatch(entry.service);
      }
      case RESERVED:
      case REPLY:
      case ERROR: {
        // [tag, cmd, client, envelope, ...] → [client, tag, cmd, envelope, (worker for RESERVED), ...]
        const [, , client, envelopeFrame, ...rest] = frames;
        const envelope = decodeEnvelope(envelopeFrame);
        if (client === undefined || roleOf(client) !== "client" || envelope === null)
          return this.malformed("a worker's answer without a client and an envelope");
        const out =
          code === RESERVED
            ? [client, TAG, command(code), envelopeFrame!, worker, ...rest]
            : [client, TAG, command(code), envelopeFrame!, ...rest];
        if (code === REPLY) this.counters.replies++;
        if (code === ERROR) this.count(rest[0]?.toString() as ErrorCode);
        void trySend(this.socket, out).then((sent) => {
          if (sent) return;
          this.counters.undeliverable++;
          // The client is gone: free the worker at once rather than at the reservation's end.
          if (code === RESERVED && rest[0] !== undefined) {
            const request = encodeEnvelope({ ...envelope, id: envelope.original ?? envelope.id, original: null });
            void trySend(this.socket, [worker, TAG, command(CANCEL), client, request, rest[0]]);
          }
        });
        return;
      }
      case DISCONNECT: {
        const entry = this.services.worker(worker);
        if (entry !== undefined) {
          this.services.remove(entry.key);
          this.emit("worker-gone", { id: showId(worker), service: entry.service, reason: "disconnected" });
        }
        return;
      }
      default:
        return this.malformed(`command ${code} from a worker`);
    }
  }

  private reserve(client: Buffer, envelopeFrame: Buffer, envelope: Envelope): void {
    const now = performance.now();
    // A service nobody offers is answered after one heartbeat interval (a worker that connects
    // registers with its first ping), one whose workers are busy after the queue timeout.
    const wait = this.services.workerCount(envelope.service) === 0 ? this.heartbeatInterval : this.queueTimeout;
    const waiting: Waiting = {
      client: Buffer.from(client),
      envelopeFrame: Buffer.from(envelopeFrame),
      envelope,
      expires: now + Math.min(wait, this.queueTimeout, envelope.ttl),
    };
    if (this.services.enqueue(envelope.service, waiting) === "full") {
      return this.error(
        client,
        envelope,
        "QUEUE_FULL",
        `${this.services.queuedCount(envelope.service)} requests already wait for "${envelope.service}" at this broker`,
      );
    }
    this.dispatch(envelope.service);
  }

  /** Pairs waiting reservations with idle workers, least recently used first. */
  private dispatch(service: string): void {
    for (let pair = this.services.next(service); pair !== null; pair = this.services.next(service)) {
      const { worker, waiting } = pair;
      this.counters.dispatched++;
      void trySend(this.socket, [worker.rid, TAG, command(RESERVE), waiting.client, waiting.envelopeFrame]).then(
        (sent) => {
          if (sent) return;
          // Gone without a word (mandatory routing says so): forget it, and try the next one.
          this.counters.dispatched--;
          if (this.services.remove(worker.key) !== undefined)
            this.emit("worker-gone", { id: showId(worker.rid), service, reason: "unreachable" });
          this.services.requeueFront(waiting);
          this.dispatch(service);
        },
      );
    }
  }

  private error(client: Buffer, envelope: Envelope, code: ErrorCode, text: string): void {
    this.count(code);
    void trySend(this.socket, [client, TAG, command(ERROR), encodeEnvelope(answerTo(envelope)), code, text]);
  }

  private count(code: ErrorCode): void {
    this.counters.errors[code] = (this.counters.errors[code] ?? 0) + 1;
  }

  private pong(to: Buffer): void {
    void trySend(this.socket, [to, TAG, command(PONG), encodeAddresses(this.liveBrokers())]);
  }

  private onGossip(frames: Buffer[], now: number): void {
    let self: BrokerAddress | null = null;
    try {
      self = decodeAddress(JSON.parse(frames[2]?.toString() ?? ""));
    } catch {
      self = null;
    }
    const list = decodeAddresses(frames[3]);
    if (self === null || list === null) return this.malformed("GOSSIP without a sender and a list");
    const newlyLive = this.membership.heard(self, now);
    const opened = this.peers!.ensure(self, now);
    // A broker heard for the first time (or again) gets our list at once, not an interval later.
    if (newlyLive || opened) this.peers!.send(self.endpoint, this.gossipMessage(now));
    for (const address of this.membership.mentioned(list, now)) {
      if (this.peers!.ensure(address, now)) this.peers!.send(address.endpoint, this.gossipMessage(now));
    }
    this.reportPeers(now);
  }

  private gossipMessage(now: number): Buffer[] {
    return [
      TAG,
      command(GOSSIP),
      Buffer.from(JSON.stringify(this.address)),
      encodeAddresses(this.membership.live(now)),
    ];
  }

  private gossip(now: number): void {
    this.lastGossip = now;
    this.peers?.sendAll(this.gossipMessage(now));
  }

  private reportPeers(now: number): void {
    const live = new Set(this.membership.live(now).map((a) => a.endpoint));
    live.delete(this.address.endpoint);
    for (const endpoint of live)
      if (!this.liveSeen.has(endpoint)) this.emit("peer-up", this.membership.address(endpoint));
    for (const endpoint of this.liveSeen) if (!live.has(endpoint)) this.emit("peer-down", { endpoint });
    this.liveSeen = live;
  }

  private tick(): void {
    const now = performance.now();
    const { workers, requests } = this.services.expire(now);
    for (const worker of workers) {
      this.counters.expiredWorkers++;
      this.emit("worker-gone", { id: showId(worker.rid), service: worker.service, reason: "silent" });
    }
    for (const { waiting, code } of requests) {
      const text =
        code === "NO_SERVICE"
          ? `no worker offers "${waiting.envelope.service}" at this broker`
          : `every worker of "${waiting.envelope.service}" stayed busy for ${this.queueTimeout} ms`;
      this.error(waiting.client, waiting.envelope, code, text);
    }
    if (now - this.lastGossip >= this.gossipInterval) this.gossip(now);
    const window = this.membership.window;
    this.peers!.renewSilent((endpoint) => this.membership.isLive(endpoint, now), window, now);
    for (const gone of this.membership.prune(now)) this.peers!.drop(gone.endpoint);
    this.reportPeers(now);
  }

  private malformed(reason: string): void {
    this.counters.malformed++;
    this.emit("malformed", reason);
  }
}
