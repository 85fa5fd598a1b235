import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisRegistry, lookup } from "../../src/index.js";
import { REDIS_SKIP, RedisServer } from "../helpers/redis.js";
import { startRegistrar, startReplica, untilAsync } from "../helpers/names.js";
import { registryContract } from "./contract.js";

if (REDIS_SKIP !== "") console.warn(`skipping the Redis registry tests: ${REDIS_SKIP}`);

let server: RedisServer | null = null;
beforeAll(async () => {
  if (REDIS_SKIP === "") server = await RedisServer.start();
});
afterAll(async () => {
  await server?.stop();
});

// Each case on its own prefix: they share one private server.
const fresh = (): Promise<RedisRegistry> =>
  RedisRegistry.connect({ url: server!.url, prefix: `t${randomBytes(4).toString("hex")}:` });

registryContract("RedisRegistry", fresh, REDIS_SKIP);

describe.skipIf(REDIS_SKIP !== "")("Replica on Redis", () => {
  it("serves registrations from Redis, and a replica restarted on the same prefix has them back", async () => {
    const prefix = `r${randomBytes(4).toString("hex")}:`;
    const first = await startReplica({ registry: await RedisRegistry.connect({ url: server!.url, prefix }) });
    const reg = startRegistrar([first.endpoint], 60_000);
    reg.register("proxies", "tcp://a:1");
    reg.register("proxies", "tcp://b:1");
    await untilAsync(async () => (await lookup("proxies", { servers: [first.endpoint] })).length === 2);
    await first.close();
    const second = await startReplica({ registry: await RedisRegistry.connect({ url: server!.url, prefix }) });
    expect((await lookup("proxies", { servers: [second.endpoint] })).sort()).toEqual(["tcp://a:1", "tcp://b:1"]);
  });
});
