/**
 * The floor under zmtp's round-trip latency: 16 B (or --size) ping-pong over tcp between two
 * processes, one message in flight, three ways in turn, --rounds times:
 *
 *   net       raw node:net, the echo writes back each chunk it reads (no ZMTP at all)
 *   for-await zmtp DEALER -> ROUTER, the ROUTER a `for await` echo (as dealer-router-latency)
 *   receive   the same with a `receive()` loop, to price the async iterator
 *
 * It prints p50 / p99 and the echo process's user and system CPU per round trip: what the
 * kernel's loopback write costs, and what zmtp adds to it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";

type Kind = "net" | "for-await" | "receive";
const KINDS: readonly Kind[] = ["net", "for-await", "receive"];

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

const SIZE = Number(arg("size", "16"));
const COUNT = Number(arg("count", "60000"));
const WARMUP = 5000;

/** The echo side: reports its port, then answers "cpu" with its CPU usage so far. */
async function serve(kind: Kind): Promise<void> {
  process.on("message", () => process.send!(process.cpuUsage()));
  if (kind === "net") {
    const server = createServer((socket) => {
      socket.setNoDelay(true);
      socket.on("data", (chunk) => socket.write(chunk));
    });
    server.listen(0, "127.0.0.1", () => process.send!((server.address() as AddressInfo).port));
    return;
  }
  const { Router } = await import("../src/index.js");
  const router = new Router({ linger: 0 });
  await router.bind("tcp://127.0.0.1:*");
  process.send!(Number(router.lastEndpoint!.split(":").pop()));
  if (kind === "for-await") for await (const msg of router) await router.send(msg);
  else for (;;) await router.send(await router.receive());
}

/** One round trip at a time; resolves with the sorted samples in ms. */
async function ping(kind: Kind, port: number): Promise<Float64Array> {
  const body = Buffer.alloc(SIZE);
  let roundTrip: () => Promise<unknown>;
  let close: () => void;
  if (kind === "net") {
    const socket: Socket = connect(port, "127.0.0.1");
    socket.setNoDelay(true);
    await new Promise((resolve) => socket.once("connect", resolve));
    let wanted = 0;
    let arrived: () => void = () => {};
    socket.on("data", (chunk: Buffer) => {
      wanted -= chunk.length;
      if (wanted === 0) arrived();
    });
    roundTrip = () =>
      new Promise<void>((resolve) => {
        arrived = resolve;
        wanted = SIZE;
        socket.write(body);
      });
    close = () => socket.destroy();
  } else {
    const { Dealer } = await import("../src/index.js");
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(`tcp://127.0.0.1:${port}`);
    roundTrip = async () => {
      await dealer.send(body);
      await dealer.receive();
    };
    close = () => dealer.close();
  }
  for (let i = 0; i < WARMUP; i++) await roundTrip();
  const samples = new Float64Array(COUNT);
  let before = performance.now();
  for (let i = 0; i < COUNT; i++) {
    await roundTrip();
    const after = performance.now();
    samples[i] = after - before;
    before = after;
  }
  close();
  return samples.sort();
}

function cpuOf(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    child.once("message", (usage: NodeJS.CpuUsage) => resolve(usage));
    child.send("cpu");
  });
}

async function main(): Promise<void> {
  const role = process.argv[2];
  if (role === "--serve") return serve(process.argv[3] as Kind);
  if (role === "--ping") {
    const samples = await ping(process.argv[3] as Kind, Number(process.argv[4]));
    process.send!([samples[Math.ceil(COUNT / 2) - 1]!, samples[Math.ceil(COUNT * 0.99) - 1]!]);
    return;
  }
  const rounds = Number(arg("rounds", "3"));
  console.log(`ping-pong over tcp, ${SIZE} B, ${COUNT} round trips per run`);
  console.log("kind        p50 µs  p99 µs  echo user µs/rt  echo sys µs/rt");
  for (let round = 0; round < rounds; round++) {
    for (const kind of KINDS) {
      const server = fork(process.argv[1]!, ["--serve", kind, ...process.argv.slice(2)], { execArgv: [] });
      const port = await new Promise<number>((resolve) => server.once("message", resolve));
      const start = await cpuOf(server);
      const client = fork(process.argv[1]!, ["--ping", kind, String(port), ...process.argv.slice(2)], {
        execArgv: [],
      });
      const [p50, p99] = await new Promise<[number, number]>((resolve) => client.once("message", resolve));
      const end = await cpuOf(server);
      const perRoundTrip = (micros: number): string => (micros / (COUNT + WARMUP)).toFixed(1);
      console.log(
        `${kind.padEnd(10)}  ${(p50 * 1000).toFixed(1).padStart(6)}  ${(p99 * 1000).toFixed(1).padStart(6)}` +
          `  ${perRoundTrip(end.user - start.user).padStart(15)}  ${perRoundTrip(end.system - start.system).padStart(14)}`,
      );
      client.kill();
      server.kill();
    }
  }
}

await main();
