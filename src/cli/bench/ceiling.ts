import { rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { bufferView } from "../../zmtp/buffer-view.js";
import { FLAG_LONG } from "../../zmtp/frame.js";
import {
  TAG_DATA,
  TAG_END,
  type Measurement,
  type Plan,
  type Transport,
  type ReceiverHandle,
  type SenderHandle,
} from "./workloads.js";

/**
 * `--ceiling`: the most a pure-JS ZMTP implementation could do between two Node processes. Raw
 * `net` sockets, no ZeroMQ socket, no handshake: the sender encodes frames (flags + size + body)
 * into large batch buffers; the receiver parses the sizes and makes one Buffer view per message,
 * and does nothing else with it. Anything a real implementation adds (pipes, promises, routing)
 * is measured against this.
 */

const BATCH_BYTES = 256 * 1024;
/** Bodies this large are written as they are rather than copied into a batch (as zmtp does). */
const ZERO_COPY_BYTES = 8 * 1024;

/** Listens on a fresh tcp port or ipc path; resolves with its endpoint in ZeroMQ form. */
export async function startCeilingReceiver(transport: Transport, address: string): Promise<ReceiverHandle> {
  if (transport === "inproc") throw new Error("--ceiling measures a byte stream: use --transport tcp or ipc");
  let connection: Socket | null = null;
  let resolveDone!: (m: Measurement) => void;
  const done = new Promise<Measurement>((resolve) => (resolveDone = resolve));
  const server: Server = createServer((socket) => {
    connection = socket;
    socket.on("data", receiver(resolveDone));
    socket.on("error", () => {});
  });
  const path = transport === "ipc" ? address.slice("ipc://".length) : null;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (path !== null) server.listen(path, resolve);
    else server.listen(0, "127.0.0.1", resolve);
  });
  const bound = server.address();
  const endpoint =
    path !== null ? address : `tcp://127.0.0.1:${typeof bound === "object" && bound !== null ? bound.port : 0}`;
  const close = (): void => {
    (connection as Socket | null)?.destroy();
    server.close();
    if (path !== null) rmSync(path, { force: true });
  };
  return { endpoint, done, close };
}

/** The parser: frames out as views, a body copied only when it straddles two reads. */
function receiver(finish: (m: Measurement) => void): (chunk: Buffer) => void {
  const header = Buffer.alloc(9);
  let headerFilled = 0;
  let body: Buffer | null = null;
  let bodyFilled = 0;
  let messages = 0;
  let started = 0;
  let cpu = process.cpuUsage();

  const message = (msg: Buffer): void => {
    if (msg[0] === TAG_END) {
      const used = process.cpuUsage(cpu);
      finish({
        messages,
        seconds: (performance.now() - started) / 1000,
        p50Us: null,
        p99Us: null,
        cpuMicros: used.user + used.system,
      });
      return;
    }
    if (messages === 0) {
      started = performance.now();
      cpu = process.cpuUsage();
    }
    messages += 1;
  };

  return (chunk: Buffer): void => {
    const n = chunk.length;
    let at = 0;
    if (body !== null) {
      const k = Math.min(body.length - bodyFilled, n);
      chunk.copy(body, bodyFilled, 0, k);
      bodyFilled += k;
      at = k;
      if (bodyFilled < body.length) return;
      message(body);
      body = null;
    }
    while (at < n) {
      let size: number;
      if (headerFilled > 0 || at + ((chunk[at]! & FLAG_LONG) !== 0 ? 9 : 2) > n) {
        // A header split across reads: gather it byte by byte (rare).
        header[headerFilled++] = chunk[at++]!;
        const need = (header[0]! & FLAG_LONG) !== 0 ? 9 : 2;
        if (headerFilled < need) continue;
        size = need === 9 ? header.readUInt32BE(5) : header[1]!;
        headerFilled = 0;
      } else if ((chunk[at]! & FLAG_LONG) !== 0) {
        size = chunk.readUInt32BE(at + 5);
        at += 9;
      } else {
        size = chunk[at + 1]!;
        at += 2;
      }
      if (at + size <= n) {
        // The same cheap view zmtp's decoder makes, so the ceiling stays an upper bound.
        message(bufferView(chunk, at, at + size));
        at += size;
      } else {
        body = Buffer.allocUnsafe(size);
        bodyFilled = n - at;
        chunk.copy(body, 0, at);
        return;
      }
    }
  };
}

/** Connects and streams `plan` as ZMTP frames in BATCH_BYTES writes, waiting for drain as it goes. */
export function startCeilingSender(endpoint: string, plan: Plan): SenderHandle {
  const socket = endpoint.startsWith("ipc://")
    ? connect(endpoint.slice("ipc://".length))
    : connect(Number(endpoint.slice(endpoint.lastIndexOf(":") + 1)), "127.0.0.1");
  socket.setNoDelay(true);
  socket.on("error", () => {});
  const done = new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  }).then(() => stream(socket, plan));
  return { done, close: () => socket.destroy() };
}

async function stream(socket: Socket, plan: Plan): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const size = Math.max(plan.size, 1);
  const body = Buffer.alloc(size);
  body[0] = TAG_DATA;
  const headerSize = size > 255 ? 9 : 2;
  const frameSize = headerSize + size;
  let batch = Buffer.allocUnsafe(BATCH_BYTES);
  let at = 0;
  const header = (target: Buffer, offset: number): number => {
    if (headerSize === 2) {
      target[offset] = 0;
      target[offset + 1] = size;
      return offset + 2;
    }
    target[offset] = FLAG_LONG;
    target.writeUInt32BE(0, offset + 1);
    target.writeUInt32BE(size, offset + 5);
    return offset + 9;
  };
  const flush = async (): Promise<void> => {
    if (at === 0) return;
    const full = !socket.write(batch.subarray(0, at));
    batch = Buffer.allocUnsafe(BATCH_BYTES);
    at = 0;
    if (full) await new Promise((resolve) => socket.once("drain", resolve));
  };
  const deadline = plan.durationMs === null ? Infinity : performance.now() + plan.durationMs;
  let left = plan.count ?? Infinity;
  let sent = 0;
  while (left > 0 && performance.now() < deadline) {
    if (size >= ZERO_COPY_BYTES) {
      // Large bodies go to the stream as they are, after their headers: one writev per batch.
      const fit = Math.min(Math.max(1, Math.floor(BATCH_BYTES / frameSize)), left);
      socket.cork();
      for (let i = 0; i < fit; i++) {
        const end = header(batch, at);
        socket.write(batch.subarray(at, end));
        socket.write(body);
        at = end;
      }
      socket.uncork();
      batch = Buffer.allocUnsafe(BATCH_BYTES);
      at = 0;
      left -= fit;
      sent += fit;
      if (socket.writableNeedDrain) await new Promise((resolve) => socket.once("drain", resolve));
      continue;
    }
    const fit = Math.min(Math.floor((BATCH_BYTES - at) / frameSize), left);
    for (let i = 0; i < fit; i++) {
      at = header(batch, at);
      body.copy(batch, at);
      at += size;
    }
    left -= fit;
    sent += fit;
    await flush();
  }
  await flush();
  const end = Buffer.alloc(size);
  end[0] = TAG_END;
  socket.write(batch.subarray(0, header(batch, 0)));
  if (!socket.write(end)) await new Promise((resolve) => socket.once("drain", resolve));
  const used = process.cpuUsage(cpu);
  return {
    messages: sent,
    seconds: (performance.now() - started) / 1000,
    p50Us: null,
    p99Us: null,
    cpuMicros: used.user + used.system,
  };
}
