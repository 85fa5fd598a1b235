import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curveKeyPair, z85Encode } from "../../zmtp/z85.js";
import { KIND_NAME, socketClass, type Frame, type Implementation, type Kind, type Sock } from "./api.js";

/**
 * What a case needs: sockets that are always closed afterwards, fresh endpoints, bounded waits,
 * frame assertions with readable messages, and the security set-up (keys, ZAP handlers).
 */

export type Transport = "tcp" | "ipc" | "ws";
export type MechanismName = "null" | "plain" | "curve";

/** A failed expectation; its message is what the table prints. */
export class CaseFailure extends Error {
  override name = "CaseFailure";
}

/** The PLAIN account the matrix uses, and a CURVE client key its ZAP handlers allow. */
export const PLAIN_USER = "admin";
export const PLAIN_PASSWORD = "secret";

export interface Keys {
  server: { publicKey: string; secretKey: string };
  client: { publicKey: string; secretKey: string };
  /** A client key no ZAP handler allows. */
  stranger: { publicKey: string; secretKey: string };
}

let keys: Keys | null = null;

export function matrixKeys(): Keys {
  keys ??= { server: curveKeyPair(), client: curveKeyPair(), stranger: curveKeyPair() };
  return keys;
}

/**
 * A ZAP handler (RFC 27) bound at inproc://zeromq.zap.01 in an implementation's default context,
 * written against the zeromq.js API only: a Reply socket, as zeromq.js users write one. It allows
 * NULL, PLAIN admin/secret and the matrix's CURVE client key.
 */
export class ZapHandler {
  private readonly socket: Sock;
  private running = true;

  private constructor(impl: Implementation) {
    const Reply = socketClass(impl, "Reply");
    if (Reply === null) throw new CaseFailure(`${impl.name} has no Reply class for a ZAP handler`);
    this.socket = new Reply({ linger: 0 });
  }

  static async start(impl: Implementation): Promise<ZapHandler> {
    const handler = new ZapHandler(impl);
    await handler.socket.bind("inproc://zeromq.zap.01");
    void handler.loop();
    return handler;
  }

  private async loop(): Promise<void> {
    const allowedKey = matrixKeys().client.publicKey;
    while (this.running) {
      let request: Buffer[];
      try {
        request = await this.socket.receive();
      } catch {
        return;
      }
      // Reply strips the envelope: version, request id, domain, address, identity, mechanism, credentials…
      const [version, requestId, , , , mechanism, ...credentials] = request;
      let ok = false;
      switch (mechanism?.toString()) {
        case "NULL":
          ok = true;
          break;
        case "PLAIN":
          ok = credentials[0]?.toString() === PLAIN_USER && credentials[1]?.toString() === PLAIN_PASSWORD;
          break;
        case "CURVE":
          ok = credentials[0] !== undefined && z85Encode(credentials[0]) === allowedKey;
          break;
      }
      try {
        // No user id: with one, a libzmq 4.3.5 REQ server hangs up at the first reply (libzmq
        // against libzmq too; `zmtp trace` shows the reply go out and the REQ close), and other
        // cases saw zeromq.js receives fail at once with EAGAIN — failures neither side can fix.
        await this.socket.send([version ?? "1.0", requestId ?? "1", ok ? "200" : "400", ok ? "OK" : "Denied", "", ""]);
      } catch {
        return;
      }
    }
  }

  close(): void {
    this.running = false;
    this.socket.close();
  }
}

/** Per-run state shared by the cases: ZAP handlers by implementation. */
export class Session {
  private readonly zap = new Map<unknown, Promise<ZapHandler>>();

  /** Starts (once) the ZAP handler of the implementation that plays a PLAIN/CURVE server. */
  ensureZap(impl: Implementation): Promise<ZapHandler> {
    let handler = this.zap.get(impl.module);
    if (handler === undefined) {
      handler = ZapHandler.start(impl);
      this.zap.set(impl.module, handler);
    }
    return handler;
  }

  async close(): Promise<void> {
    for (const handler of this.zap.values()) {
      try {
        (await handler).close();
      } catch {
        // A handler that failed to start has nothing to close.
      }
    }
    this.zap.clear();
  }
}

/** One end of `CaseContext.link`: which implementation, which type, which constructor options. */
export interface SocketSpec {
  side: Implementation;
  kind: Kind;
  options?: Record<string, unknown>;
}

export interface OpenOptions {
  /** Constructor options besides linger (only ones the socket type has: zeromq.js rejects others). */
  options?: Record<string, unknown>;
}

/** One case's resources. Everything opened here is closed by `cleanup()`, whatever happened. */
export class CaseContext {
  private readonly sockets: Sock[] = [];
  private readonly files: string[] = [];

  constructor(
    readonly impl: Implementation,
    readonly peer: Implementation,
    readonly session: Session,
    /** Bound on each receive / send, in ms. */
    readonly waitMs: number,
  ) {}

  open(side: Implementation, kind: Kind, options: Record<string, unknown> = {}): Sock {
    const Ctor = socketClass(side, kind);
    if (Ctor === null) throw new CaseFailure(`${side.name} does not export ${kind}`);
    const sock = new Ctor({ linger: 0, ...options });
    this.sockets.push(sock);
    // Only readable sockets have receiveTimeout, only writable ones sendTimeout (zeromq.js).
    if ("receiveTimeout" in sock && options.receiveTimeout === undefined) sock.receiveTimeout = this.waitMs;
    if ("sendTimeout" in sock && options.sendTimeout === undefined) sock.sendTimeout = this.waitMs;
    return sock;
  }

  /** A fresh address to bind: an ephemeral loopback port (with a path for ws) or a new ipc path. */
  address(transport: Transport): string {
    if (transport === "tcp") return "tcp://127.0.0.1:*";
    if (transport === "ws") return "ws://127.0.0.1:*/zmtp";
    return `ipc://${this.ipcPath()}`;
  }

  /** A new ipc socket path under the OS temp dir, removed by `cleanup()`. */
  ipcPath(): string {
    const file = join(tmpdir(), `zmtp-interop-${process.pid}-${randomBytes(4).toString("hex")}.sock`);
    this.files.push(file);
    return file;
  }

  /** Binds to a fresh address and returns the endpoint to connect to (the real port, for tcp). */
  async bind(sock: Sock, transport: Transport): Promise<string> {
    const address = this.address(transport);
    await sock.bind(address);
    const endpoint = sock.lastEndpoint;
    if (typeof endpoint !== "string" || endpoint === "")
      throw new CaseFailure(`no lastEndpoint after bind(${address})`);
    const expected = {
      tcp: /^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/,
      ws: /^ws:\/\/127\.0\.0\.1:[1-9]\d*\/zmtp$/,
      ipc: /^ipc:/,
    };
    if (!expected[transport].test(endpoint)) {
      throw new CaseFailure(`lastEndpoint after bind(${address}) is ${endpoint}, not the port the system chose`);
    }
    return endpoint;
  }

  /**
   * A socket of `bound.kind` bound to a fresh endpoint and one of `connecting.kind` connected to
   * it (each from its implementation, with its options); returns [bound, connected] and the endpoint.
   */
  async link(bound: SocketSpec, connecting: SocketSpec, transport: Transport = "tcp"): Promise<[Sock, Sock, string]> {
    const binder = this.open(bound.side, bound.kind, bound.options);
    const endpoint = await this.bind(binder, transport);
    const connecter = this.open(connecting.side, connecting.kind, connecting.options);
    connecter.connect(endpoint);
    return [binder, connecter, endpoint];
  }

  /** Sets the options of `mechanism` on a server and a client socket (before bind / connect). */
  async secure(
    mechanism: MechanismName,
    server: { side: Implementation; sock: Sock },
    client: Sock,
    clientKey: "client" | "stranger" = "client",
  ): Promise<void> {
    if (mechanism === "null") return;
    await this.session.ensureZap(server.side);
    if (mechanism === "plain") {
      server.sock.plainServer = true;
      client.plainUsername = PLAIN_USER;
      client.plainPassword = PLAIN_PASSWORD;
      return;
    }
    const k = matrixKeys();
    server.sock.curveServer = true;
    server.sock.curveSecretKey = k.server.secretKey;
    server.sock.curvePublicKey = k.server.publicKey;
    client.curveServerKey = k.server.publicKey;
    client.curvePublicKey = k[clientKey].publicKey;
    client.curveSecretKey = k[clientKey].secretKey;
  }

  async receive(sock: Sock, what: string): Promise<Buffer[]> {
    try {
      return await sock.receive();
    } catch (err) {
      const ms = typeof sock.receiveTimeout === "number" ? sock.receiveTimeout : this.waitMs;
      throw new CaseFailure(`${what}: nothing received within ${ms} ms (${(err as Error).message})`, { cause: err });
    }
  }

  /**
   * Sends copies of the frames: libzmq's ws client masks a frame of more than 128 bytes in place,
   * in the memory zeromq.js hands it (the application's Buffer), which would change the frames
   * the case then expects.
   */
  async send(sock: Sock, message: Frame | Frame[], what: string): Promise<void> {
    const copy = (f: Frame): Frame => (typeof f === "string" ? f : Buffer.from(f));
    try {
      await sock.send(Array.isArray(message) ? message.map(copy) : copy(message));
    } catch (err) {
      throw new CaseFailure(`${what}: send failed (${(err as Error).message})`, { cause: err });
    }
  }

  /** Fails when anything arrives at `sock` within `ms` (the wait is the point: nothing may come). */
  async expectNothing(sock: Sock, ms: number, why: string): Promise<void> {
    const before = sock.receiveTimeout;
    sock.receiveTimeout = ms;
    let got: Buffer[];
    try {
      got = await sock.receive();
    } catch {
      return; // EAGAIN: nothing came
    } finally {
      sock.receiveTimeout = before;
    }
    throw new CaseFailure(`${why}, but received ${showMessage(got)}`);
  }

  cleanup(): void {
    for (const sock of this.sockets.splice(0)) {
      try {
        sock.close();
      } catch {
        // closed by the case already
      }
    }
    for (const file of this.files.splice(0)) rmSync(file, { force: true });
  }
}

export function kindName(kind: Kind): string {
  return KIND_NAME[kind];
}

// ---- assertions ----

function show(frame: Buffer | undefined): string {
  if (frame === undefined) return "(none)";
  if (frame.length > 24) return `${frame.length} bytes`;
  return /^[\x20-\x7e]*$/.test(frame.toString("latin1"))
    ? JSON.stringify(frame.toString("latin1"))
    : `0x${frame.toString("hex")}`;
}

export function showMessage(frames: readonly Buffer[]): string {
  return frames.length === 0 ? "(no frames)" : frames.map(show).join(" | ");
}

/** Throws a CaseFailure naming the first difference between two messages. */
export function expectFrames(got: readonly Buffer[], want: readonly Frame[], what: string): void {
  const expected = want.map((f) => (typeof f === "string" ? Buffer.from(f) : f));
  if (got.length !== expected.length) {
    throw new CaseFailure(
      `${what}: ${got.length} frames, expected ${expected.length} (got ${showMessage(got)}, expected ${showMessage(expected)})`,
    );
  }
  for (let i = 0; i < expected.length; i++) {
    if (!got[i]!.equals(expected[i]!)) {
      throw new CaseFailure(`${what}: frame ${i} is ${show(got[i])}, expected ${show(expected[i])}`);
    }
  }
}

export function expect(condition: boolean, message: string): void {
  if (!condition) throw new CaseFailure(message);
}

/**
 * Deterministic payloads, one frame per size: bytes that depend on position, frame and seed, so
 * truncation, reordering, swapped frames and zeroed chunks all show as a byte mismatch.
 */
export function payload(sizes: readonly number[], seed: number): Buffer[] {
  return sizes.map((size, i) => {
    const buf = Buffer.allocUnsafe(size);
    let x = ((seed * 100 + i) * 2654435761 + 1) >>> 0 || 1;
    for (let j = 0; j < size; j++) {
      // xorshift32: cheap, with no period short enough to hide a misplaced 64 KiB chunk.
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      buf[j] = x & 0xff;
    }
    return buf;
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
