import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchSocket, SocketApi, SocketClassName } from "./implementations.js";

/**
 * What each benchmark does with a pair of sockets: a sender role and a receiver role, written
 * once against the zeromq.js API so they run on either implementation, in one process or two.
 *
 * The first byte of every payload is a tag: data, warm-up or end. Warm-ups are sent until the
 * receiver has seen one (the connection, and for PUB/SUB the subscription, is in place), then
 * the data, then an end marker; the receiver times from the first data message to the end.
 */

export type WorkloadName = "push-pull" | "pub-sub" | "dealer-router" | "req-rep" | "dealer-router-latency" | "curve";
export type Transport = "tcp" | "ipc" | "inproc" | "ws";

export const WORKLOADS: readonly WorkloadName[] = [
  "push-pull",
  "pub-sub",
  "dealer-router",
  "req-rep",
  "dealer-router-latency",
  "curve",
];
export const TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "inproc", "ws"];

export const TAG_DATA = 0;
export const TAG_WARMUP = 1;
export const TAG_END = 2;

/** How much to send: a message count, or for how long (ms). */
export interface Plan {
  size: number;
  count: number | null;
  durationMs: number | null;
  /** Messages per sendMany / receiveMany call (zmtp/batch), or null for one send()/receive() each. */
  batch: number | null;
}

/** What one run measured, on the side that can see it (receiver for throughput, requester for latency). */
export interface Measurement {
  messages: number;
  seconds: number;
  /** Round-trip latency percentiles in microseconds (latency workloads only). */
  p50Us: number | null;
  p99Us: number | null;
  /** CPU time (user + system, all threads) this process spent over the measured interval, in µs. */
  cpuMicros: number | null;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** A one-shot event both roles can wait on or poll, whether it comes from a promise or an IPC message. */
export class Signal {
  fired = false;
  private wake: () => void = () => {};
  readonly promise = new Promise<void>((resolve) => (this.wake = resolve));

  fire(): void {
    this.fired = true;
    this.wake();
  }
}

interface Workload {
  /** Socket classes for the sender and the (binding) receiver. */
  sender: SocketClassName;
  receiver: SocketClassName;
  /** Whether the sender may drop (PUB at its HWM): the end marker is then repeated until stop. */
  lossy: boolean;
  /** Latency workloads measure on the sender, throughput ones on the receiver. */
  latency: boolean;
  /** CURVE on both sockets, the receiver as the server. */
  curve?: boolean;
}

export const WORKLOAD: Record<WorkloadName, Workload> = {
  "push-pull": { sender: "Push", receiver: "Pull", lossy: false, latency: false },
  "pub-sub": { sender: "Publisher", receiver: "Subscriber", lossy: true, latency: false },
  "dealer-router": { sender: "Dealer", receiver: "Router", lossy: false, latency: false },
  "req-rep": { sender: "Request", receiver: "Reply", lossy: false, latency: true },
  // The DEALER waits for each reply itself (no REQ envelope or state machine); the ROUTER's echo
  // sends back [routing id, body] as received, which routes it to that DEALER.
  "dealer-router-latency": { sender: "Dealer", receiver: "Router", lossy: false, latency: true },
  curve: { sender: "Push", receiver: "Pull", lossy: false, latency: false, curve: true },
};

/** Fixed keys for the `curve` workload, so that its two processes need not exchange them. */
const CURVE_SERVER = { curveServer: true, curveSecretKey: "xTue*KG?-(1-{^x.CWb8ngnZ-t1-9qsM1]k70VWw" };
const CURVE_CLIENT = {
  curveServerKey: "kW$p#WJ)AsE7lbM7?}?%X{2}w.[8i7HC[%)YKW)h",
  curvePublicKey: "K[Jze.zh::IzCM3t?N1br%vd@I$?W^1Rolo[+NuF",
  curveSecretKey: "=HRkN*%c*Dp&T}JK@NOqtL62ulwQC{SQ1}8)XJ]3",
};

/** Both implementations' defaults (HWM 1000 each way), and no lingering at close: the runner ends a run only once it is measured. */
const SOCKET_OPTIONS = { linger: 0 };

let addressCounter = 0;

/** A fresh bind address on `transport`. */
export function bindAddress(transport: Transport): string {
  addressCounter += 1;
  switch (transport) {
    case "tcp":
      return "tcp://127.0.0.1:*";
    case "ipc":
      return `ipc://${join(tmpdir(), `zmtp-bench-${process.pid}-${addressCounter}.ipc`)}`;
    case "inproc":
      return `inproc://zmtp-bench-${process.pid}-${addressCounter}`;
    case "ws":
      return "ws://127.0.0.1:*/bench";
  }
}

function payload(size: number, tag: number): Buffer {
  const buf = Buffer.alloc(Math.max(size, 1));
  buf[0] = tag;
  return buf;
}

/** Warm-up messages sent back to back before the data: 10,000, or 64 MiB worth of large ones. */
function warmupBurst(size: number): number {
  return Math.min(10_000, Math.ceil((64 * 2 ** 20) / size));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ReceiverHandle {
  endpoint: string;
  /** Resolves when the end marker arrives (for an echo, once it is sent back): what this side measured. */
  done: Promise<Measurement | null>;
  close(): void;
}

/** Binds the receiving socket and starts its loop; `warm` fires at the first warm-up message. */
export async function startReceiver(
  name: WorkloadName,
  api: SocketApi,
  address: string,
  warm: Signal,
  batch: number | null = null,
): Promise<ReceiverHandle> {
  const workload = WORKLOAD[name];
  const socket = new api[workload.receiver](workload.curve ? { ...SOCKET_OPTIONS, ...CURVE_SERVER } : SOCKET_OPTIONS);
  socket.subscribe?.();
  await socket.bind(address);
  const endpoint = socket.lastEndpoint ?? address;
  const receiveMany = batch !== null && api.receiveMany !== undefined ? api.receiveMany : null;
  const done = workload.latency ? echo(socket, warm) : countUntilEnd(socket, warm, receiveMany);
  return { endpoint, done, close: () => socket.close() };
}

async function countUntilEnd(
  socket: BenchSocket,
  warm: Signal,
  receiveMany: BatchReceive | null,
): Promise<Measurement> {
  const receive = socket.receive!.bind(socket);
  if (receiveMany !== null) return countBatchesUntilEnd(socket, warm, receiveMany);
  const count = counter(warm);
  for (;;) {
    const done = count(await receive());
    if (done !== null) return done;
  }
}

/**
 * Sees each received message: counts data messages (timing from the first), fires `warm` at a
 * warm-up message, and returns the measurement at the end marker (null before it).
 */
function counter(warm: Signal): (msg: Buffer[]) => Measurement | null {
  let messages = 0;
  let started = 0;
  let cpu = process.cpuUsage();
  return (msg) => {
    // ROUTER puts the peer's routing id first: the payload is the last frame.
    const tag = msg[msg.length - 1]![0];
    if (tag === TAG_DATA) {
      if (messages === 0) {
        started = performance.now();
        cpu = process.cpuUsage();
      }
      messages += 1;
    } else if (tag === TAG_WARMUP) {
      if (!warm.fired) warm.fire();
    } else if (tag === TAG_END) {
      return {
        messages,
        seconds: (performance.now() - started) / 1000,
        p50Us: null,
        p99Us: null,
        cpuMicros: cpuSince(cpu),
      };
    }
    return null;
  };
}

type BatchReceive = (socket: BenchSocket) => Promise<Buffer[][]>;

/** countUntilEnd with zmtp/batch: every message received so far, per promise. */
async function countBatchesUntilEnd(
  socket: BenchSocket,
  warm: Signal,
  receiveMany: BatchReceive,
): Promise<Measurement> {
  const count = counter(warm);
  for (;;) {
    const batch = await receiveMany(socket);
    for (let i = 0; i < batch.length; i++) {
      const done = count(batch[i]!);
      if (done !== null) return done;
    }
  }
}

/**
 * The replier (REP, or ROUTER for dealer-router-latency): a `for await` echo, as applications
 * write one. The whole message goes back, so a ROUTER's [routing id, body] returns to its sender.
 */
async function echo(socket: BenchSocket, warm: Signal): Promise<Measurement | null> {
  // The echo's own CPU time over the timed round trips, for cpuNsPerMessage.receiver.
  let messages = 0;
  let started = 0;
  let cpu = process.cpuUsage();
  for await (const msg of { [Symbol.asyncIterator]: () => socket[Symbol.asyncIterator]!() }) {
    const tag = msg[msg.length - 1]![0];
    if (tag === TAG_DATA) {
      if (messages++ === 0) {
        started = performance.now();
        cpu = process.cpuUsage();
      }
    } else if (tag === TAG_WARMUP && !warm.fired) warm.fire();
    await socket.send!(msg);
    if (tag === TAG_END) {
      const seconds = (performance.now() - started) / 1000;
      return { messages, seconds, p50Us: null, p99Us: null, cpuMicros: cpuSince(cpu) };
    }
  }
  return null;
}

export interface SenderHandle {
  /** Resolves after the data and the end marker are sent (the measurement for latency; the sender's own figures otherwise). */
  done: Promise<Measurement | null>;
  close(): void;
}

/**
 * Connects the sending socket and runs it: warm-ups until `go`, the data, the end marker (repeated
 * until `stop` when the socket may drop it).
 */
export function startSender(
  name: WorkloadName,
  api: SocketApi,
  endpoint: string,
  plan: Plan,
  go: Signal,
  stop: Signal,
): SenderHandle {
  const workload = WORKLOAD[name];
  const socket = new api[workload.sender](workload.curve ? { ...SOCKET_OPTIONS, ...CURVE_CLIENT } : SOCKET_OPTIONS);
  socket.connect(endpoint);
  const sendMany = plan.batch !== null && api.sendMany !== undefined ? api.sendMany : null;
  const done = workload.latency
    ? roundTrips(socket, plan, go)
    : sendAll(socket, plan, go, stop, workload.lossy, sendMany);
  return { done, close: () => socket.close() };
}

async function sendAll(
  socket: BenchSocket,
  plan: Plan,
  go: Signal,
  stop: Signal,
  lossy: boolean,
  sendMany: ((socket: BenchSocket, messages: Buffer[]) => Promise<void>) | null,
): Promise<Measurement> {
  const send = socket.send!.bind(socket);
  const warmup = payload(plan.size, TAG_WARMUP);
  while (!go.fired) {
    await send(warmup);
    await Promise.race([sleep(5), go.promise]);
  }
  // A burst the receiver ignores, so that both ends run optimized code (V8's JIT, zeromq.js's
  // buffers) by the time the timed data starts: short --count runs then measure the steady state.
  for (let i = warmupBurst(plan.size); i > 0; i--) await send(warmup);
  const data = payload(plan.size, TAG_DATA);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  if (sendMany !== null) {
    // zmtp/batch: plan.batch messages per call, the same Buffer each time (its frames are copied).
    const batch = new Array<Buffer>(plan.batch!).fill(data);
    const deadline = plan.durationMs === null ? Infinity : performance.now() + plan.durationMs;
    const count = plan.count ?? Infinity;
    while (sent < count && performance.now() < deadline) {
      const n = Math.min(batch.length, count - sent);
      await sendMany(socket, n === batch.length ? batch : batch.slice(0, n));
      sent += n;
    }
  } else if (plan.count !== null) {
    sent = plan.count;
    for (let i = plan.count; i > 0; i--) await send(data);
  } else {
    const deadline = performance.now() + plan.durationMs!;
    // Reading the clock costs about as much as a small send: look every 64 messages.
    do {
      for (let i = 0; i < 64; i++) await send(data);
      sent += 64;
    } while (performance.now() < deadline);
  }
  const end = payload(plan.size, TAG_END);
  await send(end);
  const measured: Measurement = {
    messages: sent,
    seconds: (performance.now() - started) / 1000,
    p50Us: null,
    p99Us: null,
    cpuMicros: cpuSince(cpu),
  };
  while (lossy && !stop.fired) {
    await Promise.race([sleep(10), stop.promise]);
    if (!stop.fired) await send(end);
  }
  return measured;
}

/** Warm-up rounds are not timed; each timed round is one send and its reply. */
async function roundTrips(socket: BenchSocket, plan: Plan, go: Signal): Promise<Measurement> {
  const send = socket.send!.bind(socket);
  const receive = socket.receive!.bind(socket);
  const warmup = payload(plan.size, TAG_WARMUP);
  // Until go, and then more rounds so both sides' code is optimized before timing.
  for (let i = 0; !go.fired || i < Math.min(2_000, warmupBurst(plan.size)); i++) {
    await send(warmup);
    await receive();
  }
  const data = payload(plan.size, TAG_DATA);
  let samples = new Float64Array(plan.count ?? 65536);
  let n = 0;
  const started = performance.now();
  const deadline = plan.durationMs === null ? Infinity : started + plan.durationMs;
  const count = plan.count ?? Infinity;
  let before = started;
  const cpu = process.cpuUsage();
  while (n < count) {
    await send(data);
    await receive();
    const after = performance.now();
    if (n === samples.length) {
      const grown = new Float64Array(samples.length * 2);
      grown.set(samples);
      samples = grown;
    }
    samples[n++] = after - before;
    before = after;
    if (after >= deadline) break;
  }
  const seconds = (before - started) / 1000;
  await send(payload(plan.size, TAG_END));
  await receive();
  const sorted = samples.subarray(0, n).sort();
  return {
    messages: n,
    seconds,
    p50Us: percentile(sorted, 0.5) * 1000,
    p99Us: percentile(sorted, 0.99) * 1000,
    cpuMicros: cpuSince(cpu),
  };
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
