/**
 * inproc across the threads of a process (the shared default context), exercised in one thread:
 * two `ContextCore(true)` share the context's store and secret as two threads do, but each has
 * its own registry of names, so a name bound through one is reached from the other over the
 * internal endpoint, exactly as from another thread. Real threads: test/conformance/process.test.ts
 * and test/unit/api/process-exit.test.ts.
 */
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { ContextCore } from "../../../src/context.js";
import type { MonitorEvent, SocketCore } from "../../../src/sockets/core.js";
import { createSocketCore } from "../../../src/sockets/factory.js";
import { CrossThreadInproc } from "../../../src/sockets/session/cross-thread.js";
import { sleep, until } from "../../helpers/time.js";

const PUSH = 8;
const PULL = 7;
const REQ = 3;
const REP = 4;
const SNDHWM = 23;
const RCVHWM = 24;

const open: SocketCore[] = [];

function socket(type: number, context: ContextCore, options: Array<[number, number]> = []): SocketCore {
  const core = createSocketCore(type, context);
  for (const [id, value] of options) core.setOption(id, { kind: "int", value });
  open.push(core);
  return core;
}

afterEach(() => {
  for (const core of open.splice(0)) {
    if (core.closed) continue;
    core.setOption(17, { kind: "int", value: 0 });
    core.close();
  }
});

/** Two threads of one process, as far as the default context is concerned. */
function threads(): [ContextCore, ContextCore] {
  return [new ContextCore(true), new ContextCore(true)];
}

function name(): string {
  return `inproc://cross-${randomBytes(4).toString("hex")}`;
}

async function receiveText(core: SocketCore): Promise<string> {
  await until(() => core.hasIn, 2000, "a message");
  return core.receive()!.map(String).join("|");
}

describe("inproc between threads of the default context", () => {
  it("reaches a name bound in another thread, both ways", async () => {
    const [a, b] = threads();
    const address = name();
    const rep = socket(REP, a);
    await rep.bind(address);
    const req = socket(REQ, b);
    req.connect(address);
    expect(req.send([Buffer.from("ping")])).toBe(true);
    expect(await receiveText(rep)).toBe("ping");
    rep.send([Buffer.from("pong")]);
    expect(await receiveText(req)).toBe("pong");
  });

  it("links a connect made before the bind once another thread binds the name", async () => {
    const [a, b] = threads();
    const address = name();
    const push = socket(PUSH, b);
    push.connect(address);
    push.send([Buffer.from("queued first")]);
    await sleep(50);
    const pull = socket(PULL, a);
    await pull.bind(address);
    expect(await receiveText(pull)).toBe("queued first");
  });

  it("refuses a name bound in another thread with EADDRINUSE, and takes it once unbound", async () => {
    const [a, b] = threads();
    const address = name();
    const first = socket(PULL, a);
    await first.bind(address);
    const second = socket(PULL, b);
    await expect(second.bind(address)).rejects.toMatchObject({
      code: "EADDRINUSE",
      message: `Address already in use: ${address}`,
    });
    await first.unbind(address);
    await expect(second.bind(address)).resolves.toBeUndefined();
  });

  it("relinks a connection to the thread that binds the name next", async () => {
    const [a, b] = threads();
    const address = name();
    const push = socket(PUSH, b);
    push.connect(address);
    const before = socket(PULL, a);
    await before.bind(address);
    push.send([Buffer.from("one")]);
    expect(await receiveText(before)).toBe("one");
    before.close();
    await until(() => !push.hasOut, 2000, "the end of the first link");
    const after = socket(PULL, a);
    await after.bind(address);
    await until(() => push.hasOut, 2000, "the new link");
    push.send([Buffer.from("two")]);
    expect(await receiveText(after)).toBe("two");
  });

  it("holds SNDHWM + RCVHWM messages, and gives room again as the reader takes a low-water mark's worth", async () => {
    const [a, b] = threads();
    const address = name();
    const pull = socket(PULL, a, [[RCVHWM, 3]]);
    await pull.bind(address);
    const push = socket(PUSH, b, [[SNDHWM, 2]]);
    push.connect(address);
    let sent = 0;
    // Each message crosses at its own pace: keep sending while there is room, until none comes.
    for (let idle = 0; idle < 10;) {
      if (push.hasOut) {
        push.send([Buffer.from(String(sent++))]);
        idle = 0;
      } else {
        idle++;
        await sleep(10);
      }
    }
    expect(sent).toBe(5);
    await until(() => pull.hasIn);
    // RCVHWM 3: its low-water mark is 2; two reads grant two more.
    expect(pull.receive()!.map(String)).toEqual(["0"]);
    expect(pull.receive()!.map(String)).toEqual(["1"]);
    await until(() => push.hasOut, 2000, "room after the reader took two");
  });

  it("reports no monitor events for the link, as libzmq has none for inproc", async () => {
    const [a, b] = threads();
    const address = name();
    const events: MonitorEvent[] = [];
    const pull = socket(PULL, a);
    pull.monitor({ event: (event) => events.push(event) });
    await pull.bind(address);
    const push = socket(PUSH, b);
    push.monitor({ event: (event) => events.push(event) });
    push.connect(address);
    push.send([Buffer.from("quiet")]);
    expect(await receiveText(pull)).toBe("quiet");
    push.close();
    await sleep(20);
    // Only the monitor's own end, when the socket closes.
    expect(events.map((e) => e.type)).toEqual(["end"]);
  });

  it("refuses a peer that does not know the context's secret", async () => {
    const [a] = threads();
    const address = name();
    const pull = socket(PULL, a);
    await pull.bind(address);
    // A context whose threads have another secret, dialling the same internal endpoint.
    const stranger = new ContextCore();
    const crossThread = new CrossThreadInproc(randomBytes(16));
    crossThread.pathOf = (inprocName) => a.crossThread!.pathOf(inprocName);
    Object.defineProperty(stranger, "crossThread", { value: crossThread });
    const push = socket(PUSH, stranger);
    push.connect(address);
    push.send([Buffer.from("intruder")]);
    await sleep(100);
    expect(pull.hasIn).toBe(false);
  });

  it("uses socket files in a private directory where there is no abstract namespace, replacing stale ones", async () => {
    const [a, b] = threads();
    const secret = a.secret;
    for (const context of [a, b])
      Object.defineProperty(context, "crossThread", { value: new CrossThreadInproc(secret, "darwin") });
    const address = name();
    const path = a.crossThread!.pathOf(address.slice("inproc://".length));
    expect(path.startsWith(tmpdir())).toBe(true);
    // Left by a thread that ended without unbinding.
    writeFileSync(path, "");
    const pull = socket(PULL, a);
    await pull.bind(address);
    const push = socket(PUSH, b);
    push.connect(address);
    push.send([Buffer.from("through a file")]);
    expect(await receiveText(pull)).toBe("through a file");
    pull.close();
    await until(() => !existsSync(path), 2000, "the socket file removed");
  });

  it("keeps custom contexts to their thread", async () => {
    const [a] = threads();
    const address = name();
    const pull = socket(PULL, new ContextCore());
    await pull.bind(address);
    // The default context's threads do not see a name bound in a custom context.
    const other = socket(PULL, a);
    await expect(other.bind(address)).resolves.toBeUndefined();
    expect(a.crossThread).not.toBeNull();
    expect(new ContextCore().crossThread).toBeNull();
  });
});
