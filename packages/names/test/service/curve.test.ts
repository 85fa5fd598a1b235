import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { curveKeyPair } from "zmtp";
import { lookup } from "../../src/index.js";
import { onCleanup, startRegistrar, untilAsync } from "../helpers/names.js";
import { replicaProcess, run } from "../helpers/process.js";

describe("CURVE-only registration", () => {
  it("registers an allow-listed node and refuses an unknown key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zns-curve-"));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const known = curveKeyPair();
    const stranger = curveKeyPair();
    writeFileSync(join(dir, "allow"), `# nodes\n${known.publicKey} rack1-node1\n`);
    const { daemon, endpoint } = await replicaProcess([
      "--curve-secret-key",
      join(dir, "service.key"),
      "--allow",
      join(dir, "allow"),
    ]);
    const serverKey = (await daemon.waitFor("listening")).serverKey as string;
    const security = (pair: { publicKey: string; secretKey: string }) => ({
      security: { curveServerKey: serverKey, curvePublicKey: pair.publicKey, curveSecretKey: pair.secretKey },
    });
    startRegistrar([endpoint], 60_000, security(stranger)).register("proxies", "tcp://intruder:1");
    startRegistrar([endpoint], 60_000, security(known)).register("proxies", "tcp://node1:1");
    await untilAsync(async () => (await lookup("proxies", { servers: [endpoint], ...security(known) })).length === 1);
    await daemon.waitFor("refused", (d) => d.key === stranger.publicKey);
    expect(await lookup("proxies", { servers: [endpoint], ...security(known) })).toEqual(["tcp://node1:1"]);
    // Nor may the stranger read, nor a client without CURVE.
    await expect(lookup("proxies", { servers: [endpoint], timeout: 300, ...security(stranger) })).rejects.toThrow(
      "no name server answered",
    );
    await expect(lookup("proxies", { servers: [endpoint], timeout: 300 })).rejects.toThrow("no name server answered");
    // The command line client with the known key.
    writeFileSync(join(dir, "node.key"), `${known.secretKey}\n`);
    const r = await run([
      "lookup",
      "proxies",
      "--server",
      endpoint,
      "--curve-secret-key",
      join(dir, "node.key"),
      "--server-key",
      serverKey,
    ]);
    expect(r).toMatchObject({ code: 0, stdout: "tcp://node1:1\n" });
  });
});
