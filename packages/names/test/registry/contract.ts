import { describe, expect, it } from "vitest";
import type { Registry } from "../../src/registry/registry.js";

/**
 * What every Registry must do, whatever keeps the state: the built-in map and Redis run the same
 * cases (memory.test.ts, redis.test.ts).
 */
export function registryContract(label: string, make: () => Promise<Registry>, skip = ""): void {
  const suite = skip === "" ? describe : describe.skip;
  suite(`${label} registry contract`, () => {
    const T = 1_000_000;
    const withRegistry = (body: (r: Registry) => Promise<void>) => async () => {
      const r = await make();
      try {
        await body(r);
      } finally {
        await r.close();
      }
    };

    it(
      "register reports a new member once, and a renewal as not new",
      withRegistry(async (r) => {
        expect(await r.register("svc", "tcp://a:1", T + 100)).toBe(true);
        expect(await r.register("svc", "tcp://a:1", T + 200)).toBe(false);
        expect(await r.register("svc", "tcp://b:1", T + 100)).toBe(true);
        expect((await r.lookup("svc", T)).sort()).toEqual(["tcp://a:1", "tcp://b:1"]);
        expect(await r.lookup("other", T)).toEqual([]);
      }),
    );

    it(
      "unregister reports whether the endpoint was a member",
      withRegistry(async (r) => {
        await r.register("svc", "tcp://a:1", T + 100);
        expect(await r.unregister("svc", "tcp://a:1")).toBe(true);
        expect(await r.unregister("svc", "tcp://a:1")).toBe(false);
        expect(await r.unregister("nobody", "tcp://a:1")).toBe(false);
        expect(await r.lookup("svc", T)).toEqual([]);
      }),
    );

    it(
      "expire removes exactly the members due by then, each once, and a renewal postpones it",
      withRegistry(async (r) => {
        await r.register("svc", "tcp://a:1", T + 100);
        await r.register("svc", "tcp://b:1", T + 300);
        await r.register("log", "tcp://c:1", T + 100);
        await r.register("svc", "tcp://a:1", T + 500);
        expect(await r.expire(T + 99)).toEqual([]);
        const due = await r.expire(T + 300);
        expect(due.sort((x, y) => x.endpoint.localeCompare(y.endpoint))).toEqual([
          { name: "svc", endpoint: "tcp://b:1" },
          { name: "log", endpoint: "tcp://c:1" },
        ]);
        expect(await r.expire(T + 300)).toEqual([]);
        expect(await r.lookup("svc", T + 300)).toEqual(["tcp://a:1"]);
      }),
    );

    it(
      "lookup leaves out members past their expiry before the sweep removes them",
      withRegistry(async (r) => {
        await r.register("svc", "tcp://a:1", T + 100);
        expect(await r.lookup("svc", T + 100)).toEqual([]);
      }),
    );

    it(
      "snapshot gives every group with live members and their remaining TTL",
      withRegistry(async (r) => {
        await r.register("svc", "tcp://a:1", T + 100);
        await r.register("svc", "tcp://b:1", T + 250);
        await r.register("log", "tcp://c:1", T + 50);
        await r.register("gone", "tcp://d:1", T + 50);
        await r.unregister("gone", "tcp://d:1");
        const all = await r.snapshot(null, T);
        const sorted = all
          .map((g) => ({ ...g, members: [...g.members].sort((x, y) => x.endpoint.localeCompare(y.endpoint)) }))
          .sort((x, y) => x.name.localeCompare(y.name));
        expect(sorted).toEqual([
          { name: "log", members: [{ endpoint: "tcp://c:1", ttl: 50 }] },
          {
            name: "svc",
            members: [
              { endpoint: "tcp://a:1", ttl: 100 },
              { endpoint: "tcp://b:1", ttl: 250 },
            ],
          },
        ]);
        expect(await r.snapshot("log", T)).toEqual([{ name: "log", members: [{ endpoint: "tcp://c:1", ttl: 50 }] }]);
        expect(await r.snapshot("nobody", T)).toEqual([]);
      }),
    );

    it(
      "holds thousands of registrations and expires them in one sweep",
      withRegistry(async (r) => {
        for (let i = 0; i < 2000; i++) await r.register(`n${i % 100}`, `tcp://h${i}:1`, T + (i % 2 === 0 ? 10 : 1000));
        expect(await r.lookup("n0", T)).toHaveLength(20);
        expect(await r.expire(T + 10)).toHaveLength(1000);
        expect((await r.snapshot(null, T + 10)).reduce((n, g) => n + g.members.length, 0)).toBe(1000);
      }),
    );
  });
}
