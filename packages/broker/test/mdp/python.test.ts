import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/helpers/time.js";
import { MajordomoBroker } from "../../src/mdp/broker.js";
import { MajordomoClient } from "../../src/mdp/client.js";
import { MajordomoWorker } from "../../src/mdp/worker.js";
import { PYTHON, runPython, startPython } from "../helpers/python.js";
import { Cleanup, text } from "../helpers/sockets.js";

/**
 * Wire compatibility with MDP/0.1 as others implement it: a client and a worker written in Python
 * with pyzmq (libzmq underneath) against our broker, worker and client. Skipped, and said so,
 * where python3-zmq is not installed (.ci/run installs it).
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function broker(endpoint = "tcp://127.0.0.1:*"): Promise<MajordomoBroker> {
  return cleanup.add(await MajordomoBroker.start({ endpoints: endpoint, heartbeatInterval: 250 }));
}

describe.skipIf(PYTHON === null)("Majordomo against Python (pyzmq) peers", () => {
  it("a Python worker serves our client through our broker", async () => {
    const b = await broker();
    cleanup.add(startPython("mdp_worker.py", [b.endpoints[0]!, "py-echo"]));
    await until(() => b.workersOf("py-echo") === 1, 10_000, "the Python worker registered");
    const client = cleanup.add(new MajordomoClient({ broker: b.endpoints[0]!, timeout: 5000 }));
    expect(text(await client.request("py-echo", ["hello", "second frame"]))).toEqual(["py:hello", "second frame"]);
    expect(await client.hasService("py-echo")).toBe(true);
  });

  it("a Python client gets its reply from our worker through our broker, and asks mmi.service", async () => {
    const b = await broker();
    const worker = cleanup
      .add(new MajordomoWorker({ broker: b.endpoints[0]!, service: "ts-echo", handler: (body) => ["ts", ...body] }))
      .start();
    await until(() => b.workersOf("ts-echo") === 1, 10_000, "our worker registered");
    const reply = await runPython("mdp_client.py", [b.endpoints[0]!, "ts-echo", "from python", "two"]);
    expect(reply.stderr).toBe("");
    expect(JSON.parse(reply.stdout)).toEqual(["ts", "from python", "two"]);
    expect(worker.handled).toBe(1);
    const found = await runPython("mdp_client.py", [b.endpoints[0]!, "mmi.service", "ts-echo"]);
    const missing = await runPython("mdp_client.py", [b.endpoints[0]!, "mmi.service", "nothing"]);
    expect([JSON.parse(found.stdout), JSON.parse(missing.stdout)]).toEqual([["200"], ["404"]]);
  });

  it("a Python client and a Python worker talk through our broker", async () => {
    const b = await broker();
    cleanup.add(startPython("mdp_worker.py", [b.endpoints[0]!, "py-py"]));
    await until(() => b.workersOf("py-py") === 1, 10_000, "the Python worker registered");
    const reply = await runPython("mdp_client.py", [b.endpoints[0]!, "py-py", "both sides python"]);
    expect(JSON.parse(reply.stdout)).toEqual(["py:both sides python"]);
  });

  it("a Python worker told DISCONNECT by our closing broker registers with its successor", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zmtp-mdp-py-"));
    try {
      const endpoint = `ipc://${join(dir, "broker.ipc")}`;
      const first = await broker(endpoint);
      const python = cleanup.add(startPython("mdp_worker.py", [endpoint, "py-echo", "100"]));
      await until(() => first.workersOf("py-echo") === 1, 10_000, "registered");
      first.close();
      const second = await broker(endpoint);
      await until(() => second.workersOf("py-echo") === 1, 10_000, "registered again");
      expect(python.lines.filter((l) => l === "ready").length).toBeGreaterThanOrEqual(2);
      const client = cleanup.add(new MajordomoClient({ broker: endpoint, timeout: 5000 }));
      expect(text(await client.request("py-echo", "again"))).toEqual(["py:again"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

if (PYTHON === null) {
  describe("Majordomo against Python (pyzmq) peers", () => {
    it.skip("needs python3 with pyzmq (apt-get install python3-zmq)", () => undefined);
  });
}
