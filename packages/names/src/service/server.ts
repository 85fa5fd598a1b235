import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { Router, XPublisher, type Context } from "zmtp";
import {
  HUGZ_TOPIC,
  decodeRequest,
  encodeReply,
  encodeUpdate,
  type Entry,
  type Reply,
  type Request,
} from "../wire/protocol.js";
import type { GroupSnapshot } from "../registry/registry.js";
import { Serial } from "./serial.js";
import { contextOption } from "../client/requester.js";

/** What a server answers from: a replica's registry, or an agent's cache. */
export interface NameSource {
  lookup(name: string): Promise<string[]>;
  /** Every group (or `name`'s) with live members. */
  snapshot(name: string | null): Promise<GroupSnapshot[]>;
  /** A registration (new or renewed) or removal from a node; absent where nodes may not register. */
  register?(name: string, endpoint: string, ttl: number): Promise<void>;
  unregister?(name: string, endpoint: string): Promise<void>;
}

export interface ServerSockets {
  /** Where requests (HELLO, REGISTER, LOOKUP, SNAPSHOT) are answered: a ROUTER. */
  bind: string;
  /** Where updates are published: an XPUB. */
  publish: string;
  /** ms between heartbeats on the update socket; default 1000. */
  hugzInterval?: number;
  context?: Context;
  /** Socket options for both sockets (CURVE server options). */
  security?: Record<string, unknown>;
}

/**
 * The sockets of a replica or agent: a ROUTER that answers requests, an XPUB that publishes
 * updates numbered per name, and heartbeats (HUGZ) on the XPUB that tell watchers the server is
 * alive and which epoch it is in. Changes and snapshots run one at a time (`serial`), so a
 * snapshot's sequence numbers are exactly those of the state it shows.
 *
 * Events: "request" (Request), "malformed" (frames).
 */
export class NameServer extends EventEmitter {
  /** This run of the server: sequence numbers are only comparable within one epoch. */
  readonly epoch = randomBytes(6).toString("hex");
  readonly serial = new Serial();
  private readonly router: Router;
  private readonly xpub: XPublisher;
  private readonly seqs = new Map<string, number>();
  private hugz: NodeJS.Timeout | null = null;
  /** Requests answered, updates published, malformed messages dropped. */
  readonly counters = { requests: 0, updates: 0, malformed: 0 };

  constructor(
    private readonly options: ServerSockets,
    private readonly source: NameSource,
  ) {
    super();
    const common = { ...contextOption(options.context), linger: 0, ...options.security };
    // Mandatory: a snapshot larger than the peer's queue waits for room instead of losing entries.
    this.router = new Router({ ...common, mandatory: true, sendTimeout: 5000, sendHighWaterMark: 10_000 });
    // Room for a burst of changes (a rack of nodes starting) before a slow watcher drops updates.
    // sendTimeout 0: every send completes at once. With the default (-1) a run of sends that
    // complete at once yields the event loop after a while, and a send made before that turn
    // ends throws EBUSY: an update lost, and a gap every watcher re-syncs.
    this.xpub = new XPublisher({ ...common, sendHighWaterMark: 100_000, sendTimeout: 0, verbosity: "allSubs" });
  }

  get endpoint(): string {
    return this.router.lastEndpoint ?? this.options.bind;
  }

  get publishEndpoint(): string {
    return this.xpub.lastEndpoint ?? this.options.publish;
  }

  async start(): Promise<void> {
    await this.router.bind(this.options.bind);
    await this.xpub.bind(this.options.publish);
    this.hugz = setInterval(() => this.sendHugz(), this.options.hugzInterval ?? 1000);
    void this.subscriptions();
  }

  /** Starts answering requests: after a replica has caught up, so that it never answers from less. */
  serve(): void {
    void this.requests();
  }

  seq(name: string): number {
    return this.seqs.get(name) ?? 0;
  }

  /** Publishes a change (call inside `serial`): the name's next sequence number. */
  publish(name: string, op: "+" | "-", endpoint: string): void {
    const seq = this.seq(name) + 1;
    this.seqs.set(name, seq);
    this.counters.updates += 1;
    // XPUB never blocks: a watcher whose queue is full loses this update and re-syncs on the gap.
    this.send(encodeUpdate({ type: "UPDATE", name, epoch: this.epoch, seq, op, endpoint }));
  }

  close(): void {
    if (this.hugz !== null) clearInterval(this.hugz);
    this.router.close();
    this.xpub.close();
  }

  private sendHugz(): void {
    this.send(encodeUpdate({ type: "HUGZ", epoch: this.epoch }));
  }

  private send(frames: Buffer[]): void {
    if (this.xpub.closed) return;
    try {
      this.xpub.send(frames).catch(() => undefined);
    } catch {
      // Closed meanwhile: nothing to publish to.
    }
  }

  /** A new subscriber to the heartbeats gets one at once: it is then subscribed to everything it asked for. */
  private async subscriptions(): Promise<void> {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await this.xpub.receive();
      } catch {
        if (this.xpub.closed) return;
        continue;
      }
      const sub = frames[0];
      if (sub !== undefined && sub[0] === 1 && HUGZ_TOPIC.startsWith(sub.subarray(1).toString())) this.sendHugz();
    }
  }

  private async requests(): Promise<void> {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await this.router.receive();
      } catch {
        if (this.router.closed) return;
        continue;
      }
      const [peer, ...body] = frames;
      const request = decodeRequest(body);
      if (peer === undefined || request === null) {
        this.counters.malformed += 1;
        this.emit("malformed", body);
        continue;
      }
      this.counters.requests += 1;
      this.emit("request", request);
      try {
        await this.answer(peer, request);
      } catch {
        // The peer went away or its queue stayed full for sendTimeout: it asks again.
      }
    }
  }

  private async answer(peer: Buffer, request: Request): Promise<void> {
    const reply = (r: Reply): Promise<void> => this.router.send([peer, ...encodeReply(r)]);
    switch (request.type) {
      case "HELLO":
        return reply({ type: "HELLO", id: request.id, epoch: this.epoch, publish: this.publishEndpoint });
      case "LOOKUP":
        return reply({
          type: "ENDPOINTS",
          id: request.id,
          name: request.name,
          endpoints: await this.source.lookup(request.name),
        });
      case "REGISTER":
      case "UNREGISTER": {
        const source = this.source;
        if (source.register === undefined || source.unregister === undefined) return;
        if (request.type === "REGISTER") await source.register(request.name, request.endpoint, request.ttl);
        else await source.unregister(request.name, request.endpoint);
        return reply({ type: "OK", name: request.name, endpoint: request.endpoint });
      }
      case "SNAPSHOT": {
        const entries = await this.entries(request.name === "" ? null : request.name);
        for (const entry of entries) await reply({ type: "ENTRY", id: request.id, entry });
        return reply({ type: "END", id: request.id, epoch: this.epoch, count: entries.length });
      }
    }
  }

  /** The snapshot with its sequence numbers, taken between two changes. */
  private entries(name: string | null): Promise<Entry[]> {
    return this.serial.run(async () => {
      const groups = await this.source.snapshot(name);
      const entries: Entry[] = groups.map((g) => ({ name: g.name, seq: this.seq(g.name), members: g.members }));
      // Names without members still have a sequence number the watcher must know.
      const listed = new Set(groups.map((g) => g.name));
      const names = name === null ? this.seqs.keys() : [name];
      for (const n of names) if (!listed.has(n)) entries.push({ name: n, seq: this.seq(n), members: [] });
      return entries;
    });
  }
}
