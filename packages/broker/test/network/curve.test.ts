import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curveKeyPair } from "zmtp";
import type { AuthDecision } from "zmtp/auth";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/helpers/time.js";
import { isBrokerError } from "../../src/common/errors.js";
import { startBroker, startClient, startWorker } from "../helpers/network.js";
import { Cleanup, text } from "../helpers/sockets.js";

const cleanup = new Cleanup();
let dir = "";
afterEach(() => {
  cleanup.run();
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
  dir = "";
});

describe("broker network over CURVE", () => {
  it("lets in only the keys of its allow-list, reloaded from the file without a restart", async () => {
    dir = mkdtempSync(join(tmpdir(), "zmtp-broker-curve-"));
    const [k1, k2, worker, client] = [curveKeyPair(), curveKeyPair(), curveKeyPair(), curveKeyPair()];
    const allow = join(dir, "allow.txt");
    // The brokers and the worker are registered; the client is not yet.
    writeFileSync(
      allow,
      `# the network\n${k1.publicKey} broker-1\n${k2.publicKey} broker-2\n${worker.publicKey} worker\n`,
    );
    const curve = (secretKey: string) => ({ curve: { secretKey, allow, pollInterval: 20 } });
    const b1 = await startBroker(cleanup, [], curve(k1.secretKey));
    const b2 = await startBroker(cleanup, [b1.address], curve(k2.secretKey));
    const refused: AuthDecision[] = [];
    b1.on("refused", (d: AuthDecision) => refused.push(d));
    await until(() => b1.liveBrokers().length === 2 && b2.liveBrokers().length === 2, 5000, "the brokers met");
    expect(b1.liveBrokers().every((a) => a.publicKey !== undefined)).toBe(true);
    startWorker(cleanup, b1.address, "secret", (body) => ["sealed", ...body], { curve: worker });
    await until(
      () => b2.services.workerCount("secret") === 1,
      5000,
      "the worker at both brokers (learned with its key)",
    );

    const c = startClient(cleanup, b1.address, { curve: client, timeout: 100, retries: 1, deadline: 300 });
    const err: unknown = await c.request("secret", "x").then(
      () => null,
      (e: unknown) => e,
    );
    expect(isBrokerError(err) && [err.code, err.mayHaveRun]).toEqual(["ETIMEDOUT", false]);
    expect(refused.some((d) => d.user === client.publicKey && d.reason === "CURVE key not allowed")).toBe(true);

    appendFileSync(allow, `${client.publicKey} client\n`);
    await until(() => c.links.upLinks().length === 2, 5000, "the client in, at both brokers");
    expect(text(await c.request("secret", "now"))).toEqual(["sealed", "now"]);
  });
});
