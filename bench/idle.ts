/**
 * Idle connections: what each one costs in resident memory. A PULL socket binds on 127.0.0.1;
 * a raw peer process opens N tcp connections to it, completes the ZMTP handshake on each (NULL,
 * Socket-Type PUSH) and then sends nothing. Each case runs in a fresh child process, zmtp and
 * zeromq.js (libzmq) in turn, and reports the RSS growth per connection once every handshake
 * is done and the garbage collector has run.
 *
 *   npm run bench:idle [-- --connections 1000,10000]
 */
import { fork } from "node:child_process";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

type Impl = "zmtp" | "zeromq";

interface Result {
  impl: Impl;
  connections: number;
  baseRssMiB: number;
  rssMiB: number;
  bytesPerConnection: number;
}

interface PullSock {
  bind(address: string): Promise<void>;
  close(): void;
  readonly lastEndpoint: string | null;
  readonly events: { on(type: "handshake", listener: () => void): void };
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

function greeting(): Buffer {
  const greet = Buffer.alloc(64);
  greet[0] = 0xff;
  greet[9] = 0x7f;
  greet[10] = 3;
  greet[11] = 1;
  greet.write("NULL", 12, "latin1");
  return greet;
}

/** READY with Socket-Type PUSH, as a command frame. */
function ready(): Buffer {
  const name = Buffer.from("Socket-Type");
  const value = Buffer.from("PUSH");
  const size = Buffer.alloc(4);
  size.writeUInt32BE(value.length);
  const body = Buffer.concat([Buffer.from([5]), Buffer.from("READY"), Buffer.from([name.length]), name, size, value]);
  return Buffer.concat([Buffer.from([4, body.length]), body]);
}

/** The raw peer: N connections, each greeted and READY, then silent until killed. */
async function peer(port: number, n: number): Promise<void> {
  const hello = Buffer.concat([greeting(), ready()]);
  const sockets = [];
  for (let i = 0; i < n; i++) {
    const socket = connect(port, "127.0.0.1", () => socket.write(hello));
    socket.on("data", () => {});
    socket.on("error", () => {});
    sockets.push(socket);
    if (i % 200 === 199) await sleep(5);
  }
  process.send!("connected");
  await new Promise(() => {});
}

async function measure(impl: Impl, n: number): Promise<Result> {
  const api = impl === "zeromq" ? await import("zeromq") : await import("../src/index.js");
  const pull = new (api.Pull as unknown as new () => PullSock)();
  await pull.bind("tcp://127.0.0.1:*");
  let handshakes = 0;
  pull.events.on("handshake", () => handshakes++);
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  await sleep(100);
  const base = process.memoryUsage.rss();
  const port = Number(pull.lastEndpoint!.split(":").pop());
  const child = fork(process.argv[1]!, ["--peer", String(port), String(n)], { execArgv: [] });
  while (handshakes < n) await sleep(50);
  gc();
  await sleep(300);
  gc();
  const rss = process.memoryUsage.rss();
  child.kill();
  pull.close();
  return {
    impl,
    connections: n,
    baseRssMiB: base / 2 ** 20,
    rssMiB: rss / 2 ** 20,
    bytesPerConnection: (rss - base) / n,
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === "--peer") return peer(Number(process.argv[3]), Number(process.argv[4]));
  if (process.argv[2] === "--case") {
    const result = await measure(process.argv[3] as Impl, Number(process.argv[4]));
    process.send!(result);
    setTimeout(() => process.exit(0), 100);
    return;
  }
  const counts = arg("connections", "1000,10000").split(",").map(Number);
  const results: Result[] = [];
  for (const n of counts) {
    for (const impl of ["zmtp", "zeromq"] as const) {
      const child = fork(process.argv[1]!, ["--case", impl, String(n)], { execArgv: ["--expose-gc"] });
      results.push(await new Promise<Result>((resolve) => child.once("message", (r) => resolve(r as Result))));
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
  if (process.argv.includes("--json")) {
    process.stdout.write(
      JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + "\n",
    );
    return;
  }
  console.log("implementation  connections  RSS before MB  RSS after MB  bytes per idle connection");
  for (const r of results) {
    console.log(
      `${r.impl.padEnd(14)}  ${String(r.connections).padStart(11)}  ${r.baseRssMiB.toFixed(0).padStart(13)}  ${r.rssMiB.toFixed(0).padStart(12)}  ${Math.round(r.bytesPerConnection).toLocaleString("en-US").padStart(25)}`,
    );
  }
}

await main();
