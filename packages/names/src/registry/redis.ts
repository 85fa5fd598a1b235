import { createClient } from "@redis/client";
import type { GroupSnapshot, Registry, Removal } from "./registry.js";

export interface RedisRegistryOptions {
  /** redis://host:port[/db]; default redis://127.0.0.1:6379. */
  url?: string;
  /**
   * Prefix of this registry's keys; default "zns:". Each replica needs its own prefix: replicas
   * sharing keys would each see only the removals they made first, and publish too few.
   */
  prefix?: string;
  /** At most this many members expire per sweep (the rest on the next one); default 10,000. */
  expireBatch?: number;
}

/** The part of @redis/client's client the registry uses. */
interface Client {
  sendCommand(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The registry in Redis, for operators who run one already (the OpenStack ZeroMQ driver's
 * matchmaker kept its names there): a sorted set per name (endpoint scored by its expiry), one
 * sorted set of every registration by expiry for the sweep, and a set of names. Commands go
 * without MULTI: the replica serialises its calls, and Redis pipelines the ones issued together.
 * The state outlives the replica, so a replica that restarts on the same prefix has it back.
 */
export class RedisRegistry implements Registry {
  private readonly prefix: string;
  private readonly expireBatch: number;

  private constructor(
    private readonly client: Client,
    options: RedisRegistryOptions,
  ) {
    this.prefix = options.prefix ?? "zns:";
    this.expireBatch = options.expireBatch ?? 10_000;
  }

  static async connect(options: RedisRegistryOptions = {}): Promise<RedisRegistry> {
    const client = createClient({ url: options.url ?? "redis://127.0.0.1:6379" });
    // Without a listener an "error" (a lost connection while it reconnects) would end the process.
    client.on("error", () => undefined);
    await client.connect();
    return new RedisRegistry(client, options);
  }

  private group(name: string): string {
    return `${this.prefix}group:${name}`;
  }

  private get expiry(): string {
    return `${this.prefix}expiry`;
  }

  private get names(): string {
    return `${this.prefix}names`;
  }

  private send(args: string[]): Promise<unknown> {
    return this.client.sendCommand(args);
  }

  async register(name: string, endpoint: string, expires: number): Promise<boolean> {
    const [added] = await Promise.all([
      this.send(["ZADD", this.group(name), String(expires), endpoint]),
      this.send(["ZADD", this.expiry, String(expires), `${name}\n${endpoint}`]),
      this.send(["SADD", this.names, name]),
    ]);
    return added === 1;
  }

  async unregister(name: string, endpoint: string): Promise<boolean> {
    const [removed] = await Promise.all([
      this.send(["ZREM", this.group(name), endpoint]),
      this.send(["ZREM", this.expiry, `${name}\n${endpoint}`]),
    ]);
    return removed === 1;
  }

  async expire(now: number): Promise<Removal[]> {
    const due = (await this.send([
      "ZRANGEBYSCORE",
      this.expiry,
      "-inf",
      String(now),
      "LIMIT",
      "0",
      String(this.expireBatch),
    ])) as string[];
    const results = await Promise.all(
      due.map(async (key) => {
        const cut = key.indexOf("\n");
        const name = key.slice(0, cut);
        const endpoint = key.slice(cut + 1);
        // No renewal can come between the range and the removal: the replica serialises its calls.
        const [removed] = await Promise.all([
          this.send(["ZREM", this.group(name), endpoint]),
          this.send(["ZREM", this.expiry, key]),
        ]);
        return removed === 1 ? { name, endpoint } : null;
      }),
    );
    return results.filter((r): r is Removal => r !== null);
  }

  async lookup(name: string, now: number): Promise<string[]> {
    return (await this.send(["ZRANGEBYSCORE", this.group(name), `(${now}`, "+inf"])) as string[];
  }

  async snapshot(name: string | null, now: number): Promise<GroupSnapshot[]> {
    const names = name === null ? ((await this.send(["SMEMBERS", this.names])) as string[]) : [name];
    const groups = await Promise.all(
      names.map(async (n) => {
        const reply = (await this.send(["ZRANGEBYSCORE", this.group(n), `(${now}`, "+inf", "WITHSCORES"])) as unknown[];
        // RESP2 answers a flat [member, score, ...], RESP3 [[member, score], ...].
        const flat = reply.flat() as Array<string | number>;
        const members = [];
        for (let i = 0; i < flat.length; i += 2)
          members.push({ endpoint: String(flat[i]), ttl: Number(flat[i + 1]) - now });
        return { name: n, members };
      }),
    );
    return groups.filter((g) => g.members.length > 0);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
