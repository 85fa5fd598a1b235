/**
 * A raw ZMTP peer over node:net for tests: it speaks bytes, not ZMTP, so a test can send a
 * greeting split anywhere, a lying frame header or plain garbage, and look at exactly what the
 * library wrote back. Builders use the library's own codec (src/zmtp); parsing uses FrameDecoder.
 */
import { once } from "node:events";
import { connect as netConnect, createServer, type Server, type Socket } from "node:net";
import { encodeCommand, encodePing, encodeReady } from "../../src/zmtp/command.js";
import { FrameDecoder } from "../../src/zmtp/decoder.js";
import { FLAG_COMMAND, encodeFrame } from "../../src/zmtp/frame.js";
import { GREETING_SIZE, encodeGreeting } from "../../src/zmtp/greeting.js";
import { sleep } from "./time.js";

export { FLAG_COMMAND, FLAG_LONG, FLAG_MORE } from "../../src/zmtp/frame.js";

/** libzmq's signature for a socket without routing id: padding is uint64 BE 1 (docs/protocol.md §1.1). */
export const LIBZMQ_SIGNATURE = Buffer.from("ff00000000000000017f", "hex");

/** A 64-byte greeting; `major`, `minor` and libzmq's padding imitate other implementations. */
export function greeting(
  opts: { mechanism?: string; major?: number; minor?: number; libzmqPadding?: boolean } = {},
): Buffer {
  const buf = encodeGreeting(opts.mechanism ?? "NULL", false);
  if (opts.libzmqPadding) LIBZMQ_SIGNATURE.copy(buf, 0);
  if (opts.major !== undefined) buf[10] = opts.major;
  if (opts.minor !== undefined) buf[11] = opts.minor;
  return buf;
}

/** A whole READY command frame announcing `socketType` plus any extra properties. */
export function ready(socketType: string, extra: Array<[string, string | Buffer]> = []): Buffer {
  return encodeFrame(encodeReady([["Socket-Type", socketType], ...extra]), FLAG_COMMAND);
}

export function command(name: string, data?: Buffer): Buffer {
  return encodeFrame(encodeCommand(name, data), FLAG_COMMAND);
}

export function ping(ttlDeciseconds: number, context?: Buffer): Buffer {
  return encodeFrame(encodePing(ttlDeciseconds, context), FLAG_COMMAND);
}

export { encodeFrame as frame };

/** Greeting + READY in one buffer: a NULL peer that completes the handshake at once. */
export function handshake(socketType: string): Buffer {
  return Buffer.concat([greeting(), ready(socketType)]);
}

/** `name` is the command name for command frames, else "". */
export interface ParsedFrame {
  body: Buffer;
  more: boolean;
  command: boolean;
  name: string;
}

/** Parses what the library sent: the 64-byte greeting, then frames (a partial tail is ignored). */
export function parseOutput(bytes: Buffer): { greeting: Buffer; frames: ParsedFrame[] } {
  const frames: ParsedFrame[] = [];
  const decoder = new FrameDecoder({
    onFrame(body, more, cmd) {
      const name = cmd && body.length > 0 ? body.toString("latin1", 1, 1 + body[0]!) : "";
      frames.push({ body: Buffer.from(body), more, command: cmd, name });
    },
  });
  if (bytes.length > GREETING_SIZE) decoder.push(bytes.subarray(GREETING_SIZE));
  return { greeting: bytes.subarray(0, GREETING_SIZE), frames };
}

/** Re-checks `check` whenever `waiters` are woken; rejects after `timeoutMs`. */
async function waitUntil(
  waiters: Array<() => void>,
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`raw peer: timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      waiters.push(() => (clearTimeout(timer), resolve()));
    });
  }
}

/** One raw TCP connection: everything received is kept in `received`. */
export class RawPeer {
  private chunks: Buffer[] = [];
  private waiters: Array<() => void> = [];
  /** Bytes received so far (cheap to poll, unlike `received`). */
  receivedLength = 0;
  /** `ended`: the library sent FIN; `closed`: the connection is gone. */
  ended = false;
  closed = false;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) =>
      this.notify(() => ((this.receivedLength += chunk.length), this.chunks.push(chunk))),
    );
    socket.on("end", () => this.notify(() => (this.ended = true)));
    socket.on("error", () => undefined);
    socket.on("close", () => this.notify(() => (this.closed = true)));
  }

  /** A TCP port on 127.0.0.1, or an ipc socket path. */
  static async connect(to: number | string): Promise<RawPeer> {
    const socket = typeof to === "number" ? netConnect({ host: "127.0.0.1", port: to }) : netConnect({ path: to });
    await once(socket, "connect");
    return new RawPeer(socket);
  }

  private notify(change: () => void): void {
    change();
    for (const w of this.waiters.splice(0)) w();
  }

  get received(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** What the library sent so far, parsed. */
  get output(): { greeting: Buffer; frames: ParsedFrame[] } {
    return parseOutput(this.received);
  }

  send(...bytes: Buffer[]): void {
    if (!this.closed) this.socket.write(Buffer.concat(bytes));
  }

  /** Writes `bytes` in pieces of the given sizes, pausing between them so each is its own segment. */
  async sendSplit(bytes: Buffer, sizes: number[], pauseMs = 5): Promise<void> {
    let at = 0;
    for (const size of sizes) {
      this.send(bytes.subarray(at, at + size));
      at += size;
      await sleep(pauseMs); // paced on purpose: each piece its own TCP segment
    }
    if (at < bytes.length) this.send(bytes.subarray(at));
  }

  /** Resolves once `check()` holds; rejects after `timeoutMs`. */
  until(check: () => boolean, timeoutMs = 2000, what = "condition"): Promise<void> {
    return waitUntil(this.waiters, check, timeoutMs, what);
  }

  waitBytes(n: number, timeoutMs?: number): Promise<void> {
    return this.until(() => this.receivedLength >= n, timeoutMs, `${n} bytes`);
  }

  /** Waits until a frame matching `match` arrived after the greeting; returns it. */
  async waitFrame(match: (f: ParsedFrame) => boolean, timeoutMs?: number): Promise<ParsedFrame> {
    await this.until(() => this.output.frames.some(match), timeoutMs, "a matching frame");
    return this.output.frames.find(match)!;
  }

  waitClose(timeoutMs?: number): Promise<void> {
    return this.until(() => this.closed, timeoutMs, "the connection to close");
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A raw listener on 127.0.0.1:0; `onConnection` runs for each accepted peer. */
export class RawServer {
  readonly peers: RawPeer[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** `allowHalfOpen`: keep our side open after the library's FIN (a peer that ignores it). */
  static async listen(
    onConnection?: (peer: RawPeer) => void,
    options: { allowHalfOpen?: boolean } = {},
  ): Promise<RawServer> {
    const server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const raw = new RawServer(server, (server.address() as { port: number }).port);
    server.on("connection", (socket) => {
      const peer = new RawPeer(socket);
      raw.peers.push(peer);
      onConnection?.(peer);
      for (const w of raw.waiters.splice(0)) w();
    });
    return raw;
  }

  get endpoint(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** The `index`-th accepted connection (0-based), waiting for it if needed. */
  async peer(index = 0, timeoutMs = 2000): Promise<RawPeer> {
    await waitUntil(this.waiters, () => this.peers.length > index, timeoutMs, `connection #${index}`);
    return this.peers[index]!;
  }

  close(): void {
    for (const p of this.peers) p.destroy();
    this.server.close();
  }
}
