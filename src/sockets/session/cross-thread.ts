import { createHash } from "node:crypto";
import { mkdirSync, rmSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket as NetSocket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BroadcastChannel, isMainThread } from "node:worker_threads";
import type { Clock } from "../../clock.js";
import { inprocAddressInUse, type InprocRemoteLink, type InprocSocket } from "../../transports/inproc.js";
import type { SocketTypeName } from "../../zmtp/socket-types.js";
import type { Pipe } from "../pipe.js";
import type { OptionValues } from "../socket-options.js";
import type { SocketCounters } from "../statistics.js";
import { CrossThreadEngine } from "./cross-thread-engine.js";
import { engineOptionsFor } from "./engine-options.js";
import type { Engine, EngineClose, EngineHost, EngineOptions } from "../../zmtp/engine.js";
import type { Metadata } from "../../zmtp/metadata.js";

/**
 * inproc between the threads of one process, through the shared default context (zeromq.js's
 * default context is one libzmq context for every thread). Within a thread, inproc stays direct
 * pipes (transports/inproc.ts); a name bound in one thread is also claimed process-wide as an
 * internal endpoint that the other threads dial and speak ZMTP over: a Linux abstract-namespace
 * socket (a named pipe on Windows, a socket file in a private directory elsewhere), named by a
 * hash of the name and of a secret only the threads sharing the context know. The kernel makes
 * the claim exclusive (EADDRINUSE in any thread) and ends it with the thread. Binds are announced
 * on a BroadcastChannel, so connects made before the bind dial at once. Nothing here holds the
 * event loop, and no monitor event is reported, as for inproc in libzmq.
 */

/** What cross-thread inproc needs from a socket (SocketBase is one). */
export interface CrossThreadSocket extends InprocSocket<Pipe> {
  readonly zmtpType: SocketTypeName;
  readonly options: OptionValues;
  readonly counters: SocketCounters;
  readonly clock: Clock;
}

/**
 * Engine options for inproc between threads: what libzmq's inproc has, whatever the socket's
 * security and heartbeat options say (NULL, no ZAP, no heartbeats, no message size limit).
 */
export function crossThreadOptions(socket: CrossThreadSocket): EngineOptions {
  const o = { ...socket.options, mechanism: "NULL" as const, zapDomain: Buffer.alloc(0), maxMessageSize: -1 };
  return {
    ...engineOptionsFor(socket.zmtpType, o, socket.counters, socket.clock, null),
    heartbeatInterval: 0,
    heartbeatTimeout: -1,
    heartbeatTimeToLive: 0,
  };
}

interface Announcement {
  bound: string;
}

export class CrossThreadInproc {
  private channel: BroadcastChannel | null = null;
  /** Connections reaching names bound elsewhere, by internal path. */
  private readonly reaches = new Map<string, Set<Reach>>();
  private readonly family: string;
  private privateDir: string | null = null;

  constructor(
    /** Shared by the threads of this context only: names are derived from it, and peers prove they know it. */
    readonly secret: Buffer,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.family = createHash("sha256").update(secret).digest("hex").slice(0, 16);
  }

  /** The internal endpoint of inproc `name` (a path for net.listen / net.connect). */
  pathOf(name: string): string {
    const hash = createHash("sha256").update(this.secret).update("\0").update(name).digest("hex");
    if (this.platform === "linux") return `\0zmtp-inproc-${hash.slice(0, 40)}`;
    if (this.platform === "win32") return `\\\\.\\pipe\\zmtp-inproc-${hash.slice(0, 40)}`;
    // Socket paths are short (104 bytes on macOS): a private directory, and a short name in it.
    if (this.privateDir === null) {
      const dir = join(tmpdir(), `zmtp-${process.pid}-${this.family.slice(0, 8)}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // The process ends with its main thread; the sockets' files go with it.
      if (isMainThread) process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
      this.privateDir = dir;
    }
    return join(this.privateDir, hash.slice(0, 24));
  }

  /** Claims `name` for `socket` in the whole process; rejects EADDRINUSE when some thread has it. */
  async claim(name: string, socket: CrossThreadSocket, address: string, priority: number): Promise<Claim> {
    const path = this.pathOf(name);
    const claim = new Claim(this, socket, name, priority, path);
    await claim.listen(address);
    this.announce({ bound: path });
    return claim;
  }

  /** A connection from `pipe` to `name` wherever another thread binds it; started by the registry. */
  reach(name: string, socket: CrossThreadSocket, pipe: Pipe): Reach {
    return new Reach(this, socket, pipe, name, this.pathOf(name));
  }

  /** @internal */
  track(path: string, reach: Reach, active: boolean): void {
    let set = this.reaches.get(path);
    if (active) {
      if (set === undefined) this.reaches.set(path, (set = new Set()));
      set.add(reach);
      this.listen();
    } else if (set?.delete(reach) === true && set.size === 0) {
      this.reaches.delete(path);
    }
  }

  private announce(message: Announcement): void {
    this.listen().postMessage(message);
  }

  private listen(): BroadcastChannel {
    if (this.channel !== null) return this.channel;
    const channel = new BroadcastChannel(`zmtp:inproc:${this.family}`);
    channel.onmessage = (event) => {
      const { bound } = (event as { data: Announcement }).data;
      for (const reach of this.reaches.get(bound) ?? []) reach.boundElsewhere();
    };
    // Waiting for a bind does not keep a thread alive, as an idle socket does not.
    (channel as unknown as { unref(): void }).unref();
    this.channel = channel;
    return channel;
  }
}

/** A name bound in this thread and served to the others. */
export class Claim {
  private server: Server | null = null;
  private readonly links = new Set<AcceptedLink>();

  constructor(
    private readonly crossThread: CrossThreadInproc,
    readonly socket: CrossThreadSocket,
    readonly name: string,
    readonly priority: number,
    private readonly path: string,
  ) {}

  async listen(address: string): Promise<void> {
    const server = createServer((stream) => this.links.add(new AcceptedLink(this, stream, this.crossThread.secret)));
    try {
      await listenOn(server, this.path);
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code !== "EADDRINUSE" ||
        !this.path.startsWith("/") ||
        !(await isStale(this.path))
      ) {
        throw (err as NodeJS.ErrnoException).code === "EADDRINUSE" ? inprocAddressInUse(address) : err;
      }
      // A socket file left by a thread that ended without unbinding.
      removeFile(this.path);
      await listenOn(server, this.path).catch(() => Promise.reject(inprocAddressInUse(address)));
    }
    server.unref();
    this.server = server;
  }

  /** Messages or bytes still on their way to other threads. */
  get pendingOutbound(): boolean {
    for (const link of this.links) if (link.pendingOutbound) return true;
    return false;
  }

  /** No new connections (the socket is closing); those made stay until `close()`. */
  stopListening(): void {
    if (this.server === null) return;
    this.server.close();
    this.server = null;
    if (this.path.startsWith("/")) removeFile(this.path);
  }

  /** Releases the name and ends its connections (`graceful` flushes what was written). */
  close(graceful: boolean): void {
    this.stopListening();
    for (const link of [...this.links]) link.close(graceful);
  }

  /** @internal */
  closed(link: AcceptedLink): void {
    this.links.delete(link);
  }
}

/** A connection another thread made to a name bound here. */
class AcceptedLink implements EngineHost {
  private readonly engine: CrossThreadEngine;
  private readonly pipe: Pipe;
  private linked = false;

  constructor(
    private readonly claim: Claim,
    stream: NetSocket,
    secret: Buffer,
  ) {
    stream.unref();
    const socket = claim.socket;
    this.pipe = socket.createPipe(`inproc://${claim.name}`, claim.priority);
    this.engine = new CrossThreadEngine(
      stream,
      crossThreadOptions(socket),
      this,
      `inproc://${claim.name}`,
      secret,
      this.pipe,
    );
  }

  get pendingOutbound(): boolean {
    return (this.linked && this.pipe.hasOutbound) || this.engine.unsentBytes > 0;
  }

  engineReady(engine: Engine, peer: Metadata): void {
    this.claim.socket.inprocLinked(this.pipe, peer);
    this.linked = true;
    // A socket that refused the peer (a PAIR already paired) gets nothing from it.
    if (!this.pipe.closed) (engine as CrossThreadEngine).attachGated(this.pipe);
  }

  engineRefused(): void {}

  engineClosed(): void {
    this.claim.closed(this);
    if (!this.linked) return;
    this.linked = false;
    this.claim.socket.inprocUnlinked(this.pipe);
    this.pipe.discardOutbound();
  }

  close(graceful: boolean): void {
    this.engine.close({ kind: "local", error: null, handshaken: this.engine.handshaken, fatal: false, graceful });
  }
}

/**
 * One connect() to a name that is not bound in this thread: dials it where another thread binds
 * it, and once that ends (or before it was ever bound) waits for the next bind's announcement.
 */
export class Reach implements InprocRemoteLink, EngineHost {
  private running = false;
  private stream: NetSocket | null = null;
  private engine: CrossThreadEngine | null = null;
  /** A bind was announced while a dial was under way: if that dial fails, dial again. */
  private announced = false;
  private linked = false;

  constructor(
    private readonly crossThread: CrossThreadInproc,
    private readonly socket: CrossThreadSocket,
    private readonly pipe: Pipe,
    private readonly name: string,
    private readonly path: string,
  ) {}

  /** A connection carries, or is about to carry, what is queued (linger waits for it). */
  get pendingOutbound(): boolean {
    return (this.stream !== null && this.pipe.hasOutbound) || (this.engine?.unsentBytes ?? 0) > 0;
  }

  resume(): void {
    if (this.running) return;
    this.running = true;
    this.crossThread.track(this.path, this, true);
    this.dial();
  }

  pause(): void {
    this.stop(false);
  }

  /** Ends the connection: `graceful` flushes what was written (linger), else it is cut. */
  stop(graceful: boolean): void {
    if (!this.running) return;
    this.running = false;
    this.crossThread.track(this.path, this, false);
    const engine = this.engine;
    this.engine = null;
    if (engine !== null)
      engine.close({ kind: "local", error: null, handshaken: engine.handshaken, fatal: false, graceful });
    else this.stream?.destroy();
    this.stream = null;
    this.unlink();
  }

  /** Another thread bound the name. */
  boundElsewhere(): void {
    if (!this.running) return;
    if (this.stream === null) this.dial();
    // The connection under way may be to the binding that just ended: try again after it.
    else this.announced = true;
  }

  private dial(): void {
    this.announced = false;
    const stream = createConnection(this.path);
    stream.unref();
    this.stream = stream;
    const onError = (): void => {
      stream.destroy();
      if (this.stream !== stream) return;
      this.stream = null;
      // Not bound anywhere (yet): the bind's announcement dials again.
      if (this.announced && this.running) this.dial();
    };
    stream.once("error", onError);
    stream.once("connect", () => {
      stream.off("error", onError);
      if (this.stream !== stream) return;
      this.announced = false;
      this.engine = new CrossThreadEngine(
        stream,
        crossThreadOptions(this.socket),
        this,
        `inproc://${this.name}`,
        this.crossThread.secret,
        this.pipe,
      );
    });
  }

  engineReady(engine: Engine, peer: Metadata): void {
    this.socket.inprocLinked(this.pipe, peer);
    this.linked = true;
    if (!this.pipe.closed) (engine as CrossThreadEngine).attachGated(this.pipe);
  }

  engineRefused(): void {}

  engineClosed(engine: Engine, reason: EngineClose): void {
    if (this.engine !== engine) return;
    this.engine = null;
    this.stream = null;
    this.unlink();
    // The binding thread unbound, closed or ended. Another may have bound the name meanwhile
    // (its announcement came while this connection was ending): dial once; later binds are
    // announced. A handshake that failed is not retried before the next announcement.
    if (this.running && (reason.handshaken || this.announced)) this.dial();
  }

  private unlink(): void {
    if (!this.linked) return;
    this.linked = false;
    this.socket.inprocUnlinked(this.pipe);
  }
}

function listenOn(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ path, exclusive: true }, () => {
      server.off("error", reject);
      server.on("error", () => undefined);
      resolve();
    });
  });
}

/** Whether nobody listens on the socket file at `path` any more. */
function isStale(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.unref();
    probe.once("connect", () => {
      probe.destroy();
      resolve(false);
    });
    probe.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}
