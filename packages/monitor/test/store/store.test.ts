import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import { newId } from "../../src/wire/protocol.js";
import { storeContract } from "./store-contract.js";

storeContract("MemoryStore", async () => ({ store: new MemoryStore(), cleanup: () => undefined }));

describe("MemoryStore", () => {
  it("bounds its tables", async () => {
    const agent = newId();
    const store = new MemoryStore({ maxRows: 10 });
    for (let i = 0; i < 30; i++) await store.addStats(agent, newId(), [{ name: "s", value: i, time: i }]);
    const stats = await store.stats();
    expect(stats).toHaveLength(10);
    expect(stats[0]!.value).toBe(20);
  });
});
